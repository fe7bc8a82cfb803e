# One candidate of the search for better defaults (issue 7): runs
# contrastiveSC() with the candidate's arguments and k-means with the true k
# on every dataset and seed, and writes one row per dataset x seed to
# OUT_DIR/NAME.csv. The candidate is a list of contrastiveSC() arguments
# written as R code; nothing in it may look at the labels.
#   Rscript bench/experiments/search.R NAME 'ARGS' [SEEDS] [DATA_DIR] [OUT_DIR]
# e.g. Rscript bench/experiments/search.R genes-1000 'list(n.genes = 1000)' 0:4
# (defaults: seeds 0:4, ../shared/data, bench/results/search).
# bench/experiments/search-summary.R turns the folder into one table.
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
cli <- candidate_cli(1L)
name <- cli$name

rows <- list()
for (dir in dataset_dirs(cli$root)) {
    d <- read_dataset(dir)
    for (seed in cli$seeds) {
        t <- system.time(res <- do.call(contrastiveSC, c(list(d$counts,
            k = d$k, seed = seed, num.threads = 2),
            cli$candidate)))[["elapsed"]]
        s <- clusteringScores(d$labels, res$clusters, res$embedding)
        m <- res$metadata
        rows[[length(rows) + 1L]] <- candidate_row(name, d, seed, s,
            length(m$genes), if (is.null(m$stability)) NA else m$stability, t)
        message(sprintf("%-20s %-32s seed %d  ARI %.3f  genes %5d  %6.2fs",
            name, d$name, seed, s[["ARI"]], length(m$genes), t))
    }
}
write_candidate(rows, name, cli$args[[2]], cli$out)
