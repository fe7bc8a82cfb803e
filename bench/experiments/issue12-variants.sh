#!/usr/bin/env bash
# Issue 12, item 4: the candidates that need the written-out training loop
# (src/rust/core/examples/search/variants.rs), each on all shared datasets,
# seeds 0-4, on top of the defaults; one CSV each in bench/results/issue12/.
# A candidate whose CSV exists is skipped, so the chain can be resumed.
# Summary: Rscript bench/experiments/issue12-summary.R bench/results/issue12
OUT=../../../bench/results/issue12
source "$(dirname "$0")/search-runner.sh"
run input-residuals input=residuals
run init-pca init=pca
run prototypes-20 prototypes=20
run noise-0.5 noise=0.5
run ensemble-3 ensemble=3
run input-pcs-dropout-0.5 input=pcs dropout=0.5
run programmes-20 programmes=20 programme_drop=0.2
run thin-0.5 thin=0.5
run queue-1024 queue=1024
run layer-2 layer=2
run depth-dropout depth=1
# Queued but stopped for lack of time (no CSV): z-scored residuals as the
# input, the 200-unit layer read out, the prototype term at weight 0.3, and
# the components as the input with dropout 0.2.
# run input-residuals-scaled input=residuals-scaled
# run layer-1 layer=1
# run prototypes-20-weight-0.3 prototypes=20 proto_weight=0.3
# run input-pcs-dropout-0.2 input=pcs dropout=0.2
