# library(contrastiveSC); library(testthat); source("test-data.R")

test_that("the bundled PBMC data is the shared dataset", {
    data(pbmc4k, package = "contrastiveSC", envir = environment())
    expect_s4_class(pbmc4k, "dgCMatrix")
    expect_identical(dim(pbmc4k), c(2000L, 4271L))
    expect_identical(length(pbmc4k@x), 870065L)
    expect_identical(nlevels(pbmc4k.labels), 8L)
    expect_identical(as.vector(table(pbmc4k.labels))[1], 1292L)
    expect_true(all(pbmc4k@x == round(pbmc4k@x)))
})
