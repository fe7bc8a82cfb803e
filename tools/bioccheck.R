# make bioccheck: BiocCheck on a built source tarball, offline. The checks
# that need the network (deprecated packages, name taken on CRAN, support
# site) are skipped, and BiocManager's version map is read from
# tools/bioc-config.yaml. Prints BiocCheck's summary line
# ("N ERRORS | N WARNINGS | N NOTES") and exits non-zero on an ERROR or a
# WARNING.
#   Rscript tools/bioccheck.R contrastiveSC_x.y.z.tar.gz
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE)))
options(BIOCONDUCTOR_CONFIG_FILE = normalizePath(file.path(here,
    "bioc-config.yaml")))
res <- BiocCheck::BiocCheck(args[[1]], `no-check-deprecated` = TRUE,
    `no-check-CRAN` = TRUE, `no-check-bioc-help` = TRUE,
    `quit-with-status` = FALSE)
n <- vapply(c("error", "warning", "note"), function(k) length(res[[k]]), 0L)
cat(sprintf("BiocCheck: %d ERRORS | %d WARNINGS | %d NOTES\n", n[[1]],
    n[[2]], n[[3]]))
if (n[["error"]] + n[["warning"]] > 0) quit(status = 1)
