# Summary of bench/large.sh (issue 14): the synthetic sizes from memory and
# HDF5 and PBMC against its peers, next to the issue's targets, as
# OUT_DIR/README.md.
#   Rscript bench/large-summary.R bench/results/large
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[[1]] else "bench/results/large"
read <- function(f) {
    p <- file.path(dir, f)
    if (file.exists(p)) utils::read.csv(p) else NULL
}
q <- read("large.csv")
lines <- c("# Large data and PBMC speed (issue 14)", "",
    "`make bench-large` (`bash bench/large.sh`) on this 2-core machine,",
    "`num.threads = 2`; raw rows in `large.csv` and the CSVs beside it,",
    "`/usr/bin/time -v` of each size in `time-*.txt`. Synthetic counts:",
    "20,000 genes, about 290 non-zeros per cell, 10 types, k = 10",
    "(generator in `bench/large.R`). Seconds are wall-clock seconds of",
    "`contrastiveSC()`; peak memory is the R process's peak resident size",
    "during the call beyond its size before it (the input included in the",
    "latter).", "")
if (!is.null(q)) {
    lines <- c(lines, paste("| cells | source | total s | preprocess s |",
        "train + embed s | cluster s | epochs | training cells | peak beyond",
        "input MiB | input MiB | ARI |"),
        "|---|---|---|---|---|---|---|---|---|---|---|")
    for (i in seq_len(nrow(q))) {
        r <- q[i, ]
        lines <- c(lines, sprintf(
            "| %s | %s | %.1f | %.1f | %.1f | %.1f | %d | %s | %d | %d | %.3f |",
            format(r$cells, big.mark = ","), r$source, r$wall_s,
            r$preprocess_s, r$train_s, r$cluster_s, r$epochs,
            format(r$training_cells, big.mark = ","),
            r$peak_beyond_input_mib, r$input_mib, r$ARI))
    }
    at <- function(n, s) q$wall_s[q$cells == n & q$source == s][1]
    m6 <- q[q$cells == 1e6 & q$source == "memory", ]
    lines <- c(lines, "", "Targets:", "")
    if (nrow(m6)) {
        lines <- c(lines, sprintf(paste(
            "- 10^6 cells from memory: %.0f s (target <= 180), %d MiB beyond",
            "the input (target <= 4,096), ARI %.3f (target >= 0.95)."),
            m6$wall_s, m6$peak_beyond_input_mib, m6$ARI))
        lines <- c(lines, sprintf(
            "- 10^5 -> 10^6 cells: %.1fx the time (target <= 6x).",
            at(1e6, "memory") / at(1e5, "memory")))
    }
    for (n in unique(q$cells[q$source == "hdf5"])) {
        lines <- c(lines, sprintf(
            "- %s cells from HDF5: %.2fx the in-memory time (target <= 1.5x).",
            format(n, big.mark = ","), at(n, "hdf5") / at(n, "memory")))
    }
}
pbmc <- read("pbmc-defaults-reference.csv")
seu <- read("pbmc-seurat.csv")
torch <- read("pbmc-pytorch.csv")
if (!is.null(pbmc)) {
    med <- tapply(pbmc$wall_s, pbmc$setting, stats::median)
    ari <- tapply(pbmc$ARI, pbmc$setting, mean)
    lines <- c(lines, "", "PBMC (4,271 cells), median seconds over the repeats:",
        "", "| setting | seconds | mean ARI |", "|---|---|---|")
    for (nm in names(med)) {
        lines <- c(lines, sprintf("| contrastiveSC, %s | %.2f | %.3f |", nm,
            med[[nm]], ari[[nm]]))
    }
    if (!is.null(seu)) {
        s <- seu[seu$method == "Seurat pipeline", ]
        lines <- c(lines, sprintf("| Seurat pipeline (to clusters) | %.2f | |",
            stats::median(s$wall_s)))
    }
    if (!is.null(torch)) {
        col <- intersect(c("total_s", "wall_s", "seconds"), names(torch))[1]
        lines <- c(lines, sprintf(
            "| original pipeline in PyTorch (scanpy, 30 epochs, 10 restarts) | %.2f | %s |",
            stats::median(torch[[col]]), if ("ARI" %in% names(torch))
                sprintf("%.3f", mean(torch$ARI)) else ""))
    }
}
writeLines(lines, file.path(dir, "README.md"))
cat(lines, sep = "\n")
