# library(contrastiveSC); library(testthat); source("setup.R"); source("test-seurat-integration.R")
# Seurat 5's own workflow: IntegrateLayers(method = ContrastiveIntegration)
# on an assay split by sample, then FindNeighbors / FindClusters / RunUMAP on
# the new reduction and JoinLayers. Needs Seurat 5 (make test-seurat5
# SEURAT5_LIB=..., see INSTALL); skips on Debian's Seurat 4.
skip_if_not_installed("Seurat", "5.0.0")
skip_if_not_installed("SeuratObject", "5.0.0")
data(cellLines, package = "contrastiveSC", envir = environment())

split_object <- function() {
    obj <- SeuratObject::CreateSeuratObject(cellLines)
    obj$protocol <- cellLines.protocol
    obj$line <- cellLines.labels
    obj[["RNA"]] <- split(obj[["RNA"]], f = obj$protocol)
    obj <- Seurat::NormalizeData(obj, verbose = FALSE)
    obj <- Seurat::FindVariableFeatures(obj, verbose = FALSE)
    obj <- Seurat::ScaleData(obj, verbose = FALSE)
    Seurat::RunPCA(obj, npcs = 20, verbose = FALSE)
}

test_that("IntegrateLayers gives contrastiveSC(batch =)'s embedding", {
    obj <- split_object()
    expect_no_warning(obj <- Seurat::IntegrateLayers(obj,
        method = ContrastiveIntegration, new.reduction = "integrated.csc",
        seed = 3, epochs = 20, num.threads = 1))
    red <- obj[["integrated.csc"]]
    expect_s4_class(red, "DimReduc")
    emb <- SeuratObject::Embeddings(red)
    expect_identical(rownames(emb), colnames(obj))
    expect_identical(ncol(emb), 60L)
    expect_identical(SeuratObject::Key(red), "CSCint_")
    # the same training as the package's own call with batch
    same <- contrastiveSC(cellLines, batch = cellLines.protocol, seed = 3,
        epochs = 20, num.threads = 1)
    expect_equal(unname(emb), unname(same$embedding))
    meta <- SeuratObject::Misc(red)$contrastiveSC
    expect_identical(meta$batch$levels, levels(cellLines.protocol))
    expect_s3_class(meta$model, "contrastiveModel")
    # and 'groups', as Seurat's methods take it, names the same samples
    groups <- data.frame(group = as.character(cellLines.protocol),
        row.names = colnames(obj))
    by_groups <- ContrastiveIntegration(obj[["RNA"]], groups = groups,
        seed = 3, epochs = 20, num.threads = 1)
    expect_equal(SeuratObject::Embeddings(by_groups$integrated.contrastive),
        emb, ignore_attr = TRUE)
})

test_that("normalized = TRUE trains on the data layers", {
    obj <- split_object()
    a <- ContrastiveIntegration(obj[["RNA"]], normalized = TRUE, seed = 2,
        epochs = 5, num.threads = 1)
    logn <- contrastiveSC:::.seurat5_layer(obj[["RNA"]], "data")
    b <- contrastiveSC(logn[, colnames(obj)], normalized = TRUE,
        batch = cellLines.protocol, seed = 2, epochs = 5, num.threads = 1)
    expect_equal(unname(SeuratObject::Embeddings(a[[1L]])),
        unname(b$embedding))
    expect_error(ContrastiveIntegration(obj[["RNA"]], normalized = NA),
        "'normalized'")
})

test_that("Seurat's next steps run on the reduction without warnings", {
    # Seurat's once-a-session note that RunUMAP's default changed in v4
    withr::local_options(Seurat.warn.umap.uwot = FALSE)
    obj <- split_object()
    obj <- Seurat::IntegrateLayers(obj, method = ContrastiveIntegration,
        new.reduction = "integrated.csc", seed = 1, epochs = 20,
        num.threads = 1, verbose = FALSE)
    expect_no_warning({
        obj <- Seurat::FindNeighbors(obj, reduction = "integrated.csc",
            dims = 1:60, verbose = FALSE)
        obj <- Seurat::FindClusters(obj, resolution = 0.1, verbose = FALSE)
        obj <- Seurat::RunUMAP(obj, reduction = "integrated.csc", dims = 1:60,
            verbose = FALSE)
        obj[["RNA"]] <- SeuratObject::JoinLayers(obj[["RNA"]])
    })
    expect_identical(dim(SeuratObject::Embeddings(obj, "umap")),
        c(as.integer(ncol(obj)), 2L))
    # the protocols mix and the lines stay apart
    ari <- clusteringScores(obj$line, obj$seurat_clusters)[["ARI"]]
    expect_gt(ari, 0.8)
    emb <- SeuratObject::Embeddings(obj, "integrated.csc")
    expect_gt(batchMixing(emb, obj$protocol), 0.5)
    expect_setequal(SeuratObject::Layers(obj[["RNA"]]),
        c("counts", "data", "scale.data"))
})

test_that("ContrastiveIntegration says what it needs", {
    obj <- split_object()
    joined <- obj
    joined[["RNA"]] <- SeuratObject::JoinLayers(joined[["RNA"]])
    expect_error(ContrastiveIntegration(joined[["RNA"]], seed = 1),
        "not split by sample")
    expect_error(ContrastiveIntegration(SeuratObject::Embeddings(obj, "pca")),
        "'object' must be a Seurat v5 assay")
    expect_error(ContrastiveIntegration(obj[["RNA"]],
        groups = data.frame(group = 1:3)), "'groups' has 3 rows")
    expect_error(ContrastiveIntegration(obj[["RNA"]], epoch = 3),
        "unknown argument")
})
