#' Cluster cells with a contrastive self-supervised embedding
#'
#' Learns a low-dimensional embedding of every cell with contrastive-sc
#' (Ciortan and Defrance, 2021) and clusters it. A small neural network sees
#' two randomly masked copies (input dropout) of each cell's scaled
#' expression and learns to map both close together and away from the other
#' cells (NT-Xent loss); the cells are then clustered on the embedding, into
#' \code{k} clusters when \code{k} is given.
#'
#' Preprocessing follows the original: counts are rounded up, genes with
#' fewer than \code{min.counts} counts are dropped, cells are normalised to
#' the median library size and log-transformed, and the \code{n.genes} most
#' variable genes are kept and scaled. Cells with no counts keep their place
#' in the output with \code{NA} embedding and cluster.
#'
#' Training runs in Rust on \code{num.threads} CPU threads (or a GPU, see
#' \code{device}); the same \code{seed} gives the same result for any number
#' of threads. Ctrl-C stops a long run promptly and leaves the session
#' usable. A \code{DelayedMatrix} (for example an HDF5-backed assay) is read
#' in blocks of cells, never realised whole, with the same result as in
#' memory.
#'
#' The defaults were chosen by measurement on 20 labelled datasets, against
#' PCA of the same genes and Seurat; the evidence for each choice is in the
#' article "How the defaults were chosen" of the package's web site
#' (\code{vignettes/articles/defaults.Rmd} in the source).
#' \code{mode = "reference"} runs the published method, constant for
#' constant.
#'
#' @param x A count matrix (genes in rows, cells in columns; a base matrix,
#' a \code{dgCMatrix} or a \code{DelayedMatrix}), a
#' \linkS4class{SingleCellExperiment} or a Seurat object (v4 or v5).
#' @param k The number of clusters, or \code{NULL} when it is unknown.
#' With \code{k}, the embedding is clustered twice, by k-means at \code{k}
#' and by k-means at \code{3 * k} merged into \code{k} by average linkage
#' (which keeps large populations whole better), and the clustering with the
#' higher silhouette is kept (\code{metadata$cluster.candidates}). Without
#' \code{k}, Leiden on the embedding's nearest-neighbour graph at the
#' resolution, among 0.05 to 1.5, with the highest silhouette
#' (\code{\link{plotClusterChoice}()}; above 20,000 cells on a seeded
#' subsample, the other cells joining the nearest cluster).
#' @param batch The batch (sample, donor, plate or protocol) of each cell,
#' to learn one embedding in which the batches mix: a vector with one value
#' per cell, or for a SingleCellExperiment or Seurat object the name of a
#' \code{colData} or \code{meta.data} column. Genes are then ranked within
#' each batch and combined by rank (as Seurat's
#' \code{SelectIntegrationFeatures}), each gene is scaled within each batch,
#' and the batches are brought together by mutual nearest neighbours (two
#' rounds of a fastMNN-style correction in principal-component space,
#' carried back to the genes) before the model trains on all cells
#' together. \code{metadata$batch} records the batches and the share of
#' cells paired across batches; \code{predict()} scales and corrects new
#' cells of a known batch the same way. \code{NULL} (the default) trains on
#' all cells as one batch, exactly as before.
#' @param ... For a Seurat object: \code{assay} (by default the default
#' assay) and \code{layer} (Seurat's name for \code{assay.type}). For the
#' SingleCellExperiment method, the arguments of the matrix method.
#' @param assay.type The assay of a SingleCellExperiment (\code{"counts"} or
#' \code{"logcounts"}), or the layer (Seurat v5) or slot (Seurat v4) of a
#' Seurat object (\code{"counts"} or \code{"data"}). On Seurat v5, an assay
#' split into layers by sample is read as one matrix in the object's cell
#' order.
#' @param normalized Whether the values are log-normalised (\code{NULL}:
#' \code{TRUE} for \code{"logcounts"} and \code{"data"}). Values of the usual
#' kind, log(1 + counts scaled per cell) in base e, 2 or 10, are turned back
#' into their counts when that works for at least 90\% of them
#' (\code{metadata$recovered.counts}); other values are used as they are.
#' @param n.genes Number of variable genes kept (500), or \code{"auto"} to
#' try 500 to 5000 and keep the count whose clustering has the highest
#' silhouette (\code{metadata$gene.candidates}).
#' @param gene.ranking How genes are ranked: \code{"pearson"}, by the
#' variance of their analytic Pearson residuals (Lause et al. 2021), or
#' \code{"seurat"}, by Seurat's binned dispersion as the original did (also
#' used for log-scale values whose counts cannot be recovered).
#' @param min.counts Genes with fewer counts in total are dropped.
#' @param layers Sizes of the encoder's layers; the last one is the size of
#' the embedding (\code{c(200, 40, 60)}).
#' @param dropout Probability that input dropout masks a gene (0.9): the
#' augmentation that makes the two views.
#' @param temperature Temperature of the NT-Xent loss.
#' @param epochs,batch.size,learning.rate,cosine.period Training: passes
#' over the cells, cells per mini-batch, Adam's learning rate, and the
#' period in epochs of its cosine annealing (by default the epochs run).
#' @param n.runs Number of models trained from seeds derived from
#' \code{seed}; above 1 their embeddings are clustered side by side and
#' \code{metadata$stability} (mean ARI between the runs' own clusterings)
#' flags a fragile result.
#' @param neighbours A cell's positive in the loss is a masked view of one
#' of its \code{neighbours} nearest cells in principal-component space
#' (10); 0 gives the published method's second view of the cell itself.
#' @param exclude.neighbours Cells among each other's
#' \code{exclude.neighbours} nearest (in the same principal-component space)
#' are not contrasted: they leave each other's NT-Xent denominator, so a
#' population is not pushed apart from itself; 0 contrasts every pair of
#' the mini-batch, as the published method.
#' @param min.steps,max.steps Small data trains more epochs, until training
#' takes at least \code{min.steps} mini-batch steps; large data fewer, down
#' to one, until it takes at most \code{max.steps}. Epochs given
#' explicitly are run as given.
#' @param max.cells Above this many cells a seeded subsample of them trains
#' the model, and every cell is embedded by it (\code{metadata$training.cells}).
#' @param n.init,max.iter k-means restarts and iterations per restart.
#' @param cluster.method How the embedding is clustered: \code{NULL} for the
#' rules described under \code{k} (\code{"kmeans.merge"} with \code{k};
#' plain k-means in reference mode), \code{"kmeans"} (needs \code{k}),
#' \code{"leiden"} (with \code{k}, the resolution whose number of clusters
#' is closest to it), or any \code{bluster::BlusterParam}.
#' @param mode \code{"default"}, the settings chosen by measurement, or
#' \code{"reference"}, the published method
#' (\code{\link{contrastiveDefaults}} lists both).
#' @param seed A single whole number; \code{NULL} draws one from R's random
#' number generator, so \code{set.seed()} makes the call reproducible.
#' @param num.threads Number of CPU threads; \code{NULL} means
#' \code{getOption("contrastiveSC.num.threads", 2)}.
#' @param device \code{"auto"}, \code{"cpu"}, \code{"cuda"} or
#' \code{"cuda:N"}. \code{"auto"} trains on a GPU when this build has the
#' torch backend and libtorch sees one; for the default model two CPU cores
#' are about as fast (see \code{\link{contrastiveBackends}}).
#' @param backend \code{"auto"}, \code{"native"} (Rust, CPU, bit-identical
#' for any number of threads) or \code{"torch"} (libtorch, CPU or CUDA; the
#' same results within floating-point tolerance).
#' @param BPPARAM A \code{BiocParallel::BiocParallelParam} for the fits that
#' are independent of each other (the \code{n.runs} models, the
#' \code{n.genes = "auto"} candidates); the result does not depend on it.
#' @param name For a SingleCellExperiment, the \code{reducedDim} name; for a
#' Seurat object, the DimReduc's.
#' @param cluster.name The \code{colData} (or Seurat \code{meta.data})
#' column that receives the clusters.
#' @param verbose Whether to report progress every few epochs.
#'
#' @return For a matrix, a list of class \code{contrastiveSC} with
#' \code{embedding} (cells x 60), \code{clusters} (a factor), \code{model} (a
#' \code{contrastiveModel} for \code{\link{predict.contrastiveModel}}) and
#' \code{metadata} (parameters, kept genes, loss per epoch (one column per
#' run), \code{training.cells} (how many cells trained the model, see
#' \code{max.cells}), seed, device, timings in seconds, \code{n.clusters},
#' \code{stability}, and the candidates of \code{n.genes = "auto"} and of
#' Leiden's resolution where they were tried). For a SingleCellExperiment,
#' the object with \code{reducedDim(x, name)},
#' \code{colData(x)[[cluster.name]]} and \code{metadata(x)$contrastiveSC}
#' (the same metadata, with the model). For a Seurat object, the object
#' with a DimReduc \code{name} (\code{"contrastive"} by default, key
#' \code{CSC_}), the meta.data column \code{cluster.name}, the identities
#' set to the clusters, and \code{Misc(x, "contrastiveSC")}.
#'
#' @references Ciortan M, Defrance M (2021). Contrastive self-supervised
#' clustering of scRNA-seq data. BMC Bioinformatics 22, 280.
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveDefaults}}, \code{\link{clusteringScores}},
#' \code{\link{predict.contrastiveModel}}, \code{\link{pbmc4k}}
#' @examples
#' data(pbmc4k)
#' res <- contrastiveSC(pbmc4k[, 1:600], k = 8, epochs = 5, seed = 1)
#' table(res$clusters)
#' clusteringScores(pbmc4k.labels[1:600], res$clusters, res$embedding)
#'
#' sce <- SingleCellExperiment::SingleCellExperiment(
#'     list(counts = pbmc4k[, 1:600]))
#' sce <- contrastiveSC(sce, k = 8, epochs = 5, seed = 1)
#' dim(SingleCellExperiment::reducedDim(sce, "CONTRASTIVE"))
#'
#' # Three seeds side by side (MulticoreParam() or BatchtoolsParam() to run
#' # them in parallel or on a cluster)
#' fits <- BiocParallel::bplapply(1:3, function(s) contrastiveSC(
#'     pbmc4k[, 1:600], k = 8, epochs = 5, seed = s, num.threads = 1),
#'     BPPARAM = BiocParallel::SerialParam())
#' sapply(fits, function(f) clusteringScores(pbmc4k.labels[1:600],
#'     f$clusters)[["ARI"]])
#' @name contrastiveSC
#' @aliases contrastiveSC,ANY-method
#' @export
setMethod("contrastiveSC", "ANY", function(x, k = NULL, ...,
    assay.type = "counts", normalized = NULL, n.genes = NULL,
    gene.ranking = NULL, min.counts = NULL, layers = NULL, dropout = NULL,
    temperature = NULL, epochs = NULL, batch.size = NULL, learning.rate = NULL,
    cosine.period = NULL, n.runs = NULL, neighbours = NULL,
    exclude.neighbours = NULL, min.steps = NULL,
    max.steps = NULL, max.cells = NULL, n.init = NULL, max.iter = NULL,
    cluster.method = NULL, batch = NULL, mode = "default",
    seed = NULL, num.threads = NULL, device = "auto", backend = "auto",
    BPPARAM = BiocParallel::SerialParam(), name = "contrastive",
    cluster.name = "contrastive_cluster", verbose = FALSE) {
    args <- as.list(environment())
    args$x <- NULL
    dots <- list(...)
    if (inherits(x, "Seurat")) {
        .check_dots(dots, c("assay", "layer"))
        return(do.call(.contrastive_seurat, c(list(x), args, dots)))
    }
    .check_dots(dots, character())
    args[c("assay.type", "name", "cluster.name")] <- NULL
    if (is.null(args$normalized)) args$normalized <- FALSE
    args$batch <- .batch_of(batch, NULL, NCOL(x))
    res <- do.call(.contrastive_run, c(list(x), args))
    structure(res, class = "contrastiveSC")
})

