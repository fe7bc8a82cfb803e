# library(contrastiveSC); library(testthat); source("setup.R"); source("test-parallel.R")

test_that("BPPARAM workers give the same consensus as one process", {
    run <- function(...) contrastiveSC(small, k = 4, seed = 2, n.runs = 2,
        epochs = 3, num.threads = 2, ...)
    serial <- run()
    forked <- run(BPPARAM = BiocParallel::MulticoreParam(2))
    expect_identical(forked$embedding, serial$embedding)
    expect_identical(forked$clusters, serial$clusters)
    expect_identical(forked$metadata$losses, serial$metadata$losses)
    expect_identical(forked$metadata$stability, serial$metadata$stability)
})

test_that("BPPARAM workers choose the same number of genes", {
    serial <- fast(small, k = 4, seed = 1, n.genes = "auto")
    forked <- fast(small, k = 4, seed = 1, n.genes = "auto",
        BPPARAM = BiocParallel::MulticoreParam(2))
    cols <- c("genes", "silhouette", "clusters", "chosen")
    expect_identical(forked$metadata$gene.candidates[, cols],
        serial$metadata$gene.candidates[, cols])
    expect_identical(forked$embedding, serial$embedding)
})

test_that("BPPARAM must be a BiocParallelParam", {
    expect_error(fast(small, k = 3, BPPARAM = 2), "'BPPARAM' must be a")
})
