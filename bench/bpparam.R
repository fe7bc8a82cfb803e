# A 3-run consensus on 10X PBMC with SerialParam() and with
# MulticoreParam(2) (each worker on one of the 2 threads), alternating, in
# one R process: whether the clusters are identical, and the time ratio.
#   Rscript bench/bpparam.R DATA_DIR/10X_PBMC_top2000 OUT.csv [REPEATS]
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
cli <- dataset_cli(3L)
d <- cli$d
repeats <- cli$repeats
params <- list(serial = BiocParallel::SerialParam(),
    multicore2 = BiocParallel::MulticoreParam(2))
rows <- list()
for (r in seq_len(repeats)) {
    res <- list()
    for (name in names(params)) {
        t <- system.time(res[[name]] <- contrastiveSC(d$counts, k = d$k,
            n.runs = 3, seed = r - 1L, num.threads = 2,
            BPPARAM = params[[name]]))[["elapsed"]]
        rows[[length(rows) + 1L]] <- data.frame(BPPARAM = name,
            seed = r - 1L, wall_s = t,
            ARI = clusteringScores(d$labels, res[[name]]$clusters)[["ARI"]])
        message(sprintf("%-10s seed %d  %6.2f s", name, r - 1L, t))
    }
    stopifnot(identical(res$serial$clusters, res$multicore2$clusters),
        identical(res$serial$embedding, res$multicore2$embedding))
}
q <- do.call(rbind, rows)
utils::write.csv(q, cli$out, row.names = FALSE)
med <- tapply(q$wall_s, q$BPPARAM, stats::median)
cat(sprintf("identical clusters and embeddings on every seed; median %.2f s serial, %.2f s MulticoreParam(2): %.2fx\n",
    med[["serial"]], med[["multicore2"]], med[["serial"]] / med[["multicore2"]]))
