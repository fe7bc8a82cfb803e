# The mapping tasks of issue 27, built from the shared datasets: a labelled
# reference and a query of the same types measured in another animal,
# protocol, plate or batch. Each task: name, reference and query, each
# list(counts (genes x cells, the genes both measured), labels,
# normalized).
source(file.path("bench", "common.R"))

mapping_tasks <- function(root = Sys.getenv("CONTRASTIVESC_DATA",
    file.path("..", "shared", "data"))) {
    read <- function(name) read_dataset(file.path(root, name))
    mouse1 <- read("Baron_mouse1_pancreas")
    mouse2 <- read("Baron_mouse2_pancreas")
    plates <- read("CellBench_CELseq2_5cl")
    plate <- sub("_.*", "", colnames(plates$counts))
    mesc <- read("Kolodziejczyk_2015_mESC_subset")
    extra <- utils::read.delim(file.path(root,
        "Kolodziejczyk_2015_mESC_subset", "labels_extra.tsv"),
        colClasses = "character")
    stopifnot(identical(extra$cell, colnames(mesc$counts)))
    list(
        task("mouse1_to_mouse2", mouse1, mouse2),
        task("mouse2_to_mouse1", mouse2, mouse1),
        task("dropseq_to_celseq2", read("CellBench_Dropseq_3cl"),
            read("CellBench_CELseq2_3cl")),
        task("plate1_to_plates23", cells_of(plates, plate == "p1"),
            cells_of(plates, plate != "p1")),
        task("baron_to_xin", read("Baron_2016_human_pancreas_subset"),
            read("Xin_2016_human_islet_subset")),
        task("mesc_batch2_to_batch3", cells_of(mesc, extra$batch == "batch2"),
            cells_of(mesc, extra$batch == "batch3")))
}

# Reference and query on the genes both measured (matched by name).
task <- function(name, reference, query) {
    genes <- intersect(rownames(reference$counts), rownames(query$counts))
    side <- function(d) list(counts = d$counts[genes, , drop = FALSE],
        labels = d$labels, normalized = d$normalized)
    list(name = name, reference = side(reference), query = side(query))
}

cells_of <- function(d, keep) {
    d$counts <- d$counts[, keep, drop = FALSE]
    d$labels <- d$labels[keep]
    d
}

# Scores of predicted labels against the truth. Macro-F1 and accuracy on
# the query cells whose type the reference has (a prediction of NA counts
# as wrong); for the cells of types it lacks, the share pruned and the
# AUROC of the confidence separating them from the rest (higher
# confidence for known cells); the share of known-type cells pruned.
mapping_scores <- function(label, pruned, confidence, truth, reference.types) {
    known <- truth %in% reference.types
    types <- sort(unique(truth[known]))
    f1 <- vapply(types, function(t) {
        tp <- sum(label[known] == t & truth[known] == t, na.rm = TRUE)
        p <- sum(label[known] == t, na.rm = TRUE)
        r <- sum(truth[known] == t)
        if (tp == 0) 0 else 2 * tp / (p + r)
    }, 0)
    auroc <- if (all(known) || !any(known)) NA_real_ else {
        r <- rank(confidence)
        n1 <- sum(known)
        (sum(r[known]) - n1 * (n1 + 1) / 2) / (n1 * sum(!known))
    }
    c(accuracy = mean(label[known] == truth[known] & !is.na(label[known])),
        macro.f1 = mean(f1),
        novel.pruned = if (all(known)) NA_real_ else mean(is.na(pruned[!known])),
        novel.auroc = auroc,
        known.pruned = mean(is.na(pruned[known])))
}
