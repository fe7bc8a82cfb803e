#!/usr/bin/env bash
# The GPU check of the torch backend, as one prepared script.
#
# Here (no GPU needed):  bash bench/gpu-check.sh prepare
#   builds the torch-enabled `gpu_check` binary (src/rust/core/examples/
#   gpu_check.rs) against .venv's torch 2.11.0 and copies it and the 10X
#   PBMC data into build/gpu/.
# On the GPU machine (python3 with torch 2.11.0, no R, no cargo), with
# build/gpu carried over:  bash bench/gpu-check.sh run [OUT_DIR]
#   trains on PBMC and on synthetic 100,000 and 1,000,000-cell data (500
#   genes, 30 epochs) on cuda, and prints the device name, wall time per
#   phase, peak GPU memory (nvidia-smi, sampled every 100 ms) and PBMC's
#   ARI; then, on the same machine, the peers: the original method in
#   PyTorch on cuda (bench/gpu_reference.py), the native backend on the
#   CPU, and a previous build (build/gpu/gpu_check_before) if one was put
#   there.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
if [ "$mode" = "prepare" ]; then
  T=$(.venv/bin/python -c 'import os, torch; print(os.path.dirname(torch.__file__))')
  (cd src/rust && LIBTORCH="$T" cargo build --release -p csc-core --features torch --example gpu_check \
     --target-dir "${CONTRASTIVESC_TARGET_DIR:-$PWD/../../build/cargo-target}")
  mkdir -p build/gpu/data
  cp "${CONTRASTIVESC_TARGET_DIR:-build/cargo-target}/release/examples/gpu_check" build/gpu/
  cp ../shared/data/10X_PBMC_top2000/{counts.mtx.gz,labels.tsv} build/gpu/data/
  # the peer's input, preprocessed here by scanpy (absent on the GPU machine),
  # with the fixture venv of `make fixtures` or REFERENCE_PYTHON
  PY="${REFERENCE_PYTHON:-build/fixtures-venv/bin/python}"
  if [ -x "$PY" ]; then
    "$PY" bench/gpu_reference.py prepare ../shared/data/10X_PBMC_top2000 build/gpu/data
  fi
  ls -la build/gpu build/gpu/data
  exit 0
fi

OUT="${2:-${OUT:-build/gpu/out}}"
mkdir -p "$OUT"
T=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')
export LD_LIBRARY_PATH="$T/lib:${LD_LIBRARY_PATH:-}"
# One failed phase is reported and the others still run.
try() { "$@" || echo "!! failed with status $?: $*"; }
{
  echo "date: $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  try python3 -c 'import torch; print("python torch", torch.__version__, "cuda", torch.version.cuda)'
  nproc
  (nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$OUT/gpu-mem.txt" || true) &
  SMI=$!
  base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1 || true)
  echo "== contrastiveSC, torch backend on cuda"
  time try build/gpu/gpu_check torch cuda build/gpu/data 100000,1000000 16
  kill $SMI || true
  echo "GPU memory before: ${base} MiB; peak during the runs: $(sort -n "$OUT/gpu-mem.txt" | tail -1) MiB"
  if [ -x build/gpu/gpu_check_before ]; then
    echo "== the previous torch backend (a dense upload, an Adam per tensor, a wait per step), same machine"
    time try build/gpu/gpu_check_before torch cuda build/gpu/data 100000 16
  fi
  if [ -f build/gpu/data/pbmc-reference-scaled.npy ]; then
    echo "== the original method in PyTorch (bench/reference_pytorch.py) on cuda"
    time try python3 bench/gpu_reference.py run build/gpu/data 100000
  fi
  echo "== contrastiveSC, native backend on the CPU (16 threads)"
  time try build/gpu/gpu_check native cpu build/gpu/data 100000 16
} 2>&1 | tee "$OUT/gpu-check.txt"
