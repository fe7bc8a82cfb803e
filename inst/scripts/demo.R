# contrastiveSC next to Seurat's standard pipeline on the bundled 10X PBMC
# data (4,271 cells, 8 labelled types). Run with `make demo`, or
#   Rscript $(Rscript -e 'cat(system.file("scripts", "demo.R", package = "contrastiveSC"))')
# Prints ARI, NMI, silhouette, number of clusters and wall time for each,
# and writes contrastiveSC-demo.png: a UMAP of the contrastive embedding
# (uwot), coloured by known label and by cluster, each cluster in the
# colour of the label it matches.
suppressPackageStartupMessages(library(contrastiveSC))
data(pbmc4k)
threads <- 2L

row <- function(method, clusters, embedding, seconds) {
    s <- clusteringScores(pbmc4k.labels, clusters, embedding)
    data.frame(method = method, ARI = round(s[["ARI"]], 3),
        NMI = round(s[["NMI"]], 3), silhouette = round(s[["silhouette"]], 3),
        clusters = length(unique(stats::na.omit(clusters))),
        seconds = round(seconds, 2))
}

t <- system.time(res <- contrastiveSC(pbmc4k, k = 8, seed = 0,
    num.threads = threads))[["elapsed"]]
out <- row("contrastiveSC (k = 8)", res$clusters, res$embedding, t)
t <- system.time(unknown <- contrastiveSC(pbmc4k, seed = 0,
    num.threads = threads))[["elapsed"]]
out <- rbind(out, row("contrastiveSC (k unknown)", unknown$clusters,
    unknown$embedding, t))

if (requireNamespace("Seurat", quietly = TRUE)) {
    suppressPackageStartupMessages(library(Seurat))
    t <- system.time({
        seu <- suppressWarnings(CreateSeuratObject(pbmc4k))
        seu <- NormalizeData(seu, verbose = FALSE)
        seu <- FindVariableFeatures(seu, verbose = FALSE)
        seu <- ScaleData(seu, verbose = FALSE)
        seu <- RunPCA(seu, verbose = FALSE)
        seu <- FindNeighbors(seu, dims = 1:30, verbose = FALSE)
        seu <- FindClusters(seu, verbose = FALSE, random.seed = 0)
    })[["elapsed"]]
    out <- rbind(out, row("Seurat (default resolution)", Idents(seu),
        Embeddings(seu, "pca")[, 1:30], t))
} else {
    message("Seurat is not installed: showing contrastiveSC only")
}
print(out, row.names = FALSE)

if (requireNamespace("uwot", quietly = TRUE) &&
    requireNamespace("ggplot2", quietly = TRUE)) {
    umap <- withr::with_seed(0, uwot::umap(res$embedding, n_neighbors = 15,
        min_dist = 0.3, n_threads = threads))
    colnames(umap) <- c("UMAP 1", "UMAP 2")
    labels <- factor(paste("type", pbmc4k.labels))
    plot <- plotEmbedding(umap, res$clusters, labels, title = sprintf(
        "contrastiveSC on 10x PBMC (%d cells), k = 8: ARI %.3f", ncol(pbmc4k),
        out$ARI[1]))
    ggplot2::ggsave("contrastiveSC-demo.png", plot, width = 11, height = 6,
        dpi = 100, bg = "white")
    message("wrote contrastiveSC-demo.png")
} else {
    message("uwot and ggplot2 are needed for the picture: none written")
}