#' @rdname contrastiveSC
#' @export
setMethod("contrastiveSC", "SingleCellExperiment", function(x, k = NULL,
    ..., assay.type = "counts", normalized = NULL, batch = NULL,
    name = "CONTRASTIVE", cluster.name = "contrastive_cluster") {
    if (!assay.type %in% SummarizedExperiment::assayNames(x)) {
        stop(sprintf("'assay.type' = \"%s\" is not an assay of 'x' (has: %s)",
            assay.type, paste(SummarizedExperiment::assayNames(x),
                collapse = ", ")), call. = FALSE)
    }
    if (is.null(normalized)) normalized <- assay.type == "logcounts"
    counts <- SummarizedExperiment::assay(x, assay.type, withDimnames = TRUE)
    batch <- .batch_of(batch, SummarizedExperiment::colData(x), ncol(x))
    res <- .contrastive_run(counts, k = k, normalized = normalized,
        batch = batch, ...)
    rownames(res$embedding) <- colnames(x)
    SingleCellExperiment::reducedDim(x, name) <- res$embedding
    SummarizedExperiment::colData(x)[[cluster.name]] <- res$clusters
    meta <- res$metadata
    meta$model <- res$model
    meta$reducedDim <- name
    meta$cluster.name <- cluster.name
    S4Vectors::metadata(x)$contrastiveSC <- meta
    x
})

