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
