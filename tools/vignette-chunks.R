# Runs named chunks of the vignette, in order, in one session, with any
# warning an error, and prints "vignette: N passed, N failed" (one per
# chunk). make test-seurat5 runs the Seurat user's path this way against
# Seurat 5 (rendering the whole vignette would also train on all of PBMC).
#   Rscript tools/vignette-chunks.R LABEL [LABEL ...]
suppressPackageStartupMessages(library(contrastiveSC))
labels <- commandArgs(trailingOnly = TRUE)
lines <- readLines("vignettes/contrastiveSC.Rmd")
starts <- grep("^```\\{r", lines)
ends <- grep("^```$", lines)
chunk_of <- function(label) {
    start <- starts[grepl(sprintf("^```\\{r %s[ ,}]", label), lines[starts])]
    if (length(start) != 1L) stop("no chunk '", label, "' in the vignette")
    lines[(start + 1L):(min(ends[ends > start]) - 1L)]
}
env <- new.env(parent = globalenv())
passed <- 0L
failed <- 0L
for (label in labels) {
    ok <- tryCatch({
        withCallingHandlers(eval(parse(text = chunk_of(label)), envir = env),
            warning = function(w) stop("warning: ", conditionMessage(w)))
        TRUE
    }, error = function(e) {
        message("vignette chunk '", label, "' failed: ", conditionMessage(e))
        FALSE
    })
    if (ok) passed <- passed + 1L else failed <- failed + 1L
    cat(sprintf("vignette chunk %-18s %s\n", label, if (ok) "ok" else "FAILED"))
}
cat(sprintf("vignette: %d passed, %d failed\n", passed, failed))
if (failed > 0L) quit(status = 1)
