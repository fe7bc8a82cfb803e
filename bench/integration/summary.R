# Issue 21's integration benchmark, summary: the scib-metrics scores and
# the quick check of each method (mean over the seeds it ran), per task,
# and the issue's targets, from metrics.py's scores.csv and times.csv.
#   Rscript bench/integration/summary.R bench/results/integration
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[[1L]] else file.path("bench", "results",
    "integration")
scores <- utils::read.csv(file.path(dir, "scores.csv"), check.names = FALSE)
times <- utils::read.csv(file.path(dir, "times.csv"))

ours <- "contrastiveSC (batch)"
methods <- c(ours, "contrastiveSC", "contrastiveSC (IntegrateLayers)",
    "Seurat anchors", "Seurat 5 CCA", "Seurat 5 RPCA", "Harmony", "scVI",
    "Scanorama", "PCA (no integration)")
columns <- c(bio = "Bio conservation", batch = "Batch correction",
    total = "Total", ARI = "ARI_at_k", mixing = "mixing")
mean_of <- function(task, method) {
    s <- scores[scores$task == task & scores$method == method, , drop = FALSE]
    if (!nrow(s)) return(NULL)
    c(vapply(columns, function(col) mean(s[[col]]), 0), seeds = nrow(s))
}
f3 <- function(x) sprintf("%.3f", x)
lines <- c("# Integration benchmark (issue 21)", "",
    "Command: `make bench-integration` (bench/integration/run.sh).",
    "scib-metrics Benchmarker (default metrics, not min-max scaled; total =",
    "0.6 bio conservation + 0.4 batch correction), ARI of each method's",
    "clusters at the true k (contrastiveSC: its own; others: k-means) and",
    "batch mixing as issue 21 defines it (15 nearest neighbours). Means over",
    "the seeds each method ran (contrastiveSC and Harmony 0-4; the others",
    "once). scVI needs counts, so it does not run on the islets task (one",
    "protocol has log values only).", "")
targets <- NULL
for (task in unique(scores$task)) {
    rows <- Filter(Negate(is.null), stats::setNames(lapply(methods,
        function(m) mean_of(task, m)), methods))
    lines <- c(lines, sprintf("## %s", task), "",
        "| method | bio | batch | total | ARI at k | mixing | seeds |",
        "|---|---|---|---|---|---|---|",
        vapply(names(rows), function(m) {
            r <- rows[[m]]
            sprintf("| %s | %s | %s | %s | %s | %s | %d |", m, f3(r[["bio"]]),
                f3(r[["batch"]]), f3(r[["total"]]), f3(r[["ARI"]]),
                f3(r[["mixing"]]), r[["seeds"]])
        }, ""), "")
    peers <- intersect(c("Seurat anchors", "Harmony", "scVI"), names(rows))
    best <- max(vapply(rows[peers], `[[`, 0, "total"))
    t_ours <- times$seconds[times$task == task & times$method == ours]
    t_base <- times$seconds[times$task == task &
        times$method == "contrastiveSC"]
    targets <- rbind(targets, data.frame(task = task,
        total_vs_best_peer = rows[[ours]][["total"]] - best,
        bio_vs_without = rows[[ours]][["bio"]] -
            rows[["contrastiveSC"]][["bio"]],
        batch_vs_harmony = rows[[ours]][["batch"]] -
            rows[["Harmony"]][["batch"]],
        ARI_vs_without = rows[[ours]][["ARI"]] -
            rows[["contrastiveSC"]][["ARI"]],
        mixing = rows[[ours]][["mixing"]],
        mixing_ratio = rows[[ours]][["mixing"]] /
            rows[["contrastiveSC"]][["mixing"]],
        time_ratio = mean(t_ours) / mean(t_base),
        total_vs_anchors = rows[[ours]][["total"]] -
            rows[["Seurat anchors"]][["total"]],
        # issue 28: through IntegrateLayers, against Seurat 5's own methods
        layers_vs_seurat5 = if (all(c("contrastiveSC (IntegrateLayers)",
            "Seurat 5 CCA", "Seurat 5 RPCA") %in% names(rows)))
            rows[["contrastiveSC (IntegrateLayers)"]][["total"]] -
                max(rows[["Seurat 5 CCA"]][["total"]],
                    rows[["Seurat 5 RPCA"]][["total"]]) else NA))
}
met <- function(ok) ifelse(ok, "met", "**not met**")
lines <- c(lines, "## Targets", "",
    "| task | total - best of Seurat/Harmony/scVI | bio - without batch | batch - Harmony | ARI - without batch | mixing | mixing / without | time / without |",
    "|---|---|---|---|---|---|---|---|",
    sprintf("| %s | %+.3f (%s) | %+.3f (%s) | %+.3f (%s) | %+.3f | %.3f | %.2fx | %.2fx (%s) |",
        targets$task, targets$total_vs_best_peer,
        met(targets$total_vs_best_peer >= 0), targets$bio_vs_without,
        met(targets$bio_vs_without >= 0), targets$batch_vs_harmony,
        met(targets$batch_vs_harmony >= 0), targets$ARI_vs_without,
        targets$mixing, targets$mixing_ratio, targets$time_ratio,
        met(targets$time_ratio <= 1.5)), "",
    "| task | total - Seurat 4.3 anchors (issue 26) | IntegrateLayers total - best of Seurat 5 CCA/RPCA (issue 28) |",
    "|---|---|---|",
    sprintf("| %s | %+.3f (%s) | %s |", targets$task, targets$total_vs_anchors,
        met(targets$total_vs_anchors >= 0), ifelse(is.na(
            targets$layers_vs_seurat5), "not run (no SEURAT5_LIB)",
            sprintf("%+.3f (%s)", targets$layers_vs_seurat5,
                met(targets$layers_vs_seurat5 >= 0)))), "",
    "The quick check (cell lines across protocols and Baron mouse 1 + 2):",
    "ARI at k no more than 0.02 below the call without batch, mixing at",
    "least 0.75 and at least 1.5x the call without batch.", "")
writeLines(lines, file.path(dir, "summary.md"))
utils::write.csv(targets, file.path(dir, "targets.csv"), row.names = FALSE)
cat(lines, sep = "\n")
