#!/usr/bin/env bash
# Issue 12, item 5: the `normalized = TRUE` path on the count datasets made
# log-scale the two common ways (ln(1 + counts per 10,000), log2(CPM + 1)),
# each next to PCA of the same genes; seeds 0-4; one CSV each in
# bench/results/issue12-normalized/. Compare with the same datasets as counts
# (bench/results/issue12/neighbours-10-min-steps-600.csv). The `recover`
# runs turn log-scale values back into counts where they can
# (csc_core::preprocess::recover_counts, as contrastiveSC() does).
OUT=../../../bench/results/issue12-normalized
EXTRA=baseline=1
source "$(dirname "$0")/search-runner.sh"
run ln-per-10k as_log=2.718281828459045
run log2-cpm as_log=2
run log2-cpm-read-as-log2 as_log=2 log_base=2
run ln-per-10k-recover as_log=2.718281828459045 recover=1
run log2-cpm-recover as_log=2 recover=1
