# library(contrastiveSC); library(testthat); source("setup.R"); source("test-plots.R")

test_that("plot helpers return ggplot objects for every container", {
    skip_if_not_installed("ggplot2")
    res <- fast(small, k = 4, seed = 1)
    expect_s3_class(plotLoss(res), "ggplot")
    expect_identical(nrow(plotLoss(res)$data), 3L)
    sce <- fast(SingleCellExperiment::SingleCellExperiment(
        list(counts = small)), k = 4, seed = 1)
    expect_s3_class(plotLoss(sce), "ggplot")
    p <- plotConfusion(small.labels, res$clusters)
    expect_s3_class(p, "ggplot")
    expect_identical(sum(p$data$cells), length(small.labels))
    expect_error(plotLoss(list()), "no contrastiveSC run")
    expect_error(plotConfusion(1:3, 1:2), "'clusters' has 2 values")
})
