# library(contrastiveSC); library(testthat); source("setup.R"); source("test-reproducibility.R")

test_that("the same seed gives identical results for 1 and 2 threads", {
    a <- contrastiveSC(small, k = 5, seed = 11, epochs = 3, num.threads = 1)
    b <- contrastiveSC(small, k = 5, seed = 11, epochs = 3, num.threads = 2)
    c <- contrastiveSC(small, k = 5, seed = 11, epochs = 3, num.threads = 2)
    expect_identical(a$embedding, b$embedding)
    expect_identical(a$clusters, b$clusters)
    expect_identical(b$embedding, c$embedding)
})

test_that("another seed gives another embedding", {
    a <- fast(small, k = 5, seed = 11)
    b <- fast(small, k = 5, seed = 12)
    expect_false(isTRUE(all.equal(a$embedding, b$embedding)))
})

test_that("set.seed() before seed = NULL reproduces the result", {
    set.seed(100)
    a <- fast(small, k = 5)
    set.seed(100)
    b <- fast(small, k = 5)
    expect_identical(a$embedding, b$embedding)
    expect_identical(a$metadata$parameters$seed, b$metadata$parameters$seed)
})

test_that("an explicit seed leaves the user's random numbers alone", {
    set.seed(7)
    before <- .Random.seed
    fast(small, k = 5, seed = 3)
    expect_identical(.Random.seed, before)
})
