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
