# Issue 21's integration benchmark, R half: for each task (tasks.R), the
# embeddings of contrastiveSC with and without 'batch' (seeds 0-4), PCA of
# the same genes (the input of Harmony and the unintegrated baseline), and
# Seurat 4.3's anchors (FindIntegrationAnchors + IntegrateData), written to
# OUT/<task>/ for metrics.py, which adds Harmony, Scanorama and scVI and
# scores every embedding with scib-metrics.
#   Rscript bench/integration/embed.R OUT [SEEDS]
suppressPackageStartupMessages({
    library(contrastiveSC)
    library(Matrix)
})
source(file.path("bench", "integration", "tasks.R"))
cli <- integration_cli()
out <- cli$out
seeds <- cli$seeds

# The model's genes, log-normalised as it normalised them, scaled over all
# cells, and their 50 leading principal components: PCA of the same genes
# without integration.
same_genes <- function(t, model) {
    x <- t$counts[model$gene.index, , drop = FALSE]
    if (!t$normalized) {
        totals <- Matrix::colSums(ceiling(t$counts))
        x <- log1p(t(t(as.matrix(ceiling(x))) / totals) * model$median.total)
    }
    logged <- t(as.matrix(x))
    list(logged = logged, pcs = stats::prcomp(scale(logged), rank. = 50L)$x)
}

# Seurat 4.3 anchors on the task's batches, with its defaults where the
# batches are large enough (k.filter and k.weight shrink for small ones).
seurat_anchors <- function(t) {
    suppressPackageStartupMessages(library(Seurat))
    counts <- t$counts
    colnames(counts) <- make.unique(colnames(counts))
    rownames(counts) <- make.unique(gsub("_", "-", rownames(counts)))
    seu <- CreateSeuratObject(counts, min.cells = 0, min.features = 0)
    if (t$normalized) {
        seu <- SetAssayData(seu, slot = "data", new.data = counts)
    }
    seu$batch <- as.character(t$batch)
    parts <- SplitObject(seu, split.by = "batch")
    parts <- lapply(parts, function(p) {
        if (!t$normalized) p <- NormalizeData(p, verbose = FALSE)
        FindVariableFeatures(p, nfeatures = 2000, verbose = FALSE)
    })
    smallest <- min(table(t$batch))
    features <- SelectIntegrationFeatures(parts, verbose = FALSE)
    anchors <- FindIntegrationAnchors(parts, anchor.features = features,
        dims = 1:30, k.filter = min(200L, smallest - 1L), verbose = FALSE)
    integrated <- IntegrateData(anchors, dims = 1:30,
        k.weight = min(100L, smallest - 1L), verbose = FALSE)
    integrated <- ScaleData(integrated, verbose = FALSE)
    integrated <- RunPCA(integrated, npcs = 30, verbose = FALSE)
    Embeddings(integrated, "pca")[colnames(counts), ]
}

timed <- function(expr) {
    t0 <- proc.time()[["elapsed"]]
    value <- expr
    list(value = value, seconds = proc.time()[["elapsed"]] - t0)
}

for (t in integration_tasks()) {
    dir <- file.path(out, t$name)
    dir.create(dir, recursive = TRUE, showWarnings = FALSE)
    k <- length(unique(t$labels))
    message(sprintf("%s: %d cells, %d genes, batches %s", t$name,
        ncol(t$counts), nrow(t$counts), toString(levels(t$batch))))
    obs <- data.frame(cell = colnames(t$counts), batch = t$batch,
        label = t$labels)
    times <- NULL
    genes <- NULL
    for (seed in seeds) {
        for (with.batch in c(FALSE, TRUE)) {
            r <- timed(suppressWarnings(contrastiveSC(t$counts, k = k,
                seed = seed, normalized = t$normalized,
                batch = if (with.batch) t$batch)))
            name <- sprintf("%s_s%d", if (with.batch) "csc_batch" else "csc",
                seed)
            write_matrix(r$value$embedding, file.path(dir, paste0(name,
                ".csv")))
            obs[[name]] <- as.integer(r$value$clusters)
            times <- rbind(times, data.frame(method = if (with.batch)
                "contrastiveSC (batch)" else "contrastiveSC", seed = seed,
                seconds = r$seconds))
            if (with.batch && is.null(genes)) genes <- r$value$model
        }
    }
    g <- same_genes(t, genes)
    write_matrix(g$pcs, file.path(dir, "pca.csv"))
    write_matrix(g$logged, file.path(dir, "logged.csv"))
    if (!t$normalized) {
        Matrix::writeMM(methods::as(t$counts[genes$gene.index, ],
            "CsparseMatrix"), file.path(dir, "counts.mtx"))
    }
    s <- timed(seurat_anchors(t))
    write_matrix(s$value, file.path(dir, "seurat.csv"))
    times <- rbind(times, data.frame(method = "Seurat anchors", seed = NA,
        seconds = s$seconds))
    utils::write.csv(obs, file.path(dir, "obs.csv"), row.names = FALSE)
    utils::write.csv(times, file.path(dir, "times.csv"), row.names = FALSE)
}
