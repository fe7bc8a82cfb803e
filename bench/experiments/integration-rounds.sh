#!/usr/bin/env bash
# Issue 21's design search: the rounds of mutual-nearest-neighbour
# correction (0 = genes and scaling per batch only, no correction; 1, 2, 3),
# on the integration tasks, seeds 0-4, k known. Builds the package with
# patches/integration-rounds.patch (CSC_ROUNDS overrides mnn::ROUNDS) into a
# temporary library from a worktree, so the work tree is left alone.
# Output: bench/results/integration/rounds.csv (task, rounds, seed, ARI,
# mixing, seconds).
set -euo pipefail
cd "$(dirname "$0")/../.."
target="$PWD/build/cargo-target-rounds"
tree=$(mktemp -d)
lib=$(mktemp -d)
git worktree add -q --detach "$tree" HEAD
trap 'git worktree remove --force "$tree"' EXIT
git -C "$tree" apply "$PWD/bench/experiments/patches/integration-rounds.patch"
(cd "$tree" && CONTRASTIVESC_TORCH=0 CONTRASTIVESC_TARGET_DIR="$target" \
    R CMD INSTALL --no-docs --no-multiarch -l "$lib" . >/dev/null)
R_LIBS="$lib" Rscript bench/experiments/integration-rounds.R bench/results/integration/rounds.csv
