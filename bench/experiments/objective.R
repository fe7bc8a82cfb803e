# One candidate of the training-objective search (issue 26): trains
# contrastiveSC() once per dataset and seed with the candidate's arguments
# and scores the one embedding both ways the package clusters it: with the
# true k (the default rule, kmeans.merge) and without k (the Leiden +
# silhouette rule), so a candidate costs one training per dataset x seed.
# Training does not depend on k, so these are the suite's two rows. Writes
# OUT_DIR/NAME.csv (one row per dataset x seed x mode); nothing in a
# candidate may look at the labels.
#   Rscript bench/experiments/objective.R NAME 'ARGS' [SEEDS] [DATA_DIR] [OUT_DIR]
# e.g. Rscript bench/experiments/objective.R excl-100 'list(exclude.neighbours = 100)' 0:2
# or, for a rule that follows the number of cells n, a function of n:
# 'function(n) list(neighbours = max(10L, min(30L, n %/% 30L)))'
# (defaults: seeds 0:4, ../shared/data, bench/results/issue26/search);
# bench/experiments/objective-summary.R turns the folder into one table.
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
cli <- candidate_cli(1L)
if (length(cli$args) < 5L) {
    cli$out <- "bench/results/issue26/search"
    dir.create(cli$out, showWarnings = FALSE, recursive = TRUE)
}

rows <- list()
for (dir in dataset_dirs(cli$root)) {
    d <- read_dataset(dir)
    for (seed in cli$seeds) {
        # a candidate may be a function of the number of cells (a rule
        # that follows the data's size, never its labels)
        cand <- if (is.function(cli$candidate))
            cli$candidate(ncol(d$counts)) else cli$candidate
        t <- system.time(res <- do.call(contrastiveSC, c(list(d$counts,
            k = d$k, seed = seed, num.threads = 2, normalized = d$normalized),
            cand)))[["elapsed"]]
        train <- t - res$metadata$seconds[["cluster"]]
        emb <- res$embedding
        kept <- stats::complete.cases(emb)
        unknown <- rep(NA_integer_, nrow(emb))
        tu <- system.time(unknown[kept] <- contrastiveSC:::.choose_resolution(
            emb[kept, , drop = FALSE], NULL, seed, 2L)$labels)[["elapsed"]]
        for (mode in c("k known", "k unknown")) {
            cl <- if (mode == "k known") res$clusters else unknown
            s <- clusteringScores(d$labels, cl, emb)
            rows[[length(rows) + 1L]] <- data.frame(candidate = cli$name,
                dataset = d$name, seed = seed, mode = mode, ARI = s[["ARI"]],
                NMI = s[["NMI"]], clusters = length(unique(stats::na.omit(cl))),
                seconds = train + if (mode == "k known")
                    res$metadata$seconds[["cluster"]] else tu)
            message(sprintf("%-16s %-36s seed %d  %-9s ARI %.3f  k %2d  %6.2fs",
                cli$name, d$name, seed, mode, s[["ARI"]],
                rows[[length(rows)]]$clusters, rows[[length(rows)]]$seconds))
        }
    }
    # written after each dataset, so a candidate stopped early keeps its rows
    write_candidate(rows, cli$name, cli$args[[2]], cli$out)
}
