# Builds data/pbmc4k.rda from the project's shared copy of 10X PBMC
# (../shared/data/10X_PBMC_top2000). Run from the package root:
#   Rscript tools/make-data.R [DATA_DIR]
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[[1]] else "../shared/data/10X_PBMC_top2000"
counts <- Matrix::readMM(gzfile(file.path(dir, "counts.mtx.gz")))
counts <- methods::as(counts, "CsparseMatrix")
dimnames(counts) <- list(readLines(file.path(dir, "genes.tsv")),
    readLines(file.path(dir, "cells.tsv")))
labels <- utils::read.delim(file.path(dir, "labels.tsv"),
    colClasses = "character")
stopifnot(identical(labels$cell, colnames(counts)))
pbmc4k <- counts
pbmc4k.labels <- factor(labels$label, levels = sort(unique(as.integer(labels$label))))
dir.create("data", showWarnings = FALSE)
save(pbmc4k, pbmc4k.labels, file = "data/pbmc4k.rda", compress = "xz")
message("data/pbmc4k.rda: ", file.size("data/pbmc4k.rda"), " bytes")
