# Helpers shared by the benchmark scripts: reading a dataset folder of the
# project's format (counts.mtx.gz genes x cells, genes.tsv, cells.tsv,
# labels.tsv) and the peak memory of this R process.
read_dataset <- function(dir) {
    counts <- Matrix::readMM(gzfile(file.path(dir, "counts.mtx.gz")))
    counts <- methods::as(counts, "CsparseMatrix")
    dimnames(counts) <- list(readLines(file.path(dir, "genes.tsv")),
        readLines(file.path(dir, "cells.tsv")))
    labels <- utils::read.delim(file.path(dir, "labels.tsv"),
        colClasses = "character")
    stopifnot(identical(labels$cell, colnames(counts)))
    list(name = basename(dir), counts = counts, labels = labels$label,
        k = length(unique(labels$label)))
}

dataset_dirs <- function(root) {
    d <- list.dirs(root, recursive = FALSE)
    d[file.exists(file.path(d, "counts.mtx.gz"))]
}

# Peak resident set size of this process so far, in MiB (Linux).
peak_rss_mib <- function() {
    s <- readLines("/proc/self/status")
    kb <- as.numeric(gsub("[^0-9]", "", s[startsWith(s, "VmHWM")]))
    kb / 1024
}

rss_mib <- function() {
    s <- readLines("/proc/self/status")
    as.numeric(gsub("[^0-9]", "", s[startsWith(s, "VmRSS")])) / 1024
}
