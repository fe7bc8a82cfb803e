# Two runs of the suite (bench/suite.R's quality.csv), before and after a
# change, method by method: mean ARI over the three groups and all datasets
# (per dataset the mean over seeds), datasets won and lost (by more than
# 0.005) and the worst, and the protocol's verdict (kept only if the mean
# rises, no group falls by more than 0.01 and more datasets are won than
# lost).
#   Rscript bench/experiments/suite-compare.R BEFORE.csv AFTER.csv [OUT.md]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(),
    value = TRUE))), "..", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
before <- utils::read.csv(args[[1L]])
after <- utils::read.csv(args[[2L]])
methods <- c("contrastiveSC k known", "contrastiveSC k unknown",
    "contrastiveSC k known, plain k-means")
f3 <- function(x) sprintf("%.3f", x)
per <- function(q, m) tapply(q$ARI[q$method == m], q$dataset[q$method == m], mean)
lines <- c(sprintf("Suite before (`%s`) and after (`%s`), per dataset the mean over seeds %s.",
        args[[1L]], args[[2L]], paste(range(after$seed), collapse = "-")), "",
    sprintf("| method | run | %s | all | won / lost | worst | protocol |",
        paste(names(dataset_groups), collapse = " | ")),
    "|---|---|---|---|---|---|---|---|---|")
for (m in methods) {
    b <- per(before, m)
    a <- per(after, m)[names(b)]
    gb <- vapply(dataset_groups, function(g) mean(b[g]), 0)
    ga <- vapply(dataset_groups, function(g) mean(a[g]), 0)
    d <- a - b
    keep <- mean(a) > mean(b) && all(ga - gb >= -0.01) &&
        sum(d > 0.005) > sum(d < -0.005)
    lines <- c(lines,
        sprintf("| %s | before | %s | %s | | | |", m, paste(f3(gb), collapse = " | "), f3(mean(b))),
        sprintf("| %s | after | %s | **%s** | %d / %d | %+.3f (%s) | %s |", m,
            paste(f3(ga), collapse = " | "), f3(mean(a)), sum(d > 0.005),
            sum(d < -0.005), min(d), names(d)[which.min(d)],
            if (keep) "kept" else "not kept"))
}
lines <- c(lines, "", "| dataset | k known before | after | k unknown before | after |",
    "|---|---|---|---|---|")
kb <- per(before, methods[1]); ka <- per(after, methods[1])
ub <- per(before, methods[2]); ua <- per(after, methods[2])
lines <- c(lines, sprintf("| %s | %s | %s | %s | %s |", names(kb), f3(kb),
    f3(ka[names(kb)]), f3(ub[names(kb)]), f3(ua[names(kb)])))
if (length(args) > 2L) writeLines(lines, args[[3L]])
writeLines(lines)
