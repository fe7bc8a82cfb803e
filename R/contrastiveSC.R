#' Cluster cells with a contrastive self-supervised embedding
#'
#' Learns a low-dimensional embedding of every cell with contrastive-sc
#' (Ciortan and Defrance, 2021) and clusters it. A small neural network sees
#' two randomly masked copies (input dropout) of each cell's scaled
#' expression and learns to map both close together and away from the other
#' cells (NT-Xent loss); the cells are then clustered by k-means on the
#' embedding (\code{k} known) or by graph clustering (\code{k = NULL}).
#'
#' Preprocessing follows the original: counts are rounded up, genes with
#' fewer than \code{min.counts} counts are dropped, cells are normalised to
#' the median library size and log-transformed, the \code{n.genes} most
#' variable genes are kept and scaled. Genes are ranked by the variance of
#' their analytic Pearson residuals (Lause et al. 2021, as scanpy's
#' \code{flavor = "pearson_residuals"} computes it; \code{gene.ranking =
#' "pearson"}, the default) or by Seurat's dispersion method, as the
#' original did (\code{"seurat"}, and always for log-normalised input).
#' Cells with no counts keep their place in the output with \code{NA}
#' embedding and cluster. Training runs in Rust on \code{num.threads}
#' CPU threads; the same \code{seed} gives the same result for any number of
#' threads. R drives training a few mini-batches at a time, so Ctrl-C (or
#' \code{setTimeLimit()}) stops a long run promptly and leaves the session
#' usable.
#'
#' A \code{DelayedMatrix} (for example an HDF5-backed assay from
#' \pkg{HDF5Array}) is read in blocks of cells (see
#' \code{DelayedArray::getAutoBlockSize()}), never realised whole: only the
#' kept genes of each cell are held in memory, and the result is identical
#' to the in-memory one.
#'
#' @param x A count matrix (genes in rows, cells in columns; a base matrix, a
#' \code{dgCMatrix} or a \code{DelayedMatrix}), a
#' \linkS4class{SingleCellExperiment} or a Seurat object.
#' @param k The number of clusters for k-means, or \code{NULL} when unknown:
#' then the embedding is clustered by Leiden (modularity) on its
#' shared-nearest-neighbour graph at the resolution, among 0.05 to 1.5,
#' whose clustering has the highest silhouette on the embedding; the
#' candidates are kept in the metadata (\code{cluster.candidates}) and
#' drawn by \code{\link{plotClusterChoice}()}. Above 20,000 cells the graph
#' and the choice use a seeded subsample of 20,000 cells, and every cell
#' then joins the cluster whose centroid is nearest (a million cells take
#' about 20 s).
#' @param ... For the generic, arguments of the methods; for the
#' \code{SingleCellExperiment} method, arguments of the \code{ANY} method.
#' @param assay.type For a SingleCellExperiment, the assay to use; for a
#' Seurat object, the slot (\code{"counts"} or \code{"data"}).
#' @param normalized Whether the input is already log-normalised.
#' \code{NULL} means \code{TRUE} for \code{assay.type = "logcounts"} or
#' \code{"data"}. Most log-normalised matrices are
#' \eqn{\log_b(1 + s_c x)}{log_b(1 + s_c * x)} of counts \eqn{x} (Seurat's \code{NormalizeData}, scran's
#' \code{logNormCounts}, scanpy, log2 CPM); in the default mode their
#' counts are recovered (in each cell the smallest non-zero value is one
#' count) when at least 90\% of the values come out as whole numbers for
#' base e, 2 or 10, and the counts are used, so genes can be ranked by
#' Pearson residuals (\code{metadata$recovered.counts} says which base).
#' On the 14 benchmark datasets made log-scale (ln(1 + counts per 10,000)
#' or log2(1 + CPM)) this scored 0.824 mean ARI
#' either way (the counts themselves 0.818), against 0.735 and 0.677
#' without it, and raised the log2-normalised islet set (Xin) from 0.913 to
#' 0.976 (\code{bench/results/issue12-normalized/} in the source). Values
#' stored in fixed steps (e.g. RPKM rounded to 0.1) pass the test too and
#' are used as counts in units of that step. Other values (TPM,
#' corrected or imputed data), a \code{DelayedMatrix} (streamed in blocks,
#' so not checked) and \code{mode = "reference"} skip rounding,
#' library-size normalisation and the log, and rank genes by Seurat's
#' dispersion.
#' @param n.genes,gene.ranking,min.counts,layers,dropout,temperature,epochs,batch.size,learning.rate,cosine.period,n.runs,neighbours,min.steps,max.steps,max.cells,n.init,max.iter
#' Settings of the method; \code{NULL} takes the value of
#' \code{\link{contrastiveDefaults}(mode)}: 500 variable genes, layers
#' \code{c(200, 40, 60)} (a 60-dimensional embedding), input dropout 0.9,
#' batches of 200 cells, Adam, one model (\code{n.runs}), and k-means
#' restarts of at most 300 iterations; by default genes ranked by Pearson
#' residuals, temperature 0.15, 50 k-means restarts and 60 epochs from
#' learning rate 0.2 annealed to zero over them (\code{cosine.period} equal
#' to \code{epochs}), in reference mode the original's Seurat-dispersion
#' genes, temperature 0.07, scikit-learn's 10 restarts and 30 epochs at
#' learning rate 0.4 with a 500-epoch cosine period.
#' \code{n.genes = "auto"} trains one model for each of 500, 1000, 1500,
#' 3000 and 5000 genes (a third of the epochs, on at most 20,000 cells) and
#' keeps the count whose clustering has the highest silhouette (the paper's
#' per-dataset choice); the candidates are in the metadata
#' (\code{gene.candidates}). \code{n.runs > 1} trains that many models from
#' seeds derived from \code{seed} and clusters their embeddings side by
#' side (a consensus, \code{60 * n.runs} columns); the metadata's
#' \code{stability} is the mean adjusted Rand index between the runs'
#' own clusterings, so a low value flags a fragile clustering.
#' \code{neighbours}: with \code{k > 0} (by default 10), each cell's
#' positive in the contrastive loss is a masked view of a cell drawn from
#' its \code{k} nearest cells (itself included) in the space of the 50
#' leading principal components of the kept genes, rather than a second
#' view of itself (\code{0}, the published method). Above 30,000 cells the
#' neighbours are searched within the leaves of a k-d tree of at most
#' 2,048 cells. \code{min.steps} (by default 600; 0 in reference mode):
#' on small data, where an epoch is one or a few mini-batches, the epochs
#' (and the cosine period with them) are raised until training takes at
#' least this many steps; from about 2,000 cells on, \code{epochs} rules.
#' On large data the cost of training is bounded: above \code{max.cells}
#' cells (by default 50,000; 0, all cells, in reference mode) a seeded
#' subsample of that many cells trains the model (and finds its
#' neighbours), and every cell is embedded by it; the epochs are then
#' lowered, to one at the least, until training takes at most
#' \code{max.steps} steps (by default 6,000; 0, no limit, in reference
#' mode). A million cells train 24 epochs of 250 batches, in about 30
#' seconds on two cores with their embedding (46 seconds end to end,
#' \code{bench/results/large/}). No shared benchmark dataset reaches
#' either bound: smaller ones cost quality there
#' (\code{bench/results/issue14/}).
#' Epochs given explicitly are run as given (\code{min.steps} and
#' \code{max.steps} then default to 0). The epochs actually run are in the
#' metadata's \code{losses}. Above 50,000 cells the k-means restarts run
#' on a seeded subsample of 50,000 cells, and Lloyd iterations on every
#' cell start from the best restart's centres.
#' @param cluster.method \code{"kmeans"} (needs \code{k}), \code{"leiden"}
#' (see \code{k}; with \code{k} given, the resolution whose number of
#' clusters is closest to \code{k}), or any \code{bluster::BlusterParam},
#' applied to the embedding. \code{NULL} picks k-means when \code{k} is
#' given, Leiden otherwise.
#' @param mode \code{"default"}: the settings chosen by measurement on the
#' shared benchmark datasets (numbers in the package's
#' \code{bench/results/search/summary.md}, 7 datasets x 5 seeds, k-means
#' with the true k). One line per choice: 60 epochs with the learning rate
#' annealed over them: mean ARI 0.585 -> 0.628 and PBMC's seed sd 0.075 ->
#' 0.007; learning rate 0.2 instead of 0.4: 0.628 -> 0.641, no dataset lower;
#' genes ranked by Pearson residuals: 0.641 -> 0.685 (worm 0.21 -> 0.57,
#' Pollen 0.13 -> 0.49) but Zeisel and Baron fell; temperature 0.15 with
#' them: 0.685 -> 0.747, every dataset within 0.05 of the reference or
#' above it; 50 k-means restarts: PBMC's seed sd 0.064 -> 0.002 (one seed
#' in five found a worse optimum with 10); together 2.3x the reference
#' time. Then, on 14 datasets (seeds 0-4, \code{bench/results/issue12/}):
#' neighbour positives, 0.779 -> 0.796 (9 won, 4 lost), and at least 600
#' steps, -> 0.818, against 0.751 for PCA of the same genes + k-means.
#' Every other candidate of that search lowered the mean or won no more
#' datasets than it lost (binomial thinning of the counts: +0.001, 4 won,
#' 4 lost): Pearson residuals as the input, the first layer
#' initialised from the PCA loadings, the network trained on the 50 leading
#' components, Gaussian noise, masks over gene
#' programmes, dropout tied to depth, a queue of negatives, batches of 512,
#' a prototype term, short-run ensembles and the hidden layer read out.
#' Measured and not made defaults: 1000-5000 genes and \code{n.genes =
#' "auto"} (Zeisel or Baron fall; with the Pearson genes "auto" gives 0.733
#' at 4x the time), a 3-run consensus (3x the time for
#' +0.03), temperatures 0.12 and 0.2 with Pearson genes (Zeisel falls; PBMC
#' seed sd 0.07), other dropouts, batch sizes and epoch counts (lower mean
#' or PBMC seed sd above 0.03).
#' \code{"reference"}: the published method, constant for constant.
#' @param seed A single whole number; \code{NULL} draws one from R's random
#' number generator, so \code{set.seed()} makes the call reproducible.
#' @param num.threads Number of CPU threads; \code{NULL} means
#' \code{getOption("contrastiveSC.num.threads", 2)}.
#' @param device \code{"auto"}, \code{"cpu"}, \code{"cuda"} or
#' \code{"cuda:N"}. \code{"auto"} trains on a GPU when this build has the
#' torch backend and libtorch sees one, else on the CPU; asking for CUDA
#' where there is none is an error that says why. See
#' \code{\link{contrastiveBackends}()}. Measured on an H100, a 200-cell
#' step takes 3.4 ms on CUDA (launch-bound) and 1.8 ms in the native
#' backend on two CPU cores (\code{bench/results/gpu-check.md}), so
#' \code{device = "cpu"} is as fast or faster for the default model.
#' @param backend \code{"auto"}, \code{"native"} (Rust, CPU, bit-identical
#' for any thread count) or \code{"torch"} (libtorch, CPU or CUDA; results
#' agree with the native backend within floating-point tolerance, not
#' bit for bit). On the CPU prefer the native backend: inside R, libtorch's
#' matrix products use R's BLAS, which is slow if that is the reference
#' BLAS (see the INSTALL file).
#' @param BPPARAM A \code{BiocParallel::BiocParallelParam} for the fits
#' that are independent of each other: the \code{n.runs} models of a
#' consensus and the candidates of \code{n.genes = "auto"}. With several
#' workers each fit preprocesses the cells itself and trains on
#' \code{num.threads} divided among the workers; the result is the same as
#' with the default \code{SerialParam()} (each fit owns its seed, and the
#' native backend gives the same bits for any thread count). To fit several
#' seeds or settings side by side, call \code{contrastiveSC()} inside
#' \code{BiocParallel::bplapply()} (see the examples); on a cluster, the
#' same call with an existing back end, for example
#' \code{BatchtoolsParam(workers = 10, cluster = "slurm")}, sends each fit
#' to a job.
#' @param name For a SingleCellExperiment, the \code{reducedDim} name.
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
#' (the same metadata, with the model). For
#' a Seurat object, see \code{\link{contrastiveSC,ANY-method}}: a
#' \code{contrastive} DimReduc (key \code{CSC_}), a meta.data column, the
#' identities set to the clusters, and \code{Misc(x, "contrastiveSC")}.
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
    cosine.period = NULL, n.runs = NULL, neighbours = NULL, min.steps = NULL,
    max.steps = NULL, max.cells = NULL, n.init = NULL, max.iter = NULL,
    cluster.method = NULL, mode = "default",
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
    res <- do.call(.contrastive_run, c(list(x), args))
    structure(res, class = "contrastiveSC")
})

