# library(contrastiveSC); library(testthat); source("test-clusteringScores.R")

# Slow pure-R references (Hubert & Arabie ARI; arithmetic-mean NMI).
ref_ari <- function(a, b) {
    tab <- table(a, b)
    c2 <- function(n) n * (n - 1) / 2
    s <- sum(c2(tab))
    sa <- sum(c2(rowSums(tab)))
    sb <- sum(c2(colSums(tab)))
    e <- sa * sb / c2(length(a))
    (s - e) / ((sa + sb) / 2 - e)
}
ref_nmi <- function(a, b) {
    p <- table(a, b) / length(a)
    pa <- rowSums(p)
    pb <- colSums(p)
    nz <- p > 0
    mi <- sum(p[nz] * log(p[nz] / outer(pa, pb)[nz]))
    h <- function(q) -sum(q[q > 0] * log(q[q > 0]))
    mi / mean(c(h(pa), h(pb)))
}
ref_silhouette <- function(x, cl) {
    d <- as.matrix(dist(x))
    s <- vapply(seq_len(nrow(x)), function(i) {
        own <- cl == cl[i]
        if (sum(own) == 1) return(0)
        a <- sum(d[i, own]) / (sum(own) - 1)
        b <- min(vapply(setdiff(unique(cl), cl[i]),
            function(k) mean(d[i, cl == k]), numeric(1)))
        (b - a) / max(a, b)
    }, numeric(1))
    mean(s)
}

test_that("scores agree with slow R references", {
    set.seed(1)
    a <- sample(letters[1:5], 200, TRUE)
    b <- ifelse(runif(200) < 0.6, a, sample(letters[1:4], 200, TRUE))
    x <- matrix(rnorm(600), 200) + as.integer(factor(a))
    s <- clusteringScores(a, b, x)
    expect_equal(s[["ARI"]], ref_ari(a, b), tolerance = 1e-10)
    expect_equal(s[["NMI"]], ref_nmi(a, b), tolerance = 1e-10)
    expect_equal(s[["silhouette"]], ref_silhouette(x, b), tolerance = 1e-10)
    expect_gt(s[["calinski_harabasz"]], 0)
})

test_that("degenerate partitions follow scikit-learn", {
    expect_identical(clusteringScores(c(1, 1, 1), c(2, 2, 2))[["ARI"]], 1)
    expect_identical(clusteringScores(c(1, 1, 2), c(5, 5, 5))[["NMI"]], 0)
    s <- clusteringScores(c(1, 2, 1), c(1, 1, 1), matrix(1:6, 3))
    expect_true(is.na(s[["silhouette"]]))
    expect_true(is.na(s[["calinski_harabasz"]]))
})

test_that("NA cells are left out and bad shapes are refused", {
    s <- clusteringScores(c(1, 1, 2, 2, NA), c(3, 3, 4, 4, 1))
    expect_identical(s[["ARI"]], 1)
    expect_error(clusteringScores(1:3, 1:2), "'clusters' has 2 values")
    expect_error(clusteringScores(1:3, 1:3, matrix(0, 2, 2)), "'embedding'")
})
