# The mapping benchmark of issue 27: each task's reference -> query with
# contrastiveSC's mapCells() and its peers, in one process, seeds 0-4:
#   - mapCells: the reference trained by contrastiveSC(), the query mapped;
#   - contrastiveSC uncorrected: predict() and a 15-neighbour vote among the
#     reference cells in the embedding (what the package offered before);
#   - SingleR (Debian r-bioc-singler, defaults) on log-normalised values;
#   - Seurat 4.3 FindTransferAnchors + TransferData (30 dimensions;
#     k.weight lowered where Seurat finds fewer anchors), pruned below a
#     prediction score of 0.5;
#   - a 15-neighbour vote in the reference's PCA without correction (the
#     model's genes and scaling, 50 components fitted on the reference).
# SingleR, Seurat and the PCA vote do not depend on the seed; they run once
# per task. The query's labels are read only to score.
#
#   Rscript bench/mapping/run.R [OUT] [SEEDS]
# (defaults bench/results/mapping, 0:4); writes OUT/scores.csv and
# OUT/summary.md. Set CSC_LIB to a library holding contrastiveSC (build
# one with R CMD INSTALL --library=build/suite-lib .).
if (nzchar(Sys.getenv("CSC_LIB"))) .libPaths(c(Sys.getenv("CSC_LIB"), .libPaths()))
suppressPackageStartupMessages({
    library(contrastiveSC)
    library(SingleR)
    library(Seurat)
})
source(file.path("bench", "mapping", "tasks.R"))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1L) args[[1L]] else file.path("bench", "results",
    "mapping")
seeds <- if (length(args) >= 2L) eval(parse(text = args[[2L]])) else 0:4
dir.create(out, recursive = TRUE, showWarnings = FALSE)
threads <- 2L
VOTE_K <- 15L

# log1p of counts per 10,000: the log values SingleR and Seurat take;
# log-scale data as it is.
log_values <- function(side) {
    if (side$normalized) return(side$counts)
    totals <- pmax(Matrix::colSums(side$counts), 1)
    log1p(Matrix::t(Matrix::t(side$counts) / totals) * 1e4)
}

# Majority vote of each query row's k nearest reference rows; the share of
# the vote as the confidence.
vote <- function(query, reference, labels, k = VOTE_K) {
    d <- -2 * query %*% t(reference) + rep(rowSums(reference^2),
        each = nrow(query))
    votes <- apply(d, 1, function(r) {
        top <- labels[order(r)[seq_len(k)]]
        tab <- table(top)
        c(names(tab)[which.max(tab)], max(tab) / k)
    })
    list(label = votes[1, ], confidence = as.numeric(votes[2, ]))
}

timed <- function(expr) {
    t0 <- proc.time()[["elapsed"]]
    value <- force(expr)
    list(value = value, seconds = proc.time()[["elapsed"]] - t0)
}

row <- function(task, method, seed, s, seconds, train.seconds = NA_real_) {
    data.frame(task = task, method = method, seed = seed, t(s),
        seconds = seconds, train.seconds = train.seconds)
}

run_singler <- function(t) {
    r <- timed(SingleR::SingleR(test = log_values(t$query),
        ref = log_values(t$reference), labels = t$reference$labels))
    p <- r$value
    # the confidence SingleR prunes on: the best score above the median
    delta <- apply(p$scores, 1, max) - apply(p$scores, 1, stats::median)
    row(t$name, "SingleR", NA, mapping_scores(p$labels, p$pruned.labels,
        delta, t$query$labels, unique(t$reference$labels)), r$seconds)
}

run_seurat <- function(t) {
    make <- function(side, name) {
        x <- log_values(side)
        rownames(x) <- gsub("_", "-", rownames(x))
        colnames(x) <- paste0(name, seq_len(ncol(x)))
        o <- suppressWarnings(CreateSeuratObject(x))
        o <- SetAssayData(o, slot = "data", new.data = x)
        o <- FindVariableFeatures(o, verbose = FALSE)
        o <- ScaleData(o, verbose = FALSE)
        suppressWarnings(RunPCA(o, npcs = 30, verbose = FALSE))
    }
    r <- timed({
        ref <- make(t$reference, "r")
        query <- make(t$query, "q")
        anchors <- suppressWarnings(FindTransferAnchors(ref, query,
            dims = 1:30, verbose = FALSE))
        transfer <- function(k.weight) TransferData(anchors,
            refdata = t$reference$labels, dims = 1:30, k.weight = k.weight,
            verbose = FALSE)
        tryCatch(transfer(50), error = function(e) {
            # fewer query cells with anchors than k.weight (mESC)
            n <- length(unique(anchors@anchors[, "cell2"]))
            message(sprintf("%s: Seurat with k.weight = %d", t$name, n))
            transfer(n)
        })
    })
    p <- r$value
    pruned <- ifelse(p$prediction.score.max < 0.5, NA, p$predicted.id)
    row(t$name, "Seurat 4.3 TransferData", NA, mapping_scores(
        p$predicted.id, pruned, p$prediction.score.max, t$query$labels,
        unique(t$reference$labels)), r$seconds)
}

