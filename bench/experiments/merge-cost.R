# The cost of kmeans.merge's clustering alone on a million rows (issue 26):
# a synthetic 60-d embedding of 10 noisy, unit-normalised groups (where k-means
# at 3k is ill-posed, so Lloyd iterations over every row run long), clustered
# by plain k-means at k and by the default rule, seed 1, 2 threads. Run
# against two builds (R_LIBS=<a library with the other build>) to compare.
#   Rscript bench/experiments/merge-cost.R
library(contrastiveSC)
set.seed(1); n <- 1e6; k <- 10
centres <- matrix(rnorm(k * 60), k); lab <- sample(k, n, TRUE)
emb <- centres[lab, ] + matrix(rnorm(n * 60, sd = 0.7), n)
emb <- emb / sqrt(rowSums(emb^2))
p <- contrastiveDefaults()
t1 <- system.time(a <- contrastiveSC:::.kmeans(emb, k, p, 1, 2L))[["elapsed"]]
t2 <- system.time(m <- contrastiveSC:::.kmeans_merge(emb, k, p, 1, 2L))[["elapsed"]]
cat(sprintf("plain kmeans %.1f s (ARI %.3f); kmeans.merge %.1f s (ARI %.3f, chose %s)\n", t1,
  clusteringScores(lab, a)[["ARI"]], t2, clusteringScores(lab, m$labels)[["ARI"]], m$candidates$candidate[m$candidates$chosen]))
