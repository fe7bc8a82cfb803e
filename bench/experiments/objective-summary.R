# Summarises the training-objective search (issue 26): for every CSV that
# bench/experiments/objective.R wrote, and each mode (k known, k unknown),
# the mean ARI over the three groups of datasets and all of them (per
# dataset the mean over seeds), the datasets won and lost against the
# candidate named BASE (by more than 0.005), the worst difference, the
# total seconds, and the protocol's verdict: kept only if the mean rises,
# no group falls by more than 0.01 and more datasets are won than lost.
#   Rscript bench/experiments/objective-summary.R [SEARCH_DIR] [BASE] [OUT_MD]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[[1]] else "bench/results/issue26/search"
base <- if (length(args) > 1) args[[2]] else "base"
out <- if (length(args) > 2) args[[3]] else file.path(dir, "summary.md")
files <- list.files(dir, pattern = "[.]csv$", full.names = TRUE)
q <- do.call(rbind, lapply(files, utils::read.csv))
seeds <- tapply(q$seed, q$candidate, function(s) length(unique(s)))
per <- function(c, m, seeds = unique(q$seed)) {
    r <- q[q$candidate == c & q$mode == m & q$seed %in% seeds, ]
    tapply(r$ARI, r$dataset, mean)
}
f3 <- function(x) sprintf("%.3f", x)
line <- function(c, m) {
    # the base at the candidate's seeds, on the datasets it has reached
    p <- per(c, m)
    b <- per(base, m, unique(q$seed[q$candidate == c]))[names(p)]
    groups <- vapply(dataset_groups, function(g) mean(p[intersect(g, names(p))]), 0)
    bgroups <- vapply(dataset_groups, function(g) mean(b[intersect(g, names(b))]), 0)
    d <- p - b
    won <- sum(d > 0.005)
    lost <- sum(d < -0.005)
    worst <- which.min(d)
    keep <- mean(p) > mean(b) && all(groups - bgroups >= -0.01) && won > lost
    secs <- sum(q$seconds[q$candidate == c & q$mode == m]) / seeds[[c]]
    sprintf("| %s | %s | %d | %s | **%s** | %s | %d / %d | %+.3f (%s) | %.0f | %s |", c, m,
        length(p), paste(f3(groups), collapse = " | "), f3(mean(p)), f3(mean(b)),
        won, lost, d[worst],
        names(d)[worst], secs, if (c == base) "base" else if (keep) "keep" else "no")
}
cands <- unique(q$candidate)
args_of <- vapply(cands, function(c) q$args[q$candidate == c][[1]], "")
lines <- c(
    "Training-objective search (issue 26): mean ARI (per dataset the mean over seeds).",
    sprintf("Rows: `Rscript bench/experiments/objective.R NAME 'ARGS' SEEDS`; this table: `Rscript bench/experiments/objective-summary.R %s %s`.", dir, base),
    "A candidate stopped early is compared on the datasets it reached (the base at the same seeds). Won / lost: datasets more than 0.005 above / below the base; seconds: training + that mode's clustering over all datasets, per seed.", "",
    sprintf("| candidate | mode | datasets | %s | all | %s, same datasets and seeds | won / lost vs %s | worst | s per seed | protocol |",
        paste(names(dataset_groups), collapse = " | "), base, base),
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    unlist(lapply(c("k known", "k unknown"), function(m)
        vapply(cands, line, "", m = m))), "",
    "| candidate | arguments | seeds |", "|---|---|---|",
    sprintf("| %s | `%s` | %d |", cands, args_of, seeds[cands]))
writeLines(lines, out)
writeLines(lines)
