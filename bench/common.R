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
        k = length(unique(labels$label)), normalized = is_log_scale(dir))
}

# Whether a dataset's values are log-scale (pass normalized = TRUE): its
# meta.json says they are not integer counts and the largest is below 30,
# which linear-scale matrices (counts, RPKM) do not stay under. The core's
# io::is_log_scale applies the same rule for the Rust search.
is_log_scale <- function(dir) {
    meta <- paste(readLines(file.path(dir, "meta.json"), warn = FALSE),
        collapse = "\n")
    field <- function(k) sub(sprintf('.*"%s":\\s*([^,}\n]+).*', k), "\\1",
        meta)
    integer <- !grepl(sprintf('"%s"', "integer_counts"), meta) ||
        trimws(field("integer_counts")) == "true"
    max <- suppressWarnings(as.numeric(field("max_value")))
    !integer && isTRUE(max < 30)
}

# The no-training baseline of issue 12: the 50 leading principal components
# of exactly the genes and scaling a trained model saw (its kept genes,
# normalised to its median library size, log1p, scaled by its means and
# standard deviations), clustered by k-means with 50 restarts. Computed
# here in plain R from the model, independently of the core.
pca_baseline <- function(counts, model, k, seed) {
    t <- system.time({
        # log-normalised input whose counts the package recovered: the same
        if (!is.null(model$recovered.base)) {
            counts <- contrastiveSC:::.recover_counts(methods::as(counts,
                "CsparseMatrix"), 1L)$counts
        }
        x <- if (model$normalized) counts else ceiling(counts)
        totals <- Matrix::colSums(x)
        keep <- totals > 0
        x <- x[model$gene.index, keep, drop = FALSE]
        if (!model$normalized) {
            x <- log1p(t(t(as.matrix(x)) / totals[keep]) * model$median.total)
        }
        z <- (t(as.matrix(x)) - rep(model$means, each = sum(keep))) /
            rep(model$stds, each = sum(keep))
        pcs <- stats::prcomp(z, center = TRUE, scale. = FALSE,
            rank. = min(50L, ncol(z), nrow(z) - 1L))$x
        set.seed(seed)
        km <- stats::kmeans(pcs, k, nstart = 50, iter.max = 300)
    })[["elapsed"]]
    clusters <- rep(NA_integer_, ncol(counts))
    clusters[keep] <- km$cluster
    embedding <- matrix(NA_real_, ncol(counts), ncol(pcs))
    embedding[keep, ] <- pcs
    list(clusters = clusters, embedding = embedding, seconds = t)
}

