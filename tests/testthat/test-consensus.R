# library(contrastiveSC); library(testthat); source("setup.R"); source("test-consensus.R")

test_that("several runs give a unit-length consensus embedding and a stability", {
    one <- fast(small, k = 4, seed = 3)
    three <- fast(small, k = 4, seed = 3, n.runs = 3)
    expect_identical(ncol(three$embedding), 180L)
    expect_equal(rowSums(three$embedding^2), rep(1, ncol(small)),
        tolerance = 1e-5, ignore_attr = TRUE)
    # run 1 of the consensus is the single model of the same seed
    expect_equal(three$embedding[, 1:60] * sqrt(3), one$embedding,
        tolerance = 1e-6, ignore_attr = TRUE)
    s <- three$metadata$stability
    expect_true(is.numeric(s) && length(s) == 1L && s > 0 && s <= 1)
    expect_true(is.na(one$metadata$stability))
    expect_identical(dim(three$metadata$losses), c(3L, 3L))
})

test_that("predict() on a consensus model reproduces its embedding", {
    res <- fast(small, k = 4, seed = 2, n.runs = 2)
    expect_equal(predict(res$model, small[, 1:25]), res$embedding[1:25, ],
        tolerance = 1e-5)
    expect_output(print(res$model), "consensus of 2 runs")
})

test_that("n.runs is checked", {
    expect_error(fast(small, k = 3, n.runs = 0), "'n.runs' must be")
    expect_error(fast(small, k = 3, n.runs = 1.5), "'n.runs' must be")
})
