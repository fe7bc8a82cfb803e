# library(contrastiveSC); library(testthat); source("setup.R"); source("test-batch.R")

# Real cells (FACS-sorted PBMC, 3 types) in two batches: every other cell
# is in batch "b", whose counts of 40% of the genes (every fifth gene and
# the one two after it) are four times higher, as a protocol difference
# would make them.
data(pbmcSorted, package = "contrastiveSC", envir = environment())
sorted.batch <- rep(c("a", "b"), length.out = ncol(pbmcSorted))
with.effect <- local({
    x <- pbmcSorted
    genes <- which(seq_len(nrow(x)) %% 5L %in% c(1L, 3L))
    b <- which(sorted.batch == "b")
    x[genes, b] <- x[genes, b] * 4
    x
})

# Issue 21's mixing written out: of each cell's 15 nearest neighbours, the
# share from the other batch over the share the batch sizes allow.
mixing <- function(emb, batch) {
    d <- as.matrix(stats::dist(emb))
    diag(d) <- Inf
    n <- length(batch)
    allowed <- (n - table(batch)[batch]) / (n - 1)
    other <- vapply(seq_len(n), function(i)
        mean(batch[order(d[i, ])[1:15]] != batch[i]), 0)
    mean(other / allowed)
}

test_that("batch mixes the batches and keeps the cell types", {
    plain <- contrastiveSC(with.effect, k = 3, seed = 1, num.threads = 2)
    mixed <- contrastiveSC(with.effect, k = 3, seed = 1, num.threads = 2,
        batch = sorted.batch)
    expect_lt(batchMixing(plain$embedding, sorted.batch), 0.2)
    expect_gt(batchMixing(mixed$embedding, sorted.batch), 0.75)
    expect_equal(batchMixing(mixed$embedding, sorted.batch),
        mixing(mixed$embedding, sorted.batch))
    ari <- function(r) clusteringScores(pbmcSorted.labels, r$clusters)[["ARI"]]
    expect_gt(ari(mixed), 0.9)
    expect_gte(ari(mixed), ari(plain) - 0.02)
    m <- mixed$metadata$batch
    expect_identical(m$levels, c("a", "b"))
    expect_identical(unname(m$cells), c(250L, 250L))
    expect_gt(m$paired.share, 0.5)
    expect_null(plain$metadata$batch)
})

test_that("genes are chosen across batches and scaled within each", {
    res <- fast(with.effect, k = 3, seed = 1, batch = sorted.batch)
    model <- res$model
    expect_identical(names(model$batch.scaling), c("a", "b"))
    # each batch's scaling is its cells' own mean and sd of the kept genes
    x <- log1p(t(t(as.matrix(ceiling(with.effect))) /
        Matrix::colSums(ceiling(with.effect))) * model$median.total)
    b <- sorted.batch == "b"
    kept <- x[model$gene.index, b]
    expect_equal(model$batch.scaling$b$means, unname(rowMeans(kept)),
        tolerance = 1e-6)
    sds <- apply(kept, 1, stats::sd)
    expect_equal(model$batch.scaling$b$stds, unname(ifelse(sds > 0, sds, 1)),
        tolerance = 1e-5)
})

test_that("a factor, a column name and a Seurat column give the same result", {
    vec <- fast(with.effect, k = 3, seed = 2, batch = sorted.batch)
    fac <- fast(with.effect, k = 3, seed = 2, batch = factor(sorted.batch))
    expect_equal(fac$embedding, vec$embedding)
    sce <- SingleCellExperiment::SingleCellExperiment(
        list(counts = with.effect))
    sce$sample <- sorted.batch
    sce <- fast(sce, k = 3, seed = 2, batch = "sample")
    expect_equal(unname(SingleCellExperiment::reducedDim(sce, "CONTRASTIVE")),
        unname(vec$embedding))
    expect_identical(S4Vectors::metadata(sce)$contrastiveSC$batch$column,
        "sample")
    skip_if_not_installed("SeuratObject")
    seu <- SeuratObject::CreateSeuratObject(with.effect)
    seu$sample <- sorted.batch
    seu <- fast(seu, k = 3, seed = 2, batch = "sample")
    expect_equal(unname(SeuratObject::Embeddings(seu, "contrastive")),
        unname(vec$embedding))
})

