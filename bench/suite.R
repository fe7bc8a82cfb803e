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

# Summary: means over seeds per dataset and method, and overall.
agg <- aggregate(cbind(ARI, NMI, silhouette, clusters, seconds) ~ dataset +
    method, data = q, FUN = mean, na.action = na.pass)
seurat_s <- agg$seconds[agg$method == "Seurat default"]
names(seurat_s) <- agg$dataset[agg$method == "Seurat default"]
agg$speed <- seurat_s[agg$dataset] / agg$seconds
fmt <- function(a) sprintf("| %s | %s | %.3f | %.3f | %.3f | %.1f | %.2f | %.1fx |",
    a$dataset, a$method, a$ARI, a$NMI, a$silhouette, a$clusters, a$seconds,
    a$speed)
original <- c("10X_PBMC_top2000", "worm_neuron_cell", "Baron_mouse1_pancreas",
    "CellBench_10x_3cl_894genes", "Zeisel_subset_descend_1000genes",
    "Islam2011_mESC_MEF", "Pollen_fluidigm_HighCov")
half <- function(sel) aggregate(cbind(ARI, NMI, clusters) ~ method,
    data = agg[sel, ], FUN = mean)
halves <- list(`original 7` = agg$dataset %in% original,
    `added 7` = !agg$dataset %in% original, all = rep(TRUE, nrow(agg)))
means <- lapply(halves, half)
baseline <- "PCA of the same genes + k-means"
ari_of <- function(m) setNames(agg$ARI[agg$method == m],
    agg$dataset[agg$method == m])
versus <- function(m) {
    a <- ari_of(m)
    b <- ari_of(baseline)[names(a)]
    sprintf("| %s | %d | %d | %+.3f (%s) |", m, sum(a > b + 1e-9),
        sum(a < b - 1e-9), min(a - b), names(a)[which.min(a - b)])
}
methods <- setdiff(unique(agg$method), baseline)
lines <- c(
    sprintf("Benchmark suite, %s, seeds %s, `Rscript bench/suite.R %s %s %s`.",
        format(Sys.Date()), paste(range(seeds), collapse = "-"), root, out,
        deparse(seeds)),
    "",
    "Means over datasets of the per-dataset means over seeds:",
    "",
    "| method | ARI, original 7 | ARI, added 7 | ARI, all | NMI, all | clusters, all |",
    "|---|---|---|---|---|---|",
    sprintf("| %s | %.3f | %.3f | %.3f | %.3f | %.1f |", means$all$method,
        means$`original 7`$ARI, means$`added 7`$ARI, means$all$ARI,
        means$all$NMI, means$all$clusters),
    "",
    sprintf("Against %s, per dataset (ARI, mean over seeds):", baseline),
    "",
    "| method | datasets won | lost | worst difference |",
    "|---|---|---|---|",
    vapply(methods, versus, ""),
    "",
    "| dataset | method | ARI | NMI | silhouette | clusters | seconds | speed vs Seurat pipeline |",
    "|---|---|---|---|---|---|---|---|",
    fmt(agg[order(agg$dataset, agg$method), ]))
writeLines(lines, file.path(out, "quality-summary.md"))
writeLines(lines)
