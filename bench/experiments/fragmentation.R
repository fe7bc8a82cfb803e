# Issue 22, item 3: why k-means at k fragments large populations on the
# embedding, measured on the shared sets with the embeddings and PCA that
# k-known-rules.R cached (defaults, 50 PCs of the same genes).
#   Rscript bench/experiments/fragmentation.R [DATA_DIR] [CACHE] [OUT_DIR] [SEEDS]
# For every population of at least 10 cells (those holding at least 15% of a
# dataset's cells are 'large'), in each space (embedding, PCA):
#   spread      its mean squared distance to its centroid over the mean
#               squared distance between the centroids of all populations
#               (k-means splits a population whose spread is large next to
#               the distances that separate populations);
#   fragments   k-means clusters (at the true k) holding at least 10% of it;
#   fragments.unknown  the same for the k-unknown rule's clustering, where
#               the cache has it (bench/suite.R with CACHE set, issue 26);
#   r2.<axis>   R^2 of a cell covariate regressed on the population's
#               coordinates (how much of the within-population geometry is
#               that axis);
#   eta2.<axis> share of the covariate's variance within the population
#               explained by its k-means fragments (what the split follows).
# Covariates: log depth (total counts), log detected genes, and a cell-cycle
# score (mean scaled log expression of Seurat's S and G2/M genes, matched by
# symbol regardless of case) where at least 20 of those genes are present.
# Where the cache holds the k-unknown rule's silhouette by resolution, the
# curves of the sets issue 26 names are written to silhouette-curves.csv.
suppressPackageStartupMessages(library(contrastiveSC))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE)))
source(file.path(here, "..", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) > 0) args[[1]] else "../shared/data"
cache <- if (length(args) > 1) args[[2]] else "build/issue22-cache"
out <- if (length(args) > 2) args[[3]] else "bench/results/issue22"
seeds <- if (length(args) > 3) eval(parse(text = args[[4]])) else 0:4

cycle_genes <- local({
    g <- Seurat::cc.genes.updated.2019
    toupper(c(g$s.genes, g$g2m.genes))
})

covariates <- function(counts) {
    depth <- Matrix::colSums(counts)
    detected <- Matrix::colSums(counts > 0)
    cov <- data.frame(log.depth = log1p(depth), log.detected = log1p(detected))
    hit <- toupper(rownames(counts)) %in% cycle_genes
    if (sum(hit) >= 20) {
        x <- log1p(t(t(as.matrix(counts[hit, ])) / pmax(depth, 1)) * 1e4)
        z <- t(scale(t(x)))
        z[!is.finite(z)] <- 0
        cov$cell.cycle <- colMeans(z)
    }
    cov
}

r2 <- function(y, x) {
    if (stats::var(y) == 0 || nrow(x) <= ncol(x) + 10) return(NA_real_)
    summary(stats::lm(y ~ x))$r.squared
}

eta2 <- function(y, groups) {
    if (length(unique(groups)) < 2L || stats::var(y) == 0) return(NA_real_)
    fit <- stats::ave(y, groups)
    sum((fit - mean(y))^2) / sum((y - mean(y))^2)
}

