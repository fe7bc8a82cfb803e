#' Default settings of contrastiveSC
#'
#' The defaults live once, in the Rust core; every argument of
#' \code{\link{contrastiveSC}} that defaults to \code{NULL} takes its value
#' from here, for the run's \code{mode}.
#'
#' @param mode \code{"default"} (the settings chosen by measurement, see
#' \code{\link{contrastiveSC}}'s \code{mode}) or \code{"reference"} (the
#' published method).
#' @return A named list: \code{n.genes} (highly variable genes kept),
#' \code{gene.ranking} (\code{"pearson"} or \code{"seurat"}: how they are
#' ranked), \code{min.counts} (genes with fewer total counts are dropped),
#' \code{layers} (output sizes of the encoder's layers; the last is the
#' embedding size), \code{dropout} (input-dropout probability, the
#' augmentation), \code{temperature} (NT-Xent), \code{epochs},
#' \code{batch.size}, \code{learning.rate} (Adam), \code{cosine.period}
#' (epochs of the cosine learning-rate schedule; the original's 500; by
#' default equal to the epochs run), \code{n.runs} (models trained for a
#' consensus), \code{neighbours} (a cell's positive is drawn from this
#' many nearest cells in principal-component space; 0: its own second
#' view, the published method), \code{exclude.neighbours} (cells among
#' each other's this many nearest are not contrasted; 0: every pair is, the
#' published method), \code{min.steps} (on small data the
#' epochs are raised until training takes this many mini-batch steps),
#' \code{max.steps} (on large data the epochs are lowered, to one at the
#' least, until training takes at most this many steps; 0: no limit),
#' \code{max.cells} (above this many cells a seeded subsample of it
#' trains the model and every cell is embedded; 0: all cells),
#' \code{n.init} and \code{max.iter}
#' (k-means restarts and iterations).
#' @author contrastiveSC authors
#' @seealso \code{\link{contrastiveSC}}
#' @examples
#' contrastiveDefaults()$layers
#' str(contrastiveDefaults("reference"))
#' @export
contrastiveDefaults <- function(mode = c("default", "reference")) {
    csc_defaults(match.arg(mode))
}

# Replaces NULL arguments by the core's settings for 'mode'.
.resolve_params <- function(params, mode = "default") {
    defaults <- contrastiveDefaults(mode)
    # Outside reference mode the learning rate anneals over the epochs run,
    # and epochs given explicitly are run as given (not raised to
    # min.steps on small data, nor lowered to max.steps on large data).
    if (mode == "default" && !is.null(params$epochs)) {
        if (is.null(params$cosine.period)) {
            params$cosine.period <- params$epochs
        }
        if (is.null(params$min.steps)) params$min.steps <- 0L
        if (is.null(params$max.steps)) params$max.steps <- 0L
    }
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
