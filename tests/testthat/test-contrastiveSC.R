# library(contrastiveSC); library(testthat); source("setup.R"); source("test-contrastiveSC.R")

test_that("a dgCMatrix gives an embedding, clusters and a model per cell", {
    res <- fast(small, k = 8, seed = 1)
    expect_s3_class(res, "contrastiveSC")
    expect_identical(dim(res$embedding), c(ncol(small), 60L))
    expect_identical(rownames(res$embedding), colnames(small))
    expect_equal(unname(rowSums(res$embedding^2)), rep(1, ncol(small)),
        tolerance = 1e-5)
    expect_s3_class(res$clusters, "factor")
    expect_identical(nlevels(res$clusters), 8L)
    expect_identical(names(res$clusters), colnames(small))
    meta <- res$metadata
    expect_length(meta$genes, 500L)
    expect_true(all(meta$genes %in% rownames(small)))
    expect_length(meta$losses, 3L)
    expect_true(all(is.finite(meta$losses)))
    expect_identical(meta$parameters$seed, 1)
    expect_identical(meta$device, "cpu")
    expect_identical(meta$backend, "native")
    expect_true(all(c("preprocess", "train", "cluster", "total") %in%
        names(meta$seconds)))
    expect_s3_class(res$model, "contrastiveModel")
    expect_output(print(res), "8")
})

test_that("a base matrix gives the same result as its dgCMatrix", {
    a <- fast(small, k = 4, seed = 3)
    b <- fast(as.matrix(small), k = 4, seed = 3)
    expect_identical(a$embedding, b$embedding)
    expect_identical(a$clusters, b$clusters)
})

test_that("a matrix without row or column names runs, cells named by position", {
    x <- as.matrix(small)
    dimnames(x) <- NULL
    a <- fast(x, k = 4, seed = 3)
    b <- fast(small, k = 4, seed = 3)
    expect_identical(rownames(a$embedding), as.character(seq_len(ncol(x))))
    expect_identical(names(a$clusters), as.character(seq_len(ncol(x))))
    expect_equal(unname(a$embedding), unname(b$embedding))
    expect_null(a$model$genes)
    expect_equal(unname(predict(a$model, x[, 1:5])), unname(a$embedding[1:5, ]),
        tolerance = 1e-5)
})

test_that("the full PBMC data clusters well with the default settings", {
    res <- contrastiveSC(pbmc4k, k = 8, seed = 0, num.threads = 2)
    scores <- clusteringScores(pbmc4k.labels, res$clusters, res$embedding)
    expect_gt(scores[["ARI"]], 0.5)
    expect_gt(scores[["NMI"]], 0.6)
    # 22 batches of 200 cells per epoch: raised until training takes
    # min.steps steps, if it does not already
    d <- contrastiveDefaults()
    epochs <- max(d$epochs, ceiling(d$min.steps / ceiling(ncol(pbmc4k) / 200)))
    expect_length(res$metadata$losses, epochs)
    expect_lt(res$metadata$losses[epochs], res$metadata$losses[1])
})

test_that("a SingleCellExperiment receives reducedDim, colData and metadata", {
    sce <- SingleCellExperiment::SingleCellExperiment(list(counts = small))
    out <- fast(sce, k = 5, seed = 2)
    emb <- SingleCellExperiment::reducedDim(out, "CONTRASTIVE")
    expect_identical(dim(emb), c(ncol(small), 60L))
    cl <- SummarizedExperiment::colData(out)$contrastive_cluster
    expect_s3_class(cl, "factor")
    expect_identical(nlevels(cl), 5L)
    meta <- S4Vectors::metadata(out)$contrastiveSC
    expect_s3_class(meta$model, "contrastiveModel")
    expect_length(meta$losses, 3L)
    same <- fast(small, k = 5, seed = 2)
    expect_equal(unname(emb), unname(same$embedding))
    named <- fast(sce, k = 5, seed = 2, name = "CSC", cluster.name = "cl")
    expect_true("CSC" %in% SingleCellExperiment::reducedDimNames(named))
    expect_false(is.null(SummarizedExperiment::colData(named)$cl))
})

test_that("cells without counts keep their place with NA", {
    x <- small
    x[, c(3, 10)] <- 0
    x <- Matrix::drop0(x)
    expect_warning(res <- fast(x, k = 4, seed = 5), "2 cell")
    expect_true(all(is.na(res$embedding[c(3, 10), ])))
    expect_true(all(is.na(res$clusters[c(3, 10)])))
    expect_false(anyNA(res$embedding[-c(3, 10), ]))
    expect_identical(names(res$clusters), colnames(x))
})

test_that("non-integer counts are accepted with a warning", {
    x <- small
    x@x <- x@x + 0.25
    expect_warning(res <- fast(x, k = 3, seed = 1), "non-integer")
    expect_identical(nrow(res$embedding), ncol(x))
})

test_that("log-normalised input goes back to its counts when it can", {
    # scran's logNormCounts: log2(1 + counts / size factor)
    sf <- Matrix::colSums(small) / mean(Matrix::colSums(small))
    logn <- small
    logn@x <- log2(1 + logn@x / rep(sf, diff(logn@p)))
    sce <- SingleCellExperiment::SingleCellExperiment(list(counts = small,
        logcounts = logn))
    out <- fast(sce, k = 3, seed = 1, assay.type = "logcounts")
    meta <- S4Vectors::metadata(out)$contrastiveSC
    expect_true(meta$parameters$normalized)
    expect_identical(meta$recovered.counts[["base"]], 2)
    expect_false(meta$model$normalized)
    # every cell of 'small' has a gene counted once, so these are its counts
    from.counts <- fast(small, k = 3, seed = 1)
    expect_identical(SingleCellExperiment::reducedDim(out, "CONTRASTIVE"),
        from.counts$embedding)
    # new cells: as log values of the same kind, or as counts
    new <- pbmc4k[, 2:101]
    new.log <- new
    new.log@x <- log2(1 + new.log@x / rep(Matrix::colSums(new) / 900,
        diff(new@p)))
    expect_equal(predict(meta$model, new.log), predict(meta$model, new))
    tpm <- new.log
    tpm@x <- tpm@x * 1.37
    expect_error(predict(meta$model, tpm), "neither counts nor values")
})

test_that("log-scale values that hide no counts skip the normalisation", {
    # each gene scaled by its own factor (as TPM and RPKM are)
    scaled <- small * seq(0.3, 3, length.out = nrow(small))
    scaled@x <- log1p(scaled@x)
    for (mode in c("default", "reference")) {
        out <- fast(scaled, k = 3, seed = 1, normalized = TRUE, mode = mode)
        expect_null(out$metadata$recovered.counts)
        expect_true(out$metadata$parameters$normalized)
        expect_true(out$model$normalized)
    }
    # reference mode never recovers counts: the published method
    sce <- SingleCellExperiment::SingleCellExperiment(list(
        logcounts = log1p(small)))
    ref <- fast(sce, k = 3, seed = 1, assay.type = "logcounts",
        mode = "reference")
    expect_null(S4Vectors::metadata(ref)$contrastiveSC$recovered.counts)
})

test_that("k = NULL clusters the embedding without a number of clusters", {
    skip_if_not_installed("bluster")
    res <- fast(small, seed = 1)
    expect_gt(nlevels(res$clusters), 1L)
    expect_identical(res$metadata$parameters$cluster.method, "leiden")
})

test_that("a bluster parameter object clusters the embedding", {
    skip_if_not_installed("bluster")
    res <- fast(small, seed = 1, cluster.method = bluster::KmeansParam(4))
    expect_identical(nlevels(res$clusters), 4L)
})
