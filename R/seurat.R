# The Seurat glue behind contrastiveSC(<Seurat>): reads a layer (Seurat v5)
# or slot (Seurat v4) of an assay and writes a DimReduc, a meta.data column
# and the identities.
.contrastive_seurat <- function(x, k = NULL, ..., assay.type = "counts",
    layer = NULL, normalized = NULL, batch = NULL, name = "contrastive",
    cluster.name = "contrastive_cluster", assay = NULL) {
    .need("SeuratObject", "a Seurat 'x'")
    if (!is.null(layer)) assay.type <- layer
    arg <- if (is.null(layer)) "assay.type" else "layer"
    counts <- .seurat_matrix(x, assay, assay.type, "x", arg)
    if (is.null(normalized)) normalized <- assay.type == "data"
    batch <- .batch_of(batch, x[[]], ncol(x))
    res <- .contrastive_run(counts, k = k, normalized = normalized,
        batch = batch, ...)
    emb <- res$embedding
    rownames(emb) <- colnames(x)
    x[[name]] <- SeuratObject::CreateDimReducObject(embeddings = emb,
        key = "CSC_", assay = .seurat_assay_name(x, assay))
    x[[cluster.name]] <- res$clusters
    SeuratObject::Idents(x) <- cluster.name
    meta <- res$metadata
    meta$model <- res$model
    SeuratObject::Misc(x, "contrastiveSC") <- meta
    x
}

.seurat_assay_name <- function(x, assay) {
    if (is.null(assay)) SeuratObject::DefaultAssay(x) else assay
}

# The genes x cells matrix of 'layer' ("counts" or "data") in an assay of
# Seurat object 'x' (the default assay when 'assay' is NULL), its columns
# in the object's cell order. SeuratObject 5 reads layers with LayerData(),
# for v5 Assay5 and v3 Assay alike, and joins an assay split into layers
# ("counts.a", "counts.b", ...); SeuratObject 4 has slots only. 'arg' is
# the argument that chose the layer, 'what' the one that holds 'x'; both
# are named in errors.
.seurat_matrix <- function(x, assay, layer, what, arg) {
    .check_choice(layer, arg, c("counts", "data"))
    assay <- .seurat_assay_name(x, assay)
    .check_choice(assay, "assay", SeuratObject::Assays(x))
    object <- x[[assay]]
    m <- if (utils::packageVersion("SeuratObject") >= "5.0.0") {
        .seurat5_layer(object, layer)
    } else {
        SeuratObject::GetAssayData(object, slot = layer)
    }
    if (nrow(m) == 0L || ncol(m) == 0L) {
        stop(sprintf("'%s' has no %s in assay \"%s\" ('%s')", what, layer,
            assay, arg), call. = FALSE)
    }
    if (identical(colnames(m), colnames(x))) return(m)
    missing <- setdiff(colnames(x), colnames(m))
    if (length(missing) > 0L) {
        stop(sprintf("the %s of assay \"%s\" in '%s' lack %d of its %d cells, e.g. %s",
            layer, assay, what, length(missing), ncol(x), .show(missing)),
            call. = FALSE)
    }
    m[, colnames(x), drop = FALSE]
}

# One layer of a SeuratObject 5 assay; a layer split by sample ("counts.a",
# "counts.b", ...) is put back together: the genes of the assay in its
# order, each split layer's cells in their columns, absent genes as zeros.
.seurat5_layer <- function(object, layer) {
    names <- .layer_names(object, layer)
    if (length(names) == 0L) return(matrix(0, 0L, 0L))
    parts <- lapply(names, function(l) .seurat5("LayerData")(object,
        layer = l))
    if (length(parts) == 1L) return(parts[[1L]])
    genes <- rownames(object)
    parts <- lapply(parts, function(m) {
        m <- methods::as(m, "CsparseMatrix")
        if (identical(rownames(m), genes)) return(m)
        # rows of the assay's genes that this layer holds
        pick <- Matrix::sparseMatrix(i = match(rownames(m), genes),
            j = seq_len(nrow(m)), x = 1, dims = c(length(genes), nrow(m)),
            dimnames = list(genes, rownames(m)))
        methods::as(pick %*% m, "CsparseMatrix")
    })
    do.call(cbind, parts)
}

# A function of SeuratObject 5, looked up when called: SeuratObject 4 lacks
# it, so the package cannot name it as SeuratObject::f.
.seurat5 <- function(name) getExportedValue("SeuratObject", name)