# The model's genes and scaling (pca_baseline's steps), 50 components of
# the reference, no correction.
run_pca_vote <- function(t, model) {
    r <- timed({
        zr <- pca_scaled(t$reference, model)
        zq <- pca_scaled(t$query, model)
        p <- stats::prcomp(zr$z, rank. = min(50L, ncol(zr$z), nrow(zr$z) - 1L))
        c(vote(predict(p, zq$z), p$x, t$reference$labels[zr$keep]),
            list(keep = zq$keep))
    })
    v <- r$value
    row(t$name, "PCA vote (uncorrected)", NA, mapping_scores(v$label,
        ifelse(v$confidence < 0.5, NA, v$label), v$confidence,
        t$query$labels[v$keep], unique(t$reference$labels)), r$seconds)
}

# The side's cells scaled as the model's training cells (scaled_like_model);
# log values are used as counts where the package recovers counts from
# them, else as log values.
pca_scaled <- function(side, model) {
    counts <- side$counts
    logged <- FALSE
    if (side$normalized) {
        rec <- contrastiveSC:::.recover_counts(counts, 1L)
        if (!is.null(rec)) counts <- rec$counts else logged <- TRUE
    }
    scaled_like_model(counts, model, model$genes, logged)
}

run_contrastive <- function(t, seed) {
    fit <- timed(contrastiveSC(t$reference$counts,
        k = length(unique(t$reference$labels)),
        normalized = t$reference$normalized, seed = seed,
        num.threads = threads))
    ref <- fit$value
    types <- unique(t$reference$labels)
    m <- timed(mapCells(t$query$counts, ref, labels = t$reference$labels,
        normalized = t$query$normalized, num.threads = threads))
    l <- m$value$labels
    mapped <- row(t$name, "contrastiveSC mapCells", seed, mapping_scores(
        l$label, l$pruned.label, l$score, t$query$labels, types),
        m$seconds, fit$seconds)
    # before mapCells: predict() without correction, a vote in the embedding
    u <- timed({
        emb <- predict(ref$model, t$query$counts, num.threads = threads)
        qkeep <- stats::complete.cases(emb)
        rkeep <- stats::complete.cases(ref$embedding)
        c(vote(emb[qkeep, , drop = FALSE], ref$embedding[rkeep, , drop = FALSE],
            t$reference$labels[rkeep]), list(keep = qkeep))
    })
    v <- u$value
    plain <- row(t$name, "contrastiveSC predict + vote (uncorrected)", seed,
        mapping_scores(v$label, ifelse(v$confidence < 0.5, NA, v$label),
            v$confidence, t$query$labels[v$keep], types), u$seconds)
    list(rows = rbind(mapped, plain), model = ref$model)
}

rows <- list()
for (t in mapping_tasks()) {
    message(sprintf("%s: %d reference, %d query cells, %d genes", t$name,
        ncol(t$reference$counts), ncol(t$query$counts),
        nrow(t$reference$counts)))
    model <- NULL
    for (seed in seeds) {
        r <- run_contrastive(t, seed)
        rows[[length(rows) + 1L]] <- r$rows
        if (is.null(model)) model <- r$model
    }
    rows[[length(rows) + 1L]] <- run_singler(t)
    rows[[length(rows) + 1L]] <- run_seurat(t)
    rows[[length(rows) + 1L]] <- run_pca_vote(t, model)
    utils::write.csv(do.call(rbind, rows), file.path(out, "scores.csv"),
        row.names = FALSE)
}
scores <- do.call(rbind, rows)
utils::write.csv(scores, file.path(out, "scores.csv"), row.names = FALSE)
message("wrote ", file.path(out, "scores.csv"))
