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
    expect_equal(d$dropout, 0.9)
    expect_equal(d$temperature, 0.07)
    expect_equal(d$learning.rate, 0.4)
})

test_that("the measured defaults differ from the reference only where chosen", {
    d <- contrastiveDefaults()
    r <- contrastiveDefaults("reference")
    changed <- names(d)[!mapply(identical, d, r[names(d)])]
    expect_setequal(changed, c("epochs", "cosine.period", "learning.rate"))
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
