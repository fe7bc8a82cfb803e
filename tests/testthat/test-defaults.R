# library(contrastiveSC); library(testthat); source("test-defaults.R")

test_that("every core default is an argument of contrastiveSC() defaulting to NULL", {
    defaults <- contrastiveDefaults()
    # S4 wraps a method with extra arguments in .local(); unwrap it.
    f <- formals(methods::unRematchDefinition(getMethod("contrastiveSC", "ANY")))
    expect_true(all(names(defaults) %in% names(f)))
    for (nm in names(defaults)) expect_null(f[[nm]], label = nm)
})

test_that("the defaults are the method's published settings", {
    d <- contrastiveDefaults()
    expect_identical(d$layers, c(200L, 40L, 60L))
    expect_identical(d$n.genes, 500L)
    expect_identical(d$epochs, 30L)
    expect_identical(d$batch.size, 200L)
    expect_equal(d$dropout, 0.9)
    expect_equal(d$temperature, 0.07)
    expect_equal(d$learning.rate, 0.4)
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
