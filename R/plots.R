#' Plots of a contrastiveSC run
#'
#' \code{plotLoss()} draws the training loss per epoch (one line per run
#' of a consensus); \code{plotClusterChoice()} draws the Leiden
#' clusterings tried when \code{k} was unknown (silhouette against
#' resolution, labelled with their number of clusters, the chosen one in
#' red);
#' \code{plotConfusion()} draws a heatmap of clusters against known labels
#' (each row is a label, shaded by the fraction of its cells in each
#' cluster). Both return \pkg{ggplot2} objects, so they can be themed and
#' combined.
#'
#' @param x A \code{contrastiveSC} result (from a matrix), a
#' SingleCellExperiment or Seurat object that went through
#' \code{\link{contrastiveSC}}, or the \code{metadata} list of a run.
#' @param labels Known cell types.
#' @param clusters Cluster assignments of the same cells.
#' @return A \code{ggplot} object.
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}}, \code{\link{clusteringScores}}
#' @examples
#' data(pbmc4k)
#' res <- contrastiveSC(pbmc4k[, 1:500], k = 8, epochs = 5, seed = 1)
#' plotLoss(res)
#' unknown <- contrastiveSC(pbmc4k[, 1:500], epochs = 5, seed = 1)
#' plotClusterChoice(unknown)
#' plotConfusion(pbmc4k.labels[1:500], res$clusters)
#' @name plotLoss
NULL

#' @rdname plotLoss
#' @export
plotLoss <- function(x) {
    .need("ggplot2", "plotLoss()")
    # One column per run of a consensus (a plain vector for one run).
    losses <- as.matrix(.run_metadata(x)$losses)
    df <- data.frame(epoch = rep(seq_len(nrow(losses)), ncol(losses)),
        loss = as.vector(losses),
        run = factor(rep(seq_len(ncol(losses)), each = nrow(losses))))
    ggplot2::ggplot(df, ggplot2::aes(x = epoch, y = loss, colour = run)) +
        ggplot2::geom_line() + ggplot2::geom_point(size = 1) +
        ggplot2::labs(x = "epoch", y = "NT-Xent loss (mean over batches)",
            title = "contrastiveSC training loss") +
        ggplot2::theme_minimal()
}

#' @rdname plotLoss
#' @export
plotClusterChoice <- function(x) {
    .need("ggplot2", "plotClusterChoice()")
    cand <- .run_metadata(x)$cluster.candidates
    if (is.null(cand$resolution)) {
        stop("'x' was not clustered with cluster.method = \"leiden\": ",
            "there are no resolutions to plot", call. = FALSE)
    }
    ggplot2::ggplot(cand, ggplot2::aes(x = resolution, y = silhouette)) +
        ggplot2::geom_line() +
        ggplot2::geom_point(ggplot2::aes(colour = chosen), size = 3) +
        ggplot2::geom_text(ggplot2::aes(label = clusters), vjust = -1,
            size = 3) +
        ggplot2::scale_x_log10() +
        ggplot2::scale_colour_manual(values = c(`FALSE` = "grey50",
            `TRUE` = "firebrick")) +
        ggplot2::labs(x = "Leiden resolution (log scale)",
            y = "silhouette on the embedding",
            title = "Clusterings tried (labels: number of clusters)") +
        ggplot2::theme_minimal()
}

#' @rdname plotLoss
#' @export
plotConfusion <- function(labels, clusters) {
    .need("ggplot2", "plotConfusion()")
    if (length(labels) != length(clusters)) {
        stop(sprintf("'clusters' has %d values but 'labels' has %d",
            length(clusters), length(labels)), call. = FALSE)
    }
    tab <- table(label = labels, cluster = clusters)
    df <- as.data.frame(tab, responseName = "cells")
    df$fraction <- df$cells / ave(df$cells, df$label, FUN = sum)
    df$fraction[!is.finite(df$fraction)] <- 0
    ggplot2::ggplot(df, ggplot2::aes(x = cluster, y = label,
        fill = fraction)) +
        ggplot2::geom_tile() +
        ggplot2::geom_text(ggplot2::aes(label = cells), size = 3) +
        ggplot2::scale_fill_gradient(low = "white", high = "steelblue",
            limits = c(0, 1)) +
        ggplot2::labs(x = "cluster", y = "label",
            fill = "fraction\nof label") +
        ggplot2::theme_minimal()
}

# The metadata list of a run, from any object contrastiveSC() returns.
.run_metadata <- function(x) {
    meta <- if (inherits(x, "contrastiveSC")) x$metadata
        else if (methods::is(x, "SingleCellExperiment"))
            S4Vectors::metadata(x)$contrastiveSC
        else if (inherits(x, "Seurat"))
            SeuratObject::Misc(x, "contrastiveSC")
        else x
    if (!is.list(meta) || is.null(meta$losses)) {
        stop("'x' holds no contrastiveSC run (no loss record found)",
            call. = FALSE)
    }
    meta
}
