#' @rdname contrastiveSC
#' @export
setGeneric("contrastiveSC", function(x, ...) standardGeneric("contrastiveSC"))
