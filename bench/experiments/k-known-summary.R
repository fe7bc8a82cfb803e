# Summary of the issue-22 rule search (k-known-rules.R's CSV): for each
# clustering rule in each space, the mean ARI over the original 7, the added
# 7 and the newest 6 datasets and over all 20 (per-dataset means over the
# seeds first), then the protocol against the default before issue 22 (k-means at k on the
# embedding): kept only if it raises the mean over all, lowers no group by
# more than 0.01 and wins more datasets than it loses; and the targets
# against PCA + k-means at the same seeds.
#   Rscript bench/experiments/k-known-summary.R [RULES.csv] [OUT.md]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) > 0) args[[1]] else "bench/results/issue22/rules.csv"
out <- if (length(args) > 1) args[[2]] else sub("[.]csv$", "-summary.md", file)
q <- utils::read.csv(file)
q$method <- paste(q$space, q$rule, sep = ": ")
groups <- dataset_groups
ari <- tapply(q$ARI, list(q$method, q$dataset), mean)
# only datasets every method ran on (a later pass may not have reached all)
complete <- colSums(is.na(ari)) == 0
if (!all(complete)) {
    message("left out, not run by every method: ",
        toString(colnames(ari)[!complete]))
}
ari <- ari[, complete, drop = FALSE]
sd.seed <- tapply(q$ARI, list(q$method, q$dataset), stats::sd)[,
    colnames(ari), drop = FALSE]
present <- lapply(groups, intersect, colnames(ari))
group.mean <- sapply(present, function(g) rowMeans(ari[, g, drop = FALSE]))
if (!is.matrix(group.mean)) group.mean <- t(group.mean)
all.mean <- rowMeans(ari)
current <- "embedding: kmeans"
pca <- "PCA: kmeans"
versus <- function(m, ref) {
    d <- ari[m, ] - ari[ref, ]
    c(won = sum(d > 1e-9), lost = sum(d < -1e-9), worst = min(d))
}
fmt <- function(x) sprintf("%.3f", x)
rows <- vapply(rownames(ari)[order(-all.mean)], function(m) {
    v <- versus(m, current)
    p <- versus(m, pca)
    keep <- all.mean[m] > all.mean[current] &&
        all(group.mean[m, ] >= group.mean[current, ] - 0.01) &&
        v[["won"]] > v[["lost"]]
    sprintf("| %s | %s | %s | %s | %d / %d | %d / %d (%+.3f, %s) | %s |", m,
        paste(fmt(group.mean[m, ]), collapse = " | "), fmt(all.mean[m]),
        fmt(all.mean[m] - all.mean[pca]), v[["won"]], v[["lost"]],
        p[["won"]], p[["lost"]], p[["worst"]],
        names(which.min(ari[m, ] - ari[pca, ])),
        if (m == current) "default before" else if (keep) "passes" else "no")
}, "")
pbmc <- "10X_PBMC_top2000"
lines <- c(
    sprintf("Issue-22 search over clustering rules at k (%s), %d datasets, seeds %s.",
        basename(file), ncol(ari), paste(range(q$seed), collapse = "-")),
    "Means over datasets of the per-dataset mean ARI over seeds; 'protocol'",
    "compares with the default before (k-means at k on the embedding): higher mean over",
    "all, no group lower by more than 0.01, more datasets won than lost.",
    "",
    sprintf("| method | %s | all | all - PCA k-means | vs k-means at k won / lost | vs PCA k-means won / lost (worst) | protocol |",
        paste(names(present), collapse = " | ")),
    paste0("|", strrep("---|", 6 + length(present))),
    rows,
    "",
    sprintf("PBMC seed sd: %s.", paste(sprintf("%s %.3f",
        rownames(sd.seed), sd.seed[, pbmc])[order(sd.seed[, pbmc])],
        collapse = "; ")),
    "",
    "Per dataset (mean ARI over seeds):",
    "",
    paste("| method |", paste(colnames(ari), collapse = " | "), "|"),
    paste0("|", strrep("---|", ncol(ari) + 1)),
    sprintf("| %s | %s |", rownames(ari)[order(-all.mean)],
        apply(ari[order(-all.mean), , drop = FALSE], 1, function(r)
            paste(fmt(r), collapse = " | "))))
writeLines(lines, out)
writeLines(lines[seq_len(length(rows) + 8)])
