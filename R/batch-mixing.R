#' How well the batches mix in an embedding
#'
#' Of each cell's \code{k} nearest neighbours in the embedding (Euclidean,
#' exact), the share from other batches, divided by the share the batch
#' sizes allow (\code{(n - nb) / (n - 1)} for a cell of a batch of
#' \code{nb} cells among \code{n}), and
#' averaged over the cells. 0: every cell's neighbours are of its own batch;
#' about 1: neighbours are drawn from the batches as at random. Where the
#' batches hold different cell types, or the same types in different
#' proportions, full mixing is neither possible nor wanted, so compare
#' values on the same cells (with and without \code{batch}, or against
#' another method) rather than against 1.
#'
#' @param embedding A cells x dimensions matrix (cells with \code{NA} are
#' left out).
#' @param batch The batch of each cell.
#' @param k Number of neighbours.
#' @return A single number.
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}} (its \code{batch} argument),
#' \code{\link{clusteringScores}}
#' @examples
#' data(cellLines)
#' res <- contrastiveSC(cellLines, k = 3, seed = 1, epochs = 20,
#'     batch = cellLines.protocol)
#' batchMixing(res$embedding, cellLines.protocol)
#' @export
batchMixing <- function(embedding, batch, k = 15L) {
    .need("BiocNeighbors", "batchMixing()")
    embedding <- as.matrix(embedding)
    if (!is.numeric(embedding) || nrow(embedding) != length(batch)) {
        stop(sprintf("'embedding' must be a numeric matrix with one row per value of 'batch' (%d)",
            length(batch)), call. = FALSE)
    }
    ok <- stats::complete.cases(embedding) & !is.na(batch)
    batch <- as.character(batch[ok])
    n <- length(batch)
    k <- .check_int(k, "k", min = 1, max = max(1L, n - 1L))
    if (length(unique(batch)) < 2L) {
        stop("'batch' has a single value among the cells: nothing to mix",
            call. = FALSE)
    }
    # KMKNN's index is built with R's k-means: seeded, the user's RNG kept
    nn <- .with_seed(0L, BiocNeighbors::findKNN(embedding[ok, , drop = FALSE],
        k = k, BNPARAM = BiocNeighbors::KmknnParam(),
        get.distance = FALSE)$index)
    other <- rowMeans(matrix(batch[nn] != batch, nrow = n))
    allowed <- (n - as.vector(table(batch)[batch])) / (n - 1)
    mean(other / allowed)
}
