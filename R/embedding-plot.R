#' Cells on a two-dimensional map, coloured by cluster and by known label
#'
#' Draws the cells at \code{coords} (for example a UMAP of the contrastive
#' embedding) in one panel coloured by cluster and, when \code{labels} are
#' given, a second panel coloured by label. Each cluster takes the colour of
#' the label it shares most cells with (clusters and labels are matched one
#' to one, largest overlap first), so a cluster that recovers a cell type
#' has that type's colour in both panels; a cluster left without a label of
#' its own gets a colour of its own. Cluster numbers are written at each
#' cluster's centre, and the one legend names the labels.
#'
#' @param coords A matrix or data frame with a row per cell; its first two
#' columns are drawn.
#' @param clusters Cluster assignments of the same cells.
#' @param labels Optional known cell types of the same cells.
#' @param title Optional plot title.
#' @param point.size Size of the points.
#' @return A \code{ggplot} object.
#' @author contrastiveSC authors
#' @seealso \code{\link{plotConfusion}}, \code{\link{contrastiveSC}}
#' @examples
#' data(pbmcSorted)
#' res <- contrastiveSC(pbmcSorted, k = 3, seed = 1, epochs = 10)
#' coords <- stats::prcomp(res$embedding)$x
#' plotEmbedding(coords, res$clusters, pbmcSorted.labels)
#' @export
plotEmbedding <- function(coords, clusters, labels = NULL, title = NULL,
    point.size = 0.6) {
    .need("ggplot2", "plotEmbedding()")
    coords <- as.matrix(coords)
    if (ncol(coords) < 2) {
        stop("'coords' needs at least two columns, it has ", ncol(coords),
            call. = FALSE)
    }
    n <- nrow(coords)
    for (arg in c("clusters", "labels")) {
        v <- get(arg)
        if (!is.null(v) && length(v) != n) {
            stop(sprintf("'%s' has %d values but 'coords' has %d rows", arg,
                length(v), n), call. = FALSE)
        }
    }
    clusters <- factor(clusters)
    colour.of <- .cluster_colours(clusters, labels)
    panel <- function(name, group) {
        data.frame(x = coords[, 1], y = coords[, 2], panel = name,
            group = group, stringsAsFactors = FALSE)
    }
    df <- panel("clusters", unname(colour.of[as.character(clusters)]))
    if (!is.null(labels)) df <- rbind(panel("known labels",
        as.character(labels)), df)
    df$panel <- factor(df$panel, levels = unique(df$panel))
    groups <- c(if (!is.null(labels)) levels(factor(labels)),
        setdiff(unique(colour.of), labels))
    df$group <- factor(df$group, levels = groups)
    centres <- stats::aggregate(coords[, c(1L, 2L)], list(cluster = clusters),
        stats::median)
    names(centres) <- c("cluster", "x", "y")
    centres$panel <- factor("clusters", levels = levels(df$panel))
    ggplot2::ggplot(df, ggplot2::aes(x = x, y = y, colour = group)) +
        ggplot2::geom_point(size = point.size) +
        ggplot2::geom_label(data = centres, ggplot2::aes(x = x, y = y,
            label = cluster), inherit.aes = FALSE, size = 3.5,
            alpha = 0.8) +
        ggplot2::facet_wrap(~panel) +
        ggplot2::scale_colour_manual(values = .palette(length(groups)),
            drop = FALSE) +
        ggplot2::guides(colour = ggplot2::guide_legend(
            override.aes = list(size = 3))) +
        ggplot2::labs(x = colnames(coords)[1], y = colnames(coords)[2],
            colour = if (is.null(labels)) "cluster" else
                "label (clusters: the label they match)",
            title = title) +
        ggplot2::theme_minimal(base_size = 13) +
        ggplot2::theme(legend.position = "bottom")
}

# Each cluster's colour group: the label it is matched to (one to one,
# largest overlap first), or "cluster <c>" when none is left for it.
.cluster_colours <- function(clusters, labels) {
    out <- stats::setNames(paste("cluster", levels(clusters)),
        levels(clusters))
    if (is.null(labels)) return(out)
    tab <- table(clusters, as.character(labels))
    while (length(tab) && max(tab) > 0) {
        best <- which(tab == max(tab), arr.ind = TRUE)[1, ]
        out[rownames(tab)[best[1]]] <- colnames(tab)[best[2]]
        tab <- tab[-best[1], -best[2], drop = FALSE]
    }
    out
}

# Distinct colours: Okabe-Ito, then a hue wheel for more groups.
.palette <- function(n) {
    base <- c("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2",
        "#D55E00", "#F0E442", "#000000", "#999999")
    if (n <= length(base)) return(base[seq_len(n)])
    c(base, grDevices::hcl(h = seq(15, 375, length.out = n - length(base) +
        1)[-1], c = 90, l = 55))
}
