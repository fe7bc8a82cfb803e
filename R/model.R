# A trained model as plain R data: saveRDS() works and nothing points into
# Rust memory.
# 'encoders' holds one list of layers per training run (a consensus has
# several; their embeddings are put side by side as in training). With
# 'batch', each batch's scaling of the genes ('batch.scaling', named by
# batch), which new cells of that batch get.
.new_model <- function(res, encoders, counts, params, batch = NULL) {
    genes <- res$fit$genes + 1L # 0-based in Rust
    structure(list(
        encoders = encoders,
        genes = if (is.null(rownames(counts))) NULL else rownames(counts)[genes],
        gene.index = genes,
        n.input.genes = nrow(counts),
        means = res$fit$means,
        stds = res$fit$stds,
        median.total = res$fit$median_total,
        normalized = res$fit$normalized_input,
        parameters = params,
        batch.scaling = if (!is.null(batch))
            stats::setNames(res$batch_scaling, levels(batch)),
        batch.correction = res$correction,
        version = as.character(utils::packageVersion("contrastiveSC"))),
        class = "contrastiveModel")
}

#' Embed new cells with a trained contrastiveSC model
#'
#' Applies a model's preprocessing (the same genes, normalisation target and
#' scaling) and encoder to other cells, giving embeddings comparable with
#' the training cells'.
#'
#' @param object A \code{contrastiveModel}: \code{res$model} of
#' \code{\link{contrastiveSC}} on a matrix, or
#' \code{metadata(sce)$contrastiveSC$model}.
#' @param newdata Counts of the new cells (genes x cells): a matrix,
#' \code{dgCMatrix}, SingleCellExperiment (assay \code{counts}) or Seurat
#' object (the default assay's \code{counts} layer, Seurat v4 or v5, layers
#' split by sample joined). Genes are matched by row name; without row names it must have
#' the training data's rows.
#' @param batch For a model trained with \code{batch}: the batch of the new
#' cells, one of the training batches (\code{names(object$batch.scaling)}),
#' as one value for all cells, one value per cell, or for a
#' SingleCellExperiment or Seurat \code{newdata} the name of a
#' \code{colData} or \code{meta.data} column. Each cell is scaled as the
#' training cells of its batch were.
#' @param num.threads Number of CPU threads.
#' @param ... Ignored.
#' @return A cells x dimensions matrix; cells without counts get \code{NA}.
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}}
#' @examples
#' data(pbmc4k)
#' res <- contrastiveSC(pbmc4k[, 1:500], k = 8, epochs = 3, seed = 1)
#' emb <- predict(res$model, pbmc4k[, 501:600])
#' dim(emb)
#' @export
predict.contrastiveModel <- function(object, newdata, batch = NULL,
    num.threads = NULL, ...) {
    .check_model(object)
    columns <- NULL
    if (methods::is(newdata, "SingleCellExperiment")) {
        columns <- SummarizedExperiment::colData(newdata)
        newdata <- SummarizedExperiment::assay(newdata, "counts")
    } else if (inherits(newdata, "Seurat")) {
        columns <- newdata[[]]
        # the default assay's counts (split layers joined)
        newdata <- .seurat_matrix(newdata, NULL, "counts", "newdata",
            "newdata")
    }
    counts <- .as_counts(newdata, "newdata")
    rows <- .model_rows(object, counts)
    batch <- .predict_batch(object, batch, columns, ncol(counts))
    num.threads <- .resolve_threads(num.threads)
    counts <- .recovered_like_training(object, counts, num.threads)
    # the consensus embedding of 'cells' and those of them with counts
    embed <- function(cells, means, stds, code = -1L) {
        sub <- counts[, cells, drop = FALSE]
        runs <- lapply(object$encoders, function(layers) csc_predict(sub@p,
            sub@i, sub@x, nrow(sub), ncol(sub), rows - 1L, means, stds,
            object$median.total, object$normalized, layers,
            object$batch.correction, code, num.threads))
        list(inner = .consensus_embedding(lapply(runs, `[[`, "embedding")),
            kept = cells[runs[[1L]]$cells + 1L])
    }
    parts <- if (is.null(batch)) {
        list(embed(seq_len(ncol(counts)), object$means, object$stds))
    } else {
        # each batch of new cells scaled and corrected as the training cells
        # of that batch
        lapply(unique(batch), function(b) {
            s <- object$batch.scaling[[b]]
            embed(which(batch == b), s$means, s$stds,
                match(b, names(object$batch.scaling)) - 1L)
        })
    }
    .embedding_of_all(do.call(rbind, lapply(parts, `[[`, "inner")),
        unlist(lapply(parts, `[[`, "kept")), counts)
}

