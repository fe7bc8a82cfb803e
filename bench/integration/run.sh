#!/usr/bin/env bash
# Issue 21's integration benchmark in one command (make bench-integration):
# the tasks of tasks.R embedded by contrastiveSC (with and without batch)
# and Seurat anchors in R, Harmony, Scanorama and scVI in Python, all scored
# with scib-metrics; results in bench/results/integration/.
set -euo pipefail
work=build/integration
out=bench/results/integration
bash bench/integration/setup.sh build/integration-venv
seeds="${SEEDS:-0:4}"
Rscript bench/integration/embed.R "$work" "$seeds"
# Seurat 5's IntegrateLayers (CCA, RPCA, ContrastiveIntegration) where a
# library with Seurat 5 is given (tools/seurat5-from-source.sh)
if [ -n "${SEURAT5_LIB:-}" ]; then
  R_LIBS="$SEURAT5_LIB" Rscript bench/integration/embed-seurat5.R "$work" "$seeds"
fi
build/integration-venv/bin/python bench/integration/metrics.py "$work" "$out" "$seeds"
Rscript bench/integration/summary.R "$out"
