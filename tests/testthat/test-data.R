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

test_that("pbmcSorted has gene symbols and the sorted populations", {
    data(pbmcSorted, package = "contrastiveSC", envir = environment())
    expect_s4_class(pbmcSorted, "dgCMatrix")
    expect_identical(dim(pbmcSorted), c(8832L, 500L))
    expect_true(all(pbmcSorted@x == round(pbmcSorted@x)))
    expect_true(all(c("MS4A1", "CD79A", "NKG7", "GNLY", "FOXP3", "CD3E") %in%
        rownames(pbmcSorted)))
    expect_identical(as.vector(table(pbmcSorted.labels)), c(175L, 146L, 179L))
    expect_identical(levels(pbmcSorted.labels),
        c("B cells", "NK cells", "regulatory T cells"))
    # the markers are where the sorting says: MS4A1 in B cells, NKG7 in NK
    mean.in <- function(gene, type) mean(pbmcSorted[gene, pbmcSorted.labels == type])
    expect_gt(mean.in("MS4A1", "B cells"), 10 * mean.in("MS4A1", "NK cells"))
    expect_gt(mean.in("NKG7", "NK cells"), 10 * mean.in("NKG7", "B cells"))
    # and the defaults find the three populations
    res <- contrastiveSC(pbmcSorted, k = 3, seed = 1, num.threads = 1)
    expect_gt(clusteringScores(pbmcSorted.labels, res$clusters)[["ARI"]], 0.9)
})

test_that("cellLines holds two protocols of the same three lines", {
    data(cellLines, package = "contrastiveSC", envir = environment())
    expect_s4_class(cellLines, "dgCMatrix")
    expect_identical(dim(cellLines), c(500L, 499L))
    expect_true(all(cellLines@x == round(cellLines@x)))
    expect_true(all(grepl("^ENSG", rownames(cellLines))))
    expect_identical(as.vector(table(cellLines.protocol)), c(225L, 274L))
    expect_identical(levels(cellLines.labels), c("H1975", "H2228", "HCC827"))
    # every line in both protocols
    expect_true(all(table(cellLines.labels, cellLines.protocol) > 60))
    # CEL-seq2 cells hold more counts of these genes
    depth <- tapply(Matrix::colSums(cellLines), cellLines.protocol, median)
    expect_gt(depth[["CEL-seq2"]] / depth[["Drop-seq"]], 1.3)
})