# The whole job on one count container; returns embedding, clusters, model
# and metadata for the class-specific methods to store.
.contrastive_run <- function(x, k = NULL, normalized = FALSE, n.genes = NULL,
    gene.ranking = NULL, min.counts = NULL, layers = NULL, dropout = NULL,
    temperature = NULL, epochs = NULL, batch.size = NULL, learning.rate = NULL,
    cosine.period = NULL, n.runs = NULL, neighbours = NULL,
    exclude.neighbours = NULL, min.steps = NULL,
    max.steps = NULL, max.cells = NULL, n.init = NULL, max.iter = NULL,
    cluster.method = NULL, batch = NULL, mode = "default",
    seed = NULL, num.threads = NULL, device = "auto", backend = "auto",
    BPPARAM = BiocParallel::SerialParam(), verbose = FALSE) {
    start <- proc.time()[["elapsed"]]
    # A DelayedMatrix (e.g. HDF5-backed) is streamed in blocks, never realised.
    counts <- if (methods::is(x, "DelayedMatrix")) x else .as_counts(x)
    batch <- .check_batch(batch, ncol(counts))
    if (!is.null(batch) && methods::is(counts, "DelayedMatrix")) {
        stop("'batch' is not supported yet for a DelayedMatrix 'x' (it is ",
            "read in blocks); realise it with as(x, \"dgCMatrix\")",
            call. = FALSE)
    }
    .check_batch_cells(batch, counts)
    .check_choice(mode, "mode", c("default", "reference"))
    params <- .check_params(.resolve_params(list(n.genes = n.genes,
        gene.ranking = gene.ranking, min.counts = min.counts,
        layers = layers, dropout = dropout, temperature = temperature,
        epochs = epochs, batch.size = batch.size,
        learning.rate = learning.rate, cosine.period = cosine.period,
        n.runs = n.runs, neighbours = neighbours,
        exclude.neighbours = exclude.neighbours, min.steps = min.steps,
        max.steps = max.steps, max.cells = max.cells, n.init = n.init,
        max.iter = max.iter), mode))
    if (ncol(counts) < 2L) {
        stop("'x' must have at least 2 cells, got ", ncol(counts),
            call. = FALSE)
    }
    if (!is.null(k)) k <- .check_int(k, "k", min = 2, max = ncol(counts))
    method <- .resolve_cluster_method(cluster.method, k, mode)
    normalized <- .check_flag(normalized, "normalized")
    verbose <- .check_flag(verbose, "verbose")
    .check_backend_device(backend, device)
    if (!methods::is(BPPARAM, "BiocParallelParam")) {
        stop("'BPPARAM' must be a BiocParallelParam (e.g. ",
            "BiocParallel::MulticoreParam(2)), got ", class(BPPARAM)[1L],
            call. = FALSE)
    }
    seed <- .resolve_seed(seed)
    num.threads <- .resolve_threads(num.threads)
    recovered <- NULL
    if (normalized && mode == "default" &&
        !methods::is(counts, "DelayedMatrix")) {
        recovered <- .recover_counts(counts, num.threads)
    }
    if (!is.null(recovered)) {
        if (verbose) {
            message("contrastiveSC: the log-normalised values are log",
                .base_name(recovered$base), "(1 + scaled counts): ",
                "using the counts")
        }
        counts <- recovered$counts
        normalized <- FALSE
    }
    if (!methods::is(counts, "DelayedMatrix")) {
        .warn_fractional(.has_fractions(counts), normalized)
    }

    gene.choice <- NULL
    t.genes <- proc.time()[["elapsed"]]
    if (identical(params$n.genes, "auto")) {
        gene.choice <- .choose_genes(counts, k, method, params, normalized,
            seed, num.threads, backend, device, verbose, BPPARAM, batch)
        params$n.genes <- gene.choice$n.genes
    }
    t.genes <- proc.time()[["elapsed"]] - t.genes
    fit <- .train_embedding(counts, params, normalized, seed, num.threads,
        backend, device, verbose, BPPARAM, batch)
    .warn_empty(ncol(counts) - length(fit$kept))
    if (!is.null(k) && k > length(fit$kept)) {
        stop(sprintf("'k' (%d) is larger than the number of cells with counts (%d)",
            k, length(fit$kept)), call. = FALSE)
    }
    t0 <- proc.time()[["elapsed"]]
    if (verbose) {
        message("contrastiveSC: clustering the embedding (", if (is.character(
            method)) method else class(method), ")")
    }
    labels <- .cluster_embedding(fit$inner, k, method, params, seed,
        num.threads)
    stability <- .stability(fit$runs, k, method, params, seed, num.threads)
    clusters <- rep(NA_integer_, ncol(counts))
    clusters[fit$kept] <- as.vector(labels)
    clusters <- factor(clusters, levels = sort(unique(labels)))
    names(clusters) <- colnames(counts)
    seconds <- c(if (!is.null(gene.choice)) c(choose.genes = t.genes),
        fit$seconds,
        cluster = proc.time()[["elapsed"]] - t0,
        total = proc.time()[["elapsed"]] - start)
    meta <- list(parameters = c(params, list(k = k,
        cluster.method = if (is.character(method)) method else class(method),
        mode = mode, normalized = normalized || !is.null(recovered),
        seed = seed, num.threads = num.threads)),
        recovered.counts = if (!is.null(recovered)) c(base = recovered$base,
            whole.share = recovered$whole.share),
        genes = fit$model$genes, losses = fit$losses,
        training.cells = fit$training.cells, device = fit$device,
        backend = fit$backend, seconds = seconds,
        n.clusters = nlevels(clusters), stability = stability,
        batch = .batch_metadata(batch, fit),
        gene.candidates = gene.choice$candidates,
        cluster.candidates = attr(labels, "candidates"))
    fit$model$recovered.base <- recovered$base
    # the default labels of mapping (mapCells)
    fit$model$reference$clusters <- clusters[fit$model$reference$cells]
    list(embedding = fit$embedding, clusters = clusters, model = fit$model,
        metadata = meta)
}

