# Mean (and standard deviation) of ARI, NMI, silhouette, clusters and
# seconds per dataset, method and gene count, from quality CSVs, as a
# markdown table.
#   Rscript bench/summarize.R OUT.md IN1.csv [IN2.csv ...]
args <- commandArgs(trailingOnly = TRUE)
d <- do.call(rbind, lapply(args[-1], function(f) {
    x <- read.csv(f)
    if (!"n_genes" %in% names(x)) x$n_genes <- NA
    x[, c("dataset", "method", "n_genes", "seed", "ARI", "NMI",
        "silhouette", "clusters", "seconds")]
}))
key <- interaction(d$dataset, d$method, d$n_genes, drop = TRUE, lex.order = TRUE)
rows <- lapply(split(d, key), function(g) {
    sprintf("| %s | %s | %s | %d | %.3f (sd %.3f) | %.3f | %.3f | %.1f | %.2f |",
        g$dataset[1], g$method[1], g$n_genes[1], nrow(g), mean(g$ARI),
        stats::sd(g$ARI), mean(g$NMI), mean(g$silhouette, na.rm = TRUE),
        mean(g$clusters), mean(g$seconds))
})
lines <- c(
    "| dataset | method | genes | seeds | ARI mean (sd) | NMI | silhouette | clusters | seconds |",
    "|---|---|---|---|---|---|---|---|---|", unlist(rows))
writeLines(lines, args[[1]])
writeLines(lines)
