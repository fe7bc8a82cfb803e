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
        scaled <- scaled_like_model(x, model, model$gene.index,
            logged = model$normalized)
        z <- scaled$z
        keep <- scaled$keep
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

# The cells of 'x' (genes x cells) with counts, normalised to the model's
# median library size and log1p'ed (unless 'logged': log values already),
# then scaled by its gene means and deviations, in plain R: cells x the
# model's genes ('rows' of 'x'), and which cells were kept.
scaled_like_model <- function(x, model, rows, logged) {
    totals <- Matrix::colSums(x)
    keep <- totals > 0
    x <- x[rows, keep, drop = FALSE]
    if (!logged) {
        x <- log1p(t(t(as.matrix(x)) / totals[keep]) * model$median.total)
    }
    z <- (t(as.matrix(x)) - rep(model$means, each = sum(keep))) /
        rep(model$stds, each = sum(keep))
    list(z = z, keep = keep)
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

# Seurat's standard pipeline (as SPEC.md section 7 ran it with Seurat 4; the
# same calls on Seurat 5 in bench/seurat5-quality.R): NormalizeData
# (skipped for log-scale input, which becomes the "data" slot),
# FindVariableFeatures (2,000 genes), ScaleData, RunPCA, FindNeighbors on
# 30 PCs, FindClusters at the default resolution (0.8). Returns the object,
# the clusters and the seconds taken.
seurat_default <- function(counts, seed, normalized = FALSE) {
    suppressPackageStartupMessages(library(Seurat))
    npcs <- min(50L, ncol(counts) - 1L)
    t <- system.time({
        # Seurat 5 refuses duplicated gene names (CellBench 10x has five;
        # Seurat 4 renamed them); both turn "_" into "-" in gene names
        colnames(counts) <- make.unique(colnames(counts))
        rownames(counts) <- make.unique(gsub("_", "-", rownames(counts)))
        seu <- suppressWarnings(CreateSeuratObject(counts))
        # Log-scale input is Seurat's "data" already.
        seu <- if (!normalized) NormalizeData(seu, verbose = FALSE) else
            set_seurat_data(seu, counts)
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

# Log-scale values as the "data" of a Seurat object: a layer of SeuratObject
# 5 (make test-seurat5's library), a slot of SeuratObject 4.
set_seurat_data <- function(seu, values) {
    if (utils::packageVersion("SeuratObject") >= "5.0.0") {
        SeuratObject::LayerData(seu, layer = "data") <- values
        return(seu)
    }
    SeuratObject::SetAssayData(seu, slot = "data", new.data = values)
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

# The three groups of shared datasets, reported apart: the original seven,
# the seven added next, and the six added on 2026-12-06 (kept aside while
# the earlier defaults were chosen). A dataset in none of them (a folder of
# other data) counts in "all" only.
dataset_groups <- list(
    `original 7` = c("10X_PBMC_top2000", "worm_neuron_cell",
        "Baron_mouse1_pancreas", "CellBench_10x_3cl_894genes",
        "Zeisel_subset_descend_1000genes", "Islam2011_mESC_MEF",
        "Pollen_fluidigm_HighCov"),
    `added 7` = c("Zheng_2017_PBMC_sorted_3types",
        "Stoeckius_2018_cellhashing_4celllines",
        "Baron_2016_human_pancreas_subset", "CellBench_RNAmix_celseq2",
        "Kolodziejczyk_2015_mESC_subset", "Xin_2016_human_islet_subset",
        "Yan_2013_human_embryo"),
    `newest 6` = c("Baron_mouse2_pancreas", "CITEseq_PBMC_top2000",
        "Goolam_mouse_embryo", "CellBench_Dropseq_3cl",
        "CellBench_CELseq2_3cl", "CellBench_CELseq2_5cl"))

# The suite's methods and the baseline each is compared with: the k-known
# ones with PCA of the same genes + k-means, the k-unknown one with the same
# rule on PCA of the same genes.
suite_methods <- c(
    `contrastiveSC k known` = "PCA of the same genes + k-means",
    `contrastiveSC k known, plain k-means` = "PCA of the same genes + k-means",
    `contrastiveSC reference, k known` = "PCA of the same genes + k-means",
    `PCA of the same genes + k-means` = NA,
    `Seurat at k` = "PCA of the same genes + k-means",
    `contrastiveSC k unknown` = "PCA of the same genes, k-unknown rule",
    `PCA of the same genes, k-unknown rule` = NA,
    `Seurat default` = "PCA of the same genes, k-unknown rule")

# The suite's markdown summary (OUT/quality-summary.md, also printed) from
# its rows 'q' (one per dataset x method x seed): means over each group of
# datasets and over all, wins and losses against each method's baseline,
# the issue-22 targets, and a per-dataset table with speed against Seurat's
# pipeline. 'command' says how the rows were made.
write_suite_summary <- function(q, out, command) {
    agg <- aggregate(cbind(ARI, NMI, silhouette, clusters, seconds) ~ dataset +
        method, data = q, FUN = mean, na.action = na.pass)
    ari <- tapply(agg$ARI, list(agg$method, agg$dataset), mean)
    methods <- intersect(names(suite_methods), rownames(ari))
    groups <- c(lapply(dataset_groups, intersect, colnames(ari)),
        list(all = colnames(ari)))
    groups <- groups[lengths(groups) > 0L]
    mean_of <- function(m, g) mean(ari[m, g])
    f3 <- function(x) sprintf("%.3f", x)
    versus <- function(m) {
        b <- suite_methods[[m]]
        if (is.na(b) || !b %in% rownames(ari)) return("| | |")
        d <- ari[m, ] - ari[b, ]
        sprintf("| %d / %d | %+.3f (%s) |", sum(d > 1e-9), sum(d < -1e-9),
            min(d), names(d)[which.min(d)])
    }
    table <- vapply(methods, function(m) sprintf("| %s | %s %s", m,
        paste(vapply(groups, function(g) f3(mean_of(m, g)), ""),
            collapse = " | "), versus(m)), "")
    known <- "contrastiveSC k known"
    unknown <- "contrastiveSC k unknown"
    pca <- "PCA of the same genes + k-means"
    pca.rule <- "PCA of the same genes, k-unknown rule"
    target <- function(what, value, bar) sprintf("| %s | %+.3f | %s | %s |",
        what, value, bar, if (value >= bar - 1e-9) "met" else "**not met**")
    targets <- character()
    if (all(c(known, pca) %in% methods)) {
        targets <- c(targets, vapply(names(groups), function(g) target(
            sprintf("k known - PCA + k-means, %s", g),
            mean_of(known, groups[[g]]) - mean_of(pca, groups[[g]]), 0.03), ""),
            target("k known - PCA + k-means, worst dataset",
                min(ari[known, ] - ari[pca, ]), -0.10))
    }
    if (all(c(known, unknown) %in% methods)) {
        targets <- c(targets, vapply(names(groups), function(g) target(
            sprintf("k known - k unknown, %s", g),
            mean_of(known, groups[[g]]) - mean_of(unknown, groups[[g]]), 0),
            ""))
    }
    if (all(c(unknown, pca.rule, "Seurat default") %in% methods)) {
        targets <- c(targets,
            target("k unknown - the same rule on PCA, all",
                mean_of(unknown, groups$all) - mean_of(pca.rule, groups$all),
                0.05),
            target("k unknown - Seurat default, all",
                mean_of(unknown, groups$all) -
                mean_of("Seurat default", groups$all), 0.08))
    }
    pbmc <- q[q$dataset == "10X_PBMC_top2000", ]
    sds <- tapply(pbmc$ARI, pbmc$method, stats::sd)
    speed <- agg$seconds[agg$method == "Seurat default"]
    names(speed) <- agg$dataset[agg$method == "Seurat default"]
    agg$speed <- speed[agg$dataset] / agg$seconds
    agg <- agg[agg$method %in% methods, ]
    agg <- agg[order(agg$dataset, match(agg$method, methods)), ]
    lines <- c(
        sprintf("Benchmark suite, %s, seeds %s, %s.", format(Sys.Date()),
            paste(range(q$seed), collapse = "-"), command),
        "",
        "Mean ARI over datasets of the per-dataset means over seeds; each method",
        "against its baseline (k known: PCA of the same genes + k-means at the",
        "same seed; k unknown: the same Leiden + silhouette rule on that PCA):",
        "",
        sprintf("| method | %s | datasets won / lost against the baseline | worst difference |",
            paste(sprintf("%s (%d)", names(groups), lengths(groups)),
                collapse = " | ")),
        paste0("|", strrep("---|", length(groups) + 3L)),
        table,
        "",
        "Targets of issue 22 (means over datasets):",
        "",
        "| target | value | at least | |",
        "|---|---|---|---|",
        targets,
        "",
        sprintf("PBMC seed sd: %s.", paste(sprintf("%s %.3f", names(sds),
            sds), collapse = "; ")),
        "",
        "| dataset | method | ARI | NMI | silhouette | clusters | seconds | speed vs Seurat pipeline |",
        "|---|---|---|---|---|---|---|---|",
        sprintf("| %s | %s | %.3f | %.3f | %.3f | %.1f | %.2f | %.1fx |",
            agg$dataset, agg$method, agg$ARI, agg$NMI, agg$silhouette,
            agg$clusters, agg$seconds, agg$speed))
    writeLines(lines, file.path(out, "quality-summary.md"))
    writeLines(lines)
}
