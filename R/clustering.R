# Clusters the embedding of the kept cells; returns integer labels 1..m,
# with the candidates tried as attribute "candidates" (Leiden's resolutions,
# or the two clusterings of "kmeans.merge").
.cluster_embedding <- function(emb, k, method, params, seed, num.threads) {
    if (methods::is(method, "BlusterParam")) {
        .need("bluster", "a BlusterParam 'cluster.method'")
        return(as.integer(bluster::clusterRows(emb, method)))
    }
    if (identical(method, "kmeans")) {
        return(.kmeans(emb, k, params, seed, num.threads))
    }
    if (identical(method, "kmeans.merge")) {
        res <- .kmeans_merge(emb, k, params, seed, num.threads)
        return(structure(res$labels, candidates = res$candidates))
    }
    res <- .choose_resolution(emb, k, seed, num.threads)
    structure(res$labels, candidates = res$candidates)
}

# k-means labels 1..k of the rows of 'emb'. All restarts run in one call, in
# parallel (above 50,000 cells on a subsample, then refined on every cell,
# or with refine = FALSE each cell only assigned to the nearest centre):
# one copy of the embedding instead of one per restart; Ctrl-C is honoured
# after it.
.kmeans <- function(emb, k, params, seed, num.threads, refine = TRUE) {
    res <- csc_kmeans(emb, nrow(emb), ncol(emb), k, params$n.init,
        params$max.iter, 1e-4, seed, num.threads, -1L, refine)
    .check_interrupt()
    res$labels + 1L # 0-based in Rust
}

# Agreement between the runs of a consensus: each run's embedding is
# clustered alone the same way, and the mean adjusted Rand index over the
# pairs of runs is returned (NA for a single run). Near 1: the clustering
# does not depend on the seed; well below: it is fragile.
.stability <- function(runs, k, method, params, seed, num.threads) {
    if (length(runs) < 2L) return(NA_real_)
    labels <- lapply(runs, function(emb) .cluster_embedding(emb, k, method,
        params, seed, num.threads))
    pairs <- utils::combn(length(runs), 2L)
    mean(apply(pairs, 2L, function(p) clusteringScores(labels[[p[1L]]],
        labels[[p[2L]]])[["ARI"]]))
}

# Silhouette of 'labels' on the rows of 'emb'; NA for fewer than 2 clusters.
.silhouette <- function(labels, emb, num.threads) {
    if (length(unique(labels)) < 2L) return(NA_real_)
    csc_scores(labels, labels, as.double(emb), nrow(emb), ncol(emb),
        num.threads)$silhouette
}

# Silhouettes of several clusterings ('labels', a list) of the rows of 'emb',
# each on the same seeded subsample of at most .silhouette_cells cells.
.silhouettes <- function(labels, emb, seed, num.threads) {
    cells <- .sample_rows(nrow(emb), .silhouette_cells, seed)
    sub <- emb[cells, , drop = FALSE]
    vapply(labels, function(l) .silhouette(l[cells], sub, num.threads), 0)
}

# Indices of a seeded subsample of 'size' of 1..n, in order (all of them
# when n <= size); the user's RNG is left alone.
.sample_rows <- function(n, size, seed) {
    if (n <= size) return(seq_len(n))
    sort(.with_seed(seed, sample(n, size)))
}

# The clustering a run uses: with k, "kmeans.merge" in the default mode and
# k-means in reference mode (the published method); without k, Leiden.
.resolve_cluster_method <- function(method, k, mode = "default") {
    if (is.null(method)) {
        method <- if (is.null(k)) "leiden" else if (mode == "reference")
            "kmeans" else "kmeans.merge"
    }
    if (!methods::is(method, "BlusterParam")) {
        .check_choice(method, "cluster.method",
            c("kmeans.merge", "kmeans", "leiden"))
        if (method != "leiden" && is.null(k)) {
            stop(sprintf("'k' is needed when cluster.method = \"%s\"; give ",
                method), "the number of clusters, or use cluster.method = ",
                "\"leiden\"", call. = FALSE)
        }
    }
    method
}

.need <- function(pkg, what) {
    if (!requireNamespace(pkg, quietly = TRUE)) {
        stop(sprintf("%s needs the '%s' package", what, pkg), call. = FALSE)
    }
}

# Evaluates 'expr' with R's RNG seeded (default generator kinds), then
# restores the user's RNG state.
.with_seed <- function(seed, expr) {
    withr::with_seed(seed %% .Machine$integer.max, expr)
}