# Counts recovered from log-normalised values (see the 'normalized'
# argument; the core's preprocess::recover_counts): the counts as a
# dgCMatrix, the log base and the share of values that came out whole; NULL
# when they cannot be.
.recover_counts <- function(counts, num.threads) {
    r <- csc_recover_counts(counts@p, counts@i, counts@x, nrow(counts),
        ncol(counts), num.threads)
    if (is.null(r)) return(NULL)
    counts@x <- r$x
    list(counts = counts, base = r$base, whole.share = r$whole_share)
}

.base_name <- function(base) {
    if (isTRUE(all.equal(base, exp(1)))) "" else format(base)
}

.check_params <- function(p) {
    if (is.character(p$n.genes) && !identical(p$n.genes, "auto")) {
        stop("'n.genes' must be a whole number of at least 2 or \"auto\", ",
            "got ", .show(p$n.genes), call. = FALSE)
    }
    if (!identical(p$n.genes, "auto")) {
        p$n.genes <- .check_int(p$n.genes, "n.genes", min = 2)
    }
    .check_choice(p$gene.ranking, "gene.ranking", c("pearson", "seurat"))
    p$min.counts <- .check_number(p$min.counts, "min.counts", min = 0)
    if (!length(p$layers) || !.is_whole(p$layers) || any(p$layers < 1)) {
        stop("'layers' must be positive whole numbers, got ", .show(p$layers),
            call. = FALSE)
    }
    p$layers <- as.integer(p$layers)
    p$dropout <- .check_number(p$dropout, "dropout", 0, 1, max.open = TRUE)
    p$temperature <- .check_number(p$temperature, "temperature", 0,
        min.open = TRUE)
    p$epochs <- .check_int(p$epochs, "epochs")
    p$batch.size <- .check_int(p$batch.size, "batch.size", min = 2)
    p$learning.rate <- .check_number(p$learning.rate, "learning.rate", 0,
        min.open = TRUE)
    p$cosine.period <- .check_int(p$cosine.period, "cosine.period")
    p$n.runs <- .check_int(p$n.runs, "n.runs")
    p$neighbours <- .check_int(p$neighbours, "neighbours", min = 0)
    p$exclude.neighbours <- .check_int(p$exclude.neighbours,
        "exclude.neighbours", min = 0)
    p$min.steps <- .check_int(p$min.steps, "min.steps", min = 0)
    p$max.steps <- .check_int(p$max.steps, "max.steps", min = 0)
    p$max.cells <- .check_int(p$max.cells, "max.cells", min = 0)
    if (p$max.cells == 1L) {
        stop("'max.cells' must be 0 (all cells) or at least 2, got 1",
            call. = FALSE)
    }
    p$n.init <- .check_int(p$n.init, "n.init")
    p$max.iter <- .check_int(p$max.iter, "max.iter")
    p
}