#' @rdname contrastiveSC
#' @export
setMethod("contrastiveSC", "SingleCellExperiment", function(x, k = NULL,
    ..., assay.type = "counts", normalized = NULL, name = "CONTRASTIVE",
    cluster.name = "contrastive_cluster") {
    if (!assay.type %in% SummarizedExperiment::assayNames(x)) {
        stop(sprintf("'assay.type' = \"%s\" is not an assay of 'x' (has: %s)",
            assay.type, paste(SummarizedExperiment::assayNames(x),
                collapse = ", ")), call. = FALSE)
    }
    if (is.null(normalized)) normalized <- assay.type == "logcounts"
    counts <- SummarizedExperiment::assay(x, assay.type, withDimnames = TRUE)
    res <- .contrastive_run(counts, k = k, normalized = normalized, ...)
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
    cosine.period = NULL, n.runs = NULL, neighbours = NULL, min.steps = NULL,
    max.steps = NULL, max.cells = NULL, n.init = NULL, max.iter = NULL,
    cluster.method = NULL, mode = "default",
    seed = NULL, num.threads = NULL, device = "auto", backend = "auto",
    BPPARAM = BiocParallel::SerialParam(), verbose = FALSE) {
    start <- proc.time()[["elapsed"]]
    # A DelayedMatrix (e.g. HDF5-backed) is streamed in blocks, never realised.
    counts <- if (methods::is(x, "DelayedMatrix")) x else .as_counts(x)
    .check_choice(mode, "mode", c("default", "reference"))
    params <- .check_params(.resolve_params(list(n.genes = n.genes,
        gene.ranking = gene.ranking, min.counts = min.counts,
        layers = layers, dropout = dropout, temperature = temperature,
        epochs = epochs, batch.size = batch.size,
        learning.rate = learning.rate, cosine.period = cosine.period,
        n.runs = n.runs, neighbours = neighbours, min.steps = min.steps,
        max.steps = max.steps, max.cells = max.cells, n.init = n.init,
        max.iter = max.iter), mode))
    if (ncol(counts) < 2L) {
        stop("'x' must have at least 2 cells, got ", ncol(counts),
            call. = FALSE)
    }
    if (!is.null(k)) k <- .check_int(k, "k", min = 2, max = ncol(counts))
    method <- .resolve_cluster_method(cluster.method, k)
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
            seed, num.threads, backend, device, verbose, BPPARAM)
        params$n.genes <- gene.choice$n.genes
    }
    t.genes <- proc.time()[["elapsed"]] - t.genes
    fit <- .train_embedding(counts, params, normalized, seed, num.threads,
        backend, device, verbose, BPPARAM)
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
        gene.candidates = gene.choice$candidates,
        cluster.candidates = attr(labels, "candidates"))
    fit$model$recovered.base <- recovered$base
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
