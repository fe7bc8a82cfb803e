# Issue 4's numbers from the suite's rows (bench/results/quality.csv): on
# the datasets with at least 3 types, contrastiveSC without k against
# contrastiveSC with the true k (same defaults), Seurat's default
# clustering and the paper's Leiden figures; cluster-count error; time of
# the k-unknown path as a ratio to the k-known one on PBMC.
#   Rscript bench/experiments/unknown-k-summary.R [QUALITY_CSV] [OUT_MD]
args <- commandArgs(trailingOnly = TRUE)
q <- utils::read.csv(if (length(args) > 0) args[[1]] else
    "bench/results/quality.csv")
out <- if (length(args) > 1) args[[2]] else "bench/results/unknown-k.md"
truth <- c(`10X_PBMC_top2000` = 8, Baron_mouse1_pancreas = 13,
    CellBench_10x_3cl_894genes = 3, Islam2011_mESC_MEF = 2,
    Pollen_fluidigm_HighCov = 4, worm_neuron_cell = 10,
    Zeisel_subset_descend_1000genes = 3)
paper <- c(`10X_PBMC_top2000` = "0.51", worm_neuron_cell = "0.49")
q <- q[truth[q$dataset] >= 3, ]
m <- function(method, col) tapply(q[q$method == method, col],
    q$dataset[q$method == method], mean)
known <- m("contrastiveSC k known", "ARI")
unknown <- m("contrastiveSC k unknown", "ARI")
found <- m("contrastiveSC k unknown", "clusters")
seurat <- m("Seurat default", "ARI")
seurat_k <- m("Seurat default", "clusters")
t_known <- m("contrastiveSC k known", "seconds")
t_unknown <- m("contrastiveSC k unknown", "seconds")
d <- names(known)
err <- abs(found[d] - truth[d]) / truth[d]
lines <- c(
    sprintf("k unknown vs k known (issue 4), seeds %s, datasets with >= 3 types,",
        paste(range(q$seed), collapse = "-")),
    "from `bench/results/quality.csv` (`Rscript bench/suite.R`);",
    "`Rscript bench/experiments/unknown-k-summary.R`.", "",
    "| dataset | true k | ARI k known | ARI k unknown | clusters found | count error | Seurat default ARI (clusters) | paper Leiden ARI |",
    "|---|---|---|---|---|---|---|---|",
    sprintf("| %s | %d | %.3f | %.3f | %.1f | %.0f%% | %.3f (%.1f) | %s |", d,
        truth[d], known[d], unknown[d], found[d], 100 * err, seurat[d],
        seurat_k[d], ifelse(is.na(paper[d]), "", paper[d])),
    sprintf("| **mean** | | **%.3f** | **%.3f** | | **%.0f%%** | %.3f | |",
        mean(known), mean(unknown), 100 * mean(err), mean(seurat)), "",
    sprintf("ARI gap (unknown - known): %+.3f. Time on PBMC: k known %.2f s, k unknown %.2f s (ratio %.2f).",
        mean(unknown) - mean(known), t_known[["10X_PBMC_top2000"]],
        t_unknown[["10X_PBMC_top2000"]],
        t_unknown[["10X_PBMC_top2000"]] / t_known[["10X_PBMC_top2000"]]))
writeLines(lines, out)
writeLines(lines)
