#' Score a clustering against known labels and on its embedding
#'
#' Adjusted Rand index, normalised mutual information (arithmetic mean),
#' mean silhouette width (Euclidean, exact) and the Calinski-Harabasz index,
#' computed in Rust with scikit-learn's definitions, degenerate cases
#' included. Cells whose label or cluster is \code{NA} are left out.
#'
#' @param labels Known cell types (any vector or factor).
#' @param clusters Cluster assignments of the same cells.
#' @param embedding Optional cells x dimensions matrix for the silhouette and
#' Calinski-Harabasz scores (\code{NA} when not given, or undefined: fewer
#' than 2 or more than n - 1 clusters).
#' @param num.threads Number of CPU threads.
#' @return A named numeric vector: \code{ARI}, \code{NMI},
#' \code{silhouette}, \code{calinski_harabasz}.
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}}
#' @examples
#' data(pbmc4k)
#' res <- contrastiveSC(pbmc4k[, 1:500], k = 8, epochs = 3, seed = 1)
#' clusteringScores(pbmc4k.labels[1:500], res$clusters, res$embedding)
#' @export
clusteringScores <- function(labels, clusters, embedding = NULL,
    num.threads = NULL) {
    if (length(labels) != length(clusters)) {
        stop(sprintf("'clusters' has %d values but 'labels' has %d",
            length(clusters), length(labels)), call. = FALSE)
    }
    if (!is.null(embedding)) {
        embedding <- as.matrix(embedding)
        if (!is.numeric(embedding) || nrow(embedding) != length(labels)) {
            stop("'embedding' must be a numeric matrix with one row per cell",
                call. = FALSE)
        }
    }
    ok <- !is.na(labels) & !is.na(clusters)
    if (!is.null(embedding)) ok <- ok & stats::complete.cases(embedding)
    if (!any(ok)) stop("'labels' and 'clusters' have no cell in common ",
        "without NA", call. = FALSE)
    truth <- as.integer(factor(labels[ok]))
    pred <- as.integer(factor(clusters[ok]))
    emb <- if (is.null(embedding)) matrix(0, 0, 0) else
        embedding[ok, , drop = FALSE]
    res <- csc_scores(truth, pred, as.double(emb), nrow(emb), ncol(emb),
        .resolve_threads(num.threads))
    unlist(res)
}
