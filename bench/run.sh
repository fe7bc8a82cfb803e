#!/usr/bin/env bash
# make bench: the benchmarks behind bench/results/ (not tests).
#   bash bench/run.sh [DATA_DIR]   (default ../shared/data)
# The PyTorch peer runs when build/fixtures-venv (make fixtures) exists.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data}"
R=bench/results
mkdir -p "$R"
Rscript bench/suite.R "$DATA" "$R" 0:4
Rscript bench/speed.R "$DATA/10X_PBMC_top2000" "$R/speed-pbmc.csv" 5
Rscript bench/defaults-time.R "$DATA/10X_PBMC_top2000" "$R/defaults-time-pbmc.csv" 3
Rscript bench/bpparam.R "$DATA/10X_PBMC_top2000" "$R/bpparam-pbmc.csv" 2
Rscript bench/quality.R "$DATA" "$R/quality-reference-500genes.csv" 0:9 500
Rscript bench/quality.R "$DATA" "$R/quality-reference-worm-5000genes.csv" 0:9 5000 worm_neuron_cell
Rscript bench/summarize.R "$R/summary-reference.md" "$R/quality-reference-500genes.csv" "$R/quality-reference-worm-5000genes.csv"
if [ -x build/fixtures-venv/bin/python ]; then
  build/fixtures-venv/bin/python bench/reference_pytorch.py "$DATA/10X_PBMC_top2000" "$R/reference-pytorch-pbmc.csv" 0,1,2 2
fi
