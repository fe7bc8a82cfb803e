# library(contrastiveSC); library(testthat); source("setup.R"); source("test-seurat.R")
# Seurat objects, v4 (SeuratObject 4, slots) and v5 (SeuratObject 5, layers;
# make test-seurat5 SEURAT5_LIB=... runs this file against such a library).
skip_if_not_installed("SeuratObject")
v5 <- utils::packageVersion("SeuratObject") >= "5.0.0"
# Seurat renames "gene_1" to "gene-1": the same counts under Seurat's names
dashed <- small
rownames(dashed) <- gsub("_", "-", rownames(small))
seurat_of <- function(counts) SeuratObject::CreateSeuratObject(counts)
set_data <- function(seu, value) {
    if (v5) {
        SeuratObject::LayerData(seu, layer = "data") <- value
        return(seu)
    }
    SeuratObject::SetAssayData(seu, slot = "data", new.data = value)
}
emb_of <- function(seu) unname(SeuratObject::Embeddings(seu[["contrastive"]]))

test_that("a Seurat object receives a DimReduc, meta.data and identities", {
    seu <- seurat_of(dashed)
    expect_no_warning(out <- fast(seu, k = 6, seed = 4))
    red <- out[["contrastive"]]
    expect_s4_class(red, "DimReduc")
    expect_identical(SeuratObject::Key(red), "CSC_")
    emb <- SeuratObject::Embeddings(red)
    expect_identical(dim(emb), c(ncol(small), 60L))
    expect_identical(rownames(emb), colnames(seu))
    expect_s3_class(out$contrastive_cluster, "factor")
    expect_identical(nlevels(SeuratObject::Idents(out)), 6L)
    expect_s3_class(SeuratObject::Misc(out, "contrastiveSC")$model,
        "contrastiveModel")
    same <- fast(small, k = 6, seed = 4)
    expect_equal(unname(emb), unname(same$embedding))
    # what users do next works on the result
    expect_identical(dim(SeuratObject::FetchData(out, c("CSC_1", "CSC_2"))),
        c(ncol(small), 2L))
    one <- subset(out, idents = "1")
    expect_equal(ncol(one), sum(out$contrastive_cluster == "1"))
})

test_that("the data layer, 'layer =' and another assay are read", {
    logs <- log1p(Matrix::t(Matrix::t(dashed) / Matrix::colSums(dashed)) * 1e4)
    seu <- seurat_of(dashed)
    seu <- set_data(seu, logs)
    want <- fast(logs, k = 5, seed = 3, normalized = TRUE)
    expect_no_warning(by.type <- fast(seu, k = 5, seed = 3, assay.type = "data"))
    expect_equal(emb_of(by.type), unname(want$embedding))
    by.layer <- fast(seu, k = 5, seed = 3, layer = "data")
    expect_equal(emb_of(by.layer), unname(want$embedding))
    # a second assay with fewer genes, chosen by 'assay'
    alt <- SeuratObject::CreateAssayObject(counts = dashed[1:800, ])
    seu[["ALT"]] <- alt
    res <- fast(seu, k = 5, seed = 3, assay = "ALT")
    expect_equal(emb_of(res), unname(fast(small[1:800, ], k = 5, seed = 3)$embedding))
    expect_identical(SeuratObject::DefaultAssay(res[["contrastive"]]), "ALT")
    expect_error(fast(seu, k = 5, assay = "ADT"), "'assay' must be one of")
    expect_error(fast(seu, k = 5, layer = "scale.data"), "'layer' must be one of")
    expect_error(fast(seu, k = 5, slot = "counts"), "unknown argument\\(s\\): slot")
})

test_that("predict() embeds the cells of a Seurat object", {
    res <- fast(dashed, k = 4, seed = 1)
    seu <- seurat_of(dashed[, 1:40])
    expect_no_warning(emb <- predict(res$model, seu))
    expect_equal(emb, res$embedding[1:40, ], tolerance = 1e-6)
})

test_that("Seurat v5: layers split by sample are joined in the object's cell order", {
    skip_if_not(v5, "SeuratObject 5 is not installed")
    seu <- seurat_of(dashed)
    # samples interleaved, so a plain cbind of the layers would reorder cells
    seu$sample <- rep(c("a", "b", "c"), length.out = ncol(seu))
    split <- seu
    split[["RNA"]] <- split(split[["RNA"]], f = split$sample)
    expect_setequal(SeuratObject::Layers(split[["RNA"]]),
        c("counts.a", "counts.b", "counts.c"))
    expect_no_warning(out <- fast(split, k = 5, seed = 6))
    expect_equal(emb_of(out), emb_of(fast(seu, k = 5, seed = 6)))
    expect_identical(rownames(SeuratObject::Embeddings(out[["contrastive"]])),
        colnames(seu))
    res <- fast(dashed, k = 5, seed = 6)
    expect_no_warning(emb <- predict(res$model, split))
    expect_equal(emb, res$embedding, tolerance = 1e-6)
})

test_that("Seurat v5: a v3 Assay inside a SeuratObject 5 object works", {
    skip_if_not(v5, "SeuratObject 5 is not installed")
    seu <- withr::with_options(list(Seurat.object.assay.version = "v3"),
        seurat_of(dashed))
    expect_s4_class(seu[["RNA"]], "Assay")
    expect_no_warning(out <- fast(seu, k = 5, seed = 2))
    expect_equal(emb_of(out), unname(fast(small, k = 5, seed = 2)$embedding))
})
