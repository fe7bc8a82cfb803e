# Clustering rules at a known k for the issue-22 search (k-known-rules.R):
# each takes the rows of an embedding, k and a seed and returns integer
# labels. None reads the cell-type labels.
csc <- asNamespace("contrastiveSC")

# Leiden (modularity) on the package's SNN graph, the resolution bisected
# geometrically until it gives k clusters (or the closest in 25 steps), as
# bench/common.R's seurat_at_k() does for Seurat.
leiden_at_k <- function(graph, k, seed) {
    lo <- 0.001
    hi <- 10
    best <- NULL
    for (i in seq_len(25)) {
        r <- sqrt(lo * hi)
        l <- csc$.leiden(graph, r, seed)
        m <- max(l)
        if (is.null(best) || abs(m - k) < abs(max(best) - k)) best <- l
        if (m == k) break
        if (m < k) lo <- r else hi <- r
    }
    best
}

# The cluster x cluster edge weights of 'graph' under 'labels'.
cluster_weights <- function(graph, labels) {
    a <- igraph::as_adjacency_matrix(graph, attr = "weight", sparse = TRUE)
    p <- Matrix::sparseMatrix(i = seq_along(labels), j = labels, x = 1)
    as.matrix(Matrix::t(p) %*% a %*% p)
}

# Merges the clusters of 'labels' pairwise until k remain: each time the
# pair with the largest gain in modularity ("modularity": w_ij / W -
# d_i d_j / W^2) or with the most edges relative to their degrees
# ("ratio": w_ij / (d_i d_j), PAGA's connectivity up to a constant).
merge_to_k <- function(graph, labels, k, how = "modularity") {
    w <- cluster_weights(graph, labels)
    group <- seq_len(nrow(w))
    total <- sum(w)
    while (nrow(w) > k) {
        deg <- rowSums(w)
        score <- if (how == "modularity") w / total - outer(deg, deg) / total^2
            else w / outer(deg, deg)
        diag(score) <- -Inf
        ij <- which(score == max(score), arr.ind = TRUE)[1L, ]
        i <- min(ij)
        j <- max(ij)
        w[i, ] <- w[i, ] + w[j, ]
        w[, i] <- w[, i] + w[, j]
        w <- w[-j, -j, drop = FALSE]
        group[group == j] <- i
        group[group > j] <- group[group > j] - 1L
    }
    group[labels]
}

# Leiden at the lowest resolution of a grid whose clustering has at least
# 'factor' * k clusters (the finest of the grid when none has).
overclustered <- function(graph, k, seed, factor) {
    grid <- c(0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5)
    for (r in grid) {
        l <- csc$.leiden(graph, r, seed)
        if (max(l) >= ceiling(factor * k)) return(l)
    }
    l
}

graph_of <- function(x, seed) csc$.snn_graph(x, seed)

# The package's own k-means (k-means++, 50 restarts, as the default) at m
# clusters (at most one per cell), labels 1..m.
pkg_kmeans <- function(x, m, seed, restarts = 50L) {
    m <- min(m, nrow(x) - 1L)
    csc$csc_kmeans(x, nrow(x), ncol(x), m, restarts, 300L, 1e-4, seed, 2L,
        -1L, TRUE)$labels + 1L
}

ward <- function(x, k) stats::cutree(stats::hclust(stats::dist(x), "ward.D2"), k)

# Ward's linkage (or another) on the centroids of the clusters of 'labels',
# each weighted by its cells, cut at k: the partition of 'labels' into k
# groups that Ward's criterion prefers.
merge_centroids <- function(x, labels, k, linkage = "ward") {
    labels <- as.integer(factor(labels))
    if (max(labels) <= k) return(labels)
    sizes <- as.vector(table(labels))
    centres <- rowsum(x, labels) / sizes
    h <- if (linkage == "ward") {
        stats::hclust(stats::dist(centres)^2, "ward.D", members = sizes)
    } else {
        stats::hclust(stats::dist(centres), linkage, members = sizes)
    }
    stats::cutree(h, k)[labels]
}

# k-means at 'factor' * k clusters (R's Hartigan-Wong, seeded), then its
# centroids merged to k.
overcluster_ward <- function(x, k, seed, factor, restarts = 10,
    linkage = "ward") {
    m <- min(factor * k, nrow(x) - 1L)
    km <- withr::with_seed(seed, stats::kmeans(x, m, nstart = restarts,
        iter.max = 100))
    merge_centroids(x, km$cluster, k, linkage)
}