.has_fractions <- function(counts) .value_summary(counts)$fractional

# Non-finite, negative and fractional values of a dgCMatrix, found in Rust
# in one pass over its values in place: R's own any(x < 0) and
# any(x != floor(x)) allocate vectors as long as the values, gigabytes for
# a million cells.
.value_summary <- function(counts) {
    csc_value_summary(counts@x, .resolve_threads(NULL))
}

.warn_fractional <- function(fractional, normalized) {
    if (!normalized && fractional) {
        warning("'x' has non-integer values: contrastiveSC expects raw ",
            "counts and rounds them up; for log-normalised input use ",
            "normalized = TRUE (or assay.type = \"logcounts\")",
            call. = FALSE)
    }
}

.warn_empty <- function(empty) {
    if (empty > 0) {
        warning(sprintf(
            "%d cell(s) of 'x' have no counts: they keep %s", empty,
            "their place with NA embedding and cluster"), call. = FALSE)
    }
}

#' @method print contrastiveSC
#' @export
print.contrastiveSC <- function(x, ...) {
    m <- x$metadata
    cat(sprintf("contrastiveSC result: %d cells, %d-dimensional embedding\n",
        nrow(x$embedding), ncol(x$embedding)))
    cat(sprintf("  clusters: %d (%s)\n", m$n.clusters,
        m$parameters$cluster.method))
    losses <- as.matrix(m$losses)
    cat(sprintf("  genes: %d, epochs: %d, final loss %s\n",
        length(m$genes), nrow(losses),
        paste(sprintf("%.4f", losses[nrow(losses), ]), collapse = ", ")))
    if (isTRUE(is.finite(m$stability))) {
        cat(sprintf("  stability across %d runs (mean pairwise ARI): %.3f\n",
            ncol(losses), m$stability))
    }
    cat(sprintf("  %.2f s on %s (%s backend)\n", m$seconds[["total"]],
        m$device, m$backend))
    invisible(x)
}
