#' 10x Genomics PBMC 4k, 2,000 genes, with cell-type labels
#'
#' Peripheral blood mononuclear cells (10x Genomics PBMC 4k) as used by
#' scDeepCluster and contrastive-sc: raw UMI counts of 4,271 cells for the
#' 2,000 most variable of the original 16,653 genes, and the 8 reference
#' cell-type labels.
#'
#' @format \code{pbmc4k}: a \code{dgCMatrix}, 2,000 genes x 4,271 cells
#' (gene and cell names are \code{gene_i} and \code{cell_i}).
#' \code{pbmc4k.labels}: a factor of 4,271 labels (codes 1 to 8).
#' @source 10x Genomics PBMC 4k, via scDCC
#' (\url{https://github.com/ttgump/scDCC}, \code{10X_PBMC_top2000.h5});
#' Apache-2.0 licence of that repository.
#' @references Ciortan M, Defrance M (2021). Contrastive self-supervised
#' clustering of scRNA-seq data. BMC Bioinformatics 22, 280.
#' @examples
#' data(pbmc4k)
#' dim(pbmc4k)
#' table(pbmc4k.labels)
#' @name pbmc4k
#' @aliases pbmc4k.labels
#' @docType data
#' @keywords datasets
NULL

#' FACS-sorted PBMCs: B cells, NK cells and regulatory T cells, with gene
#' symbols
#'
#' 500 peripheral blood cells from three populations that were purified by
#' FACS before sequencing (Zheng et al. 2017, 10x GemCode), so the labels
#' come from the sorting, not from clustering the RNA. A small example whose
#' genes have their symbols, so markers of the clusters can be read.
#'
#' @format \code{pbmcSorted}: a \code{dgCMatrix} of UMI counts, 8,832 genes
#' (symbols; those detected in at least 3 cells) x 500 cells (barcodes).
#' \code{pbmcSorted.labels}: a factor of 500 labels, \code{"B cells"},
#' \code{"NK cells"} and \code{"regulatory T cells"}.
#' @source Zheng GXY et al. (2017). Massively parallel digital
#' transcriptional profiling of single cells. Nature Communications 8,
#' 14049. The 500-cell subsample of SAFE-clustering
#' (\url{https://github.com/yycunc/SAFEclustering}, \code{data_SAFE.rda},
#' GPL-3); built by \code{tools/make-data.R} in the package's source.
#' @examples
#' data(pbmcSorted)
#' dim(pbmcSorted)
#' table(pbmcSorted.labels)
#' pbmcSorted[c("MS4A1", "NKG7", "FOXP3"), 1:5]
#' @name pbmcSorted
#' @aliases pbmcSorted.labels
#' @docType data
#' @keywords datasets
NULL

#' Three cell lines by two protocols: a batch to integrate
#'
#' Cells of three lung adenocarcinoma cell lines (H1975, H2228, HCC827)
#' sequenced by two protocols, Drop-seq (225 cells) and CEL-seq2 (274
#' cells), from the CellBench mixology benchmark (Tian et al. 2019). The
#' cell line of each cell was called from its SNPs, independently of the
#' expression. Clustered together, the cells split by protocol as much as
#' by line; with \code{batch = cellLines.protocol}, \code{contrastiveSC()}
#' mixes the protocols (see the vignette, "Several samples").
#'
#' @format \code{cellLines}: a \code{dgCMatrix} of UMI counts, 500 genes
#' (Ensembl ids; of those both protocols measured, the 500 with the most
#' counts) x 499 cells. \code{cellLines.protocol}: a factor of 499
#' protocols, \code{"Drop-seq"} then \code{"CEL-seq2"}.
#' \code{cellLines.labels}: a factor of 499 cell lines.
#' @source Tian L et al. (2019). Benchmarking single cell RNA-sequencing
#' analysis pipelines using mixture control experiments. Nature Methods
#' 16, 479-487. \url{https://github.com/LuyiTian/sc_mixology} (MIT
#' licence), \code{sc_dropseq} and \code{sc_celseq2}; built by
#' \code{tools/make-data.R} in the package's source.
#' @examples
#' data(cellLines)
#' dim(cellLines)
#' table(cellLines.labels, cellLines.protocol)
#' @name cellLines
#' @aliases cellLines.protocol cellLines.labels
#' @docType data
#' @keywords datasets
NULL
