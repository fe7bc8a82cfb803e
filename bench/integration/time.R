# Issue 21's time target (with batch at most 1.5x the same call without
# it), on data larger than the integration tasks: PBMC 4k in two batches
# (every other cell), and 21,355 cells in five batches (PBMC 4k five
# times, each copy's counts thinned by its own binomial draw, keeping 50%
# to 90% of them, so the batches differ in depth as protocols do). Both
# calls in the same process, seeds 0-2, 2 threads.
#   Rscript bench/integration/time.R bench/results/integration/time.csv
suppressPackageStartupMessages(library(contrastiveSC))
out <- commandArgs(trailingOnly = TRUE)[[1L]]
data(pbmc4k)
thinned <- function(x, keep, seed) {
    set.seed(seed)
    x@x <- as.numeric(stats::rbinom(length(x@x), x@x, keep))
    colnames(x) <- paste0(colnames(x), "_", seed)
    x
}
keep <- c(0.9, 0.8, 0.7, 0.6, 0.5)
large <- do.call(cbind, lapply(1:5, function(i) thinned(pbmc4k, keep[i], i)))
cases <- list(
    list(name = "PBMC 4k, 2 batches", x = pbmc4k,
        batch = rep(c("a", "b"), length.out = ncol(pbmc4k))),
    list(name = "PBMC x5 thinned, 5 batches", x = large,
        batch = rep(paste0("copy", 1:5), each = ncol(pbmc4k))))
rows <- NULL
for (case in cases) {
    for (seed in 0:2) {
        for (with.batch in c(FALSE, TRUE)) {
            s <- system.time(r <- contrastiveSC(case$x, k = 8, seed = seed,
                num.threads = 2, batch = if (with.batch)
                    case$batch))[["elapsed"]]
            rows <- rbind(rows, data.frame(case = case$name, seed = seed,
                batch = with.batch, seconds = s,
                mixing = batchMixing(r$embedding, case$batch)))
            message(sprintf("%s seed %d batch %s: %.1f s", case$name, seed,
                with.batch, s))
        }
    }
}
utils::write.csv(rows, out, row.names = FALSE)
agg <- stats::aggregate(seconds ~ case + batch, rows, mean)
print(agg)
ratio <- tapply(rows$seconds[rows$batch], rows$case[rows$batch], mean) /
    tapply(rows$seconds[!rows$batch], rows$case[!rows$batch], mean)
print(round(ratio, 2))
