# n.genes = "auto": the number of variable genes chosen per dataset by the
# highest silhouette of the clustering on the embedding, as the paper chose
# it (its per-dataset choice raised mean ARI from 0.737 to 0.772). No label
# is used: only the data and the clustering it gives.

# The numbers tried (the paper's grid without "all genes"); those above the
# number of usable genes collapse into one candidate, "all usable genes".
.gene_candidates <- c(500L, 1000L, 1500L, 3000L, 5000L)

# Candidates are trained for a third of the epochs (at least 5), with the
# learning rate annealed over those epochs, on at most this many cells
# (a seeded subsample); the final model is trained on every cell. Fewer
# cells would be cheaper but mislead: on 1,000 of worm's 4,186 cells the
# silhouette prefers 500 genes, on all of them 3,000
# (bench/results/search/summary.md, candidates "auto-1000cells" and "auto").
.gene_choice_cells <- 20000L
.gene_choice_epochs <- function(epochs) max(5L, epochs %/% 3L)

# Trains one model per candidate on a subsample and returns the chosen
# number and the table of candidates (genes, silhouette, clusters, seconds).
.choose_genes <- function(counts, k, method, params, normalized, seed,
    num.threads, backend, device, verbose,
    BPPARAM = BiocParallel::SerialParam(), batch = NULL) {
    totals <- .gene_totals(counts)
    usable <- sum(totals > 0 & totals >= params$min.counts)
    if (usable < 2L) {
        stop("'x' has fewer than 2 genes with at least 'min.counts' counts",
            call. = FALSE)
    }
    genes <- unique(pmin(.gene_candidates, usable))
    cells <- .sample_rows(ncol(counts), .gene_choice_cells, seed)
    sub <- counts[, cells, drop = FALSE]
    sub_batch <- batch[cells]
    sub_k <- if (is.null(k)) NULL else min(k, length(cells))
    one <- params
    one$n.runs <- 1L
    one$epochs <- .gene_choice_epochs(params$epochs)
    one$cosine.period <- one$epochs
    one$min.steps <- .gene_choice_epochs(params$min.steps)
    if (params$max.steps > 0L) {
        one$max.steps <- .gene_choice_epochs(params$max.steps)
    }
    # Candidates are independent: with several BiocParallel workers each
    # trains on its share of the threads (same result for any thread count).
    threads <- .worker_threads(BPPARAM, length(genes), num.threads)
    if (is.null(threads)) threads <- num.threads
    rows <- BiocParallel::bplapply(genes, function(g) {
        one$n.genes <- g
        t0 <- proc.time()[["elapsed"]]
        fit <- .train_embedding(sub, one, normalized, seed, threads,
            backend, device, verbose = FALSE, batch = sub_batch)
        labels <- .cluster_embedding(fit$inner, sub_k, method, one, seed,
            threads)
        sil <- .silhouette(labels, fit$inner, threads)
        if (verbose) {
            message(sprintf("contrastiveSC: %d genes, silhouette %.3f", g,
                sil))
        }
        data.frame(genes = g, silhouette = sil,
            clusters = length(unique(labels)),
            seconds = proc.time()[["elapsed"]] - t0)
    }, BPPARAM = BPPARAM)
    table <- do.call(rbind, rows)
    best <- if (all(is.na(table$silhouette))) 1L else
        which.max(table$silhouette)
    table$chosen <- seq_len(nrow(table)) == best
    list(n.genes = table$genes[[best]], candidates = table)
}

# Total counts per gene (rows), without realising a DelayedMatrix.
.gene_totals <- function(counts) {
    if (methods::is(counts, "DelayedMatrix")) {
        return(as.numeric(DelayedArray::rowSums(counts)))
    }
    Matrix::rowSums(counts)
}
