#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, test and demo
# contrastiveSC: R and the R packages from Debian (CRAN and Bioconductor
# are not needed). Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(
  r-base-core r-base-dev r-cran-matrix r-bioc-singlecellexperiment
  r-cran-seurat r-bioc-bluster r-cran-igraph r-cran-testthat r-cran-knitr
  r-cran-rmarkdown r-cran-roxygen2 r-cran-ggplot2 r-bioc-hdf5array
  r-bioc-biocstyle r-cran-uwot r-cran-gridextra r-bioc-bioccheck r-cran-withr r-bioc-biocparallel
  r-bioc-scran r-bioc-scater r-cran-pkgdown chromium r-bioc-singler
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
  echo "setup: cargo and rustc are needed (apt-get install cargo, or https://rustup.rs)" >&2
  exit 1
fi
