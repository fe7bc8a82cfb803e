#' Map new cells onto a trained reference
#'
#' Labels the cells of a new sample (the query) with the cell types of a
#' reference that \code{\link{contrastiveSC}} was trained on, with a
#' confidence, and embeds them in the reference's space.
#'
#' The query is treated as a new batch. Its cells are normalised and
#' scaled as the reference's were (the model's genes, gene means and
#' deviations). In the reference's principal components, a query cell and
#' a kept reference cell that are among each other's 5 nearest form a pair
#' (mutual nearest neighbours, as the \code{batch} correction of
#' \code{contrastiveSC()} pairs training batches); every query cell moves
#' by the mean shift of its nearest paired cells and is then embedded by
#' the reference's encoder. The model keeps up to 5,000 of its training
#' cells for this (their components, embedding and clusters), a seeded
#' subsample on larger data.
#'
#' Each query cell is scored against each reference type by the mean
#' cosine similarity to its \code{k} nearest reference cells of that type,
#' so a rare type is scored by its own cells rather than outvoted by a
#' common one; the label is the best-scoring type. The similarity is taken
#' over three parts side by side: the reference's linear discriminant
#' directions (what separates its labelled types), the corrected components
#' and the embedding. The confidence compares that score
#' with those of the other query cells given the same label: 1 at or above
#' their median, falling linearly to 0 at 6 median absolute deviations
#' (MAD) below it; the default \code{prune.below} of 0.5 prunes cells more
#' than 3 MADs below (SingleR's outlier rule). Cells of a type the
#' reference lacks are given their nearest type and score below its own
#' cells. A pruned label is \code{NA}.
#'
#' @param query The new cells (genes x cells): a count matrix (matrix or
#' \code{dgCMatrix}) or log-normalised values (\code{normalized = TRUE}), a
#' SingleCellExperiment (assay \code{assay.type}) or a Seurat object, v4
#' or v5 (assay \code{assay}, layer \code{layer}; split layers are joined).
#' Genes are matched to the model's by name.
#' @param reference The trained reference: the result of
#' \code{\link{contrastiveSC}} on a matrix, a SingleCellExperiment or
#' Seurat object that \code{contrastiveSC()} returned, or its model
#' (\code{res$model}).
#' @param labels The reference's cell types: one value per reference cell
#' (\code{NA} for cells to leave out), or, for a SingleCellExperiment or
#' Seurat \code{reference}, the name of a \code{colData} or
#' \code{meta.data} column. By default the reference's clusters.
#' @param normalized Whether \code{query} holds log-normalised values rather
#' than counts; by default \code{TRUE} for \code{assay.type = "logcounts"}
#' or \code{layer = "data"}.
#' @param assay.type For a SingleCellExperiment \code{query}: the assay.
#' @param assay,layer For a Seurat \code{query}: the assay (default: the
#' default assay) and layer (\code{"counts"} or \code{"data"}).
#' @param k Reference cells of each type a query cell is compared with.
#' @param prune.below Confidence below which the pruned label is \code{NA}.
#' @param name For a SingleCellExperiment or Seurat \code{query}: the name
#' of the embedding (\code{reducedDim} or DimReduc); by default
#' \code{"CONTRASTIVE"} and \code{"contrastive"}, as
#' \code{contrastiveSC()} names them.
#' @param prefix For a SingleCellExperiment or Seurat \code{query}: the
#' prefix of the \code{colData} / \code{meta.data} columns:
#' \code{<prefix>} (the label), \code{<prefix>.score} (the confidence) and
#' \code{<prefix>.pruned} (the pruned label).
#' @param num.threads Number of CPU threads.
#' @param verbose Whether to report the steps.
#' @return For a SingleCellExperiment or Seurat \code{query}, the query
#' with the embedding and the three columns added (and, for Seurat, the
#' pruned labels as identities left alone). For a matrix, a list of class
#' \code{contrastiveMapping}: \code{labels}, a \code{DataFrame} with one
#' row per query cell and columns \code{label}, \code{score} and
#' \code{pruned.label}; \code{scores}, cells x types, each type's
#' similarity; \code{embedding}, cells x dimensions in the reference's
#' space; \code{paired.share}, the share of query cells paired with
#' reference cells. Query cells without counts in the model's genes get
#' \code{NA} everywhere.
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}}, \code{\link{predict.contrastiveModel}}
#' @examples
#' data(pbmc4k)
#' ref <- contrastiveSC(pbmc4k[, 1:600], k = 8, epochs = 5, seed = 1)
#' mapped <- mapCells(pbmc4k[, 601:800], ref,
#'     labels = pbmc4k.labels[1:600])
#' table(mapped$labels$label, pbmc4k.labels[601:800])
#' @export
mapCells <- function(query, reference, labels = NULL, normalized = NULL,
    assay.type = "counts", assay = NULL, layer = "counts", k = 5L,
    prune.below = 0.5, name = NULL, prefix = "predicted.id",
    num.threads = NULL, verbose = FALSE) {
    ref <- .mapping_reference_of(reference)
    labels <- .reference_labels(labels, ref)
    k <- .check_int(k, "k", min = 1)
    prune.below <- .check_number(prune.below, "prune.below", 0, 1)
    verbose <- .check_flag(verbose, "verbose")
    num.threads <- .resolve_threads(num.threads)
    q <- .query_values(query, normalized, assay.type, assay, layer)
    if (verbose) {
        message(sprintf("mapCells: %d query cells onto %d reference cells of %d types",
            ncol(q$values), sum(!is.na(labels)), nlevels(labels)))
    }
    embedded <- .map_query(q$values, q$normalized, ref$model, num.threads)
    typed <- .type_labels(embedded, ref$model$reference, labels, k,
        prune.below, num.threads)
    n <- ncol(q$values)
    out <- list(
        labels = .rows_of_all(typed$labels, embedded$kept, n,
            colnames(q$values)),
        scores = .rows_of_all(typed$scores, embedded$kept, n,
            colnames(q$values)),
        embedding = .embedding_of_all(embedded$inner, embedded$kept,
            q$values),
        paired.share = embedded$paired.share)
    .store_mapping(query, out, name, prefix, assay)
}

