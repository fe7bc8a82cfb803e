# Argument checks shared by the user-facing functions. Every message names
# the argument it is about.

.is_whole <- function(v) is.numeric(v) && all(is.finite(v)) && all(v == round(v))

.check_int <- function(value, name, min = 1, max = Inf) {
    if (length(value) != 1L || !.is_whole(value) || value < min ||
        value > max) {
        range <- if (is.finite(max)) sprintf("between %s and %s", min, max)
            else sprintf("at least %s", min)
        stop(sprintf("'%s' must be a single whole number %s, got %s",
            name, range, .show(value)), call. = FALSE)
    }
    as.integer(value)
}

.check_number <- function(value, name, min = -Inf, max = Inf,
    min.open = FALSE, max.open = FALSE) {
    ok <- length(value) == 1L && is.numeric(value) && is.finite(value) &&
        (if (min.open) value > min else value >= min) &&
        (if (max.open) value < max else value <= max)
    if (!ok) {
        stop(sprintf("'%s' must be a single number in %s%s, %s%s, got %s",
            name, if (min.open) "(" else "[", min, max,
            if (max.open) ")" else "]", .show(value)), call. = FALSE)
    }
    as.double(value)
}

.check_flag <- function(value, name) {
    if (!is.logical(value) || length(value) != 1L || is.na(value)) {
        stop(sprintf("'%s' must be TRUE or FALSE", name), call. = FALSE)
    }
    value
}

.check_choice <- function(value, name, choices) {
    if (!is.character(value) || length(value) != 1L ||
        !value %in% choices) {
        stop(sprintf("'%s' must be one of %s, got %s", name,
            paste0('"', choices, '"', collapse = ", "), .show(value)),
            call. = FALSE)
    }
    value
}

.show <- function(value) {
    if (is.null(value)) return("NULL")
    if (length(value) == 0L) return("a zero-length value")
    # each value as itself: format() of a vector would pad them to one width
    shown <- format(utils::head(value, 3L), trim = TRUE, justify = "none")
    if (is.character(value)) shown <- sprintf('"%s"', shown)
    s <- paste(shown, collapse = ", ")
    if (length(value) > 3L) s <- paste0(s, ", ...")
    s
}

# Draws the seed from R's RNG when NULL, so set.seed() controls the result.
.resolve_seed <- function(seed) {
    if (is.null(seed)) return(as.double(sample.int(.Machine$integer.max, 1L)))
    if (length(seed) != 1L || !.is_whole(seed) || seed < 0) {
        stop("'seed' must be NULL or a single non-negative whole number, got ",
            .show(seed), call. = FALSE)
    }
    as.double(seed)
}

.resolve_threads <- function(num.threads) {
    if (is.null(num.threads)) {
        num.threads <- getOption("contrastiveSC.num.threads", 2L)
    }
    .check_int(num.threads, "num.threads", min = 1, max = 1024)
}

# Cheap checks of 'backend' and 'device'; the core decides what can run
# (and says why not: no libtorch, no GPU visible).
.check_backend_device <- function(backend, device) {
    .check_choice(backend, "backend", c("auto", "native", "torch"))
    if (!is.character(device) || length(device) != 1L ||
        !grepl("^(auto|cpu|cuda(:[0-9]+)?)$", device)) {
        stop("'device' must be \"auto\", \"cpu\", \"cuda\" or \"cuda:N\", got ",
            .show(device), call. = FALSE)
    }
}

# Any supported count container -> a checked dgCMatrix (genes x cells).
.as_counts <- function(x, arg = "x") {
    if (is.data.frame(x)) {
        stop(sprintf("'%s' must be a numeric matrix, not a data.frame",
            arg), call. = FALSE)
    }
    if (is.matrix(x) && !is.numeric(x)) {
        stop(sprintf("'%s' must be numeric, got a %s matrix", arg,
            typeof(x)), call. = FALSE)
    }
    if (!is.matrix(x) && !methods::is(x, "Matrix")) {
        stop(sprintf(
            "'%s' must be a numeric matrix, a dgCMatrix, %s, got %s %s",
            arg, "a SingleCellExperiment or a Seurat object",
            "an object of class", class(x)[1L]), call. = FALSE)
    }
    if (methods::is(x, "Matrix") && !methods::is(x, "dMatrix") &&
        !methods::is(x, "iMatrix")) {
        stop(sprintf("'%s' must be numeric, got a %s", arg, class(x)[1L]),
            call. = FALSE)
    }
    if (nrow(x) == 0L) stop(sprintf("'%s' has no genes (rows)", arg),
        call. = FALSE)
    if (ncol(x) == 0L) stop(sprintf("'%s' has no cells (columns)", arg),
        call. = FALSE)
    m <- if (methods::is(x, "dgCMatrix")) x else methods::as(methods::as(
        methods::as(x, "dMatrix"), "generalMatrix"), "CsparseMatrix")
    values <- .value_summary(m)
    if (values$non_finite) {
        stop(sprintf("'%s' contains NA, NaN or infinite values", arg),
            call. = FALSE)
    }
    if (values$negative) {
        stop(sprintf("'%s' contains negative values; counts must be >= 0",
            arg), call. = FALSE)
    }
    # Unnamed cells are named by position, so results can be matched back.
    if (is.null(colnames(m))) colnames(m) <- as.character(seq_len(ncol(m)))
    dup <- anyDuplicated(colnames(m))
    if (dup > 0L) {
        stop(sprintf("'%s' has duplicated cell names (columns), e.g. \"%s\"",
            arg, colnames(m)[dup]), call. = FALSE)
    }
    m
}

# Arguments that reached '...' must be among 'allowed' (the Seurat method's
# own 'assay' and 'layer'); anything else is named in the error.
.check_dots <- function(dots, allowed) {
    given <- names(dots)
    if (is.null(given)) given <- rep("", length(dots))
    unknown <- setdiff(ifelse(given == "", "(unnamed)", given), allowed)
    if (length(unknown) > 0L) {
        stop("unknown argument(s): ", toString(unknown), call. = FALSE)
    }
}
