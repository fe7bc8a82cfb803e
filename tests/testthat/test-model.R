# library(contrastiveSC); library(testthat); source("setup.R"); source("test-model.R")

test_that("predict() on the training cells reproduces their embedding", {
    res <- fast(small, k = 4, seed = 1)
    emb <- predict(res$model, small)
    expect_equal(emb, res$embedding, tolerance = 1e-6)
})

test_that("predict() matches genes by name, in any row order", {
    res <- fast(small, k = 4, seed = 1)
    shuffled <- small[rev(seq_len(nrow(small))), 1:30]
    expect_equal(predict(res$model, shuffled), res$embedding[1:30, ],
        tolerance = 1e-6)
})

test_that("new cells embed on the same scale and a saved model still works", {
    train <- pbmc4k[, 1:600]
    res <- contrastiveSC(train, k = 8, epochs = 5, seed = 2, num.threads = 1)
    path <- tempfile(fileext = ".rds")
    saveRDS(res$model, path)
    model <- readRDS(path)
    emb <- predict(model, pbmc4k[, 601:700])
    expect_identical(dim(emb), c(100L, 60L))
    expect_equal(unname(rowSums(emb^2)), rep(1, 100), tolerance = 1e-5)
    expect_output(print(model), "500 genes")
})

test_that("predict() refuses data without the model's genes", {
    res <- fast(small, k = 4, seed = 1)
    expect_error(predict(res$model, small[1:100, ]), "'newdata' lacks")
    unnamed <- Matrix::Matrix(unname(as.matrix(small)), sparse = TRUE)
    expect_error(predict(res$model, unnamed[1:10, ]), "'newdata' has no gene names")
})

test_that("predict() accepts a SingleCellExperiment", {
    res <- fast(small, k = 4, seed = 1)
    sce <- SingleCellExperiment::SingleCellExperiment(list(counts = small[, 1:20]))
    expect_equal(predict(res$model, sce), res$embedding[1:20, ], tolerance = 1e-6)
})
