# Trains the encoder on a checked dgCMatrix and returns the embedding of
# every cell (NA rows for cells with zero counts), the model and the record
# of the run. R drives training a few mini-batches per call, so progress is
# reported here and Ctrl-C interrupts between calls; an interrupted
# session's memory is freed by the garbage collector.
.train_embedding <- function(counts, params, normalized, seed, num.threads,
    backend, device, verbose) {
    session <- if (methods::is(counts, "DelayedMatrix")) {
        .stream_session(counts, params, normalized, seed, num.threads,
            backend, device)
    } else {
        csc_session_new(counts@p, counts@i, counts@x, nrow(counts),
            ncol(counts), params, normalized, seed, num.threads, backend,
            device)
    }
    report <- max(1L, params$epochs %/% 10L)
    while (!csc_session_finished(session)) {
        step <- csc_session_train(session, 8L)
        .check_interrupt()
        if (verbose && length(step$losses) &&
            (step$epochs %% report == 0L || step$epochs == params$epochs)) {
            message(sprintf("contrastiveSC: epoch %d/%d, loss %.4f",
                step$epochs, params$epochs, utils::tail(step$losses, 1L)))
        }
    }
    res <- csc_session_result(session)
    cells <- res$cells + 1L # 0-based in Rust
    d <- ncol(res$embedding)
    embedding <- matrix(NA_real_, ncol(counts), d, dimnames = list(
        colnames(counts), paste0("CSC_", seq_len(d))))
    embedding[cells, ] <- res$embedding
    list(embedding = embedding, kept = cells, inner = res$embedding,
        model = .new_model(res, counts, params), losses = res$losses,
        backend = res$backend, device = res$device,
        seconds = c(preprocess = res$preprocess_seconds,
            train = res$train_seconds))
}

# Lets R act on Ctrl-C and setTimeLimit() now: R's evaluator polls for them
# only every so many evaluations, which a loop of a few calls into Rust may
# take seconds to reach; Sys.sleep() polls at once. Only ever called from R
# between calls into Rust, never while Rust code runs.
.check_interrupt <- function() Sys.sleep(0)
