# Seurat 5 next to the suite (issue 28): the mean ARI over the three groups
# of datasets and all 20 of contrastiveSC (k known, k unknown) and Seurat
# 4.3 (the suite's rows, one process) and Seurat 5 (bench/seurat5-quality.R,
# a second process: the two Seurats cannot load together), per dataset the
# mean over seeds; with the Seurat version of each row.
#   Rscript bench/seurat5-summary.R SUITE_CSV SEURAT5_CSV OUT_MD
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
suite <- utils::read.csv(args[[1L]])
s5 <- utils::read.csv(args[[2L]])
out <- args[[3L]]
versions <- c(`contrastiveSC k known` = "", `contrastiveSC k unknown` = "",
    `Seurat at k` = "4.3.0", `Seurat default` = "4.3.0")
q <- rbind(suite[suite$method %in% names(versions), c("dataset", "method",
    "seed", "ARI")], s5[, c("dataset", "method", "seed", "ARI")])
seurat5 <- unique(s5$seurat)
per <- tapply(q$ARI, list(q$dataset, q$method), mean)
mean_in <- function(m, g) mean(per[intersect(g, rownames(per)), m])
f3 <- function(x) sprintf("%.3f", x)
methods <- c(names(versions), "Seurat 5 at k", "Seurat 5 default")
lines <- c(sprintf("Seurat %s next to the suite (seeds %s; `Rscript bench/seurat5-summary.R %s %s %s`).",
        paste(seurat5, collapse = ", "), paste(sort(unique(s5$seed)),
        collapse = ","), args[[1L]], args[[2L]], out), "",
    sprintf("| method | Seurat | %s | all (%d) |", paste(names(dataset_groups),
        collapse = " | "), nrow(per)), "|---|---|---|---|---|---|",
    vapply(methods, function(m) sprintf("| %s | %s | %s | **%s** |", m,
        if (m %in% names(versions)) versions[[m]] else seurat5[[1L]],
        paste(f3(vapply(dataset_groups, function(g) mean_in(m, g), 0)),
            collapse = " | "), f3(mean(per[, m]))), ""), "",
    sprintf("contrastiveSC k known - Seurat 5 at k: %+.3f; k unknown - Seurat 5 default: %+.3f (all %d).",
        mean(per[, "contrastiveSC k known"]) - mean(per[, "Seurat 5 at k"]),
        mean(per[, "contrastiveSC k unknown"]) -
            mean(per[, "Seurat 5 default"]), nrow(per)), "",
    "| dataset | Seurat 4.3 default | Seurat 5 default | Seurat 4.3 at k | Seurat 5 at k |",
    "|---|---|---|---|---|",
    sprintf("| %s | %s | %s | %s | %s |", rownames(per),
        f3(per[, "Seurat default"]), f3(per[, "Seurat 5 default"]),
        f3(per[, "Seurat at k"]), f3(per[, "Seurat 5 at k"])))
writeLines(lines, out)
writeLines(lines)
