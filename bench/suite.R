# The benchmark suite: contrastiveSC with its defaults (k-means with the
# true k, and k unknown), in reference mode (true k), and Seurat's standard pipeline (default resolution, and the
# resolution that gives k clusters) on every dataset of a data folder, one
# row per dataset x method x seed, then a markdown summary with means and
# speed as a ratio to Seurat's pipeline measured in the same run.
#   Rscript bench/suite.R [DATA_DIR] [OUT_DIR] [SEEDS]
# (defaults: ../shared/data, bench/results, 0:2). Works unchanged on any
# folder of datasets in the same format (counts.mtx.gz, genes.tsv,
# cells.tsv, labels.tsv).
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) > 0) args[[1]] else "../shared/data"
out <- if (length(args) > 1) args[[2]] else "bench/results"
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:2

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
    for (seed in seeds) {
        t <- system.time(res <- contrastiveSC(d$counts, k = d$k, seed = seed,
            num.threads = 2))[["elapsed"]]
        add(score(d, "contrastiveSC k known", seed, res$clusters,
            res$embedding, t))
        t <- system.time(res <- contrastiveSC(d$counts, seed = seed,
            num.threads = 2))[["elapsed"]]
        add(score(d, "contrastiveSC k unknown", seed, res$clusters,
            res$embedding, t))
        t <- system.time(res <- contrastiveSC(d$counts, k = d$k, seed = seed,
            mode = "reference", num.threads = 2))[["elapsed"]]
        add(score(d, "contrastiveSC reference, k known", seed, res$clusters,
            res$embedding, t))
        seu <- seurat_default(d$counts, seed)
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
overall <- aggregate(cbind(ARI, NMI, clusters) ~ method, data = agg, FUN = mean)
lines <- c(
    sprintf("Benchmark suite, %s, seeds %s, `Rscript bench/suite.R %s %s %s`.",
        format(Sys.Date()), paste(range(seeds), collapse = "-"), root, out,
        deparse(seeds)),
    "",
    "| dataset | method | ARI | NMI | silhouette | clusters | seconds | speed vs Seurat pipeline |",
    "|---|---|---|---|---|---|---|---|",
    fmt(agg[order(agg$dataset, agg$method), ]),
    "",
    "Means over datasets:",
    "",
    "| method | ARI | NMI | clusters |",
    "|---|---|---|---|",
    sprintf("| %s | %.3f | %.3f | %.1f |", overall$method, overall$ARI,
        overall$NMI, overall$clusters))
writeLines(lines, file.path(out, "quality-summary.md"))
writeLines(lines)
