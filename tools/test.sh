#!/usr/bin/env bash
# make test: the core's cargo tests, the testthat suite against the
# installed package, R CMD check --no-manual, BiocCheck and the
# documentation site. Prints one closing line
# "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$HOME/.cargo/bin"
export CONTRASTIVESC_TARGET_DIR="${CONTRASTIVESC_TARGET_DIR:-$PWD/build/cargo-target}"
mkdir -p build
passed=0
failed=0

# 0. The no-unwrap rule for library code.
if bash tools/check-no-unwrap.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

# 1. Rust core: unit, property, fixture-parity and determinism tests; with
#    TORCH=1 again with the torch feature (torch vs native parity).
cargo_tests() {
  local tag="$1"; shift
  local log="build/cargo-test$tag.log"
  cargo test --release -p csc-core --manifest-path src/rust/Cargo.toml \
    --target-dir "$CONTRASTIVESC_TARGET_DIR" "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -oE 'test result: [A-Za-z]+\. [0-9]+ passed' "$log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  echo "cargo$tag: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
}
data="${CONTRASTIVESC_DATA:-../shared/data}"
[ -d "$data" ] || echo "cargo: no shared data at $data: the tests on the shared datasets skip (set CONTRASTIVESC_DATA)"
cargo_tests ""
if [ "${TORCH:-0}" = "1" ]; then
  TORCH_DIR=$("${CONTRASTIVESC_PYTHON:-python3}" -c 'import os, torch; print(os.path.dirname(torch.__file__))')
  LIBTORCH="$TORCH_DIR" cargo_tests "-torch" --features torch
fi

# 2. testthat against the package as installed by make setup / make install.
Rscript tools/run-tests.R 2>&1 | tee build/testthat.log
rc=${PIPESTATUS[0]}
p=$(grep -oE '^testthat: [0-9]+ passed' build/testthat.log | grep -oE '[0-9]+' | tail -1)
f=$(grep -oE '^testthat: [0-9]+ passed, [0-9]+ failed' build/testthat.log | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' | tail -1)
p=${p:-0}; f=${f:-0}
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
passed=$((passed + p)); failed=$((failed + f))

# 3. R CMD build (with the vendored crates, make vendor) + check: no ERROR
#    and no WARNING (NOTEs are reported). The check installs the tarball with
#    no network and an empty cargo home, as CRAN's and Bioconductor's
#    builders or an offline cluster would, and runs the tests there.
rm -rf build/check && mkdir -p build/check
bash tools/vendor.sh || echo "vendor: failed; the check below needs the network"
( cd build/check && R CMD build --no-manual ../.. >build.log 2>&1 ) || { cat build/check/build.log; }
tarball=$(ls build/check/contrastiveSC_*.tar.gz 2>/dev/null | head -1)
offline=()
if unshare -n true 2>/dev/null; then
  offline=(unshare -n env CARGO_HOME="$PWD/build/check/empty-cargo-home")
  mkdir -p build/check/empty-cargo-home
  echo "R CMD check: offline (no network, empty cargo home)"
fi
if [ -n "$tarball" ]; then
  # The check builds the portable package (native backend only); testthat
  # above ran against the installed one (with torch under TORCH=1).
  ( cd build/check && "${offline[@]}" env CONTRASTIVESC_TORCH=0 \
    CONTRASTIVESC_TARGET_DIR="$PWD/cargo-target" _R_CHECK_FORCE_SUGGESTS_=false R CMD check --no-manual "$(basename "$tarball")" ) 2>&1 | tee build/check.log
  grep -q "building offline from the vendored crates" build/check/contrastiveSC.Rcheck/00install.out ||
    echo "R CMD check: WARNING the package was not built from the vendored crates" | tee -a build/check.log
  status=$(grep -E '^Status:' build/check.log | tail -1)
else
  status="Status: build failed"
fi
echo "R CMD check: ${status}"
if [ -n "$status" ] && ! echo "$status" | grep -qE 'ERROR|WARNING|failed' &&
  ! grep -q "not built from the vendored crates" build/check.log; then
  passed=$((passed + 1))
else
  grep -A15 -E '\.\.\. (ERROR|WARNING)' build/check.log 2>/dev/null | head -60
  failed=$((failed + 1))
fi

# 4. BiocCheck (offline) on the same tarball: no ERROR and no WARNING.
if [ -n "$tarball" ] && Rscript tools/bioccheck.R "$tarball" >build/bioccheck.log 2>&1; then
  passed=$((passed + 1))
else
  grep -E "ERROR|WARNING" build/bioccheck.log | head -20
  failed=$((failed + 1))
fi
grep -E "^BiocCheck:" build/bioccheck.log || echo "BiocCheck: did not run"

# 5. The documentation site (make site): built offline with pkgdown, its
#    home page and vignette rendered by headless Chromium; fails on a blank
#    page or a missing figure.
bash tools/site.sh >build/site.log 2>&1
rc=$?
p=$(grep -oE '^site: [0-9]+ passed' build/site.log | grep -oE '[0-9]+' | tail -1)
f=$(grep -oE '^site: [0-9]+ passed, [0-9]+ failed' build/site.log | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' | tail -1)
p=${p:-0}; f=${f:-0}
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { tail -20 build/site.log; f=1; }
grep -E "^(FAILED|site:)" build/site.log
passed=$((passed + p)); failed=$((failed + f))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
