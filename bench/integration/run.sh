#!/usr/bin/env bash
# Issue 21's integration benchmark in one command (make bench-integration):
# the tasks of tasks.R embedded by contrastiveSC (with and without batch)
# and Seurat anchors in R, Harmony, Scanorama and scVI in Python, all scored
# with scib-metrics; results in bench/results/integration/.
set -euo pipefail
work=build/integration
out=bench/results/integration
bash bench/integration/setup.sh build/integration-venv
Rscript bench/integration/embed.R "$work" "${SEEDS:-0:4}"
build/integration-venv/bin/python bench/integration/metrics.py "$work" "$out"
Rscript bench/integration/summary.R "$out"
