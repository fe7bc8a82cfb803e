#!/usr/bin/env bash
# Issue 12, item 5: the `normalized = TRUE` path on the count datasets made
# log-scale the two common ways (ln(1 + counts per 10,000), log2(CPM + 1)),
# each next to PCA of the same genes; seeds 0-4; one CSV each in
# bench/results/issue12-normalized/. Compare with the same datasets as counts
# (bench/results/issue12/neighbours-10-min-steps-600.csv). The `recover`
# runs turn log-scale values back into counts where they can
# (csc_core::preprocess::recover_counts, as contrastiveSC() does).
set -euo pipefail
cd "$(dirname "$0")/../../src/rust/core"
cargo build --release --example search
BIN=../target/release/examples/search
DATA=${DATA:-../../../../shared/data}
OUT=../../../bench/results/issue12-normalized
mkdir -p "$OUT"
run() {
  local name=$1; shift
  [ -s "$OUT/$name.csv" ] && return 0
  echo "$(date +%T) $name" >&2
  "$BIN" "$DATA" 0-4 "$name" baseline=1 "$@" > "$OUT/$name.tmp"
  mv "$OUT/$name.tmp" "$OUT/$name.csv"
}
run ln-per-10k as_log=2.718281828459045
run log2-cpm as_log=2
run log2-cpm-read-as-log2 as_log=2 log_base=2
run ln-per-10k-recover as_log=2.718281828459045 recover=1
run log2-cpm-recover as_log=2 recover=1