test_that("predict() scales and corrects new cells as their batch was", {
    res <- fast(with.effect, k = 3, seed = 1, batch = sorted.batch)
    expect_equal(predict(res$model, with.effect, batch = sorted.batch),
        res$embedding, tolerance = 1e-5)
    b <- which(sorted.batch == "b")[1:20]
    expect_equal(predict(res$model, with.effect[, b], batch = "b"),
        res$embedding[b, ], tolerance = 1e-5)
    sce <- SingleCellExperiment::SingleCellExperiment(
        list(counts = with.effect[, b]))
    sce$sample <- "b"
    expect_equal(predict(res$model, sce, batch = "sample"),
        res$embedding[b, ], tolerance = 1e-5)
    # the same cells as batch "a" are scaled and corrected otherwise
    expect_false(isTRUE(all.equal(predict(res$model, with.effect[, b],
        batch = "a"), res$embedding[b, ], tolerance = 1e-3)))
})

test_that("batch errors name the argument and what is wrong", {
    expect_error(fast(small, k = 3, batch = c("a", "b")),
        "'batch' must have one value per cell \\(534\\), got 2")
    expect_error(fast(small, k = 3, batch = "sample"),
        "'batch' = \"sample\" is not a column of 'x'")
    b <- rep(c("a", "b"), length.out = ncol(small))
    b[5] <- NA
    expect_error(fast(small, k = 3, batch = b),
        "'batch' has 1 missing value\\(s\\), e.g. at cell 5")
    expect_error(fast(small, k = 3, batch = rep("a", ncol(small))),
        "'batch' has a single value \\(\"a\"\\)")
    one <- c("a", rep("b", ncol(small) - 1L))
    expect_error(fast(small, k = 3, batch = one),
        "'batch' \"a\" has 1 cell\\(s\\) with counts; each batch needs 2")
    sce <- SingleCellExperiment::SingleCellExperiment(list(counts = small))
    expect_error(fast(sce, k = 3, batch = "donor"),
        "'batch' = \"donor\" is not a column of the cell data of 'x'")
    skip_if_not_installed("DelayedArray")
    delayed <- DelayedArray::DelayedArray(small)
    expect_error(fast(delayed, k = 3, batch = one), "not supported yet")
})

test_that("predict() asks for a known batch", {
    res <- fast(with.effect, k = 3, seed = 1, batch = sorted.batch)
    expect_error(predict(res$model, with.effect[, 1:5]),
        "trained on batches \\(\"a\", \"b\"\\)")
    expect_error(predict(res$model, with.effect[, 1:5], batch = "c"),
        "values the model was not trained on: \"c\"")
    plain <- fast(small, k = 3, seed = 1)
    expect_error(predict(plain$model, small[, 1:5], batch = "a"),
        "trained without 'batch'")
})

test_that("batchMixing() checks its input and leaves NA cells out", {
    emb <- cbind(rep(0:1, each = 10), 0)
    emb[, 2] <- 1.3^(1:20) / 1000 # distinct distances: no ties
    apart <- rep(c("a", "b"), each = 10)
    expect_equal(batchMixing(emb, apart, k = 5), 0)
    expect_gt(batchMixing(emb, rep(c("a", "b"), 10), k = 5), 0.9)
    emb[3, ] <- NA
    expect_equal(batchMixing(emb, apart, k = 5), 0)
    expect_error(batchMixing(emb, apart[-1]), "one row per value of 'batch'")
    expect_error(batchMixing(emb, rep("a", 20)), "single value")
    expect_error(batchMixing(emb, apart, k = 0), "'k'")
})

test_that("batch works with a training subsample, a consensus and auto genes", {
    res <- fast(with.effect, k = 3, seed = 4, batch = sorted.batch,
        max.cells = 300, n.runs = 2)
    expect_identical(res$metadata$training.cells, 300L)
    expect_false(anyNA(res$embedding))
    expect_equal(predict(res$model, with.effect, batch = sorted.batch),
        res$embedding, tolerance = 1e-5)
    auto <- fast(with.effect, k = 3, seed = 4, batch = sorted.batch,
        n.genes = "auto")
    expect_true(auto$metadata$parameters$n.genes %in% auto$metadata$gene.candidates$genes)
    expect_identical(auto$metadata$batch$levels, c("a", "b"))
})
