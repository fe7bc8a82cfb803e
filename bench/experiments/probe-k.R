# Probe for issue 4 (choosing the number of clusters without labels): for
# each dataset with at least 3 types and each seed, trains a consensus of
# RUNS models, then scores candidate clusterings of the embedding with
# label-free criteria (silhouette, Calinski-Harabasz, agreement between the
# runs) next to their ARI against the labels, so that selection rules can be
# compared on the same candidates. Candidates: k-means for k = 2..KMAX and
# Leiden (modularity, SNN graph of 15 neighbours) over a resolution grid.
#   Rscript bench/experiments/probe-k.R 'ARGS' RUNS [SEEDS] [DATA] [OUT_CSV]
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
candidate <- eval(parse(text = args[[1]]))
runs <- as.integer(args[[2]])
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:2
root <- if (length(args) > 3) args[[4]] else "../shared/data"
out <- if (length(args) > 4) args[[5]] else "bench/results/probe-k.csv"
resolutions <- c(0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5)
kmax <- 20L
scores <- function(labels, emb) {
    s <- contrastiveSC:::csc_scores(labels, labels, as.double(emb),
        nrow(emb), ncol(emb), 2L)
    c(silhouette = s$silhouette, ch = s$calinski_harabasz)
}
agreement <- function(ls) mean(apply(utils::combn(length(ls), 2L), 2L,
    function(p) clusteringScores(ls[[p[1]]], ls[[p[2]]])[["ARI"]]))
rows <- list()
for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    if (d$k < 3) next
    for (seed in seeds) {
        res <- do.call(contrastiveSC, c(list(d$counts, k = d$k, seed = seed,
            n.runs = runs, num.threads = 2), candidate))
        emb <- res$embedding[!is.na(res$clusters), , drop = FALSE]
        dim1 <- ncol(emb) / runs
        per_run <- lapply(seq_len(runs), function(r)
            emb[, (r - 1) * dim1 + seq_len(dim1)] * sqrt(runs))
        truth <- d$labels[!is.na(res$clusters)]
        km <- function(e, k) contrastiveSC:::.cluster_embedding(e, k,
            "kmeans", list(n.init = 10L, max.iter = 300L), seed, 2L)
        ld <- function(e, r) contrastiveSC:::.with_seed(seed, as.integer(
            bluster::clusterRows(e, bluster::SNNGraphParam(k = 15,
                cluster.fun = "leiden", cluster.args = list(
                    objective_function = "modularity",
                    resolution_parameter = r)))))
        add <- function(method, param, labels, runs_labels) {
            s <- scores(labels, emb)
            rows[[length(rows) + 1L]] <<- data.frame(dataset = d$name,
                k.true = d$k, seed = seed, method = method, param = param,
                clusters = length(unique(labels)),
                ARI = clusteringScores(truth, labels)[["ARI"]],
                silhouette = s[["silhouette"]], ch = s[["ch"]],
                stability = if (runs > 1) agreement(runs_labels) else NA)
        }
        for (k in 2:min(kmax, nrow(emb) - 1L)) {
            add("kmeans", k, km(emb, k), lapply(per_run, km, k))
        }
        for (r in resolutions) {
            add("leiden", r, ld(emb, r), lapply(per_run, ld, r))
        }
        message(sprintf("%s seed %d done", d$name, seed))
    }
}
write.csv(do.call(rbind, rows), out, row.names = FALSE)