# The model and clusters behind any form of 'reference', and the cell data
# its label column may be taken from.
.mapping_reference_of <- function(reference) {
    columns <- NULL
    model <- if (inherits(reference, "contrastiveModel")) {
        reference
    } else if (inherits(reference, "contrastiveSC")) {
        reference$model
    } else if (methods::is(reference, "SingleCellExperiment")) {
        columns <- SummarizedExperiment::colData(reference)
        S4Vectors::metadata(reference)$contrastiveSC$model
    } else if (inherits(reference, "Seurat")) {
        columns <- reference[[]]
        SeuratObject::Misc(reference, "contrastiveSC")$model
    } else {
        stop("'reference' must be a result of contrastiveSC() (a list, a ",
            "SingleCellExperiment or a Seurat object) or its model, got an ",
            "object of class ", class(reference)[1L], call. = FALSE)
    }
    if (is.null(model)) {
        stop("'reference' holds no contrastiveSC model: run contrastiveSC() ",
            "on it first", call. = FALSE)
    }
    .check_model(model)
    if (is.null(model$reference)) {
        stop("'reference' has a model without the cells that mapping needs ",
            "(made by an earlier version of contrastiveSC); train it again",
            call. = FALSE)
    }
    list(model = model, columns = columns)
}

# The label of every reference cell as a factor (NA: left out).
.reference_labels <- function(labels, ref) {
    r <- ref$model$reference
    if (is.null(labels)) {
        if (is.null(r$clusters)) {
            stop("give the reference's cell types in 'labels' (this model ",
                "has no clusters)", call. = FALSE)
        }
        labels <- rep(NA, r$n.cells)
        labels[r$cells] <- as.character(r$clusters)
    } else if (is.character(labels) && length(labels) == 1L &&
        r$n.cells != 1L) {
        if (!labels %in% names(ref$columns)) {
            has <- if (is.null(ref$columns)) {
                " (give one value per reference cell)"
            } else {
                paste0(" (has: ", .show(names(ref$columns)), ")")
            }
            stop(sprintf("'labels' = \"%s\" is not a column of the reference's cell data%s",
                labels, has), call. = FALSE)
        }
        labels <- ref$columns[[labels]]
    }
    if (length(labels) != r$n.cells) {
        stop(sprintf("'labels' must have one value per reference cell (%d), got %d",
            r$n.cells, length(labels)), call. = FALSE)
    }
    labels <- droplevels(as.factor(labels))
    if (all(is.na(labels[r$cells]))) {
        stop("'labels' is NA for every reference cell the model kept",
            call. = FALSE)
    }
    labels
}

# The query's values (a dgCMatrix, genes x cells) and whether they are
# log-normalised.
.query_values <- function(query, normalized, assay.type, assay, layer) {
    if (methods::is(query, "SingleCellExperiment")) {
        if (!assay.type %in% SummarizedExperiment::assayNames(query)) {
            stop(sprintf("'assay.type' = \"%s\" is not an assay of 'query' (has: %s)",
                assay.type, .show(SummarizedExperiment::assayNames(query))),
                call. = FALSE)
        }
        if (is.null(normalized)) normalized <- assay.type == "logcounts"
        values <- SummarizedExperiment::assay(query, assay.type,
            withDimnames = TRUE)
    } else if (inherits(query, "Seurat")) {
        .need("SeuratObject", "a Seurat 'query'")
        if (!is.null(assay) && !assay %in% SeuratObject::Assays(query)) {
            stop(sprintf("'assay' = \"%s\" is not an assay of 'query' (has: %s)",
                assay, .show(SeuratObject::Assays(query))), call. = FALSE)
        }
        if (is.null(normalized)) normalized <- identical(layer, "data")
        values <- .seurat_matrix(query, assay, layer, "query", "layer")
    } else {
        if (is.null(normalized)) normalized <- FALSE
        values <- query
    }
    list(values = .as_counts(values, "query"),
        normalized = .check_flag(normalized, "normalized"))
}

