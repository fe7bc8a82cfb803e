# library(contrastiveSC); library(testthat); source("setup.R"); source("test-errors.R")
# Every bad input gives an R error that names the argument.

test_that("bad count matrices are refused, naming 'x'", {
    m <- as.matrix(small[, 1:20])
    expect_error(fast(matrix("a", 3, 3), k = 2), "'x' must be numeric")
    expect_error(fast(as.data.frame(m), k = 2), "'x' must be a numeric matrix")
    expect_error(fast(list(1, 2), k = 2), "'x' must be a numeric matrix")
    neg <- m
    neg[1, 1] <- -1
    expect_error(fast(neg, k = 2), "'x' contains negative values")
    for (bad in c(NA, NaN, Inf)) {
        b <- m
        b[2, 2] <- bad
        expect_error(fast(b, k = 2), "'x' contains NA, NaN or infinite")
    }
    expect_error(fast(m[, 0], k = 2), "'x' has no cells")
    expect_error(fast(m[0, ], k = 2), "'x' has no genes")
    expect_error(fast(m[, 1, drop = FALSE], k = 2), "'x' must have at least 2 cells")
    dup <- m
    colnames(dup)[2] <- colnames(dup)[1]
    expect_error(fast(dup, k = 2), "'x' has duplicated cell names")
})

test_that("out-of-range settings are refused, naming the argument", {
    expect_error(fast(small, k = 1), "'k' must be")
    expect_error(fast(small, k = ncol(small) + 1), "'k' must be")
    expect_error(fast(small, k = 2.5), "'k' must be")
    expect_error(fast(small, k = 3, n.genes = 1), "'n.genes' must be")
    expect_error(fast(small, k = 3, dropout = 1), "'dropout' must be")
    expect_error(fast(small, k = 3, temperature = 0), "'temperature' must be")
    expect_error(fast(small, k = 3, batch.size = 1), "'batch.size' must be")
    expect_error(fast(small, k = 3, learning.rate = -1), "'learning.rate'")
    expect_error(fast(small, k = 3, layers = c(10, 0)), "'layers' must be")
    expect_error(fast(small, k = 3, seed = -1), "'seed' must be")
    expect_error(contrastiveSC(small, k = 3, num.threads = 0), "'num.threads'")
    expect_error(fast(small, k = 3, verbose = NA), "'verbose' must be")
})

test_that("unknown strings are refused, never silently replaced", {
    expect_error(fast(small, k = 3, device = "gpu"), "'device' must be")
    expect_error(fast(small, k = 3, backend = "gpu"), "'backend' must be")
    if (!contrastiveBackends()$cuda) {
        # no libtorch, or libtorch without a GPU: either way an error saying so
        expect_error(fast(small, k = 3, device = "cuda"), "'device'.*(libtorch|CUDA)")
        expect_error(fast(small, k = 3, device = "cuda:3"), "'device'")
    }
    expect_error(fast(small, k = 3, backend = "native", device = "cuda"),
        "'backend'.*CPU only")
    expect_error(fast(small, k = 3, cluster.method = "louvain"), "'cluster.method' must be")
    expect_error(fast(small, cluster.method = "kmeans"), "'k' is needed")
})

test_that("objects without the requested counts are refused", {
    sce <- SingleCellExperiment::SingleCellExperiment(list(logcounts = log1p(small)))
    expect_error(fast(sce, k = 3), "'assay.type' = \"counts\" is not an assay")
    skip_if_not_installed("SeuratObject")
    seu <- suppressWarnings(SeuratObject::CreateSeuratObject(small))
    expect_error(fast(seu, k = 3, assay.type = "scale.data"), "'assay.type' must be")
    # an assay made from normalised data only has no counts
    assay <- suppressWarnings(SeuratObject::CreateAssayObject(data = log1p(small)))
    no.counts <- suppressWarnings(SeuratObject::CreateSeuratObject(assay))
    expect_error(fast(no.counts, k = 3), "'x' has no counts in assay")
})

test_that("k larger than the cells with counts is refused", {
    x <- small[, 1:6]
    x[, 3:6] <- 0
    x <- Matrix::drop0(x)
    expect_error(suppressWarnings(fast(x, k = 3)), "'k' \\(3\\) is larger")
})

test_that("a matrix with a single usable gene is refused", {
    x <- small[1:3, ]
    x[2:3, ] <- 0
    x <- Matrix::drop0(x)
    expect_error(suppressWarnings(fast(x, k = 2)), "'x' has 1 gene")
})

test_that("predict() says what is wrong with a malformed model", {
    res <- fast(small, k = 3, seed = 1)
    broken <- res$model
    broken$means <- NULL
    expect_error(predict(broken, small),
        "'object' is not a contrastiveModel .*lacks means")
    empty <- structure(list(), class = "contrastiveModel")
    expect_error(predict(empty, small), "lacks encoders, gene.index")
    broken <- res$model
    broken$encoders <- list()
    expect_error(predict(broken, small), "'object' is not a contrastiveModel")
})

test_that("missing genes are named as they are, unpadded", {
    res <- fast(small, k = 3, seed = 1)
    gone <- res$model$genes[c(1, 2)]
    x <- small[!rownames(small) %in% gone, ]
    expect_error(predict(res$model, x), sprintf(
        "'newdata' lacks 2 of the model's 500 genes, e.g. \"%s\", \"%s\"",
        gone[1], gone[2]), fixed = TRUE)
    expect_error(fast(small, k = 3, mode = c("default", "reference", "x")),
        "got \"default\", \"reference\", \"x\"", fixed = TRUE)
})
