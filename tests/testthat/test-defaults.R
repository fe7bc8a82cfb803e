# library(contrastiveSC); library(testthat); source("test-defaults.R")

test_that("every core default is an argument of contrastiveSC() defaulting to NULL", {
    defaults <- contrastiveDefaults()
    # S4 wraps a method with extra arguments in .local(); unwrap it.
    f <- formals(methods::unRematchDefinition(getMethod("contrastiveSC", "ANY")))
    expect_true(all(names(defaults) %in% names(f)))
    for (nm in names(defaults)) expect_null(f[[nm]], label = nm)
})

test_that("reference mode holds the method's published settings", {
    d <- contrastiveDefaults("reference")
    expect_identical(d$layers, c(200L, 40L, 60L))
    expect_identical(d$n.genes, 500L)
    expect_identical(d$epochs, 30L)
    expect_identical(d$batch.size, 200L)
    expect_identical(d$cosine.period, 500L)
    expect_identical(d$n.runs, 1L)
    expect_identical(d$neighbours, 0L)
    expect_identical(d$min.steps, 0L)
    expect_identical(d$max.steps, 0L)
    expect_identical(d$max.cells, 0L)
    expect_equal(d$dropout, 0.9)
    expect_equal(d$temperature, 0.07)
    expect_equal(d$learning.rate, 0.4)
    expect_identical(d$gene.ranking, "seurat")
    expect_identical(d$n.init, 10L)
})

test_that("the measured defaults differ from the reference only where chosen", {
    d <- contrastiveDefaults()
    r <- contrastiveDefaults("reference")
    changed <- names(d)[!mapply(identical, d, r[names(d)])]
    expect_setequal(changed, c("epochs", "cosine.period", "learning.rate",
        "gene.ranking", "temperature", "n.init", "neighbours", "min.steps",
        "max.steps", "max.cells"))
    expect_identical(d$gene.ranking, "pearson")
    expect_identical(d$cosine.period, d$epochs)
    expect_error(contrastiveDefaults("fast"), "should be one of")
})

test_that("mode and an explicit epoch count set the cosine period", {
    res <- contrastiveSC(small, k = 3, epochs = 2, seed = 1, num.threads = 1)
    expect_identical(res$metadata$parameters$cosine.period, 2L)
    expect_identical(res$metadata$parameters$mode, "default")
    ref <- contrastiveSC(small, k = 3, epochs = 2, seed = 1, num.threads = 1,
        mode = "reference")
    expect_identical(ref$metadata$parameters$cosine.period, 500L)
    expect_false(isTRUE(all.equal(res$embedding, ref$embedding)))
    expect_error(contrastiveSC(small, k = 3, mode = "fast"), "'mode' must be")
})

test_that("NULL arguments take the core's values and are recorded", {
    res <- contrastiveSC(small, k = 3, epochs = 2, seed = 1, num.threads = 1)
    p <- res$metadata$parameters
    expect_identical(p$layers, contrastiveDefaults()$layers)
    expect_identical(p$epochs, 2L)
    expect_identical(ncol(res$embedding), 60L)
    other <- contrastiveSC(small, k = 3, epochs = 2, seed = 1, num.threads = 1,
        layers = c(32, 8))
    expect_identical(ncol(other$embedding), 8L)
})

test_that("gene.ranking chooses the genes; log-scale input without counts uses Seurat's", {
    pearson <- contrastiveSC(small, k = 3, epochs = 1, seed = 1,
        num.threads = 1, n.genes = 20)
    seurat <- contrastiveSC(small, k = 3, epochs = 1, seed = 1,
        num.threads = 1, n.genes = 20, gene.ranking = "seurat")
    expect_identical(pearson$metadata$parameters$gene.ranking, "pearson")
    expect_false(setequal(pearson$metadata$genes, seurat$metadata$genes))
    # reference mode is the original's ranking
    ref <- contrastiveSC(small, k = 3, epochs = 1, seed = 1, num.threads = 1,
        n.genes = 20, mode = "reference")
    expect_identical(ref$metadata$genes, seurat$metadata$genes)
    # log-normalised values are ranked by Pearson residuals of the counts
    # behind them when those can be recovered, by dispersion when not
    logn <- log1p(t(t(as.matrix(small)) / colSums(as.matrix(small))) * 1e4)
    a <- contrastiveSC(logn, k = 3, epochs = 1, seed = 1, num.threads = 1,
        n.genes = 20, normalized = TRUE)
    expect_identical(a$metadata$genes, pearson$metadata$genes)
    tpm <- logn * seq(0.5, 2, length.out = nrow(logn))
    a <- contrastiveSC(tpm, k = 3, epochs = 1, seed = 1, num.threads = 1,
        n.genes = 20, normalized = TRUE)
    b <- contrastiveSC(tpm, k = 3, epochs = 1, seed = 1, num.threads = 1,
        n.genes = 20, normalized = TRUE, gene.ranking = "seurat")
    expect_identical(a$metadata$genes, b$metadata$genes)
    expect_error(contrastiveSC(small, k = 3, gene.ranking = "vst"),
        "'gene.ranking' must be one of")
})

test_that("max.cells trains on a subsample and max.steps caps the epochs", {
    # 534 cells: 300 train, in 2 batches an epoch; min.steps (600) would
    # raise the epochs to 300, max.steps caps them at 10 / 2 = 5
    res <- contrastiveSC(small, k = 3, seed = 1, num.threads = 1,
        max.cells = 300, max.steps = 10)
    expect_identical(res$metadata$training.cells, 300L)
    expect_length(res$metadata$losses, 5L)
    # every cell is embedded and clustered, in its place
    expect_false(anyNA(res$embedding))
    expect_identical(rownames(res$embedding), colnames(small))
    expect_length(res$clusters, ncol(small))
    again <- contrastiveSC(small, k = 3, seed = 1, num.threads = 1,
        max.cells = 300, max.steps = 10)
    expect_identical(again$embedding, res$embedding)
    all <- contrastiveSC(small, k = 3, epochs = 2, seed = 1, num.threads = 1)
    expect_identical(all$metadata$training.cells, ncol(small))
    expect_error(contrastiveSC(small, k = 3, max.cells = 1), "'max.cells'")
    expect_error(contrastiveSC(small, k = 3, max.steps = -1), "'max.steps'")
})