# Corrects and embeds the query (csc_map_query) on the model's genes; a
# gene the query lacks counts as zero. Returns the consensus embedding of
# the cells with values ('inner', rows of 'kept') and the paired share.
.map_query <- function(values, normalized, model, num.threads) {
    rows <- .query_rows(model, values)
    if (normalized) {
        # log values of counts are mapped as the counts
        rec <- .recover_counts(values, num.threads)
        if (!is.null(rec)) {
            values <- rec$counts
            normalized <- FALSE
        }
    }
    if (anyNA(rows)) {
        zero <- Matrix::sparseMatrix(i = integer(), j = integer(),
            x = numeric(), dims = c(1L, ncol(values)))
        values <- rbind(values, zero)
        rows[is.na(rows)] <- nrow(values)
    }
    res <- csc_map_query(values@p, values@i, values@x, nrow(values),
        ncol(values), rows - 1L, model$median.total, normalized,
        model$reference, model$encoders, model$means, model$stds, 0,
        num.threads)
    if (res$paired_share == 0) {
        warning("no query cell pairs with a reference cell: the query ",
            "is embedded uncorrected", call. = FALSE)
    }
    list(inner = .consensus_embedding(res$embeddings),
        kept = res$cells + 1L, paired.share = res$paired_share,
        points = res$points)
}

# Rows of 'values' holding the model's genes (NA: missing); at least half
# of them must be there.
.query_rows <- function(model, values) {
    if (is.null(model$genes) || is.null(rownames(values))) {
        stop("'query' and the reference model must both have gene names ",
            "(row names) to be matched", call. = FALSE)
    }
    rows <- match(model$genes, rownames(values))
    shared <- sum(!is.na(rows))
    if (shared < length(rows) / 2) {
        stop(sprintf("'query' has %d of the reference model's %d genes (%.0f%%)",
            shared, length(rows), 100 * shared / length(rows)),
            "; at least half are needed. Missing, e.g.: ",
            .show(model$genes[is.na(rows)]), call. = FALSE)
    }
    if (shared < 0.9 * length(rows)) {
        warning(sprintf("'query' lacks %d of the reference model's %d genes",
            length(rows) - shared, length(rows)), " (e.g. ",
            .show(model$genes[is.na(rows)]), "); they are taken as zero",
            call. = FALSE)
    }
    rows
}

# Labels of the mapped query cells from the per-type scores, in a space of
# three parts side by side (each row of each part of unit length): the
# reference's discriminant directions (.discriminant_directions), which
# weight what tells its types apart over what varies within them; the
# corrected components, which keep small types that the embedding, made for
# clustering, may fold into a large one (Baron mouse 1 has 9 alpha cells);
# and the embedding, which separates what the components blur. Mean
# macro-F1 on the mapping tasks at seeds 0-4: 0.935 with all three, 0.928
# without the discriminant part (bench/results/mapping/lda-probe.csv), and
# at seeds 0-1 0.913 with the components alone, 0.886 with the embedding
# alone (bench/results/mapping/search/).
.type_labels <- function(mapped, reference, labels, k, prune.below,
    num.threads) {
    keep <- !is.na(labels[reference$cells])
    ref.labels <- droplevels(labels[reference$cells][keep])
    points <- reference$points[keep, , drop = FALSE]
    directions <- .discriminant_directions(points, ref.labels)
    ref <- .scoring_space(points, reference$embedding[keep, , drop = FALSE],
        directions)
    query <- .scoring_space(mapped$points, mapped$inner, directions)
    scores <- csc_type_scores(query, nrow(query), ref, nrow(ref),
        ncol(query), as.integer(ref.labels) - 1L, k, num.threads)
    colnames(scores) <- levels(ref.labels)
    best <- max.col(scores, ties.method = "first")
    confidence <- .confidence(scores[cbind(seq_along(best), best)], best)
    label <- levels(ref.labels)[best]
    list(scores = scores, labels = S4Vectors::DataFrame(label = label,
        score = confidence, pruned.label = ifelse(confidence < prune.below,
            NA_character_, label)))
}