# The training batch of each new cell (a character vector), or NULL for a
# model trained without batches.
.predict_batch <- function(model, batch, columns, n) {
    known <- names(model$batch.scaling)
    if (is.null(known)) {
        if (!is.null(batch)) {
            stop("'batch' was given, but the model was trained without ",
                "'batch'", call. = FALSE)
        }
        return(NULL)
    }
    if (is.null(batch)) {
        stop("the model was trained on batches (", .show(known), "): give ",
            "the batch of the new cells in 'batch'", call. = FALSE)
    }
    # a column of the cell data by name, else the batch of every cell
    if (is.character(batch) && length(batch) == 1L &&
        batch %in% names(columns)) {
        batch <- columns[[batch]]
    }
    if (length(batch) == 1L) batch <- rep(batch, n)
    if (length(batch) != n) {
        stop(sprintf("'batch' must have one value per cell (%d) or one for all, got %d",
            n, length(batch)), call. = FALSE)
    }
    batch <- as.character(batch)
    unknown <- setdiff(unique(batch), known)
    if (length(unknown) > 0L || anyNA(batch)) {
        stop("'batch' has values the model was not trained on: ",
            .show(unknown), " (known: ", .show(known), ")", call. = FALSE)
    }
    batch
}

# What predict() reads of a model; one made by contrastiveSC() (and kept
# with saveRDS()) has all of it.
.model_fields <- c("encoders", "gene.index", "n.input.genes", "means",
    "stds", "median.total", "normalized")

.check_model <- function(model) {
    missing <- setdiff(.model_fields, names(model))
    ok <- is.list(model) && length(missing) == 0L &&
        is.list(model$encoders) && length(model$encoders) > 0L &&
        length(model$means) == length(model$gene.index) &&
        length(model$stds) == length(model$gene.index)
    if (!ok) {
        stop("'object' is not a contrastiveModel as contrastiveSC() makes it",
            if (length(missing)) sprintf(" (it lacks %s)", toString(missing)),
            "; use res$model of contrastiveSC() on a matrix, or ",
            "metadata(sce)$contrastiveSC$model", call. = FALSE)
    }
}

# Rows of 'counts' holding the model's genes, in the model's order.
.model_rows <- function(model, counts) {
    if (!is.null(model$genes) && !is.null(rownames(counts))) {
        rows <- match(model$genes, rownames(counts))
        if (anyNA(rows)) {
            stop(sprintf("'newdata' lacks %d of the model's %d genes, e.g. %s",
                sum(is.na(rows)), length(rows),
                .show(model$genes[is.na(rows)])), call. = FALSE)
        }
        return(rows)
    }
    if (nrow(counts) != model$n.input.genes) {
        stop(sprintf(
            "'newdata' has no gene names and %d rows; the model %s %d",
            nrow(counts), "was trained on", model$n.input.genes),
            call. = FALSE)
    }
    model$gene.index
}

#' @method print contrastiveModel
#' @export
print.contrastiveModel <- function(x, ...) {
    sizes <- vapply(x$encoders[[1L]], function(l) ncol(l$weight), integer(1))
    runs <- length(x$encoders)
    cat(sprintf("contrastiveModel: %d genes -> %s%s\n", length(x$gene.index),
        paste(sizes, collapse = " -> "), if (runs > 1L)
            sprintf(" (consensus of %d runs)", runs) else ""))
    invisible(x)
}

# A model trained on counts recovered from log-normalised values takes new
# cells as counts or as values of the same kind, recovered the same way.
.recovered_like_training <- function(model, counts, num.threads) {
    if (is.null(model$recovered.base) || !.has_fractions(counts)) {
        return(counts)
    }
    rec <- .recover_counts(counts, num.threads)
    if (is.null(rec) || !isTRUE(all.equal(rec$base, model$recovered.base))) {
        stop("the model was trained on counts recovered from log",
            .base_name(model$recovered.base), "-normalised values, and ",
            "'newdata' holds neither counts nor values of that kind",
            call. = FALSE)
    }
    rec$counts
}
