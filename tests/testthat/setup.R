# Shared test data: a slice of the bundled PBMC counts (real data), small
# enough that a few epochs take a fraction of a second.
data(pbmc4k, package = "contrastiveSC", envir = environment())
small <- pbmc4k[, seq(1, ncol(pbmc4k), by = 8)]
small.labels <- pbmc4k.labels[seq(1, ncol(pbmc4k), by = 8)]
fast <- function(x, ...) contrastiveSC(x, epochs = 3, num.threads = 1, ...)
