# Issue 28's half of the integration benchmark, run in a session whose
# library holds Seurat 5 (R_LIBS=$SEURAT5_LIB, tools/seurat5-from-source.sh):
# for each task (tasks.R), Seurat 5's own idiom on an assay split by batch
# (NormalizeData, FindVariableFeatures, ScaleData, RunPCA, then
# IntegrateLayers) with CCAIntegration, RPCAIntegration and
# ContrastiveIntegration (seeds as embed.R), written next to embed.R's
# files in OUT/<task>/ for metrics.py.
#   R_LIBS=$SEURAT5_LIB Rscript bench/integration/embed-seurat5.R OUT [SEEDS]
suppressPackageStartupMessages({
    library(contrastiveSC)
    library(Seurat)
})
source(file.path("bench", "integration", "tasks.R"))
cli <- integration_cli()
out <- cli$out
seeds <- cli$seeds
stopifnot(utils::packageVersion("Seurat") >= "5.0.0")
version <- format(utils::packageVersion("Seurat"))

# The task's cells in a Seurat 5 object, the RNA assay split by batch, up
# to its PCA (Seurat's defaults; 30 PCs as the Seurat 4.3 rows).
split_object <- function(t) {
    counts <- t$counts
    rownames(counts) <- make.unique(gsub("_", "-", rownames(counts)))
    obj <- suppressWarnings(CreateSeuratObject(counts, min.cells = 0,
        min.features = 0))
    obj$batch <- t$batch
    if (t$normalized) SeuratObject::LayerData(obj, layer = "data") <- counts
    obj[["RNA"]] <- split(obj[["RNA"]], f = obj$batch)
    if (!t$normalized) obj <- NormalizeData(obj, verbose = FALSE)
    obj <- FindVariableFeatures(obj, verbose = FALSE)
    obj <- ScaleData(obj, verbose = FALSE)
    RunPCA(obj, npcs = 30, verbose = FALSE)
}

for (t in integration_tasks()) {
    dir <- file.path(out, t$name)
    dir.create(dir, recursive = TRUE, showWarnings = FALSE)
    smallest <- min(table(t$batch))
    obj <- split_object(t)
    times <- NULL
    run <- function(method, file, seed = NA, ...) {
        t0 <- proc.time()[["elapsed"]]
        # 'seed' is this function's (for the times table): hand it on too
        args <- c(list(obj, method = method, new.reduction = "int",
            verbose = FALSE), if (!is.na(seed)) list(seed = seed), list(...))
        o <- tryCatch(do.call(IntegrateLayers, args), error = function(e) {
            # Seurat's anchors can be fewer than k.weight on small batches
            # (mESC, 150 cells each); it says how many: retry below that
            fewer <- regmatches(conditionMessage(e), regexpr(
                "less than [0-9]+", conditionMessage(e)))
            if (!length(fewer)) stop(e)
            args$k.weight <- as.integer(sub("less than ", "", fewer)) - 1L
            message(sprintf("%s: %s with k.weight = %d", t$name, file,
                args$k.weight))
            do.call(IntegrateLayers, args)
        })
        seconds <- proc.time()[["elapsed"]] - t0
        write_matrix(Embeddings(o, "int")[colnames(obj), ], file.path(dir,
            file))
        times <<- rbind(times, data.frame(method = file, seed = seed,
            seconds = seconds, seurat = version))
        message(sprintf("%s: %s %.1fs", t$name, file, seconds))
    }
    # k.weight as the Seurat 4.3 rows: shrunk for small batches
    run(CCAIntegration, "seurat5_cca.csv", k.weight = min(100L, smallest - 1L))
    run(RPCAIntegration, "seurat5_rpca.csv",
        k.weight = min(100L, smallest - 1L))
    for (seed in seeds) {
        run(ContrastiveIntegration, sprintf("csc_layers_s%d.csv", seed),
            seed = seed, normalized = t$normalized)
    }
    utils::write.csv(times, file.path(dir, "times-seurat5.csv"),
        row.names = FALSE)
}
