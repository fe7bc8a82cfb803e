# The calls behind integration-rounds.sh: contrastiveSC with batch at each
# number of rounds (CSC_ROUNDS, read by the patched core) and without batch.
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path("bench", "integration", "tasks.R"))
out <- commandArgs(trailingOnly = TRUE)[[1L]]
rows <- NULL
for (t in integration_tasks()) {
    k <- length(unique(t$labels))
    for (rounds in c(NA, 0:3)) {
        Sys.setenv(CSC_ROUNDS = if (is.na(rounds)) "" else rounds)
        for (seed in 0:4) {
            s <- system.time(r <- suppressWarnings(contrastiveSC(t$counts,
                k = k, seed = seed, normalized = t$normalized,
                batch = if (!is.na(rounds)) t$batch)))[["elapsed"]]
            rows <- rbind(rows, data.frame(task = t$name,
                rounds = if (is.na(rounds)) "no batch" else rounds,
                seed = seed,
                ARI = clusteringScores(t$labels, r$clusters)[["ARI"]],
                mixing = batchMixing(r$embedding, t$batch), seconds = s))
        }
        message(t$name, " ", rounds)
    }
}
utils::write.csv(rows, out, row.names = FALSE)
agg <- stats::aggregate(cbind(ARI, mixing) ~ task + rounds, rows, mean)
print(agg[order(agg$task, agg$rounds), ], digits = 3)
