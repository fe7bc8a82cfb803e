#!/usr/bin/env bash
# The rule: no .unwrap() or .expect() on anything a user can influence in
# the library code of the Rust crates. Test modules (after `#[cfg(test)]`),
# tests/ and examples/ are exempt; `.expect("...")` is allowed only with a
# message stating an internal invariant, and every such line is listed here
# for review. Exits non-zero when a bare `.unwrap()` appears.
set -uo pipefail
cd "$(dirname "$0")/../src/rust"
bad=0
for f in $(find core/src binding/src -name '*.rs' | sort); do
  hits=$(awk '/#\[cfg\(test\)\]/ {exit} /\.unwrap\(\)/ {print FILENAME ":" FNR ": " $0}' "$f")
  if [ -n "$hits" ]; then
    echo "$hits"
    bad=1
  fi
done
if [ "$bad" -ne 0 ]; then
  echo "check-no-unwrap: bare .unwrap() in library code (use ? or a typed error)"
  exit 1
fi
echo "check-no-unwrap: no bare .unwrap() in library code; invariant expects:"
for f in $(find core/src binding/src -name '*.rs' | sort); do
  awk '/#\[cfg\(test\)\]/ {exit} /\.expect\(/ {print "  " FILENAME ":" FNR}' "$f"
done
