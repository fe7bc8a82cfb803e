# Builds data/pbmc4k.rda from the project's shared copy of 10X PBMC
# (../shared/data/10X_PBMC_top2000). Run from the package root:
#   Rscript tools/make-data.R [DATA_DIR]
source("bench/common.R") # read_dataset()
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[[1]] else "../shared/data/10X_PBMC_top2000"
d <- read_dataset(dir)
pbmc4k <- d$counts
pbmc4k.labels <- factor(d$labels, levels = sort(unique(as.integer(d$labels))))
dir.create("data", showWarnings = FALSE)
save(pbmc4k, pbmc4k.labels, file = "data/pbmc4k.rda", compress = "xz")
message("data/pbmc4k.rda: ", file.size("data/pbmc4k.rda"), " bytes")
