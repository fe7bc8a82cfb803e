# Issue 22, the k-known search over clustering rules: each dataset x seed is
# trained once with the defaults (training does not read k), and its
# embedding, and the 50 principal components of the same genes
# (pca_baseline()), are clustered by every rule below; Seurat's pipeline
# (default resolution and at k) runs on the same seed. The embeddings are
# cached (CACHE/<dataset>-<seed>.rds) so that rules added later reuse them.
#   Rscript bench/experiments/k-known-rules.R [DATA_DIR] [OUT.csv] [SEEDS] [CACHE] [RULES]
# RULES: a regular expression on the rules' names (default: all of them);
# a later pass over the cache with only new rules skips k-means and Seurat
# (RULES given, or SEURAT=0 in the environment).
suppressPackageStartupMessages(library(contrastiveSC))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE)))
source(file.path(here, "..", "common.R"))
source(file.path(here, "k-known-lib.R"))
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) > 0) args[[1]] else "../shared/data"
out <- if (length(args) > 1) args[[2]] else "bench/results/issue22/rules.csv"
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:4
cache <- if (length(args) > 3) args[[4]] else "build/issue22-cache"
only <- if (length(args) > 4) args[[5]] else NULL
if (!is.null(only)) rules <- rules[grepl(only, names(rules))]
baselines <- is.null(only) && Sys.getenv("SEURAT") != "0"
dir.create(cache, showWarnings = FALSE, recursive = TRUE)
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)

rows <- list()
add <- function(d, seed, space, rule, clusters, seconds) {
    s <- clusteringScores(d$labels, clusters)
    r <- data.frame(dataset = d$name, seed = seed, space = space, rule = rule,
        ARI = s[["ARI"]], NMI = s[["NMI"]],
        clusters = length(unique(stats::na.omit(clusters))), seconds = seconds)
    rows[[length(rows) + 1L]] <<- r
    message(sprintf("%-30s %d %-10s %-22s ARI %.3f  k %2d  %5.2fs", d$name,
        seed, space, rule, r$ARI, r$clusters, seconds))
}

for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    for (seed in seeds) {
        file <- file.path(cache, sprintf("%s-%d.rds", d$name, seed))
        if (file.exists(file)) {
            spaces <- readRDS(file)
        } else {
            t <- system.time(res <- contrastiveSC(d$counts, k = d$k,
                seed = seed, num.threads = 2,
                normalized = d$normalized))[["elapsed"]]
            pca <- pca_baseline(d$counts, res$model, d$k, seed)
            spaces <- list(embedding = list(x = res$embedding,
                kmeans = as.integer(res$clusters), seconds = t),
                PCA = list(x = pca$embedding, kmeans = pca$clusters,
                    seconds = pca$seconds))
            saveRDS(spaces, file)
        }
        for (space in intersect(names(spaces), strsplit(Sys.getenv("SPACES",
            "embedding,PCA"), ",")[[1]])) {
            sp <- spaces[[space]]
            if (baselines) add(d, seed, space, "kmeans", sp$kmeans, sp$seconds)
            kept <- stats::complete.cases(sp$x)
            for (rule in names(rules)) {
                t <- system.time(l <- rules[[rule]](sp$x[kept, , drop = FALSE],
                    d$k, seed))[["elapsed"]]
                clusters <- rep(NA_integer_, nrow(sp$x))
                clusters[kept] <- l
                add(d, seed, space, rule, clusters, t)
            }
        }
        if (!baselines) next
        seu <- seurat_default(d$counts, seed, d$normalized)
        add(d, seed, "Seurat", "default", as.integer(seu$clusters), seu$seconds)
        at <- seurat_at_k(seu$object, d$k, seed)
        add(d, seed, "Seurat", "at k", as.integer(at$clusters),
            seu$seconds + at$seconds)
    }
    utils::write.csv(do.call(rbind, rows), out, row.names = FALSE)
}
