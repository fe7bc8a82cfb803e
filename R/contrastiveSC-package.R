#' contrastiveSC: contrastive self-supervised clustering of single cells
#'
#' Learns a cell embedding with contrastive-sc (Ciortan and Defrance, 2021)
#' in Rust and clusters it; see \code{\link{contrastiveSC}}.
#'
#' @references Ciortan M, Defrance M (2021). Contrastive self-supervised
#' clustering of scRNA-seq data. BMC Bioinformatics 22, 280.
#' @importFrom methods setGeneric setMethod
#' @importFrom stats predict
#' @importFrom Matrix colSums
#' @importClassesFrom Matrix dgCMatrix
#' @importClassesFrom SingleCellExperiment SingleCellExperiment
#' @importFrom S4Vectors metadata
#' @importFrom stats ave
#' @name contrastiveSC-package
#' @aliases contrastiveSC-package
#' @docType package
#' @keywords internal
NULL

# Column names used in ggplot2 aesthetics (plots.R, embedding-plot.R).
utils::globalVariables(c("epoch", "loss", "run", "cluster", "label",
    "fraction", "cells", "resolution", "silhouette", "chosen", "clusters",
    "x", "y", "group"))
