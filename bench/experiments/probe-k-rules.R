# Compares label-free rules for choosing the clustering when k is unknown
# on the candidates scored by bench/experiments/probe-k.R (issue 4): per rule, the ARI
# of the chosen clustering and its cluster count, next to k-means with the
# true k on the same embedding.
#   Rscript bench/experiments/probe-k-rules.R [PROBE_CSV] [OUT_MD]
args <- commandArgs(trailingOnly = TRUE)
q <- utils::read.csv(if (length(args) > 0) args[[1]] else
    "bench/results/probe-k.csv")
out <- if (length(args) > 1) args[[2]] else "bench/results/probe-k-rules.md"
# Each rule picks one row of a dataset x seed's candidates.
first_max <- function(v) which(v == max(v, na.rm = TRUE))[1L]
last_max <- function(v) utils::tail(which(v == max(v, na.rm = TRUE)), 1L)
rules <- list(
    "k-means, max silhouette" = function(r) {
        r <- r[r$method == "kmeans", ]; r[first_max(r$silhouette), ] },
    "k-means, max Calinski-Harabasz" = function(r) {
        r <- r[r$method == "kmeans", ]; r[first_max(r$ch), ] },
    "k-means, max run agreement" = function(r) {
        r <- r[r$method == "kmeans", ]; r[last_max(round(r$stability, 2)), ] },
    "k-means, max silhouette x agreement" = function(r) {
        r <- r[r$method == "kmeans", ]; r[first_max(r$silhouette * r$stability), ] },
    "k-means, largest k with agreement >= 0.9" = function(r) {
        r <- r[r$method == "kmeans", ]
        ok <- which(r$stability >= 0.9)
        if (!length(ok)) r[first_max(r$stability), ] else r[max(ok), ] },
    "Leiden resolution 1" = function(r) r[r$method == "leiden" & r$param == 1, ],
    "Leiden, max silhouette" = function(r) {
        r <- r[r$method == "leiden" & r$clusters > 1, ]; r[first_max(r$silhouette), ] },
    "Leiden, max run agreement" = function(r) {
        r <- r[r$method == "leiden" & r$clusters > 1, ]; r[last_max(round(r$stability, 2)), ] },
    "Leiden, max silhouette x agreement" = function(r) {
        r <- r[r$method == "leiden" & r$clusters > 1, ]
        r[first_max(r$silhouette * r$stability), ] },
    "k-means with the true k (not a rule)" = function(r)
        r[r$method == "kmeans" & r$param == r$k.true, ])
groups <- split(q, list(q$dataset, q$seed), drop = TRUE)
res <- do.call(rbind, lapply(names(rules), function(nm) {
    picks <- do.call(rbind, lapply(groups, rules[[nm]]))
    per <- aggregate(cbind(ARI, clusters, k.true) ~ dataset, picks, mean)
    data.frame(rule = nm, ARI = mean(per$ARI),
        count.error = mean(abs(per$clusters - per$k.true) / per$k.true),
        per = paste(sprintf("%s %.2f (%.1f)", substr(per$dataset, 1, 6),
            per$ARI, per$clusters), collapse = ", "))
}))
lines <- c("Rules for k unknown on `bench/experiments/probe-k.R` candidates (datasets with",
    ">= 3 types, mean over seeds; per dataset: ARI (clusters)).",
    sprintf("`Rscript bench/experiments/probe-k-rules.R` on %d candidates.", nrow(q)), "",
    "| rule | mean ARI | mean relative cluster-count error | per dataset |",
    "|---|---|---|---|",
    sprintf("| %s | %.3f | %.2f | %s |", res$rule, res$ARI, res$count.error,
        res$per))
writeLines(lines, out)
writeLines(lines)