.scoring_space <- function(points, embedding, directions = NULL) {
    unit <- function(m) m / sqrt(rowSums(m^2))
    parts <- list(unit(points), embedding)
    if (!is.null(directions)) parts <- c(list(unit(points %*% directions)),
        parts)
    do.call(cbind, parts) / sqrt(length(parts))
}

# Share of the mean within-type variance added to every component before
# the discriminant analysis: a type of a few cells has a singular scatter.
.discriminant_shrinkage <- 0.1

# Linear discriminant directions of the labelled reference cells in their
# components (as columns; at most one fewer than the types): those along
# which the types' centres lie far apart relative to the spread within
# them. NULL for fewer than two types.
.discriminant_directions <- function(points, labels) {
    if (nlevels(labels) < 2L) return(NULL)
    centre <- colMeans(points)
    within <- matrix(0, ncol(points), ncol(points))
    between <- within
    for (type in levels(labels)) {
        x <- points[labels == type, , drop = FALSE]
        m <- colMeans(x)
        within <- within + crossprod(sweep(x, 2, m))
        between <- between + nrow(x) * tcrossprod(m - centre)
    }
    within <- (within + .discriminant_shrinkage * mean(diag(within)) *
        diag(ncol(points))) / nrow(points)
    ev <- tryCatch(eigen(solve(within, between / nrow(points))),
        error = function(e) NULL)
    if (is.null(ev)) return(NULL)
    Re(ev$vectors[, seq_len(min(nlevels(labels) - 1L, ncol(points))),
        drop = FALSE])
}

# MADs below the median at which the confidence reaches 0; the default
# prune.below (0.5) prunes at half of it, 3 MADs, SingleR's outlier rule.
.confidence_mads <- 6

# The confidence of each cell's best score ('best.score', for the type
# 'best') among the query cells given the same type: 1 at or above their
# median, falling linearly to 0 at .confidence_mads MADs below. A cell of a
# type the reference lacks is given its nearest type and scores below the
# cells that are of it (as SingleR's pruning compares a label's cells); a
# type with too few cells for a spread takes the spread of all.
.confidence <- function(best.score, best) {
    overall <- stats::mad(best.score)
    z <- numeric(length(best.score))
    for (type in unique(best)) {
        cells <- best == type
        spread <- stats::mad(best.score[cells])
        if (!is.finite(spread) || spread <= 0) spread <- overall
        if (!is.finite(spread) || spread <= 0) next
        z[cells] <- (stats::median(best.score[cells]) - best.score[cells]) /
            spread
    }
    pmin(1, pmax(0, 1 - z / .confidence_mads))
}

# The mapping stored as the query's kind of object.
.store_mapping <- function(query, out, name, prefix, assay) {
    if (methods::is(query, "SingleCellExperiment")) {
        if (is.null(name)) name <- "CONTRASTIVE"
        SingleCellExperiment::reducedDim(query, name) <- out$embedding
        cd <- SummarizedExperiment::colData(query)
        cd[[prefix]] <- out$labels$label
        cd[[paste0(prefix, ".score")]] <- out$labels$score
        cd[[paste0(prefix, ".pruned")]] <- out$labels$pruned.label
        SummarizedExperiment::colData(query) <- cd
        return(query)
    }
    if (inherits(query, "Seurat")) {
        if (is.null(name)) name <- "contrastive"
        query[[name]] <- SeuratObject::CreateDimReducObject(
            embeddings = out$embedding, key = "CSC_",
            assay = .seurat_assay_name(query, assay))
        query[[prefix]] <- out$labels$label
        query[[paste0(prefix, ".score")]] <- out$labels$score
        query[[paste0(prefix, ".pruned")]] <- out$labels$pruned.label
        return(query)
    }
    structure(out, class = "contrastiveMapping")
}

#' @method print contrastiveMapping
#' @export
print.contrastiveMapping <- function(x, ...) {
    lab <- x$labels$pruned.label
    cat(sprintf("contrastiveMapping: %d cells, %d labelled, %d pruned (NA), %.0f%% paired with the reference\n",
        nrow(x$labels), sum(!is.na(lab)), sum(is.na(lab) &
            !is.na(x$labels$label)), 100 * x$paired.share))
    print(utils::head(sort(table(lab), decreasing = TRUE), 10L))
    invisible(x)
}

# What a model keeps of its training cells for mapping: 'r' from the
# session (components, kept cells in them, their 0-based rows among the
# cells with counts), the consensus embedding of those cells ('inner', rows
# of 'cells'), and the number of input cells.
.mapping_reference <- function(r, inner, cells, n.cells) {
    rows <- r$rows + 1L
    list(center = r$center, loadings = r$loadings, points = r$points,
        embedding = inner[rows, , drop = FALSE], cells = cells[rows],
        n.cells = n.cells)
}
