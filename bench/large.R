# Issue 14, item 5: contrastiveSC() end to end with the defaults on
# synthetic counts of N_CELLS cells x 20,000 genes (about 300 non-zeros per
# cell), built here in R, k = 10. Appends one CSV row to OUT.csv: seconds
# per phase, peak memory beyond the input and the ARI against the
# generating types. One size per process, so that no earlier size's memory
# is counted (bench/large.sh runs them all).
#   Rscript bench/large.R N_CELLS OUT.csv [memory|hdf5] [THREADS]
# CLUSTER_METHOD=kmeans clusters by plain k-means at k instead of the
# default rule (kmeans.merge), to measure the rule's cost beside it.
#
# The generator mirrors src/rust/core/examples/large.rs: 10 types, cell c
# of type (c - 1) %% 10; type t has a programme of 500 genes. Each cell
# draws 300 genes with replacement, 60% from its programme and 40% from
# all genes (duplicates merged, so about 290 distinct genes a cell), and
# each drawn gene counts 1 + NB(mean, size 2), mean 4 in the programme and
# 1 elsewhere. Seeded; built in blocks of 50,000 cells.
suppressPackageStartupMessages({
    library(Matrix)
    library(contrastiveSC)
})
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
n_cells <- as.integer(as.numeric(args[[1]]))
out <- args[[2]]
source_kind <- if (length(args) > 2) args[[3]] else "memory"
threads <- if (length(args) > 3) as.integer(args[[4]]) else 2L
n_genes <- 20000L
per_cell <- 300L
types <- 10L
programme <- 500L

synthetic_counts <- function(n_cells, seed = 1L) {
    set.seed(seed)
    blocks <- split(seq_len(n_cells), (seq_len(n_cells) - 1L) %/% 50000L)
    parts <- lapply(blocks, function(cells) {
        n <- length(cells) * per_cell
        offset <- rep(seq_along(cells) - 1L, each = per_cell)
        type <- (cells[1L] - 1L + offset) %% types
        in_prog <- stats::runif(n) < 0.6
        gene <- sample.int(n_genes, n, replace = TRUE) - 1L
        gene[in_prog] <- (type[in_prog] * programme +
            sample.int(programme, sum(in_prog), replace = TRUE) - 1L) %% n_genes
        # one key per (cell, gene) within the block: sorted by cell, then gene
        key <- sort(unique(offset * n_genes + gene), method = "radix")
        cell <- key %/% n_genes
        gene <- key %% n_genes
        type <- (cells[1L] - 1L + cell) %% types
        mean <- ifelse(gene %/% programme == type & gene < types * programme,
            4, 1)
        list(i = gene, x = 1 + stats::rnbinom(length(key), size = 2,
            mu = mean), per_cell = tabulate(cell + 1L, length(cells)))
    })
    p <- c(0L, cumsum(unlist(lapply(parts, `[[`, "per_cell"),
        use.names = FALSE)))
    i <- as.integer(unlist(lapply(parts, `[[`, "i"), use.names = FALSE))
    x <- as.double(unlist(lapply(parts, `[[`, "x"), use.names = FALSE))
    methods::new("dgCMatrix", i = i, p = as.integer(p), x = x,
        Dim = c(n_genes, n_cells))
}

t0 <- proc.time()[["elapsed"]]
counts <- synthetic_counts(n_cells)
truth <- (seq_len(n_cells) - 1L) %% types
generate_s <- proc.time()[["elapsed"]] - t0
input <- counts
nnz <- length(counts@x)
write_s <- NA
if (source_kind == "hdf5") {
    path <- tempfile(fileext = ".h5")
    t0 <- proc.time()[["elapsed"]]
    # Dense on disk, in chunks of 64 cells, deflate level 1: Debian's
    # HDF5Array 1.26 with rhdf5 2.42 cannot open the sparse (10x) layout
    # it writes (h5isdataset() fails in H5Dclose), so writeTENxMatrix() is
    # out; a dense file of 10^6 x 20,000 integers (80 GB before
    # compression) is out of reach of this machine's disk and time.
    input <- HDF5Array::writeHDF5Array(counts, path, name = "counts",
        chunkdim = c(n_genes, 64L), level = 1L)
    write_s <- proc.time()[["elapsed"]] - t0
    rm(counts)
}
invisible(gc())
input_mib <- if (source_kind == "hdf5") 0 else
    as.numeric(utils::object.size(input)) / 2^20
base <- rss_mib()
reset_peak_rss()
method <- Sys.getenv("CLUSTER_METHOD", "default")
wall <- system.time(res <- contrastiveSC(input, k = types, seed = 0L,
    num.threads = threads, cluster.method = if (method != "default")
        method))[["elapsed"]]
peak <- peak_rss_mib()
s <- res$metadata$seconds
ari <- clusteringScores(truth, res$clusters)[["ARI"]]
row <- data.frame(cells = n_cells, genes = n_genes, cluster.method = method,
    nnz = nnz, source = source_kind, threads = threads,
    generate_s = round(generate_s, 2), hdf5_write_s = round(write_s, 2),
    wall_s = wall, preprocess_s = s[["preprocess"]], train_s = s[["train"]],
    cluster_s = s[["cluster"]], input_mib = round(input_mib),
    base_rss_mib = round(base), peak_rss_mib = round(peak),
    peak_beyond_input_mib = round(peak - base), epochs = length(
        res$metadata$losses), training_cells = res$metadata$training.cells,
    ARI = round(ari, 4))
print(row)
utils::write.table(row, out, sep = ",", row.names = FALSE,
    col.names = !file.exists(out), append = file.exists(out))