# The command line of a one-dataset benchmark: DATA_DIR OUT.csv [REPEATS].
dataset_cli <- function(default_repeats) {
    args <- commandArgs(trailingOnly = TRUE)
    list(d = read_dataset(args[[1]]), out = args[[2]],
        repeats = if (length(args) > 2) as.integer(args[[3]]) else
            default_repeats)
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

# Resets this process's peak resident set size (VmHWM) to its current size
# (Linux), so that peak_rss_mib() then reports the peak of what follows.
reset_peak_rss <- function() {
    invisible(tryCatch(writeLines("5", "/proc/self/clear_refs"),
        error = function(e) NULL))
}

rss_mib <- function() {
    s <- readLines("/proc/self/status")
    as.numeric(gsub("[^0-9]", "", s[startsWith(s, "VmRSS")])) / 1024
}

# Seurat 4's standard pipeline (as SPEC.md section 7 ran it): NormalizeData
# (skipped for log-scale input, which becomes the "data" slot),
# FindVariableFeatures (2,000 genes), ScaleData, RunPCA, FindNeighbors on
# 30 PCs, FindClusters at the default resolution (0.8). Returns the object,
# the clusters and the seconds taken.
seurat_default <- function(counts, seed, normalized = FALSE) {
    suppressPackageStartupMessages(library(Seurat))
    npcs <- min(50L, ncol(counts) - 1L)
    t <- system.time({
        seu <- suppressWarnings(CreateSeuratObject(counts))
        # Log-scale input is Seurat's "data" already.
        seu <- if (normalized) SetAssayData(seu, slot = "data",
            new.data = counts) else NormalizeData(seu, verbose = FALSE)
        seu <- FindVariableFeatures(seu, verbose = FALSE)
        seu <- ScaleData(seu, verbose = FALSE)
        seu <- suppressWarnings(RunPCA(seu, npcs = npcs, verbose = FALSE))
        seu <- FindNeighbors(seu, dims = seq_len(min(30L, npcs)),
            verbose = FALSE)
        seu <- FindClusters(seu, verbose = FALSE, random.seed = seed)
    })[["elapsed"]]
    list(object = seu, clusters = Idents(seu), seconds = t,
        pca = Embeddings(seu, "pca")[, seq_len(min(30L, npcs))])
}

# FindClusters on the same graph, bisecting the resolution until it gives
# k clusters (or the closest found in 30 steps). Returns clusters, the
# resolution and the seconds of the search.
seurat_at_k <- function(seu, k, seed) {
    t0 <- proc.time()[["elapsed"]]
    lo <- 0.001
    hi <- 5
    best <- NULL
    for (i in seq_len(30)) {
        res <- sqrt(lo * hi) # geometric bisection: resolutions span decades
        cl <- Idents(FindClusters(seu, resolution = res, verbose = FALSE,
            random.seed = seed))
        m <- nlevels(droplevels(cl))
        if (is.null(best) || abs(m - k) < abs(best$n - k)) {
            best <- list(clusters = cl, resolution = res, n = m)
        }
        if (m == k) break
        if (m < k) lo <- res else hi <- res
    }
    best$seconds <- proc.time()[["elapsed"]] - t0
    best
}

# The command line of a search candidate (bench/experiments/search.R and its
# prototypes): NAME 'ARGS' (contrastiveSC() arguments as R code, evaluated
# into 'candidate'), then the script's other 'fixed' - 1 arguments, then
# [SEEDS] [DATA_DIR] [OUT_DIR] (defaults 0:4, ../shared/data,
# bench/results/search). The output folder is created.
candidate_cli <- function(fixed) {
    args <- commandArgs(trailingOnly = TRUE)
    opt <- function(i, default) if (length(args) >= i) args[[i]] else default
    out <- opt(fixed + 4L, "bench/results/search")
    dir.create(out, showWarnings = FALSE, recursive = TRUE)
    list(args = args, name = args[[1]],
        candidate = eval(parse(text = args[[2]])),
        seeds = eval(parse(text = opt(fixed + 2L, "0:4"))),
        root = opt(fixed + 3L, "../shared/data"), out = out)
}

# One row of a candidate's CSV: a clustering of dataset 'd' scored against
# its labels ('scores' from clusteringScores()).
candidate_row <- function(name, d, seed, scores, genes, stability, seconds) {
    data.frame(candidate = name, dataset = d$name, seed = seed,
        ARI = scores[["ARI"]], NMI = scores[["NMI"]],
        silhouette = scores[["silhouette"]], genes = genes,
        stability = stability, seconds = seconds)
}

# Writes a candidate's rows to OUT/NAME.csv, with how it was made ('args').
write_candidate <- function(rows, name, args, out) {
    q <- do.call(rbind, rows)
    q$args <- args
    utils::write.csv(q, file.path(out, paste0(name, ".csv")), row.names = FALSE)
}

# The suite's markdown summary (OUT/quality-summary.md, also printed) from
# its rows 'q' (one per dataset x method x seed): means over the original
# seven datasets, the seven added later and all, wins and losses against the
# PCA baseline, and a per-dataset table with speed against Seurat's
# pipeline. 'command' says how the rows were made.
write_suite_summary <- function(q, out, command) {
    agg <- aggregate(cbind(ARI, NMI, silhouette, clusters, seconds) ~ dataset +
        method, data = q, FUN = mean, na.action = na.pass)
    seurat_s <- agg$seconds[agg$method == "Seurat default"]
    names(seurat_s) <- agg$dataset[agg$method == "Seurat default"]
    agg$speed <- seurat_s[agg$dataset] / agg$seconds
    fmt <- function(a) sprintf("| %s | %s | %.3f | %.3f | %.3f | %.1f | %.2f | %.1fx |",
        a$dataset, a$method, a$ARI, a$NMI, a$silhouette, a$clusters, a$seconds,
        a$speed)
    original <- c("10X_PBMC_top2000", "worm_neuron_cell", "Baron_mouse1_pancreas",
        "CellBench_10x_3cl_894genes", "Zeisel_subset_descend_1000genes",
        "Islam2011_mESC_MEF", "Pollen_fluidigm_HighCov")
    half <- function(sel) {
        if (!any(sel)) {
            return(data.frame(method = sort(unique(agg$method)), ARI = NA, NMI = NA,
                clusters = NA))
        }
        aggregate(cbind(ARI, NMI, clusters) ~ method, data = agg[sel, ],
            FUN = mean)
    }
    halves <- list(`original 7` = agg$dataset %in% original,
        `added 7` = !agg$dataset %in% original, all = rep(TRUE, nrow(agg)))
    means <- lapply(halves, half)
    baseline <- "PCA of the same genes + k-means"
    ari_of <- function(m) setNames(agg$ARI[agg$method == m],
        agg$dataset[agg$method == m])
    versus <- function(m) {
        a <- ari_of(m)
        b <- ari_of(baseline)[names(a)]
        sprintf("| %s | %d | %d | %+.3f (%s) |", m, sum(a > b + 1e-9),
            sum(a < b - 1e-9), min(a - b), names(a)[which.min(a - b)])
    }
    methods <- setdiff(unique(agg$method), baseline)
    lines <- c(
        sprintf("Benchmark suite, %s, seeds %s, %s.", format(Sys.Date()),
            paste(range(q$seed), collapse = "-"), command),
        "",
        "Means over datasets of the per-dataset means over seeds:",
        "",
        "| method | ARI, original 7 | ARI, added 7 | ARI, all | NMI, all | clusters, all |",
        "|---|---|---|---|---|---|",
        sprintf("| %s | %.3f | %.3f | %.3f | %.3f | %.1f |", means$all$method,
            means$`original 7`$ARI, means$`added 7`$ARI, means$all$ARI,
            means$all$NMI, means$all$clusters),
        "",
        sprintf("Against %s, per dataset (ARI, mean over seeds):", baseline),
        "",
        "| method | datasets won | lost | worst difference |",
        "|---|---|---|---|",
        vapply(methods, versus, ""),
        "",
        "| dataset | method | ARI | NMI | silhouette | clusters | seconds | speed vs Seurat pipeline |",
        "|---|---|---|---|---|---|---|---|",
        fmt(agg[order(agg$dataset, agg$method), ]))
    writeLines(lines, file.path(out, "quality-summary.md"))
    writeLines(lines)
}
