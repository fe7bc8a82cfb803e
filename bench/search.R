# One candidate of the search for better defaults (issue 7): runs
# contrastiveSC() with the candidate's arguments and k-means with the true k
# on every dataset and seed, and writes one row per dataset x seed to
# OUT_DIR/NAME.csv. The candidate is a list of contrastiveSC() arguments
# written as R code; nothing in it may look at the labels.
#   Rscript bench/search.R NAME 'ARGS' [SEEDS] [DATA_DIR] [OUT_DIR]
# e.g. Rscript bench/search.R genes-1000 'list(n.genes = 1000)' 0:4
# (defaults: seeds 0:4, ../shared/data, bench/results/search).
# bench/search-summary.R turns the folder into one table.
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
name <- args[[1]]
candidate <- eval(parse(text = args[[2]]))
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:4
root <- if (length(args) > 3) args[[4]] else "../shared/data"
out <- if (length(args) > 4) args[[5]] else "bench/results/search"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

rows <- list()
for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    for (seed in seeds) {
        t <- system.time(res <- do.call(contrastiveSC, c(list(d$counts,
            k = d$k, seed = seed, num.threads = 2), candidate)))[["elapsed"]]
        s <- clusteringScores(d$labels, res$clusters, res$embedding)
        m <- res$metadata
        rows[[length(rows) + 1L]] <- data.frame(candidate = name,
            dataset = d$name, seed = seed, ARI = s[["ARI"]], NMI = s[["NMI"]],
            silhouette = s[["silhouette"]], genes = length(m$genes),
            stability = if (is.null(m$stability)) NA else m$stability,
            seconds = t)
        message(sprintf("%-20s %-32s seed %d  ARI %.3f  genes %5d  %6.2fs",
            name, d$name, seed, s[["ARI"]], length(m$genes), t))
    }
}
q <- do.call(rbind, rows)
q$args <- args[[2]]
write.csv(q, file.path(out, paste0(name, ".csv")), row.names = FALSE)
