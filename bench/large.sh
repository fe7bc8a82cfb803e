#!/usr/bin/env bash
# make bench-large (issue 14): contrastiveSC() with the defaults on
# synthetic counts of 10^4, 10^5 and 10^6 cells x 20,000 genes from an
# in-memory dgCMatrix, the same from a dense, chunked HDF5 file at
# SIZES_HDF5 (by default 10^4 only: 10^5 and 10^6 are out of reach, see
# bench/large.R), then
# PBMC with the defaults against mode = "reference", Seurat's pipeline and
# the original PyTorch pipeline (when build/fixtures-venv exists, see make
# fixtures), all in this one run. Results in bench/results/large/.
#   bash bench/large.sh [SIZES] [SIZES_HDF5] [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-10000 100000 1000000}"
SIZES_HDF5="${2:-10000}"
DATA="${3:-../shared/data}"
OUT=bench/results/large
mkdir -p "$OUT"
rm -f "$OUT/large.csv"
for n in $SIZES; do
  echo "$(date +%T) $n cells, in memory" >&2
  /usr/bin/time -v Rscript bench/large.R "$n" "$OUT/large.csv" memory 2 2> "$OUT/time-$n-memory.txt"
done
for n in $SIZES_HDF5; do
  echo "$(date +%T) $n cells, HDF5" >&2
  /usr/bin/time -v Rscript bench/large.R "$n" "$OUT/large.csv" hdf5 2 2> "$OUT/time-$n-hdf5.txt"
done
echo "$(date +%T) PBMC: defaults and reference mode, then Seurat" >&2
Rscript bench/defaults-time.R "$DATA/10X_PBMC_top2000" "$OUT/pbmc-defaults-reference.csv" 3
Rscript bench/speed.R "$DATA/10X_PBMC_top2000" "$OUT/pbmc-seurat.csv" 3
if [ -x build/fixtures-venv/bin/python ]; then
  build/fixtures-venv/bin/python bench/reference_pytorch.py "$DATA/10X_PBMC_top2000" "$OUT/pbmc-pytorch.csv" 0,1,2 2
fi
Rscript bench/large-summary.R "$OUT"
