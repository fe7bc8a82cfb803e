# Builds the package's example data from the project's shared datasets
# (../shared/data). Run from the package root:
#   Rscript tools/make-data.R [DATA_ROOT]
# data/pbmc4k.rda: 10X_PBMC_top2000 as it is (gene names are not known).
# data/pbmcSorted.rda: Zheng_2017_PBMC_sorted_3types, the genes detected in
# at least 3 of its 500 cells, with readable cell-type names.
source("bench/common.R") # read_dataset()
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args)) args[[1]] else "../shared/data"
dir.create("data", showWarnings = FALSE)

d <- read_dataset(file.path(root, "10X_PBMC_top2000"))
pbmc4k <- d$counts
pbmc4k.labels <- factor(d$labels, levels = sort(unique(as.integer(d$labels))))
save(pbmc4k, pbmc4k.labels, file = "data/pbmc4k.rda", compress = "xz")
message("data/pbmc4k.rda: ", file.size("data/pbmc4k.rda"), " bytes")

z <- read_dataset(file.path(root, "Zheng_2017_PBMC_sorted_3types"))
pbmcSorted <- z$counts[Matrix::rowSums(z$counts > 0) >= 3, ]
names <- c(bcell = "B cells", cd56_NK = "NK cells",
    `regulatory T` = "regulatory T cells")
stopifnot(all(z$labels %in% names(names)))
pbmcSorted.labels <- factor(unname(names[z$labels]), levels = unname(names))
save(pbmcSorted, pbmcSorted.labels, file = "data/pbmcSorted.rda",
    compress = "xz")
message("data/pbmcSorted.rda: ", file.size("data/pbmcSorted.rda"), " bytes")

# data/cellLines.rda: CellBench_Dropseq_3cl and CellBench_CELseq2_3cl, the
# same three lung cancer cell lines by two protocols (MIT licence, see
# R/data.R), on the 500 genes both measured with the most counts in all.
drop <- read_dataset(file.path(root, "CellBench_Dropseq_3cl"))
cel <- read_dataset(file.path(root, "CellBench_CELseq2_3cl"))
common <- intersect(rownames(drop$counts), rownames(cel$counts))
both <- cbind(drop$counts[common, ], cel$counts[common, ])
top <- order(-Matrix::rowSums(both))[1:500]
cellLines <- both[sort(top), ]
cellLines.protocol <- factor(rep(c("Drop-seq", "CEL-seq2"),
    c(ncol(drop$counts), ncol(cel$counts))), levels = c("Drop-seq", "CEL-seq2"))
cellLines.labels <- factor(c(drop$labels, cel$labels))
save(cellLines, cellLines.protocol, cellLines.labels,
    file = "data/cellLines.rda", compress = "xz")
message("data/cellLines.rda: ", file.size("data/cellLines.rda"), " bytes")
