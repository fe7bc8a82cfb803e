# Trains the encoder on a checked dgCMatrix and returns the embedding of
# every cell (NA rows for cells with zero counts), the model and the record
# of the run. R drives training a few mini-batches per call, so progress is
# reported here and Ctrl-C interrupts between calls; an interrupted
# session's memory is freed by the garbage collector.
.train_embedding <- function(counts, params, normalized, seed, num.threads,
    backend, device, verbose, BPPARAM = BiocParallel::SerialParam(),
    batch = NULL) {
    # Each run of a consensus starts a fresh model from its own seed derived
    # from 'seed' (run 1 uses 'seed'), so runs give the same result wherever
    # they are trained.
    run <- function(session, r, verbose) {
        if (r > 1L) csc_session_restart(session, r - 1L)
        .train_run(session, params, verbose, r)
    }
    threads <- .worker_threads(BPPARAM, params$n.runs, num.threads)
    runs <- if (!is.null(threads)) {
        # Each worker preprocesses the cells itself (a session cannot cross
        # processes) on its share of the threads.
        BiocParallel::bplapply(seq_len(params$n.runs), function(r) {
            run(.new_session(counts, params, normalized, seed, threads,
                backend, device, batch), r, FALSE)
        }, BPPARAM = BPPARAM)
    } else {
        # One process: the runs share the preprocessed cells.
        session <- .new_session(counts, params, normalized, seed, num.threads,
            backend, device, batch)
        out <- lapply(seq_len(params$n.runs), function(r) run(session, r,
            verbose))
        # Frees the training matrix now, not at R's next garbage collection.
        csc_session_close(session)
        out
    }
    res <- runs[[1L]]
    cells <- res$cells + 1L # 0-based in Rust
    inner <- .consensus_embedding(lapply(runs, `[[`, "embedding"))
    model <- .new_model(res, lapply(runs, `[[`, "weights"), counts, params,
        batch)
    model$reference <- .mapping_reference(res$reference, inner, cells,
        ncol(counts))
    list(embedding = .embedding_of_all(inner, cells, counts),
        kept = cells, inner = inner,
        runs = lapply(runs, `[[`, "embedding"),
        model = model,
        losses = if (length(runs) == 1L) res$losses else
            do.call(cbind, lapply(runs, `[[`, "losses")),
        training.cells = res$training_cells,
        backend = res$backend, device = res$device,
        seconds = c(preprocess = res$preprocess_seconds,
            train = sum(vapply(runs, `[[`, 0, "train_seconds"))))
}

# Threads for each of 'tasks' independent fits on the workers of BPPARAM
# ('num.threads' shared among them), or NULL when at most one worker would
# be busy and the fits run here one after the other.
.worker_threads <- function(BPPARAM, tasks, num.threads) {
    workers <- min(BiocParallel::bpnworkers(BPPARAM), tasks)
    if (workers > 1L) max(1L, num.threads %/% workers) else NULL
}

# A training session on the cells of 'counts': preprocessed in Rust, from
# memory or streamed in blocks from a DelayedMatrix; 'batch' (a factor or
# NULL) is the batch of each cell.
.new_session <- function(counts, params, normalized, seed, num.threads,
    backend, device, batch = NULL) {
    if (methods::is(counts, "DelayedMatrix")) {
        return(.stream_session(counts, params, normalized, seed, num.threads,
            backend, device))
    }
    csc_session_new(counts@p, counts@i, counts@x, nrow(counts), ncol(counts),
        params, normalized, seed, num.threads, backend, device,
        .batch_codes(batch))
}

# The embedding of a consensus, shared by training and predict(): the runs'
# unit-length embeddings side by side, scaled by 1/sqrt(runs), so each cell
# stays unit length and squared distances are the mean over the runs (one
# run: its embedding unchanged).
.consensus_embedding <- function(embeddings) {
    if (length(embeddings) == 1L) return(embeddings[[1L]]) # no copy
    do.call(cbind, embeddings) / sqrt(length(embeddings))
}

# The embedding of every cell (column) of 'counts': 'inner' (rows of the
# cells in 'cells') in place, NA rows for the cells without counts, rows
# named as the cells (unnamed cells stay unnamed), columns CSC_1...
.embedding_of_all <- function(inner, cells, counts) {
    out <- .rows_of_all(inner, cells, ncol(counts), colnames(counts))
    colnames(out) <- paste0("CSC_", seq_len(ncol(inner)))
    out
}

# Rows 'inner' of the cells 'kept' among 'n' in place (a matrix or a
# DataFrame), NA rows for the others, named by 'names'.
.rows_of_all <- function(inner, kept, n, names) {
    idx <- rep(NA_integer_, n)
    idx[kept] <- seq_along(kept)
    out <- inner[idx, , drop = FALSE]
    rownames(out) <- names
    out
}

# Trains the session's current model to the end and returns its result.
.train_run <- function(session, params, verbose, run) {
    report <- NULL
    what <- if (params$n.runs > 1L)
        sprintf("run %d/%d, ", run, params$n.runs) else ""
    while (!csc_session_finished(session)) {
        step <- csc_session_train(session, 8L)
        .check_interrupt()
        # The run's epochs: 'epochs', or more on small data (min.steps).
        if (is.null(report)) report <- max(1L, step$total %/% 10L)
        if (verbose && length(step$losses) &&
            (step$epochs %% report == 0L || step$epochs == step$total)) {
            message(sprintf("contrastiveSC: %sepoch %d/%d, loss %.4f", what,
                step$epochs, step$total, utils::tail(step$losses, 1L)))
        }
    }
    csc_session_result(session)
}

# Lets R act on Ctrl-C and setTimeLimit() now: R's evaluator polls for them
# only every so many evaluations, which a loop of a few calls into Rust may
# take seconds to reach; Sys.sleep() polls at once. Only ever called from R
# between calls into Rust, never while Rust code runs.
.check_interrupt <- function() Sys.sleep(0)
