# Quality in reference mode: contrastiveSC with k-means at the true k, over
# seeds, on every dataset of a data folder; one CSV row per run.
#   Rscript bench/quality.R DATA_DIR OUT.csv [SEEDS] [N_GENES] [DATASETS]
# SEEDS like 0:9, N_GENES like 500 or 500,5000, DATASETS a comma list of
# folder names (default: all).
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
root <- args[[1]]
out <- args[[2]]
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:9
genes <- if (length(args) > 3) as.integer(strsplit(args[[4]], ",")[[1]]) else 500L
dirs <- dataset_dirs(root)
if (length(args) > 4) dirs <- dirs[basename(dirs) %in% strsplit(args[[5]], ",")[[1]]]

rows <- list()
for (dir in dirs) {
    d <- read_dataset(dir)
    for (g in genes) for (seed in seeds) {
        t <- system.time(res <- contrastiveSC(d$counts, k = d$k, seed = seed,
            n.genes = g, num.threads = 2))[["elapsed"]]
        s <- clusteringScores(d$labels, res$clusters, res$embedding)
        rows[[length(rows) + 1L]] <- data.frame(dataset = d$name,
            method = "contrastiveSC reference kmeans", n_genes = g,
            seed = seed, ARI = s[["ARI"]], NMI = s[["NMI"]],
            silhouette = s[["silhouette"]],
            clusters = nlevels(res$clusters), seconds = t)
        message(sprintf("%s genes=%d seed=%d ARI=%.3f NMI=%.3f %.2fs",
            d$name, g, seed, s[["ARI"]], s[["NMI"]], t))
    }
}
write.csv(do.call(rbind, rows), out, row.names = FALSE)
