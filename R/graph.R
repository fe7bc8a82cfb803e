# Graph clustering of the embedding: a shared-nearest-neighbour graph
# (bluster::makeSNNGraph, rank weights, 15 exact neighbours from
# BiocNeighbors' KMKNN) and Leiden with the modularity objective
# (igraph::cluster_leiden), seeded through R's RNG and restoring the user's
# RNG state.
#
# Large data: the SNN graph has a few hundred edges per cell (60,000 cells:
# 17 million edges, 28 s to build, 8 s per Leiden run), so above
# .landmark_cells cells the graph and the choice of resolution use a seeded
# subsample of that many cells, and every cell then joins the cluster whose
# centroid (in the embedding) is nearest: the cost stays bounded whatever
# the number of cells (bench/results/graph-scale.txt).
# (The option exists so tests can reach this path on small data.)
.landmark_cells <- function() getOption("contrastiveSC.landmark.cells", 20000L)
.graph_neighbours <- 15L

.snn_graph <- function(emb, seed) {
    .need("bluster", "graph clustering (k = NULL or cluster.method = \"leiden\")")
    .need("igraph", "graph clustering (k = NULL or cluster.method = \"leiden\")")
    # KMKNN's index is built with R's k-means: seeded, the user's RNG kept.
    .with_seed(seed, bluster::makeSNNGraph(emb,
        k = min(.graph_neighbours, nrow(emb) - 1L), type = "rank",
        BNPARAM = BiocNeighbors::KmknnParam()))
}

# Integer labels 1..m of Leiden (modularity) at 'resolution' on 'graph'.
.leiden <- function(graph, resolution, seed) {
    cl <- .with_seed(seed, igraph::cluster_leiden(graph,
        objective_function = "modularity",
        resolution_parameter = resolution, n_iterations = -1L))
    as.integer(factor(igraph::membership(cl)))
}

# Resolutions tried when the number of clusters is unknown (Leiden's
# modularity resolution: higher gives more clusters).
.resolutions <- c(0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5)

# Cells the silhouette is computed on (a seeded subsample above this; the
# silhouette is quadratic in the cells).
.silhouette_cells <- 2000L

# Leiden over .resolutions on the SNN graph of 'emb'. Without k, the
# clustering with the highest silhouette on the embedding wins (ties: the
# lower resolution); with k, the one whose number of clusters is closest to
# k (ties: the higher silhouette). Why the silhouette: on the shared
# datasets it came within 0.03 ARI of k-means with the true k, where
# Leiden at resolution 1 was 0.21 below (bench/results/probe-k-rules.md).
# Returns the labels and the table of candidates.
.choose_resolution <- function(emb, k, seed, num.threads) {
    if (nrow(emb) > .landmark_cells()) {
        landmarks <- .sample_rows(nrow(emb), .landmark_cells(), seed)
        res <- .choose_resolution(emb[landmarks, , drop = FALSE], k, seed,
            num.threads)
        res$labels <- .nearest_centroid(emb, emb[landmarks, , drop = FALSE],
            res$labels)
        return(res)
    }
    graph <- .snn_graph(emb, seed)
    labels <- lapply(.resolutions, function(r) .leiden(graph, r, seed))
    sil <- .silhouettes(labels, emb, seed, num.threads)
    clusters <- vapply(labels, function(l) length(unique(l)), 0L)
    score <- ifelse(is.na(sil), -Inf, sil)
    best <- if (is.null(k)) which.max(score) else
        order(abs(clusters - k), -score)[1L]
    list(labels = labels[[best]], candidates = data.frame(
        resolution = .resolutions, clusters = clusters, silhouette = sil,
        chosen = seq_along(.resolutions) == best))
}

# Labels of every row of 'emb': the cluster of 'labels' (on the rows of
# 'ref') whose centroid is nearest in squared Euclidean distance.
.nearest_centroid <- function(emb, ref, labels) {
    centroids <- rowsum(ref, labels) / as.vector(table(labels))
    # ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2; ||x||^2 is the same per row
    d <- -2 * emb %*% t(centroids) +
        matrix(rowSums(centroids^2), nrow(emb), nrow(centroids), byrow = TRUE)
    as.integer(max.col(-d, ties.method = "first"))
}
