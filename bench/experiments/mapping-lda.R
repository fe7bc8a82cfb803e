# The probe that added a discriminant part to mapCells' scoring (issue
# 27): types scored with a regularised linear discriminant analysis (LDA)
# of the reference's components, which the reference's labels supervise,
# beside the components and the embedding, against the two alone, seeds
# 0-4, macro-F1 on the six mapping tasks (bench/results/mapping/
# lda-probe.csv: mean 0.928 -> 0.935, 4 tasks won, 1 lost by 0.010). It
# ran on its own copy of the directions, which the package now holds
# (.discriminant_directions); it uses the package's since.
#   Rscript bench/experiments/mapping-lda.R OUT.csv
if (nzchar(Sys.getenv("CSC_LIB"))) .libPaths(c(Sys.getenv("CSC_LIB"), .libPaths()))
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path("bench", "mapping", "tasks.R"))
out <- commandArgs(trailingOnly = TRUE)[1]

rows <- list()
for (seed in 0:4) for (t in mapping_tasks()) {
    ref <- contrastiveSC(t$reference$counts,
        k = length(unique(t$reference$labels)),
        normalized = t$reference$normalized, seed = seed, num.threads = 1)
    r <- ref$model$reference
    labels <- droplevels(factor(t$reference$labels)[r$cells])
    e <- contrastiveSC:::.map_query(t$query$counts, t$query$normalized,
        ref$model, 1L)
    truth <- t$query$labels[e$kept]
    f1 <- function(query, reference) {
        s <- contrastiveSC:::csc_type_scores(query, nrow(query), reference,
            nrow(reference), ncol(query), as.integer(labels) - 1L, 5L, 1L)
        lab <- levels(labels)[max.col(s, "first")]
        mapping_scores(lab, lab, rep(1, length(lab)), truth,
            levels(labels))[["macro.f1"]]
    }
    w <- contrastiveSC:::.discriminant_directions(r$points, labels)
    space <- contrastiveSC:::.scoring_space
    rows[[length(rows) + 1L]] <- data.frame(task = t$name, seed = seed,
        mapCells = f1(space(e$points, e$inner), space(r$points, r$embedding)),
        lda.components.embedding = f1(space(e$points, e$inner, w),
            space(r$points, r$embedding, w)))
}
res <- do.call(rbind, rows)
utils::write.csv(res, out, row.names = FALSE)
print(aggregate(cbind(mapCells, lda.components.embedding) ~ task, res, mean))