rows <- list()
curves <- list()
for (dir in dataset_dirs(root)) {
    d <- read_dataset(dir)
    cov <- covariates(d$counts)
    for (seed in seeds) {
        file <- file.path(cache, sprintf("%s-%d.rds", d$name, seed))
        if (!file.exists(file)) next
        spaces <- readRDS(file)
        for (space in names(spaces)) {
            curve <- spaces[[space]]$curve
            if (!is.null(curve)) {
                curves[[length(curves) + 1L]] <- data.frame(dataset = d$name,
                    seed = seed, space = space, curve)
            }
            x <- spaces[[space]]$x
            kept <- stats::complete.cases(x)
            labels <- d$labels[kept]
            x <- x[kept, , drop = FALSE]
            km <- spaces[[space]]$kmeans[kept]
            centroids <- rowsum(x, labels) / as.vector(table(labels))
            between <- mean(as.matrix(stats::dist(centroids))[upper.tri(
                diag(nrow(centroids)))]^2)
            for (type in names(which(table(labels) >= 10))) {
                inside <- labels == type
                xi <- x[inside, , drop = FALSE]
                spread <- mean(rowSums(sweep(xi, 2, colMeans(xi))^2)) / between
                frag <- table(km[inside])
                r <- data.frame(dataset = d$name, seed = seed, space = space,
                    type = type, cells = sum(inside),
                    share = mean(inside), large = mean(inside) >= 0.15,
                    spread = spread,
                    fragments = sum(frag >= 0.1 * sum(inside)),
                    fragments.unknown = if (is.null(spaces[[space]]$unknown))
                        NA else sum(table(spaces[[space]]$unknown[kept][inside])
                            >= 0.1 * sum(inside)))
                for (axis in c("log.depth", "log.detected", "cell.cycle")) {
                    y <- cov[[axis]][kept][inside]
                    found <- !is.null(y)
                    r[[paste0("r2.", axis)]] <- if (found) r2(y, xi) else NA
                    r[[paste0("eta2.", axis)]] <- if (found)
                        eta2(y, km[inside]) else NA
                }
                rows[[length(rows) + 1L]] <- r
            }
        }
    }
}
all <- do.call(rbind, rows)
dir.create(out, showWarnings = FALSE, recursive = TRUE)
utils::write.csv(all, file.path(out, "fragmentation.csv"), row.names = FALSE)
# How a population's spread grows with its share of the cells, within
# datasets: the slope of log spread on log share, with one intercept per
# dataset (and seed). NT-Xent's uniformity spreads cells evenly over the
# sphere, so a population's cap grows with its share; PCA keeps variance.
slopes <- sapply(c("embedding", "PCA"), function(sp) {
    a <- all[all$space == sp, ]
    stats::coef(stats::lm(log(spread) ~ log(share) + interaction(dataset,
        seed), data = a))[["log(share)"]]
})
cat("slope of log(spread) on log(share) within datasets:\n")
print(round(slopes, 3))
num <- setdiff(names(all), c("dataset", "seed", "space", "type", "large"))
large <- all[all$large, ]
agg <- stats::aggregate(large[num], large[c("dataset", "type", "space")], mean,
    na.action = stats::na.pass)
agg <- agg[order(agg$dataset, agg$type, agg$space), ]
utils::write.csv(agg, file.path(out, "fragmentation-large.csv"),
    row.names = FALSE)
cat("\nLarge populations (>= 15% of the cells), means over them:\n")
print(stats::aggregate(large[num], large["space"], mean, na.rm = TRUE,
    na.action = stats::na.pass), digits = 3)

if (length(curves)) {
    curves <- do.call(rbind, curves)
    utils::write.csv(curves, file.path(out, "silhouette-curves.csv"),
        row.names = FALSE)
    named <- c("CellBench_10x_3cl_894genes", "CellBench_Dropseq_3cl",
        "Zeisel_subset_descend_1000genes", "Goolam_mouse_embryo")
    cat("\nSilhouette by resolution of the k-unknown rule (mean over seeds;",
        "clusters in brackets; * the resolution chosen most often):\n")
    for (ds in intersect(named, curves$dataset)) {
        for (sp in unique(curves$space)) {
            c <- curves[curves$dataset == ds & curves$space == sp, ]
            m <- stats::aggregate(cbind(silhouette, clusters, chosen) ~
                resolution, c, mean, na.action = stats::na.pass)
            top <- m$resolution[which.max(m$chosen)]
            cat(sprintf("%-32s %-9s %s\n", ds, sp, paste(sprintf("%s%.2f:%.3f(%.1f)",
                ifelse(m$resolution == top, "*", ""), m$resolution,
                m$silhouette, m$clusters), collapse = " ")))
        }
    }
}
