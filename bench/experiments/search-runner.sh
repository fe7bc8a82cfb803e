# Sourced by the search runners (issue12-variants.sh, issue12-normalized.sh,
# issue14-budget.sh): builds the core's `search` example and defines
# `run NAME ARGS...`, which writes one candidate's CSV (all shared datasets,
# seeds 0-4) to $OUT/NAME.csv, skipping a candidate whose CSV exists so that
# a chain can be resumed. Set OUT (relative to src/rust/core) first; EXTRA
# holds arguments every candidate of the chain takes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../src/rust/core"
cargo build --release --example search
BIN=../target/release/examples/search
DATA=${DATA:-../../../../shared/data}
mkdir -p "$OUT"
run() {
  local name=$1; shift
  [ -s "$OUT/$name.csv" ] && return 0
  echo "$(date +%T) $name" >&2
  "$BIN" "$DATA" 0-4 "$name" ${EXTRA:-} "$@" > "$OUT/$name.tmp"
  mv "$OUT/$name.tmp" "$OUT/$name.csv"
}
