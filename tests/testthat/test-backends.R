# library(contrastiveSC); library(testthat); source("setup.R"); source("test-backends.R")

test_that("contrastiveBackends() lists what this build can run", {
    b <- contrastiveBackends()
    expect_true("native" %in% b$backends)
    expect_identical(b$torch, "torch" %in% b$backends)
    expect_type(b$cuda, "logical")
    expect_length(b$cuda.devices, if (b$cuda) length(b$cuda.devices) else 0L)
})

test_that("the backend and device used are recorded", {
    res <- fast(small, k = 3, seed = 1, device = "cpu")
    expect_identical(res$metadata$backend, "native")
    expect_identical(res$metadata$device, "cpu")
})

test_that("the torch backend on the CPU agrees with the native one", {
    skip_if_not(contrastiveBackends()$torch, "built without libtorch")
    a <- contrastiveSC(pbmc4k, k = 8, seed = 0, num.threads = 2,
        backend = "native")
    b <- contrastiveSC(pbmc4k, k = 8, seed = 0, num.threads = 2,
        backend = "torch", device = "cpu")
    expect_identical(b$metadata$backend, "torch")
    expect_identical(b$metadata$device, "cpu")
    # same weights, masks and batches: the losses follow each other closely
    expect_equal(b$metadata$losses, a$metadata$losses, tolerance = 1e-2)
    sa <- clusteringScores(pbmc4k.labels, a$clusters)[["ARI"]]
    sb <- clusteringScores(pbmc4k.labels, b$clusters)[["ARI"]]
    expect_lt(abs(sa - sb), 0.05)
    # a model trained by torch embeds new cells (on the native path)
    emb <- predict(b$model, pbmc4k[, 1:50])
    expect_equal(emb, b$embedding[1:50, ], tolerance = 1e-4)
})

test_that("torch without a GPU refuses CUDA with a reason", {
    skip_if_not(contrastiveBackends()$torch, "built without libtorch")
    skip_if(contrastiveBackends()$cuda, "a GPU is visible")
    expect_error(fast(small, k = 3, device = "cuda"), "libtorch sees 0 CUDA")
})
