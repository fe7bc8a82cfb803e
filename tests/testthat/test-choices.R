# library(contrastiveSC); library(testthat); source("setup.R"); source("test-choices.R")

test_that("n.genes = 'auto' trains each candidate and keeps the best silhouette", {
    res <- fast(small, k = 4, seed = 1, n.genes = "auto")
    cand <- res$metadata$gene.candidates
    usable <- sum(Matrix::rowSums(small) >= 1)
    expect_identical(cand$genes, unique(pmin(c(500L, 1000L, 1500L, 3000L,
        5000L), usable)))
    expect_identical(sum(cand$chosen), 1L)
    expect_identical(cand$silhouette[cand$chosen], max(cand$silhouette))
    expect_length(res$metadata$genes, cand$genes[cand$chosen])
    expect_error(fast(small, k = 3, n.genes = "many"), "'n.genes' must be")
})

test_that("k = NULL picks the Leiden resolution with the highest silhouette", {
    skip_if_not_installed("bluster")
    res <- fast(small, seed = 1)
    cand <- res$metadata$cluster.candidates
    expect_identical(sum(cand$chosen), 1L)
    best <- which.max(replace(cand$silhouette, is.na(cand$silhouette), -Inf))
    expect_true(cand$chosen[best])
    expect_identical(nlevels(res$clusters), cand$clusters[best])
    expect_identical(res$metadata$n.clusters, cand$clusters[best])
    # the silhouette recorded is the embedding's (small has < 2,000 cells)
    chosen <- as.integer(res$clusters)
    expect_equal(cand$silhouette[best], clusteringScores(chosen, chosen,
        res$embedding)[["silhouette"]], tolerance = 1e-6)
})

test_that("Leiden with k takes the resolution whose cluster count is closest", {
    skip_if_not_installed("bluster")
    res <- fast(small, k = 5, seed = 1, cluster.method = "leiden")
    cand <- res$metadata$cluster.candidates
    expect_identical(nlevels(res$clusters), cand$clusters[cand$chosen])
    expect_identical(min(abs(cand$clusters - 5L)),
        abs(cand$clusters[cand$chosen] - 5L))
})

test_that("graph clustering is seeded and leaves R's random numbers alone", {
    skip_if_not_installed("bluster")
    set.seed(42)
    before <- .Random.seed
    a <- fast(small, seed = 7)
    expect_identical(.Random.seed, before)
    b <- fast(small, seed = 7)
    expect_identical(a$clusters, b$clusters)
})

test_that("the Leiden step agrees with igraph's on the same graph", {
    skip_if_not_installed("bluster")
    res <- fast(small, seed = 2)
    emb <- res$embedding
    g <- bluster::makeSNNGraph(emb, k = 15, type = "rank",
        BNPARAM = BiocNeighbors::KmknnParam())
    r <- res$metadata$cluster.candidates
    r <- r$resolution[r$chosen]
    set.seed(2)
    ref <- igraph::membership(igraph::cluster_leiden(g,
        objective_function = "modularity", resolution_parameter = r,
        n_iterations = -1))
    expect_equal(clusteringScores(ref, res$clusters)[["ARI"]], 1)
})

test_that("large data clusters landmarks and assigns every cell to a centroid", {
    skip_if_not_installed("bluster")
    full <- fast(small, seed = 4)
    old <- options(contrastiveSC.landmark.cells = 300L)
    on.exit(options(old))
    sub <- fast(small, seed = 4)
    expect_false(anyNA(sub$clusters))
    expect_identical(length(sub$clusters), ncol(small))
    # the same embedding; clusters from 300 of 534 cells agree with all
    expect_identical(sub$embedding, full$embedding)
    expect_gt(clusteringScores(full$clusters, sub$clusters)[["ARI"]], 0.6)
})

test_that("nearest-centroid assignment picks the closest cluster mean", {
    ref <- rbind(c(0, 0), c(0, 1), c(10, 10), c(10, 11))
    emb <- rbind(c(1, 0), c(9, 9), c(0, 0.5))
    expect_identical(contrastiveSC:::.nearest_centroid(emb, ref,
        c(1L, 1L, 2L, 2L)), c(1L, 2L, 1L))
})

test_that("print() reports a consensus's stability", {
    res <- contrastiveSC(small, k = 3, seed = 1, n.runs = 2, epochs = 1,
        num.threads = 1)
    expect_identical(dim(res$metadata$losses), c(1L, 2L))
    expect_output(print(res), "stability across 2 runs")
})

test_that("with k, the default keeps k-means at k or 3k merged, by silhouette", {
    res <- fast(small, k = 4, seed = 2)
    expect_identical(res$metadata$parameters$cluster.method, "kmeans.merge")
    expect_identical(nlevels(res$clusters), 4L)
    cand <- res$metadata$cluster.candidates
    expect_identical(cand$clusters, c(4L, 4L))
    expect_identical(sum(cand$chosen), 1L)
    expect_true(cand$silhouette[cand$chosen] == max(cand$silhouette))
    # the two candidates, made independently on the same embedding
    # (training does not read k)
    at.k <- fast(small, k = 4, seed = 2, cluster.method = "kmeans")
    expect_identical(at.k$embedding, res$embedding)
    fine <- fast(small, k = 12, seed = 2, cluster.method = "kmeans",
        n.init = 10)
    emb <- res$embedding
    sizes <- as.vector(table(fine$clusters))
    centres <- rowsum(emb, fine$clusters) / sizes
    tree <- stats::hclust(stats::dist(centres), "average", members = sizes)
    merged <- stats::cutree(tree, 4)[as.integer(fine$clusters)]
    sil <- c(clusteringScores(at.k$clusters, at.k$clusters, emb)[["silhouette"]],
        clusteringScores(merged, merged, emb)[["silhouette"]])
    expect_equal(cand$silhouette, sil, tolerance = 1e-6)
    want <- if (sil[1] >= sil[2]) at.k$clusters else merged
    expect_identical(clusteringScores(want, res$clusters)[["ARI"]], 1)
    # each merged cluster is a union of the 3k clusters
    expect_true(all(rowSums(table(fine$clusters, merged) > 0) == 1L))
})

test_that("reference mode and cluster.method = 'kmeans' cluster by k-means at k", {
    ref <- fast(small, k = 4, seed = 2, mode = "reference")
    expect_identical(ref$metadata$parameters$cluster.method, "kmeans")
    res <- fast(small, k = 4, seed = 2, cluster.method = "kmeans")
    expect_identical(res$metadata$parameters$cluster.method, "kmeans")
    expect_identical(nlevels(res$clusters), 4L)
    expect_error(fast(small, cluster.method = "kmeans.merge"),
        "'k' is needed when cluster.method = \"kmeans.merge\"")
})
