# Runs the testthat suite against the installed package and prints
# "testthat: N passed, N failed" (testthat's own summary is not read by CI).
# Exits non-zero on any failure or error, or when no test ran.
#   Rscript tools/run-tests.R [FILTER]   (FILTER: a regular expression on
#   the test files' names, as testthat's 'filter')
suppressPackageStartupMessages({
    library(testthat)
    library(contrastiveSC)
})
filter <- commandArgs(trailingOnly = TRUE)[1L]
if (requireNamespace("SeuratObject", quietly = TRUE)) {
    cat("testthat: SeuratObject", format(utils::packageVersion("SeuratObject")),
        "from", dirname(find.package("SeuratObject")), "\n")
}
res <- as.data.frame(test_dir("tests/testthat", filter = if (!is.na(filter))
    filter, reporter = "progress", stop_on_failure = FALSE,
    stop_on_warning = FALSE))
expectations <- sum(res$nb)
failed <- sum(res$failed) + sum(res$error)
passed <- expectations - sum(res$failed) - sum(res$skipped)
cat(sprintf("testthat: %d passed, %d failed, %d skipped\n", passed, failed,
    sum(res$skipped)))
if (failed > 0 || expectations == 0) quit(status = 1)
