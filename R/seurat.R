# The Seurat glue behind contrastiveSC(<Seurat>): reads counts from an
# assay's slot and writes a DimReduc, a meta.data column and the identities.
.contrastive_seurat <- function(x, k = NULL, ..., assay.type = "counts",
    normalized = NULL, name = "contrastive",
    cluster.name = "contrastive_cluster", assay = NULL) {
    .need("SeuratObject", "a Seurat 'x'")
    if (is.null(assay)) assay <- SeuratObject::DefaultAssay(x)
    .check_choice(assay.type, "assay.type", c("counts", "data"))
    counts <- SeuratObject::GetAssayData(x, slot = assay.type, assay = assay)
    if (nrow(counts) == 0L || ncol(counts) == 0L) {
        stop(sprintf("'x' has no %s in assay \"%s\" ('assay.type')",
            assay.type, assay), call. = FALSE)
    }
    if (is.null(normalized)) normalized <- assay.type == "data"
    res <- .contrastive_run(counts, k = k, normalized = normalized, ...)
    emb <- res$embedding
    rownames(emb) <- colnames(x)
    x[[name]] <- SeuratObject::CreateDimReducObject(embeddings = emb,
        key = "CSC_", assay = assay)
    x[[cluster.name]] <- res$clusters
    SeuratObject::Idents(x) <- cluster.name
    meta <- res$metadata
    meta$model <- res$model
    SeuratObject::Misc(x, "contrastiveSC") <- meta
    x
}
