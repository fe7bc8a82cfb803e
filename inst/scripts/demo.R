# contrastiveSC next to Seurat's standard pipeline on the bundled 10X PBMC
# data (4,271 cells, 8 labelled types). Run with `make demo`, or
#   Rscript $(Rscript -e 'cat(system.file("scripts", "demo.R", package = "contrastiveSC"))')
# Prints ARI, NMI, silhouette, number of clusters and wall time for each,
# and writes contrastiveSC-demo.png (the embedding's first two principal
# components, coloured by label and by cluster).
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

png("contrastiveSC-demo.png", width = 1200, height = 600)
op <- par(mfrow = c(1, 2))
pcs <- stats::prcomp(res$embedding)$x
plot(pcs[, 1:2], col = as.integer(pbmc4k.labels), pch = 20, cex = 0.5,
    main = "contrastiveSC embedding (PCA): true labels")
plot(pcs[, 1:2], col = as.integer(res$clusters), pch = 20, cex = 0.5,
    main = "contrastiveSC embedding (PCA): k-means clusters")
par(op)
invisible(dev.off())
message("wrote contrastiveSC-demo.png")
