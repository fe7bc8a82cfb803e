# The benchmark suite (issue 22): contrastiveSC with its defaults, with the
# true k and without k, and in reference mode (true k), next to the
# no-training baselines (50 principal components of the same kept genes and
# scaling, `pca_baseline()`, with k-means at every seed and with the
# package's own k-unknown rule, Leiden + silhouette) and Seurat's standard
# pipeline (default resolution, and the resolution that gives k clusters),
# all in this one R process, on every dataset of a data folder: one row per
# dataset x method x seed, then a markdown summary with the means over the
# three groups of datasets (bench/common.R's dataset_groups) and all of
# them, wins and losses against each method's baseline, the issue's targets,
# and speed as a ratio to Seurat's pipeline. The k-known embedding is also
# clustered by plain k-means at k (the default before issue 22), to show
# what the clustering rule adds. Log-scale datasets (meta.json) run with
# normalized = TRUE.
#   Rscript bench/suite.R [DATA_DIR] [OUT_DIR] [SEEDS]
# (defaults: ../shared/data, bench/results, 0:4). Works unchanged on any
# folder of datasets in the same format (counts.mtx.gz, genes.tsv,
# cells.tsv, labels.tsv, meta.json). With CACHE=<dir> set, each dataset x
# seed's embedding and PCA are also saved there with their clusterings
# (k-means at k, the k-unknown rule and its silhouette by resolution), for
# the fragmentation diagnosis (bench/experiments/fragmentation.R).
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) > 0) args[[1]] else "../shared/data"
out <- if (length(args) > 1) args[[2]] else "bench/results"
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:4

score <- function(d, method, seed, clusters, embedding, seconds) {
    s <- clusteringScores(d$labels, clusters, embedding)
    data.frame(dataset = d$name, method = method, seed = seed,
        ARI = s[["ARI"]], NMI = s[["NMI"]], silhouette = s[["silhouette"]],
        clusters = length(unique(stats::na.omit(as.character(clusters)))),
        seconds = seconds)
}

# Labels of the rows of 'x' with values (NA for the others) by 'rule'.
cluster_rows <- function(x, rule) {
    kept <- stats::complete.cases(x)
    labels <- rep(NA_integer_, nrow(x))
    labels[kept] <- rule(x[kept, , drop = FALSE])
    labels
}

# CSC_ARGS='list(...)': contrastiveSC() arguments of a candidate default,
# measured next to the same baselines (issue 26); unset, the defaults.
candidate <- eval(parse(text = Sys.getenv("CSC_ARGS", "list()")))

rows <- list()
add <- function(r) {
    rows[[length(rows) + 1L]] <<- r
    message(sprintf("%-32s %-28s seed %d  ARI %.3f  NMI %.3f  k %3d  %6.2fs",
        r$dataset, r$method, r$seed, r$ARI, r$NMI, r$clusters, r$seconds))
}
for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    run <- function(..., mode = "default") {
        # a candidate's arguments (CSC_ARGS) change the default runs only
        args <- c(list(d$counts, seed = seed, num.threads = 2,
            normalized = d$normalized, mode = mode), list(...),
            if (mode == "default") candidate)
        t <- system.time(res <- do.call(contrastiveSC, args))[["elapsed"]]
        c(res, seconds = t)
    }
    for (seed in seeds) {
        res <- run(k = d$k)
        add(score(d, "contrastiveSC k known", seed, res$clusters,
            res$embedding, res$seconds))
        t <- system.time(plain <- cluster_rows(res$embedding, function(x)
            contrastiveSC:::.kmeans(x, d$k, res$metadata$parameters, seed,
                2L)))[["elapsed"]]
        add(score(d, "contrastiveSC k known, plain k-means", seed, plain,
            res$embedding, res$seconds - res$metadata$seconds[["cluster"]] + t))
        pca <- pca_baseline(d$counts, res$model, d$k, seed)
        add(score(d, "PCA of the same genes + k-means", seed, pca$clusters,
            pca$embedding, pca$seconds))
        curve <- NULL
        t <- system.time(rule <- cluster_rows(pca$embedding, function(x) {
            r <- contrastiveSC:::.choose_resolution(x, NULL, seed, 2L)
            curve <<- r$candidates
            r$labels
        }))[["elapsed"]]
        add(score(d, "PCA of the same genes, k-unknown rule", seed, rule,
            pca$embedding, pca$seconds + t))
        known <- res
        res <- run()
        add(score(d, "contrastiveSC k unknown", seed, res$clusters,
            res$embedding, res$seconds))
        if (nzchar(Sys.getenv("CACHE"))) {
            dir.create(Sys.getenv("CACHE"), showWarnings = FALSE)
            saveRDS(list(embedding = list(x = known$embedding,
                kmeans = as.integer(plain), unknown = as.integer(res$clusters),
                curve = res$metadata$cluster.candidates,
                seconds = known$seconds),
                PCA = list(x = pca$embedding, kmeans = pca$clusters,
                    unknown = as.integer(rule), curve = curve,
                    seconds = pca$seconds)),
                file.path(Sys.getenv("CACHE"), sprintf("%s-%d.rds", d$name,
                    seed)))
        }
        res <- run(k = d$k, mode = "reference")
        add(score(d, "contrastiveSC reference, k known", seed, res$clusters,
            res$embedding, res$seconds))
        seu <- seurat_default(d$counts, seed, d$normalized)
        add(score(d, "Seurat default", seed, seu$clusters, seu$pca,
            seu$seconds))
        at <- seurat_at_k(seu$object, d$k, seed)
        add(score(d, "Seurat at k", seed, at$clusters, seu$pca,
            seu$seconds + at$seconds))
    }
    # written after each dataset, so a long run that stops keeps its rows
    q <- do.call(rbind, rows)
    write.csv(q, file.path(out, "quality.csv"), row.names = FALSE)
}

write_suite_summary(q, out, sprintf("`%sRscript bench/suite.R %s %s %s`",
    if (length(candidate)) sprintf("CSC_ARGS='%s' ", Sys.getenv("CSC_ARGS"))
    else "", root, out, deparse(seeds)))
