# Time of the defaults on 10X PBMC against the defaults before issue 22
# (plain k-means at k, cluster.method = "kmeans"), before issue 12
# (neighbours = 0, min.steps = 0, and plain k-means) and reference mode, in
# one R process,
# alternating the settings so that load on the machine hits all alike.
# Writes one row per setting x repeat and prints the median ratios.
#   Rscript bench/defaults-time.R DATA_DIR/10X_PBMC_top2000 OUT.csv [REPEATS]
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
cli <- dataset_cli(3L)
d <- cli$d
repeats <- cli$repeats
settings <- list(defaults = list(),
    `defaults before issue 22` = list(cluster.method = "kmeans"),
    `defaults before issue 12` = list(neighbours = 0, min.steps = 0,
        cluster.method = "kmeans"),
    reference = list(mode = "reference"))
invisible(contrastiveSC(d$counts[, 1:300], k = 3, epochs = 1, seed = 1))
rows <- list()
for (r in seq_len(repeats)) {
    for (name in names(settings)) {
        t <- system.time(res <- do.call(contrastiveSC, c(list(d$counts,
            k = d$k, seed = r - 1L, num.threads = 2),
            settings[[name]])))[["elapsed"]]
        s <- res$metadata$seconds
        ari <- clusteringScores(d$labels, res$clusters)[["ARI"]]
        rows[[length(rows) + 1L]] <- data.frame(setting = name, seed = r - 1L,
            wall_s = t, preprocess_s = s[["preprocess"]],
            train_s = s[["train"]], cluster_s = s[["cluster"]], ARI = ari)
        message(sprintf("%-26s seed %d  %6.2f s  ARI %.3f", name, r - 1L, t,
            ari))
    }
}
q <- do.call(rbind, rows)
utils::write.csv(q, cli$out, row.names = FALSE)
med <- tapply(q$wall_s, q$setting, stats::median)
cat(sprintf("median seconds: %s\n", paste(sprintf("%s %.2f", names(med),
    med), collapse = ", ")))
cat(sprintf(paste("defaults / before issue 22: %.2fx; / before issue 12:",
    "%.2fx; / reference: %.2fx\n"),
    med[["defaults"]] / med[["defaults before issue 22"]],
    med[["defaults"]] / med[["defaults before issue 12"]],
    med[["defaults"]] / med[["reference"]]))
