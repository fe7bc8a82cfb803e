# Summarises the issue-12 search: every CSV that the core's `search`
# example wrote (one row per candidate x dataset x seed: candidate, dataset,
# seed, method "csc" or "pca", ARI, seconds), one line per candidate with
# the mean ARI over seeds per dataset, the means over the original seven
# datasets, the seven added later and all fourteen, and the datasets won
# and lost against the PCA baseline (50 PCs of the same genes + k-means)
# and against the candidates named in BASE (comma-separated: the defaults
# before the search, and today's defaults).
#   Rscript bench/experiments/issue12-summary.R [DIR] [OUT_MD] [BASE] [MORE.csv...]
# (MORE: further candidates' CSVs from elsewhere, e.g. the counts path next
# to the log-scale runs of bench/results/issue12-normalized/)
# (defaults: bench/results/issue12, DIR/summary.md,
# defaults-before,neighbours-10-min-steps-600).
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[[1]] else "bench/results/issue12"
out <- if (length(args) > 1) args[[2]] else file.path(dir, "summary.md")
base <- strsplit(if (length(args) > 2) args[[3]] else
    "defaults-before,neighbours-10-min-steps-600", ",")[[1]]
files <- c(list.files(dir, pattern = "[.]csv$", full.names = TRUE),
    if (length(args) > 3) args[-(1:3)])
rows <- do.call(rbind, lapply(files, function(f) {
    q <- utils::read.csv(f, header = FALSE)[, 1:6]
    names(q) <- c("candidate", "dataset", "seed", "method", "ARI", "seconds")
    q
}))
# One PCA baseline when the candidates share their genes; when they do not
# (the log-scale runs), each candidate's own, named after it.
pca <- rows[rows$method == "pca", ]
own.pca <- length(unique(pca$candidate)) > 1
pca.of <- function(c) if (own.pca) paste("PCA of the same genes:", c) else
    "PCA of the same genes + k-means"
pca$candidate <- vapply(pca$candidate, pca.of, "")
rows <- rbind(rows[rows$method == "csc", ], pca)
original <- c("10X_PBMC_top2000", "worm_neuron_cell", "Baron_mouse1_pancreas",
    "CellBench_10x_3cl_894genes", "Zeisel_subset_descend_1000genes",
    "Islam2011_mESC_MEF", "Pollen_fluidigm_HighCov")
per <- tapply(rows$ARI, list(rows$candidate, rows$dataset), mean)
datasets <- c(sort(intersect(original, colnames(per))),
    sort(setdiff(colnames(per), original)))
per <- per[, datasets, drop = FALSE]
versus <- function(a, b) {
    ok <- !is.na(a) & !is.na(b)
    sprintf("%d/%d", sum(a[ok] > b[ok] + 1e-9), sum(a[ok] < b[ok] - 1e-9))
}
line <- function(c) {
    v <- per[c, ]
    vs.base <- vapply(base, function(b) if (b %in% rownames(per))
        versus(v, per[b, ]) else "", "")
    sprintf("| %s | %s | %.3f | %.3f | **%.3f** | %s | %s |", c,
        paste(sprintf("%.3f", v), collapse = " | "),
        mean(v[datasets %in% original]), mean(v[!datasets %in% original]),
        mean(v), if (pca.of(c) %in% rownames(per)) versus(v,
            per[pca.of(c), ]) else "",
        paste(vs.base, collapse = " | "))
}
short <- sub("_.*", "", datasets)
short[duplicated(short) | duplicated(short, fromLast = TRUE)] <-
    substr(datasets, 1, 12)[duplicated(short) | duplicated(short,
        fromLast = TRUE)]
complete <- rownames(per)[rowSums(is.na(per)) == 0]
lines <- c(
    "Issue 12 search: k-means with the true k, mean ARI over seeds 0-4 per",
    "dataset, sorted by the mean over all 14. First seven columns: the",
    "original datasets; last seven: those added later. Each row:",
    "`cargo run --release --example search -- ../shared/data 0-4 NAME ARGS`",
    sprintf("(`src/rust/core`); this table: `Rscript bench/experiments/issue12-summary.R %s`.",
        dir),
    "W/L: datasets won/lost against the PCA baseline and against",
    paste(sprintf("`%s`", base), collapse = " and "),
    "(the defaults before the search, and the defaults it chose).", "",
    sprintf("| candidate | %s | original 7 | added 7 | all 14 | W/L vs PCA | %s |",
        paste(short, collapse = " | "),
        paste(sprintf("W/L vs %s", base), collapse = " | ")),
    paste0("|", strrep("---|", length(datasets) + 5L + length(base))),
    vapply(complete[order(-rowMeans(per[complete, , drop = FALSE]))], line,
        ""))
writeLines(lines, out)
writeLines(lines)
