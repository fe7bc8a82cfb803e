# Summarises the search for better defaults (issue 7): one line per
# candidate (every CSV that bench/experiments/search.R wrote), mean ARI per dataset over
# its seeds, the mean over datasets, PBMC's seed standard deviation and
# PBMC's mean seconds.
#   Rscript bench/experiments/search-summary.R [SEARCH_DIR] [OUT_MD]
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[[1]] else "bench/results/search"
out <- if (length(args) > 1) args[[2]] else file.path(dir, "summary.md")
files <- list.files(dir, pattern = "[.]csv$", full.names = TRUE)
cols <- c("candidate", "dataset", "seed", "ARI", "NMI", "silhouette", "genes",
    "stability", "seconds", "args")
q <- do.call(rbind, lapply(files, function(f) utils::read.csv(f)[, cols]))
short <- c(`10X_PBMC_top2000` = "PBMC", Baron_mouse1_pancreas = "Baron",
    CellBench_10x_3cl_894genes = "CellBench", Islam2011_mESC_MEF = "Islam",
    Pollen_fluidigm_HighCov = "Pollen", worm_neuron_cell = "worm",
    Zeisel_subset_descend_1000genes = "Zeisel")
q$short <- ifelse(q$dataset %in% names(short), short[q$dataset], q$dataset)
datasets <- sort(unique(q$short))
line <- function(c) {
    r <- q[q$candidate == c, ]
    per <- tapply(r$ARI, r$short, mean)[datasets]
    pbmc <- r[r$short == "PBMC", ]
    stab <- if (all(is.na(r$stability))) "" else
        sprintf("%.3f", mean(r$stability, na.rm = TRUE))
    sprintf("| %s | `%s` | %s | **%.3f** | %.3f | %.2f | %s | %d |", c,
        r$args[[1]], paste(sprintf("%.3f", per), collapse = " | "),
        mean(per), stats::sd(pbmc$ARI), mean(pbmc$seconds), stab,
        length(unique(r$seed)))
}
cands <- unique(q$candidate)
means <- sapply(cands, function(c) {
    r <- q[q$candidate == c, ]
    mean(tapply(r$ARI, r$short, mean))
})
lines <- c(
    sprintf("Search for defaults (issue 7), k-means with the true k, %s; %s.",
        "mean ARI over seeds per dataset", "sorted by the mean over datasets"),
    "Each row: `Rscript bench/experiments/search.R NAME 'ARGS' 0:4`; this table:",
    sprintf("`Rscript bench/experiments/search-summary.R %s`.", dir), "",
    sprintf("| candidate | arguments | %s | mean | PBMC sd | PBMC s | stability | seeds |",
        paste(datasets, collapse = " | ")),
    paste0("|", strrep("---|", length(datasets) + 7L)),
    vapply(cands[order(-means)], line, ""))
writeLines(lines, out)
writeLines(lines)
