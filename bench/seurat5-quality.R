# Seurat 5's clustering pipeline on the suite's datasets (issue 28): the
# same calls as the suite's Seurat 4.3 rows (bench/common.R's
# seurat_default() and seurat_at_k(): 2,000 variable genes, 30 PCs, Louvain
# at the default resolution and at the resolution that gives k clusters),
# run in an R session whose library holds Seurat 5 (tools/seurat5-from-
# source.sh). Seurat 4.3 and 5 cannot load in one process, so these rows
# are a second process over the same datasets and seeds; the Seurat version
# is in every row.
#   R_LIBS=$SEURAT5_LIB Rscript bench/seurat5-quality.R [DATA_DIR] [OUT_CSV] [SEEDS]
# (defaults: ../shared/data, bench/results/seurat5/quality.csv, 0:4);
# bench/seurat5-summary.R sets them next to the suite's rows.
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) > 0) args[[1]] else "../shared/data"
out <- if (length(args) > 1) args[[2]] else "bench/results/seurat5/quality.csv"
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:4
version <- format(utils::packageVersion("Seurat"))
if (utils::packageVersion("Seurat") < "5.0.0") {
    stop("Seurat ", version, " loaded: put a library with Seurat 5 first ",
        "(R_LIBS=$SEURAT5_LIB)", call. = FALSE)
}
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
rows <- list()
add <- function(d, method, seed, clusters, pca, seconds) {
    s <- clusteringScores(d$labels, clusters, pca)
    rows[[length(rows) + 1L]] <<- data.frame(dataset = d$name,
        method = method, seed = seed, ARI = s[["ARI"]], NMI = s[["NMI"]],
        silhouette = s[["silhouette"]],
        clusters = length(unique(stats::na.omit(as.character(clusters)))),
        seconds = seconds, seurat = version)
    message(sprintf("%-36s %-22s seed %d  ARI %.3f", d$name, method, seed,
        s[["ARI"]]))
}
for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    for (seed in seeds) {
        seu <- seurat_default(d$counts, seed, d$normalized)
        add(d, "Seurat 5 default", seed, seu$clusters, seu$pca, seu$seconds)
        at <- seurat_at_k(seu$object, d$k, seed)
        add(d, "Seurat 5 at k", seed, at$clusters, seu$pca,
            seu$seconds + at$seconds)
    }
    utils::write.csv(do.call(rbind, rows), out, row.names = FALSE)
}
