# The benchmark suite: contrastiveSC with its defaults (k-means with the
# true k, and k unknown) and in reference mode (true k), next to the
# no-training baseline (50 principal components of the same kept genes and
# scaling + k-means, `pca_baseline()`) and Seurat's standard pipeline
# (default resolution, and the resolution that gives k clusters), all in
# this one R process, on every dataset of a data folder: one row per
# dataset x method x seed, then a markdown summary with the means over the
# original seven datasets, the seven added later and all of them, wins and
# losses against the PCA baseline, and speed as a ratio to Seurat's
# pipeline. Log-scale datasets (meta.json) run with normalized = TRUE.
#   Rscript bench/suite.R [DATA_DIR] [OUT_DIR] [SEEDS]
# (defaults: ../shared/data, bench/results, 0:4). Works unchanged on any
# folder of datasets in the same format (counts.mtx.gz, genes.tsv,
# cells.tsv, labels.tsv, meta.json).
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) > 0) args[[1]] else "../shared/data"
out <- if (length(args) > 1) args[[2]] else "bench/results"
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:4

score <- function(d, method, seed, clusters, embedding, seconds) {
    s <- clusteringScores(d$labels, clusters, embedding)
    data.frame(dataset = d$name, method = method, seed = seed,
        ARI = s[["ARI"]], NMI = s[["NMI"]], silhouette = s[["silhouette"]],
        clusters = length(unique(stats::na.omit(as.character(clusters)))),
        seconds = seconds)
}

rows <- list()
add <- function(r) {
    rows[[length(rows) + 1L]] <<- r
    message(sprintf("%-32s %-28s seed %d  ARI %.3f  NMI %.3f  k %3d  %6.2fs",
        r$dataset, r$method, r$seed, r$ARI, r$NMI, r$clusters, r$seconds))
}
for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    run <- function(...) {
        t <- system.time(res <- contrastiveSC(d$counts, seed = seed,
            num.threads = 2, normalized = d$normalized, ...))[["elapsed"]]
        c(res, seconds = t)
    }
    for (seed in seeds) {
        res <- run(k = d$k)
        add(score(d, "contrastiveSC k known", seed, res$clusters,
            res$embedding, res$seconds))
        pca <- pca_baseline(d$counts, res$model, d$k, seed)
        add(score(d, "PCA of the same genes + k-means", seed, pca$clusters,
            pca$embedding, pca$seconds))
        res <- run()
        add(score(d, "contrastiveSC k unknown", seed, res$clusters,
            res$embedding, res$seconds))
        res <- run(k = d$k, mode = "reference")
        add(score(d, "contrastiveSC reference, k known", seed, res$clusters,
            res$embedding, res$seconds))
        seu <- seurat_default(d$counts, seed, d$normalized)
        add(score(d, "Seurat default", seed, seu$clusters, seu$pca,
            seu$seconds))
        at <- seurat_at_k(seu$object, d$k, seed)
        add(score(d, "Seurat at k", seed, at$clusters, seu$pca,
            seu$seconds + at$seconds))
    }
}
q <- do.call(rbind, rows)
write.csv(q, file.path(out, "quality.csv"), row.names = FALSE)

write_suite_summary(q, out, sprintf("`Rscript bench/suite.R %s %s %s`",
    root, out, deparse(seeds)))
