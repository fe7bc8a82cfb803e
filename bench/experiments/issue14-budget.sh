#!/usr/bin/env bash
# Issue 14, item 2: the step budget and the training subsample, measured on
# all shared datasets, seeds 0-4 (k-means with the true k), next to
# today's defaults and the PCA baseline; one CSV each in
# bench/results/issue14/. A candidate whose CSV exists is skipped.
# Summary: Rscript bench/experiments/issue12-summary.R bench/results/issue14 \
#   bench/results/issue14/summary.md defaults
OUT=../../../bench/results/issue14
source "$(dirname "$0")/search-runner.sh"
run defaults baseline=1
run max-steps-600 max_steps=600
run max-cells-1000 max_cells=1000
run max-steps-330 max_steps=330
