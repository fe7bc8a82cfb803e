# Prototype of a consensus over several trainings (issue 7), measured
# before it was built into the package: trains RUNS models per seed
# (seeds 1000 * seed + r), puts their unit-length embeddings side by side
# scaled by 1 / sqrt(RUNS) (so squared distances are the mean of the runs'
# squared distances), and runs the package's k-means with the true k on it.
# Also records the stability: mean pairwise ARI of the runs' own k-means.
#   Rscript bench/experiments/proto-consensus.R NAME 'ARGS' RUNS [SEEDS] [DATA] [OUT]
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
cli <- candidate_cli(2L)
name <- cli$name
runs <- as.integer(cli$args[[3]])
kmeans_k <- function(emb, k, seed) {
    params <- list(n.init = 10L, max.iter = 300L)
    contrastiveSC:::.cluster_embedding(emb, k, "kmeans", params, seed, 2L)
}
rows <- list()
for (dir in dataset_dirs(cli$root)) {
    d <- read_dataset(dir)
    for (seed in cli$seeds) {
        t <- system.time({
            fits <- lapply(seq_len(runs) - 1L, function(r) do.call(
                contrastiveSC, c(list(d$counts, k = d$k,
                    seed = 1000 * seed + r, num.threads = 2), cli$candidate)))
            emb <- do.call(cbind, lapply(fits, `[[`, "embedding")) /
                sqrt(runs)
            cl <- kmeans_k(emb, d$k, seed)
        })[["elapsed"]]
        pairs <- utils::combn(runs, 2)
        stab <- mean(apply(pairs, 2, function(p) clusteringScores(
            fits[[p[1]]]$clusters, fits[[p[2]]]$clusters)[["ARI"]]))
        s <- clusteringScores(d$labels, cl, emb)
        rows[[length(rows) + 1L]] <- candidate_row(name, d, seed, s,
            length(fits[[1]]$metadata$genes), stab, t)
        message(sprintf("%-20s %-32s seed %d  ARI %.3f  stability %.3f  %6.2fs",
            name, d$name, seed, s[["ARI"]], stab, t))
    }
}
write_candidate(rows, name, sprintf("%s, %d runs (prototype)",
    cli$args[[2]], runs), cli$out)
