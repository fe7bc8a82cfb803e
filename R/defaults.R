#' Default settings of contrastiveSC
#'
#' The defaults live once, in the Rust core; every argument of
#' \code{\link{contrastiveSC}} that defaults to \code{NULL} takes its value
#' from here.
#'
#' @return A named list: \code{n.genes} (highly variable genes kept),
#' \code{min.counts} (genes with fewer total counts are dropped),
#' \code{layers} (output sizes of the encoder's layers; the last is the
#' embedding size), \code{dropout} (input-dropout probability, the
#' augmentation), \code{temperature} (NT-Xent), \code{epochs},
#' \code{batch.size}, \code{learning.rate} (Adam), \code{cosine.period}
#' (epochs of the cosine learning-rate schedule; the original's 500),
#' \code{n.init} and \code{max.iter} (k-means restarts and iterations).
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}}
#' @examples
#' contrastiveDefaults()$layers
#' @export
contrastiveDefaults <- function() {
    csc_defaults()
}

# Replaces NULL arguments by the core's defaults.
.resolve_params <- function(params) {
    defaults <- contrastiveDefaults()
    for (nm in names(defaults)) {
        if (is.null(params[[nm]])) params[[nm]] <- defaults[[nm]]
    }
    params
}
