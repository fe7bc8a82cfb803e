# Summary of the mapping benchmark (bench/mapping/run.R): per task and
# method the means over seeds, and issue 27's targets against the best of
# SingleR and Seurat in the same run.
#   Rscript bench/mapping/summary.R [DIR]   (default bench/results/mapping)
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1L) args[[1L]] else file.path("bench", "results",
    "mapping")
s <- utils::read.csv(file.path(dir, "scores.csv"), check.names = FALSE)
tasks <- unique(s$task)
mean_of <- function(task, method, col) mean(s[s$task == task & s$method ==
    method, col])
f3 <- function(x) ifelse(is.na(x), "-", sprintf("%.3f", x))
methods <- unique(s$method)
ours <- "contrastiveSC mapCells"
peers <- c("SingleR", "Seurat 4.3 TransferData")
lines <- c("# Mapping benchmark (issue 27)", "",
    sprintf("`Rscript bench/mapping/run.R %s` (seeds %s; contrastiveSC rows are means over seeds, the peers do not depend on the seed), then `Rscript bench/mapping/summary.R %s`.",
        dir, paste(range(s$seed, na.rm = TRUE), collapse = "-"), dir), "",
    "## Macro-F1 on the query cells whose type the reference has", "",
    paste0("| method | ", paste(tasks, collapse = " | "), " | mean |"),
    paste0("|---|", strrep("---|", length(tasks) + 1L)))
for (m in methods) {
    v <- vapply(tasks, function(t) mean_of(t, m, "macro.f1"), 0)
    lines <- c(lines, sprintf("| %s | %s | %s |", m, paste(f3(v),
        collapse = " | "), f3(mean(v))))
}
best.peer <- vapply(tasks, function(t) max(vapply(peers, function(p)
    mean_of(t, p, "macro.f1"), 0)), 0)
mine <- vapply(tasks, function(t) mean_of(t, ours, "macro.f1"), 0)
gap <- mine - best.peer
lines <- c(lines, "", "## Against the best of SingleR and Seurat", "",
    paste0("| | ", paste(tasks, collapse = " | "), " |"),
    paste0("|---|", strrep("---|", length(tasks))),
    sprintf("| best peer | %s |", paste(f3(best.peer), collapse = " | ")),
    sprintf("| mapCells | %s |", paste(f3(mine), collapse = " | ")),
    sprintf("| difference | %s |", paste(sprintf("%+.3f", gap),
        collapse = " | ")), "",
    sprintf("At or above the best peer on %d of %d tasks (target: 5); the largest shortfall %+.3f (target: no more than 0.03 below).",
        sum(gap >= -5e-4), length(tasks), min(gap)))
novel <- "baron_to_xin"
lines <- c(lines, "", sprintf("## Types the reference lacks (%s: Xin's gamma cells)", novel), "",
    "| method | novel pruned | AUROC of the confidence | known pruned |",
    "|---|---|---|---|")
for (m in methods) {
    lines <- c(lines, sprintf("| %s | %s | %s | %s |", m,
        f3(mean_of(novel, m, "novel.pruned")),
        f3(mean_of(novel, m, "novel.auroc")),
        f3(mean_of(novel, m, "known.pruned"))))
}
lines <- c(lines, "", "## Known-type cells pruned, all tasks", "",
    paste0("| method | ", paste(tasks, collapse = " | "), " |"),
    paste0("|---|", strrep("---|", length(tasks))))
for (m in methods) {
    v <- vapply(tasks, function(t) mean_of(t, m, "known.pruned"), 0)
    lines <- c(lines, sprintf("| %s | %s |", m, paste(f3(v), collapse = " | ")))
}
lines <- c(lines, "", "## Seconds (query mapping; contrastiveSC's reference training apart)", "",
    paste0("| method | ", paste(tasks, collapse = " | "), " |"),
    paste0("|---|", strrep("---|", length(tasks))))
for (m in methods) {
    v <- vapply(tasks, function(t) mean_of(t, m, "seconds"), 0)
    lines <- c(lines, sprintf("| %s | %s |", m, paste(sprintf("%.2f", v),
        collapse = " | ")))
}
v <- vapply(tasks, function(t) mean_of(t, ours, "train.seconds"), 0)
lines <- c(lines, sprintf("| contrastiveSC reference training | %s |",
    paste(sprintf("%.2f", v), collapse = " | ")))
writeLines(lines, file.path(dir, "summary.md"))
cat(lines, sep = "\n")