rules <- list(
    `k unknown` = function(x, k, seed) csc$.choose_resolution(x, NULL, seed,
        2L)$labels,
    `leiden grid closest` = function(x, k, seed) csc$.choose_resolution(x, k,
        seed, 2L)$labels,
    `leiden at k` = function(x, k, seed) leiden_at_k(graph_of(x, seed), k,
        seed),
    `merge 1x modularity` = function(x, k, seed) {
        g <- graph_of(x, seed)
        merge_to_k(g, overclustered(g, k, seed, 1), k)
    },
    `merge 2x modularity` = function(x, k, seed) {
        g <- graph_of(x, seed)
        merge_to_k(g, overclustered(g, k, seed, 2), k)
    },
    `merge 2x ratio` = function(x, k, seed) {
        g <- graph_of(x, seed)
        merge_to_k(g, overclustered(g, k, seed, 2), k, "ratio")
    },
    `unknown then merge` = function(x, k, seed) {
        g <- graph_of(x, seed)
        l <- csc$.choose_resolution(x, NULL, seed, 2L)$labels
        if (max(l) < k) l <- overclustered(g, k, seed, 1)
        merge_to_k(g, l, k)
    },
    ward = function(x, k, seed) ward(x, k),
    `kmeans 3k then ward` = function(x, k, seed) overcluster_ward(x, k, seed, 3),
    `kmeans 2k then ward` = function(x, k, seed) overcluster_ward(x, k, seed, 2),
    `kmeans 5k then ward` = function(x, k, seed) overcluster_ward(x, k, seed, 5),
    `kmeans 3k50 then ward` = function(x, k, seed) overcluster_ward(x, k, seed,
        3, restarts = 50),
    `pkg kmeans 3k then ward` = function(x, k, seed) {
        # the package's own k-means (k-means++, 50 restarts, as the default)
        m <- min(3L * k, nrow(x) - 1L)
        km <- csc$csc_kmeans(x, nrow(x), ncol(x), m, 50L, 300L, 1e-4, seed, 2L,
            -1L, TRUE)
        merge_centroids(x, km$labels + 1L, k)
    },
    `pkg kmeans 2k then ward` = function(x, k, seed) {
        m <- min(2L * k, nrow(x) - 1L)
        km <- csc$csc_kmeans(x, nrow(x), ncol(x), m, 50L, 300L, 1e-4, seed, 2L,
            -1L, TRUE)
        merge_centroids(x, km$labels + 1L, k)
    },
    `pkg kmeans 3k then average` = function(x, k, seed) {
        merge_centroids(x, pkg_kmeans(x, 3L * k, seed), k, "average")
    },
    `silhouette pick` = function(x, k, seed) {
        # k-means at k, and k-means at 3k merged by Ward or by average
        # linkage: the partition with the highest silhouette (on at most
        # 2,000 cells, as the k-unknown rule) is kept
        fine <- pkg_kmeans(x, 3L * k, seed)
        cand <- list(pkg_kmeans(x, k, seed), merge_centroids(x, fine, k),
            merge_centroids(x, fine, k, "average"))
        cells <- csc$.sample_rows(nrow(x), 2000L, seed)
        sil <- vapply(cand, function(l) csc$.silhouette(l[cells],
            x[cells, , drop = FALSE], 2L), 0)
        cand[[which.max(ifelse(is.na(sil), -Inf, sil))]]
    },
    `pkg kmeans 3k10 then average` = function(x, k, seed) {
        merge_centroids(x, pkg_kmeans(x, 3L * k, seed, 10L), k, "average")
    },
    `silhouette pick kmeans or 3k10 average` = function(x, k, seed) {
        cand <- list(pkg_kmeans(x, k, seed), merge_centroids(x,
            pkg_kmeans(x, 3L * k, seed, 10L), k, "average"))
        cells <- csc$.sample_rows(nrow(x), 2000L, seed)
        sil <- vapply(cand, function(l) csc$.silhouette(l[cells],
            x[cells, , drop = FALSE], 2L), 0)
        cand[[which.max(ifelse(is.na(sil), -Inf, sil))]]
    },
    `kmeans 3k then average` = function(x, k, seed) overcluster_ward(x, k, seed,
        3, linkage = "average"),
    `leiden 3k then ward` = function(x, k, seed) {
        l <- overclustered(graph_of(x, seed), k, seed, 3)
        merge_centroids(x, l, k)
    },
    `unknown then ward` = function(x, k, seed) {
        l <- csc$.choose_resolution(x, NULL, seed, 2L)$labels
        if (max(l) < k) l <- overclustered(graph_of(x, seed), k, seed, 1)
        merge_centroids(x, l, k)
    }
)
