#' contrastiveSC as a Seurat 5 integration method
#'
#' An integration method function for Seurat 5's \code{IntegrateLayers()}:
#' \code{IntegrateLayers(obj, method = ContrastiveIntegration)} learns the
#' same embedding as \code{contrastiveSC(obj, batch = ...)} on the same
#' cells and seed, with the sample of each cell being the layer its counts
#' come from (an assay split by \code{split(obj[["RNA"]], f = obj$sample)}),
#' and returns it as the reduction \code{new.reduction}, for
#' \code{FindNeighbors()}, \code{FindClusters()} and \code{RunUMAP()} as
#' after any other method.
#'
#' The model trains on the raw counts of the assay's \code{counts} layers
#' (its \code{data} layers with \code{normalized = TRUE}, or where it has no
#' counts): genes are chosen and scaled within samples and the samples
#' brought together by mutual nearest neighbours, as
#' \code{\link{contrastiveSC}} does with \code{batch}. Seurat's own
#' \code{features}, \code{scale.layer} and \code{orig} reduction are
#' therefore not used (only \code{orig}'s assay name is). Like Seurat's
#' methods it returns no clusters: cluster the reduction with
#' \code{FindNeighbors()} and \code{FindClusters()}, or call
#' \code{contrastiveSC()} with \code{batch} and \code{k} for the package's
#' own clustering. The run's metadata and model (for
#' \code{\link[=predict.contrastiveModel]{predict}}) are kept in the
#' reduction's \code{misc} slot, under \code{"contrastiveSC"}.
#'
#' @param object The assay (a SeuratObject 5 \code{Assay5}), given by
#' \code{IntegrateLayers()}.
#' @param orig,layers,scale.layer,features Given by \code{IntegrateLayers()};
#' see Details for what is used.
#' @param groups A one-column data frame (column \code{group}) of each
#' cell's sample, rows named by cell, as Seurat's integration methods take
#' it; \code{NULL}: the layer each cell's counts come from.
#' @param normalized \code{TRUE}: train on the log-normalised \code{data}
#' layers (as \code{contrastiveSC(normalized = TRUE)}), for an object whose
#' \code{counts} are not counts; \code{NULL}: the \code{counts} layers
#' where the assay has them.
#' @param new.reduction Name of the reduction returned.
#' @param key Key of the reduction's columns.
#' @param assay Name of \code{object} in the Seurat object (given by
#' \code{IntegrateLayers()}; called directly, \code{"RNA"} by default).
#' @param ... Further arguments of \code{\link{contrastiveSC}} (\code{seed},
#' \code{num.threads}, \code{n.genes}, \code{epochs}, \code{device}, ...).
#' @return A named list holding one \code{DimReduc} (cells x 60), named
#' \code{new.reduction}, which \code{IntegrateLayers()} adds to the object.
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}} (argument \code{batch}),
#' \code{\link{batchMixing}}
#' @examples
#' if (requireNamespace("Seurat", quietly = TRUE) &&
#'     utils::packageVersion("Seurat") >= "5.0.0") {
#'     data(cellLines)
#'     obj <- SeuratObject::CreateSeuratObject(cellLines)
#'     obj$protocol <- cellLines.protocol
#'     obj[["RNA"]] <- split(obj[["RNA"]], f = obj$protocol)
#'     obj <- Seurat::NormalizeData(obj, verbose = FALSE)
#'     obj <- Seurat::FindVariableFeatures(obj, verbose = FALSE)
#'     obj <- Seurat::ScaleData(obj, verbose = FALSE)
#'     obj <- Seurat::RunPCA(obj, npcs = 20, verbose = FALSE)
#'     obj <- Seurat::IntegrateLayers(obj, method = ContrastiveIntegration,
#'         new.reduction = "integrated.csc", seed = 1, epochs = 5,
#'         num.threads = 1)
#'     dim(SeuratObject::Embeddings(obj, "integrated.csc"))
#' }
#' @export
ContrastiveIntegration <- function(object, orig = NULL, layers = NULL,
    scale.layer = NULL, features = NULL, groups = NULL, normalized = NULL,
    new.reduction = "integrated.contrastive", key = "CSCint_", assay = "RNA",
    ...) {
    .need("SeuratObject", "ContrastiveIntegration()")
    .check_dots(list(...), setdiff(names(formals(.contrastive_run)),
        c("x", "normalized", "batch")))
    if (!inherits(object, "StdAssay")) {
        stop("'object' must be a Seurat v5 assay (Assay5), as ",
            "IntegrateLayers() passes it; got ", class(object)[1L],
            call. = FALSE)
    }
    cells <- colnames(object)
    if (is.null(normalized)) {
        normalized <- !length(.layer_names(object, "counts"))
    }
    normalized <- .check_flag(normalized, "normalized")
    source <- if (normalized) "data" else "counts"
    counts <- .seurat5_layer(object, source)
    if (!length(counts)) {
        stop(sprintf("'object' has no %s layers", source), call. = FALSE)
    }
    counts <- counts[, cells, drop = FALSE]
    batch <- if (is.null(groups)) .layer_of_cells(object, source, cells) else
        .group_of_cells(groups, cells)
    res <- .contrastive_run(counts, normalized = normalized,
        batch = batch, ...)
    emb <- res$embedding
    rownames(emb) <- cells
    colnames(emb) <- paste0(key, seq_len(ncol(emb)))
    meta <- res$metadata
    meta$model <- res$model
    if (!is.null(orig) && length(SeuratObject::DefaultAssay(orig))) {
        assay <- SeuratObject::DefaultAssay(orig)
    }
    reduction <- SeuratObject::CreateDimReducObject(embeddings = emb,
        key = key, assay = assay, misc = list(contrastiveSC = meta))
    stats::setNames(list(reduction), new.reduction)
}
attr(ContrastiveIntegration, "Seurat.method") <- "integration"

# Names of the layers of a SeuratObject 5 assay that hold 'layer' ("counts"
# or "counts.<sample>"; Layers()'s own search would also take "scale.data"
# for "data").
.layer_names <- function(object, layer) {
    grep(sprintf("^%s($|[.])", layer), .seurat5("Layers")(object),
        value = TRUE)
}

# The sample of each of 'cells': the suffix of the split layer of 'layer'
# that holds it ("counts.A" -> "A"), as a factor in the layers' order.
.layer_of_cells <- function(object, layer, cells) {
    names <- .layer_names(object, layer)
    if (length(names) < 2L) {
        stop(sprintf("'object' is not split by sample (one %s layer); split ",
            layer), "it with split(obj[[\"RNA\"]], f = obj$sample), or give ",
            "'groups'", call. = FALSE)
    }
    of <- rep(NA_character_, length(cells))
    for (l in names) {
        of[match(.seurat5("Cells")(object, layer = l), cells)] <- l
    }
    factor(sub(sprintf("^%s[.]", layer), "", of),
        levels = sub(sprintf("^%s[.]", layer), "", names))
}

# The sample of each of 'cells' from Seurat's one-column 'groups' data
# frame (rows named by cell).
.group_of_cells <- function(groups, cells) {
    if (!is.data.frame(groups) || ncol(groups) != 1L) {
        stop("'groups' must be a one-column data frame of each cell's sample",
            call. = FALSE)
    }
    g <- groups[[1L]]
    if (!is.null(rownames(groups)) && all(cells %in% rownames(groups))) {
        g <- g[match(cells, rownames(groups))]
    } else if (length(g) != length(cells)) {
        stop(sprintf("'groups' has %d rows for %d cells", length(g),
            length(cells)), call. = FALSE)
    }
    g
}
