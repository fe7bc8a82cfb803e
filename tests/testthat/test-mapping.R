# library(contrastiveSC); library(testthat); source("setup.R"); source("test-mapping.R")

# Real cells of three lines measured by two protocols (Drop-seq, CEL-seq2):
# the Drop-seq cells are the reference, the CEL-seq2 cells the query.
data(cellLines, package = "contrastiveSC", envir = environment())
from.dropseq <- cellLines.protocol == "Drop-seq"
line.ref <- as.character(cellLines.labels[from.dropseq])
line.query <- as.character(cellLines.labels[!from.dropseq])
line.model <- contrastiveSC(cellLines[, from.dropseq], k = 3, seed = 1,
    num.threads = 2)

test_that("mapCells labels a query of another protocol with the reference's types", {
    m <- mapCells(cellLines[, !from.dropseq], line.model, labels = line.ref)
    expect_s3_class(m, "contrastiveMapping")
    expect_s4_class(m$labels, "DataFrame")
    expect_identical(rownames(m$labels), colnames(cellLines)[!from.dropseq])
    expect_identical(names(m$labels), c("label", "score", "pruned.label"))
    expect_gt(mean(m$labels$label == line.query), 0.95)
    expect_true(all(m$labels$score >= 0 & m$labels$score <= 1))
    expect_lt(mean(is.na(m$labels$pruned.label)), 0.1)
    expect_identical(is.na(m$labels$pruned.label), m$labels$score < 0.5)
    expect_identical(dim(m$scores), c(sum(!from.dropseq), 3L))
    expect_identical(colnames(m$scores), sort(unique(line.ref)))
    expect_identical(colnames(m$scores)[max.col(m$scores, "first")],
        m$labels$label)
    # the query lands among the reference's cells of its line
    emb <- m$embedding
    expect_identical(dim(emb), c(sum(!from.dropseq), 60L))
    centre <- function(e, lab, l) colMeans(e[lab == l, , drop = FALSE])
    ref.emb <- line.model$embedding
    for (l in unique(line.ref)) {
        d <- vapply(unique(line.ref), function(o) sum((centre(emb,
            line.query, l) - centre(ref.emb, line.ref, o))^2), 0)
        expect_identical(names(which.min(d)), l)
    }
    expect_gt(m$paired.share, 0.2)
    expect_output(print(m), "contrastiveMapping: 274 cells")
})

test_that("mapCells corrects a batch effect that predict() keeps", {
    # FACS-sorted PBMC: one half is the reference, the other half with 40%
    # of the genes ten times higher is the query
    data(pbmcSorted, package = "contrastiveSC", envir = environment())
    half <- seq_len(ncol(pbmcSorted)) %% 2L == 0L
    query <- pbmcSorted[, !half]
    genes <- which(seq_len(nrow(query)) %% 5L %in% c(1L, 3L))
    query[genes, ] <- query[genes, ] * 10
    ref <- contrastiveSC(pbmcSorted[, half], k = 3, seed = 2, num.threads = 2)
    labels <- as.character(pbmcSorted.labels)
    m <- mapCells(query, ref, labels = labels[half])
    expect_gt(mean(m$labels$label == labels[!half]), 0.95)
    # the query's embedding mixes with the reference's; predict()'s does not
    both <- function(e) batchMixing(rbind(ref$embedding, e),
        rep(c("ref", "query"), c(nrow(ref$embedding), nrow(e))))
    expect_gt(both(m$embedding), both(predict(ref$model, query)) + 0.1)
})

test_that("a type the reference lacks scores low and is pruned more than the rest", {
    # 'labels' NA leaves HCC827 out of the reference's types
    lab <- ifelse(line.ref == "HCC827", NA, line.ref)
    m <- mapCells(cellLines[, !from.dropseq], line.model, labels = lab)
    expect_setequal(unique(m$labels$label), c("H1975", "H2228"))
    novel <- line.query == "HCC827"
    expect_lt(mean(m$labels$score[novel]), mean(m$labels$score[!novel]))
})

test_that("mapCells takes the reference's clusters by default, and a saved model", {
    m <- mapCells(cellLines[, !from.dropseq], line.model)
    expect_setequal(unique(m$labels$label), levels(line.model$clusters))
    tab <- table(m$labels$label, line.query)
    expect_gt(sum(apply(tab, 1, max)) / sum(tab), 0.95)
    # the model alone (saved and read back) maps the same
    file <- tempfile(fileext = ".rds")
    saveRDS(line.model$model, file)
    again <- mapCells(cellLines[, !from.dropseq], readRDS(file))
    expect_identical(again$labels, m$labels)
    expect_identical(again$embedding, m$embedding)
    # its size is bounded by the kept cells, not the training set
    r <- line.model$model$reference
    expect_identical(nrow(r$points), sum(from.dropseq))
    expect_identical(nrow(r$embedding), sum(from.dropseq))
})

