# Several batches in one call (the 'batch' argument): the batch of each
# cell, checked and turned into the 0-based codes the core reads. With a
# batch, genes are ranked within each batch and combined by rank, each gene
# is scaled within each batch, and the scaled cells of the batches are
# brought together by mutual nearest neighbours before training (the
# core's preprocess::batches and mnn).

# The batch of each cell of an object: 'batch' is NULL, one value per cell,
# or (for a SingleCellExperiment or Seurat object) the name of a column of
# 'columns' (colData or meta.data).
.batch_of <- function(batch, columns, n, what = "x") {
    if (is.null(batch)) return(NULL)
    if (is.character(batch) && length(batch) == 1L && n != 1L) {
        if (is.null(columns) || !batch %in% names(columns)) {
            where <- if (is.null(columns)) sprintf(
                "'%s' (a matrix has no cell columns)", what) else
                sprintf("the cell data of '%s'", what)
            stop("'batch' = \"", batch, "\" is not a column of ", where,
                "; give a column name or one value per cell (", n, ")",
                call. = FALSE)
        }
        return(structure(columns[[batch]], column = batch))
    }
    batch
}

# 'batch' as a factor of one level per batch (unused levels dropped), or
# NULL; checked against the number of cells.
.check_batch <- function(batch, n) {
    if (is.null(batch)) return(NULL)
    column <- attr(batch, "column")
    if (!is.atomic(batch) || length(batch) != n) {
        stop(sprintf("'batch' must have one value per cell (%d), got %d", n,
            length(batch)), call. = FALSE)
    }
    if (anyNA(batch)) {
        stop(sprintf("'batch' has %d missing value(s), e.g. at cell %d",
            sum(is.na(batch)), which(is.na(batch))[1L]), call. = FALSE)
    }
    # a factor keeps its order of levels; other values are sorted
    batch <- if (is.factor(batch)) droplevels(batch) else factor(batch)
    if (nlevels(batch) < 2L) {
        stop("'batch' has a single value (\"", levels(batch), "\"): there ",
            "is nothing to integrate; leave 'batch' NULL", call. = FALSE)
    }
    structure(batch, column = column)
}

# Every batch needs 2 cells with counts (the core scales genes within
# each); the error names the batch.
.check_batch_cells <- function(batch, counts) {
    if (is.null(batch)) return()
    n <- tapply(Matrix::colSums(counts) > 0, batch, sum)
    if (any(n < 2L)) {
        stop(sprintf("'batch' \"%s\" has %d cell(s) with counts; each batch needs 2",
            names(n)[n < 2L][1L], n[n < 2L][1L]), call. = FALSE)
    }
}

# 0-based codes for the core, or NULL; a subsample's batches (n.genes =
# "auto") may have lost a level, which the codes must not skip.
.batch_codes <- function(batch) {
    if (is.null(batch)) NULL else as.integer(droplevels(batch)) - 1L
}

# What the metadata says of the batches: their names, cells per batch, the
# column they came from and the share of cells paired across batches.
.batch_metadata <- function(batch, fit) {
    if (is.null(batch)) return(NULL)
    list(levels = levels(batch),
        cells = stats::setNames(as.vector(table(batch)), levels(batch)),
        column = attr(batch, "column"),
        paired.share = fit$model$batch.correction$paired_share)
}
