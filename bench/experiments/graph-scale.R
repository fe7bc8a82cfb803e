# Time of the k-unknown clustering step (SNN graph, Leiden over the
# resolution grid, silhouettes) on a synthetic 60-d embedding of N cells
# (10 Gaussian clusters, rows L2-normalised like the encoder's output), to
# check that the graph path stays usable at large N (issue 4).
#   Rscript bench/experiments/graph-scale.R N [OUT_TXT]
suppressPackageStartupMessages(library(contrastiveSC))
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[[1]])
set.seed(1)
centres <- matrix(rnorm(10 * 60), 10)
truth <- sample(10, n, replace = TRUE)
emb <- centres[truth, ] + matrix(rnorm(n * 60, sd = 0.6), n)
emb <- emb / sqrt(rowSums(emb^2))
t <- system.time(lab <- contrastiveSC:::.cluster_embedding(emb, NULL,
    "leiden", list(), 1, 2L))[["elapsed"]]
ari <- clusteringScores(truth, as.vector(lab))[["ARI"]]
line <- sprintf("%d cells: %.1f s, %d clusters chosen, ARI vs generating clusters %.3f",
    n, t, length(unique(lab)), ari)
print(attr(lab, "candidates"))
message(line)
if (length(args) > 1) write(line, args[[2]], append = TRUE)
