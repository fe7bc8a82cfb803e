# Out-of-core input: a DelayedMatrix (for example HDF5-backed) is read in
# blocks of cells, never realised whole. Each block passes through the
# core's preprocessing passes; only the kept genes of the kept cells end up
# in memory, and the result is the same as for the in-memory matrix.
.stream_session <- function(x, params, normalized, seed, num.threads,
    backend, device) {
    .check_delayed(x)
    stream <- csc_stream_new(nrow(x), ncol(x), params, normalized,
        num.threads)
    size <- .block_cells(x)
    starts <- seq(1L, ncol(x), by = size)
    # Feeds every block to the pass; returns whether any value had a
    # fractional part (looked for in the first pass only: every pass reads
    # the same values).
    feed <- function(pass) {
        fractional <- FALSE
        for (s in starts) {
            idx <- s:min(s + size - 1L, ncol(x))
            block <- .as_counts(methods::as(x[, idx, drop = FALSE],
                "dgCMatrix"))
            if (pass == 1L && !fractional) {
                fractional <- .has_fractions(block)
            }
            csc_stream_block(stream, pass, block@p, block@i, block@x,
                nrow(block), ncol(block), s - 1L) # 0-based in Rust
            .check_interrupt()
        }
        fractional
    }
    .warn_fractional(feed(1L), normalized)
    if (csc_stream_finish_pass(stream, 1L)) {
        feed(2L)
        csc_stream_finish_pass(stream, 2L)
    }
    feed(3L)
    csc_stream_finish_pass(stream, 3L)
    feed(4L)
    csc_stream_session(stream, params, seed, num.threads, backend, device)
}

# Cells per block: a multiple of the core's chunk, about DelayedArray's
# block size (getAutoBlockSize(), 100 MB by default) as doubles.
.block_cells <- function(x) {
    chunk <- csc_stream_chunk()
    bytes <- DelayedArray::getAutoBlockSize()
    as.integer(chunk * max(1, floor(bytes / (8 * nrow(x)) / chunk)))
}

.check_delayed <- function(x) {
    if (!DelayedArray::type(x) %in% c("double", "integer")) {
        stop("'x' must be numeric, got a DelayedMatrix of type ",
            DelayedArray::type(x), call. = FALSE)
    }
    if (nrow(x) == 0L) stop("'x' has no genes (rows)", call. = FALSE)
    if (ncol(x) == 0L) stop("'x' has no cells (columns)", call. = FALSE)
    dup <- anyDuplicated(colnames(x))
    if (dup > 0L) {
        stop(sprintf("'x' has duplicated cell names (columns), e.g. \"%s\"",
            colnames(x)[dup]), call. = FALSE)
    }
}
