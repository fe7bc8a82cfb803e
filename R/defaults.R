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

#' Backends and devices available to contrastiveSC
#'
#' Training runs natively in Rust on the CPU (always compiled) and, in
#' builds with libtorch (installed with torch 2.11.0 for Python present, or
#' \code{LIBTORCH} set, see the INSTALL file), through libtorch on the CPU or
#' on CUDA GPUs.
#'
#' @return A list: \code{backends} (the compiled backends), \code{torch}
#' (whether libtorch is compiled in), \code{cuda} (whether libtorch sees a
#' CUDA device), \code{cuda.devices} (their names).
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}} (arguments \code{backend} and
#' \code{device})
#' @examples
#' contrastiveBackends()
#' @export
contrastiveBackends <- function() {
    info <- csc_backends()
    if (info$cuda && nzchar(Sys.which("nvidia-smi"))) {
        # libtorch has no device-name query; ask the driver.
        names <- tryCatch(system2("nvidia-smi", c("--query-gpu=name",
            "--format=csv,noheader"), stdout = TRUE, stderr = FALSE),
            error = function(e) character())
        if (length(names) == length(info$cuda.devices)) {
            info$cuda.devices <- sprintf("%s (%s)", info$cuda.devices, names)
        }
    }
    info
}
