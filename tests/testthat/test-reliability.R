# library(contrastiveSC); library(testthat); source("setup.R"); source("test-reliability.R")

test_that("a time limit interrupts training and the package stays usable", {
    started <- proc.time()[["elapsed"]]
    expect_error({
        setTimeLimit(elapsed = 1, transient = TRUE)
        contrastiveSC(pbmc4k, k = 8, epochs = 500, seed = 1, num.threads = 1)
    }, "time limit")
    setTimeLimit(elapsed = Inf)
    # stopped near the limit, not after 500 epochs (about 20 s)
    expect_lt(proc.time()[["elapsed"]] - started, 3)
    gc()
    res <- fast(small, k = 4, seed = 1)
    expect_identical(nlevels(res$clusters), 4L)
})

test_that("internal error paths reach R as errors, not crashes", {
    expect_error(contrastiveSC:::csc_session_train(NULL, 1L))
    expect_error(contrastiveSC:::csc_kmeans(c(1, 2, NA, 4), 2L, 2L, 2L, 10L,
        300L, 1e-4, 1, 1L, -1L, TRUE), "'x' contains missing")
    res <- fast(small, k = 4, seed = 1)
    broken <- res$model
    broken$encoders[[1]][[2]]$weight <- broken$encoders[[1]][[2]]$weight[1:5, ]
    expect_error(predict(broken, small), "'object' has layers")
})

test_that("verbose = TRUE reports progress per epoch", {
    expect_message(fast(small, k = 3, seed = 1, verbose = TRUE),
        "epoch 3/3, loss")
})

test_that("an HDF5-backed matrix is streamed with the in-memory result", {
    skip_if_not_installed("HDF5Array")
    path <- tempfile(fileext = ".h5")
    h5 <- HDF5Array::writeHDF5Array(as.matrix(small), path, name = "counts",
        with.dimnames = TRUE)
    expect_s4_class(h5, "DelayedMatrix")
    # small blocks: several passes over several blocks
    old <- DelayedArray::getAutoBlockSize()
    suppressMessages(DelayedArray::setAutoBlockSize(8 * nrow(small) * 512))
    on.exit(suppressMessages(DelayedArray::setAutoBlockSize(old)))
    streamed <- fast(h5, k = 4, seed = 9)
    memory <- fast(small, k = 4, seed = 9)
    expect_identical(streamed$embedding, memory$embedding)
    expect_identical(streamed$clusters, memory$clusters)
    expect_identical(streamed$metadata$genes, memory$metadata$genes)
    sce <- SingleCellExperiment::SingleCellExperiment(list(counts = h5))
    out <- fast(sce, k = 4, seed = 9)
    expect_identical(unname(SingleCellExperiment::reducedDim(out)),
        unname(memory$embedding))
})
