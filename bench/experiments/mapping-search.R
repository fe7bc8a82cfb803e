# Search prototype for issue 27: the choices of mapCells() (how the query
# is scaled, rounds and k of the mutual-nearest-neighbour correction, the
# space the types are scored in) on the six mapping tasks, seeds 0-1. The
# prototype options csc.* were removed when the choice was made (see
# bench/results/mapping/README.md): this script is the record of the search
# and runs only on that prototype.
# Rscript bench/experiments/mapping-search.R OUT
.libPaths(c(Sys.getenv("CSC_LIB", "build/dev-lib"), .libPaths()))
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path("bench", "mapping", "tasks.R"))
out <- commandArgs(trailingOnly = TRUE)[1]
tasks <- mapping_tasks()
unit <- function(m) m / sqrt(rowSums(m^2))
rows <- list()
for (seed in 0:1) for (t in tasks) {
    r0 <- t$reference; q0 <- t$query
    ref <- contrastiveSC(r0$counts, k = length(unique(r0$labels)),
        normalized = r0$normalized, seed = seed, num.threads = 2)
    model <- ref$model; r <- model$reference
    rl <- factor(r0$labels)[r$cells]
    for (refscale in c(FALSE, TRUE)) for (rk in list(c(1, 5), c(2, 5), c(2, 20))) {
        options(csc.rounds = rk[1], csc.mnnk = rk[2], csc.refscale = refscale)
        e <- contrastiveSC:::.map_query(q0$counts, q0$normalized, model, 2L)
        truth <- q0$labels[e$kept]
        for (space in c("emb", "pc", "both")) for (k in c(5L, 10L)) {
            qm <- switch(space, emb = e$inner, pc = unit(e$points),
                both = cbind(unit(e$points), e$inner) / sqrt(2))
            rm <- switch(space, emb = r$embedding, pc = unit(r$points),
                both = cbind(unit(r$points), r$embedding) / sqrt(2))
            res <- contrastiveSC:::csc_type_scores(qm, nrow(qm), rm, nrow(rm),
                ncol(qm), as.integer(rl) - 1L, k, 2L)
            best <- max.col(res$scores, ties.method = "first")
            bs <- res$scores[cbind(seq_along(best), best)]
            conf <- contrastiveSC:::.confidence(bs, best, res$own, as.integer(rl))
            lab <- levels(rl)[best]
            s <- mapping_scores(lab, ifelse(conf < 0.05, NA, lab), conf,
                truth, levels(rl))
            rows[[length(rows) + 1L]] <- data.frame(task = t$name, seed = seed,
                refscale = refscale, rounds = rk[1], mnn.k = rk[2],
                space = space, k = k, t(s))
        }
    }
}
res <- do.call(rbind, rows)
dir.create(out, recursive = TRUE, showWarnings = FALSE)
utils::write.csv(res, file.path(out, "search.csv"), row.names = FALSE)
agg <- aggregate(cbind(macro.f1, known.pruned, novel.pruned, novel.auroc) ~
    task + refscale + rounds + mnn.k + space + k, res, mean, na.action = na.pass)
wide <- reshape(agg[, c("task", "refscale", "rounds", "mnn.k", "space", "k", "macro.f1")],
    idvar = c("refscale", "rounds", "mnn.k", "space", "k"), timevar = "task",
    direction = "wide")
wide$mean <- rowMeans(wide[, grep("macro.f1", names(wide))])
wide <- wide[order(-wide$mean), ]
print(format(wide, digits = 3), row.names = FALSE)
utils::write.csv(wide, file.path(out, "search-summary.csv"), row.names = FALSE)
