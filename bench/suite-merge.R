# Replaces the rows of some datasets in the suite's results with those of a
# newer run of bench/suite.R on just those datasets (for a change that can
# only move them, e.g. one that touches only log-scale input), and rewrites
# the summary. The command of each run is kept in the summary's header.
#   Rscript bench/suite-merge.R NEW_DIR [OUT_DIR]
# (OUT_DIR defaults to bench/results; NEW_DIR holds the newer quality.csv).
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
new.dir <- args[[1]]
out <- if (length(args) > 1) args[[2]] else "bench/results"
old <- utils::read.csv(file.path(out, "quality.csv"))
new <- utils::read.csv(file.path(new.dir, "quality.csv"))
stopifnot(identical(names(old), names(new)))
q <- rbind(old[!old$dataset %in% new$dataset, ], new)
q <- q[order(match(q$dataset, unique(old$dataset)), q$seed), ]
write.csv(q, file.path(out, "quality.csv"), row.names = FALSE)
header <- sub("^Benchmark suite, [^,]+, seeds [^,]+, ", "",
    readLines(file.path(out, "quality-summary.md"), n = 1))
write_suite_summary(q, out, sprintf("%s; rows of %s from a later run on %s (`Rscript bench/suite-merge.R %s`)",
    sub("[.]$", "", header), paste(unique(new$dataset), collapse = ", "),
    format(Sys.Date()), new.dir))
