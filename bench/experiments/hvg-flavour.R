# Another way to choose the genes (issue 7): analytic Pearson residuals
# (Lause et al. 2021, as scanpy's `highly_variable_genes(flavor =
# "pearson_residuals")`, theta 100, residuals clipped at sqrt(cells)) in
# place of the Seurat dispersion. Prototype in R: the genes are chosen here,
# the log-normalised matrix of exactly those genes (normalised on all genes,
# as the package does) goes in with `normalized = TRUE`, and the rest of the
# defaults are unchanged. One CSV per candidate, as bench/experiments/search.R writes.
#   Rscript bench/experiments/hvg-flavour.R NAME N_GENES [SEEDS] [RULE] [ARGS] [DATA_DIR] [OUT_DIR]
# e.g. Rscript bench/experiments/hvg-flavour.R pearson-500 500 0:4
#      Rscript bench/experiments/hvg-flavour.R pearson-500-t0.2 500 0:4 pearson 'list(temperature = 0.2)'
# ARGS: other contrastiveSC() arguments, as in bench/experiments/search.R.
# RULE: "pearson" (default): the N_GENES of highest residual variance;
# "union": those and the package's own N_GENES Seurat-dispersion genes.
suppressPackageStartupMessages(library(contrastiveSC))
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
name <- args[[1]]
n.genes <- as.integer(args[[2]])
seeds <- if (length(args) > 2) eval(parse(text = args[[3]])) else 0:4
rule <- if (length(args) > 3) args[[4]] else "pearson"
extra <- if (length(args) > 4) eval(parse(text = args[[5]])) else list()
root <- if (length(args) > 5) args[[6]] else "../shared/data"
out <- if (length(args) > 6) args[[7]] else "bench/results/search"

# Variance over cells of each gene's clipped Pearson residual, in gene blocks.
pearson_residual_variance <- function(counts, theta = 100) {
    n <- Matrix::colSums(counts)
    p <- Matrix::rowSums(counts) / sum(n)
    clip <- sqrt(ncol(counts))
    out <- numeric(nrow(counts))
    for (b in split(seq_len(nrow(counts)), ceiling(seq_len(nrow(counts)) / 500))) {
        mu <- outer(p[b], n)
        r <- (as.matrix(counts[b, , drop = FALSE]) - mu) / sqrt(mu + mu^2 / theta)
        r <- pmin(pmax(r, -clip), clip)
        out[b] <- apply(r, 1, stats::var)
    }
    out
}

# The package's own first steps: counts rounded up, genes and cells without
# counts dropped, each cell scaled to the median total, log1p.
log_normalised <- function(counts) {
    counts@x <- ceiling(counts@x)
    counts <- counts[Matrix::rowSums(counts) > 0, Matrix::colSums(counts) > 0]
    tot <- Matrix::colSums(counts)
    norm <- counts %*% Matrix::Diagonal(x = stats::median(tot) / tot)
    norm@x <- log1p(norm@x)
    dimnames(norm) <- dimnames(counts)
    list(counts = counts, norm = norm)
}

rows <- list()
for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    t.select <- system.time({
        ln <- log_normalised(d$counts)
        v <- pearson_residual_variance(ln$counts)
        genes <- order(v, decreasing = TRUE)[seq_len(min(n.genes, length(v)))]
        if (rule == "union") {
            seurat <- contrastiveSC(d$counts, k = 2, n.genes = n.genes,
                epochs = 1, seed = 0)$metadata$genes
            genes <- union(rownames(ln$norm)[genes], seurat)
        }
        x <- ln$norm[genes, ]
    })[["elapsed"]]
    labels <- d$labels[match(colnames(x), colnames(d$counts))]
    for (seed in seeds) {
        t <- system.time(res <- do.call(contrastiveSC, c(list(x, k = d$k,
            seed = seed, normalized = TRUE, n.genes = nrow(x),
            num.threads = 2), extra)))[["elapsed"]]
        s <- clusteringScores(labels, res$clusters, res$embedding)
        rows[[length(rows) + 1L]] <- candidate_row(name, d, seed, s,
            length(res$metadata$genes), NA, t + t.select)
        message(sprintf("%-20s %-32s seed %d  ARI %.3f  genes %5d  %6.2fs",
            name, d$name, seed, s[["ARI"]], nrow(x), t))
    }
}
write_candidate(rows, name, sprintf(
    "%s of Pearson-residual genes (%d)%s, bench/experiments/hvg-flavour.R", rule, n.genes,
    if (length(args) > 4) paste(",", args[[5]]) else ""), out)
