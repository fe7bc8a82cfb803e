#!/usr/bin/env bash
# `make site`: builds the pkgdown site into docs/ (offline: the package as
# installed, no network needed), then checks it as a reader would. Headless
# Chromium renders the home page and the vignette to PNG (docs/screenshots/),
# and tools/site-check.R fails if a page is blank or a figure it shows is
# missing, a local link leads nowhere, or a page shows a raw formula.
# Prints "site: N passed, N failed" and exits non-zero on a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf docs
Rscript -e 'pkgdown::build_site(".", install = FALSE, new_process = FALSE, preview = FALSE, devel = FALSE)'
# The README (the home page) links to results in bench/results/ and to
# INSTALL, which are not part of the package: the site carries them, so the
# links work offline. pkgdown points links to .md files at .html, so each
# result in markdown is rendered to HTML beside it.
mkdir -p docs/bench
cp -r bench/results docs/bench/
cp INSTALL docs/
find docs/bench/results -name '*.md' | while read -r md; do
  pandoc --standalone --metadata pagetitle="$(basename "$md" .md)" \
    --output "${md%.md}.html" "$md"
done
mkdir -p docs/screenshots
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "site: chromium is not installed (make setup installs it)" >&2
  exit 1
fi
for page in index articles/contrastiveSC; do
  out="docs/screenshots/$(basename "$page").png"
  # --virtual-time-budget lets the page's scripts and images finish first
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1280,4000 --virtual-time-budget=5000 \
    --screenshot="$PWD/$out" "file://$PWD/docs/$page.html" >/dev/null 2>&1
done
Rscript tools/site-check.R docs
