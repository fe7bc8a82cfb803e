# The integration tasks of issue 21, built from the shared datasets: cells
# of the same types measured in several batches, labelled alike in each.
# Each task: name, counts (genes x cells, the genes every batch measured),
# batch, labels, normalized (log-scale values).
source(file.path("bench", "common.R"))

integration_tasks <- function(root = Sys.getenv("CONTRASTIVESC_DATA",
    file.path("..", "shared", "data"))) {
    read <- function(name) read_dataset(file.path(root, name))
    list(
        joined("cell_lines_protocols", list(
            "Drop-seq" = read("CellBench_Dropseq_3cl"),
            "CEL-seq2" = read("CellBench_CELseq2_3cl"))),
        plates("cell_lines_plates", read("CellBench_CELseq2_5cl")),
        joined("baron_mouse_animals", list(
            "mouse 1" = read("Baron_mouse1_pancreas"),
            "mouse 2" = read("Baron_mouse2_pancreas"))),
        islets_protocols(read("Baron_2016_human_pancreas_subset"),
            read("Xin_2016_human_islet_subset")),
        mesc_batches(file.path(root, "Kolodziejczyk_2015_mESC_subset"),
            read("Kolodziejczyk_2015_mESC_subset")))
}

# Datasets side by side on the genes all of them measured (matched by
# name: Ensembl ids or symbols of one species), each one batch.
joined <- function(name, sets, normalized = FALSE) {
    genes <- Reduce(intersect, lapply(sets, function(d) rownames(d$counts)))
    counts <- do.call(cbind, lapply(sets, function(d) d$counts[genes, ]))
    list(name = name, counts = counts, normalized = normalized,
        batch = factor(rep(names(sets), vapply(sets, function(d)
            ncol(d$counts), 0L)), levels = names(sets)),
        labels = unlist(lapply(sets, `[[`, "labels"), use.names = FALSE))
}

# One dataset whose cell names start with the plate ("p1_", "p2_", ...).
plates <- function(name, d) {
    list(name = name, counts = d$counts, normalized = FALSE,
        batch = factor(sub("_.*", "", colnames(d$counts))), labels = d$labels)
}

# Human islets by inDrop (counts) and SMARTer (log values only): the inDrop
# counts are log-normalised the way scanpy and Seurat do (log1p of counts
# per 10,000), and the task is run on log values (normalized = TRUE).
islets_protocols <- function(baron, xin) {
    totals <- Matrix::colSums(baron$counts)
    baron$counts <- log1p(Matrix::t(Matrix::t(baron$counts) / totals) * 1e4)
    t <- joined("islets_protocols", list(inDrop = baron, SMARTer = xin),
        normalized = TRUE)
    t$counts <- methods::as(t$counts, "CsparseMatrix")
    t
}

# Kolodziejczyk's mESC in three media, sequenced in two batches.
mesc_batches <- function(dir, d) {
    extra <- utils::read.delim(file.path(dir, "labels_extra.tsv"),
        colClasses = "character")
    stopifnot(identical(extra$cell, colnames(d$counts)))
    list(name = "mesc_batches", counts = d$counts, normalized = FALSE,
        batch = factor(extra$batch), labels = d$labels)
}

# Batch mixing as issue 21 defines it: of each cell's 15 nearest
# neighbours in the embedding (Euclidean), the share from other batches,
# divided by the share the batch sizes allow ((n - n_b) / (n - 1)),
# averaged over cells. 1: as mixed as random; 0: batches apart.
batch_mixing <- function(embedding, batch, k = 15L) {
    keep <- stats::complete.cases(embedding)
    embedding <- embedding[keep, , drop = FALSE]
    batch <- as.character(batch[keep])
    d <- as.matrix(stats::dist(embedding))
    diag(d) <- Inf
    n <- length(batch)
    allowed <- (n - table(batch)[batch]) / (n - 1)
    other <- vapply(seq_len(n), function(i) {
        nn <- order(d[i, ])[seq_len(k)]
        mean(batch[nn] != batch[i])
    }, 0)
    mean(other / allowed)
}

# An embedding as metrics.py reads it: CSV, no names, 6 decimals.
write_matrix <- function(m, file) {
    utils::write.table(round(m, 6), file, sep = ",", row.names = FALSE,
        col.names = FALSE)
}

# The command line of embed.R and embed-seurat5.R: OUT [SEEDS] (defaults
# build/integration, 0:4).
integration_cli <- function() {
    args <- commandArgs(trailingOnly = TRUE)
    list(out = if (length(args) >= 1L) args[[1L]] else file.path("build",
            "integration"),
        seeds = if (length(args) >= 2L) eval(parse(text = args[[2L]])) else 0:4)
}