test_that("mapCells writes into a SingleCellExperiment and takes labels by column", {
    ref <- SingleCellExperiment::SingleCellExperiment(
        list(counts = cellLines[, from.dropseq]))
    SummarizedExperiment::colData(ref)$line <- line.ref
    ref <- contrastiveSC(ref, k = 3, seed = 1, num.threads = 2)
    query <- SingleCellExperiment::SingleCellExperiment(
        list(counts = cellLines[, !from.dropseq]))
    out <- mapCells(query, ref, labels = "line")
    cd <- SummarizedExperiment::colData(out)
    expect_gt(mean(cd$predicted.id == line.query), 0.95)
    expect_true(all(c("predicted.id.score", "predicted.id.pruned") %in%
        names(cd)))
    expect_identical(rownames(SingleCellExperiment::reducedDim(out,
        "CONTRASTIVE")), colnames(query))
    # the same as the matrix's mapping
    m <- mapCells(cellLines[, !from.dropseq], line.model, labels = line.ref)
    expect_identical(cd$predicted.id, m$labels$label)
    # log values in 'logcounts' are mapped as the counts behind them
    lc <- log1p(Matrix::t(Matrix::t(cellLines[, !from.dropseq]) /
        Matrix::colSums(cellLines[, !from.dropseq])) * 1e4)
    SummarizedExperiment::assay(query, "logcounts") <- lc
    logged <- mapCells(query, ref, labels = "line", assay.type = "logcounts")
    expect_gt(mean(SummarizedExperiment::colData(logged)$predicted.id ==
        line.query), 0.95)
})

test_that("mapCells writes into a Seurat object", {
    skip_if_not_installed("SeuratObject")
    query <- suppressWarnings(SeuratObject::CreateSeuratObject(
        cellLines[, !from.dropseq]))
    out <- mapCells(query, line.model, labels = line.ref)
    expect_gt(mean(out$predicted.id == line.query), 0.95)
    expect_true(all(out$predicted.id.score >= 0))
    expect_identical(rownames(SeuratObject::Embeddings(out, "contrastive")),
        colnames(query))
    expect_error(mapCells(query, line.model, labels = line.ref,
        assay = "ADT"), "'assay' = \"ADT\" is not an assay of 'query'")
    # a Seurat reference, its labels a meta.data column: the same model
    ref <- suppressWarnings(SeuratObject::CreateSeuratObject(
        cellLines[, from.dropseq]))
    ref$line <- line.ref
    ref <- contrastiveSC(ref, k = 3, seed = 1, num.threads = 2)
    again <- mapCells(query, ref, labels = "line")
    expect_identical(again$predicted.id, out$predicted.id)
    expect_identical(again$predicted.id.score, out$predicted.id.score)
})

test_that("mapCells names what is wrong with its input", {
    q <- cellLines[, !from.dropseq]
    expect_error(mapCells(q[1:100, ], line.model, labels = line.ref),
        "'query' has [0-9]+ of the reference model's [0-9]+ genes")
    expect_error(mapCells(q, line.model, labels = line.ref[-1]),
        "'labels' must have one value per reference cell \\(225\\), got 224")
    expect_error(mapCells(q, line.model, labels = rep(NA, 225)),
        "'labels' is NA for every reference cell")
    expect_error(mapCells(q, line.model, labels = "line"),
        "'labels' = \"line\" is not a column")
    expect_error(mapCells(q, list(a = 1)), "'reference' must be a result")
    expect_error(mapCells(q, SingleCellExperiment::SingleCellExperiment(
        list(counts = q))), "'reference' holds no contrastiveSC model")
    expect_error(mapCells(as.matrix(q) > 0, line.model, labels = line.ref),
        "'query' must be numeric")
    expect_error(mapCells(q, line.model, labels = line.ref, k = 0),
        "'k' must be a single whole number")
    expect_error(mapCells(q, line.model, labels = line.ref,
        prune.below = 2), "'prune.below' must be a single number in \\[0, 1\\]")
    sce <- SingleCellExperiment::SingleCellExperiment(list(logcounts = q))
    expect_error(mapCells(sce, line.model, labels = line.ref),
        "'assay.type' = \"counts\" is not an assay of 'query'")
    expect_warning(mapCells(q[-(1:100), ], line.model, labels = line.ref),
        "'query' lacks [0-9]+ of the reference model's")
})

test_that("the discriminant directions weight what separates the types", {
    # two types 1 apart along the first axis, spread 10 along the second
    set.seed(1)
    points <- cbind(rep(c(0, 1), each = 50) + stats::rnorm(100, sd = 0.1),
        stats::rnorm(100, sd = 10), stats::rnorm(100))
    labels <- factor(rep(c("a", "b"), each = 50))
    w <- contrastiveSC:::.discriminant_directions(points, labels)
    expect_identical(dim(w), c(3L, 1L))
    expect_gt(abs(w[1, 1]), 0.99)
    # the principal direction is the spread, not the types
    expect_gt(abs(stats::prcomp(points)$rotation[2, 1]), 0.99)
    expect_null(contrastiveSC:::.discriminant_directions(points,
        factor(rep("a", 100))))
})
