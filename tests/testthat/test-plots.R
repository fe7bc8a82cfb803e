# library(contrastiveSC); library(testthat); source("setup.R"); source("test-plots.R")

test_that("plot helpers return ggplot objects for every container", {
    skip_if_not_installed("ggplot2")
    res <- fast(small, k = 4, seed = 1)
    expect_s3_class(plotLoss(res), "ggplot")
    expect_identical(nrow(plotLoss(res)$data), 3L)
    sce <- fast(SingleCellExperiment::SingleCellExperiment(
        list(counts = small)), k = 4, seed = 1)
    expect_s3_class(plotLoss(sce), "ggplot")
    p <- plotConfusion(small.labels, res$clusters)
    expect_s3_class(p, "ggplot")
    expect_identical(sum(p$data$cells), length(small.labels))
    expect_error(plotLoss(list()), "no contrastiveSC run")
    expect_error(plotConfusion(1:3, 1:2), "'clusters' has 2 values")
})

test_that("plotLoss draws one line per run and plotClusterChoice the candidates", {
    skip_if_not_installed("ggplot2")
    skip_if_not_installed("bluster")
    res <- fast(small, seed = 1, n.runs = 2)
    p <- plotLoss(res)
    expect_identical(nrow(p$data), 6L)
    expect_identical(nlevels(p$data$run), 2L)
    q <- plotClusterChoice(res)
    expect_s3_class(q, "ggplot")
    expect_identical(q$data, res$metadata$cluster.candidates)
    known <- fast(small, k = 3, seed = 1)
    expect_error(plotClusterChoice(known), "no resolutions to plot")
})

test_that("plotEmbedding colours each cluster as the label it matches", {
    skip_if_not_installed("ggplot2")
    labels <- factor(rep(c("B", "NK", "T"), c(40, 30, 30)))
    # cluster 2 is B, cluster 1 is NK, cluster 3 is T, cluster 4 a split of T
    clusters <- c(rep(2, 40), rep(1, 30), rep(3, 20), rep(4, 10))
    coords <- cbind(rnorm(100), rnorm(100))
    p <- plotEmbedding(coords, clusters, labels, title = "t")
    expect_s3_class(p, "ggplot")
    groups <- split(as.character(p$data$group), p$data$panel)
    expect_identical(groups[["known labels"]], as.character(labels))
    expect_identical(groups[["clusters"]], c(rep("B", 40), rep("NK", 30),
        rep("T", 20), rep("cluster 4", 10)))
    expect_identical(levels(p$data$group), c("B", "NK", "T", "cluster 4"))
    # without labels: one panel, a colour per cluster
    one <- plotEmbedding(coords, clusters)
    expect_identical(unique(as.character(one$data$panel)), "clusters")
    expect_error(plotEmbedding(coords, clusters[-1], labels),
        "'clusters' has 99 values but 'coords' has 100 rows")
    expect_error(plotEmbedding(coords[, 1, drop = FALSE], clusters),
        "at least two columns")
})
