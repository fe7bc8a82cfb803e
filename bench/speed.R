# Speed of contrastiveSC() on 10X PBMC (dgCMatrix to clusters: preprocessing,
# 30 epochs, k-means) next to Seurat's standard pipeline in the same run.
#   Rscript bench/speed.R DATA_DIR/10X_PBMC_top2000 OUT.csv [REPEATS]
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
d <- read_dataset(args[[1]])
out <- args[[2]]
repeats <- if (length(args) > 2) as.integer(args[[3]]) else 5L

invisible(contrastiveSC(d$counts[, 1:300], k = 3, epochs = 1, seed = 1)) # warm-up
base_rss <- rss_mib()
rows <- list()
for (r in seq_len(repeats)) {
    t <- system.time(res <- contrastiveSC(d$counts, k = d$k, seed = r - 1L,
        num.threads = 2))[["elapsed"]]
    s <- res$metadata$seconds
    rows[[r]] <- data.frame(method = "contrastiveSC", repeat_ = r,
        wall_s = t, preprocess_s = s[["preprocess"]], train_s = s[["train"]],
        cluster_s = s[["cluster"]], peak_rss_mib = peak_rss_mib(),
        base_rss_mib = base_rss)
}
if (requireNamespace("Seurat", quietly = TRUE)) {
    suppressPackageStartupMessages(library(Seurat))
    for (r in seq_len(repeats)) {
        t <- system.time({
            seu <- suppressWarnings(CreateSeuratObject(d$counts))
            seu <- NormalizeData(seu, verbose = FALSE)
            seu <- FindVariableFeatures(seu, verbose = FALSE)
            seu <- ScaleData(seu, verbose = FALSE)
            seu <- RunPCA(seu, verbose = FALSE)
            seu <- FindNeighbors(seu, dims = 1:30, verbose = FALSE)
            seu <- FindClusters(seu, verbose = FALSE, random.seed = r)
        })[["elapsed"]]
        rows[[length(rows) + 1L]] <- data.frame(method = "Seurat pipeline",
            repeat_ = r, wall_s = t, preprocess_s = NA, train_s = NA,
            cluster_s = NA, peak_rss_mib = peak_rss_mib(),
            base_rss_mib = base_rss)
    }
}
res <- do.call(rbind, rows)
names(res)[names(res) == "repeat_"] <- "repeat"
write.csv(res, out, row.names = FALSE)
print(res)
