#!/usr/bin/env bash
# make vendor: writes src/rust/vendor.tar.xz, the crates the native build
# needs, so that the source tarball (R CMD build) installs with no network
# and an empty cargo home (src/Makevars unpacks it and builds --offline).
#
# `cargo vendor` copies every crate of Cargo.lock, the torch backend's
# (tch alone is 90 MB) and Windows' included. Cargo still reads the
# manifest of every locked crate when it resolves, but builds only the
# native ones, so each crate outside the native build (on any target) is
# kept as its manifest and an empty library: the archive stays small and
# the torch feature needs the network, as INSTALL says.
set -euo pipefail
cd "$(dirname "$0")/../src/rust"
export PATH="$PATH:$HOME/.cargo/bin"
out="$PWD/vendor.tar.xz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo vendor --locked --versioned-dirs --manifest-path Cargo.toml "$tmp/vendor" >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
# name-version of every crate the native build compiles, on any target
cargo tree --locked -p contrastiveSC -e normal,build --target all --prefix none -f '{p}' |
  sed -e 's/ (.*//' -e 's/ v/-/' | sort -u >"$tmp/needed"

stubbed=0
for dir in "$tmp"/vendor/*/; do
  name=$(basename "$dir")
  grep -qxF "$name" "$tmp/needed" && continue
  # keep the manifest (and the checksum of the package), drop the sources
  find "$dir" -mindepth 1 ! -name Cargo.toml ! -name .cargo-checksum.json -delete
  mkdir -p "$dir/src"
  : >"$dir/src/lib.rs"
  printf 'fn main() {}\n' >"$dir/build.rs"
  # per-file checksums would fail; the package checksum stays
  sed -i -e 's/"files":{[^}]*}/"files":{}/' "$dir/.cargo-checksum.json"
  stubbed=$((stubbed + 1))
done
tar -cJf "$out" -C "$tmp" vendor
echo "vendor: $(wc -l <"$tmp/needed") crates for the native build, $stubbed others as manifests only;" \
  "$(du -h "$out" | cut -f1) in src/rust/vendor.tar.xz"
