#!/usr/bin/env bash
# Builds Seurat 5.5.1 and SeuratObject 5.4.0 from source into LIB, a library
# outside this source tree (nothing of it is committed), for
# `make test-seurat5 SEURAT5_LIB=LIB` and the Seurat 5 benchmarks. Debian 12
# ships Seurat 4.3 only, and CRAN is not reachable here, so each package
# Debian lacks (or ships too old) is built from a git repository of its
# sources at a fixed tag; the steps and why each is needed are in INSTALL.
#   bash tools/seurat5-from-source.sh LIB SOURCES
# SOURCES is a folder with one git repository (a clone or a bare mirror) per
# package, named owner+name (e.g. satijalab+seurat, cran+Matrix), or
# owner+name/repo. Idempotent: a package already in LIB at its version is
# skipped.
set -euo pipefail
LIB="${1:?usage: seurat5-from-source.sh LIB SOURCES}"
SRC="${2:?usage: seurat5-from-source.sh LIB SOURCES}"
mkdir -p "$LIB"
LIB="$(cd "$LIB" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt=(r-cran-spam r-cran-dotcall64 r-cran-rspectra libpcg-cpp-dev)
missing=()
for p in "${apt[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

installed() { # name version
  R_LIBS="$LIB" Rscript -e "q(status = !(file.exists(file.path('$LIB', '$1')) && packageVersion('$1', lib.loc = '$LIB') == '$2'))" >/dev/null 2>&1
}

build() { # repo tag package version
  local repo="$SRC/$1" tag="$2" pkg="$3" version="$4"
  [ -d "$repo/repo" ] && repo="$repo/repo"
  if installed "$pkg" "$version"; then
    echo "seurat5: $pkg $version present"
    return
  fi
  [ -d "$repo" ] || { echo "seurat5: no repository $SRC/$1 (see INSTALL)" >&2; exit 1; }
  mkdir -p "$work/$pkg"
  git -C "$repo" archive "$tag" | tar -x -C "$work/$pkg"
  echo "seurat5: building $pkg $version ($1 $tag)"
  R_LIBS="$LIB" R CMD INSTALL --no-test-load --library="$LIB" "$work/$pkg" > "$work/$pkg.log" 2>&1 ||
    { tail -30 "$work/$pkg.log" >&2; exit 1; }
}

# order: Matrix before everything that links it; uwot needs libpcg-cpp-dev
build cran+Matrix 1.6-5 Matrix 1.6.5
build satijalab+seurat-object v5.4.0 SeuratObject 5.4.0
build cran+fastDummies 1.6.3 fastDummies 1.6.3
build cran+scattermore 1.2 scattermore 1.2
build cran+sctransform 0.4.1 sctransform 0.4.1
build cran+uwot 0.2.1 uwot 0.2.1
build cran+irlba 2.3.5.1 irlba 2.3.5.1
build satijalab+seurat v5.5.1 Seurat 5.5.1
R_LIBS="$LIB" Rscript -e "cat('seurat5: Seurat', format(packageVersion('Seurat', lib.loc = '$LIB')), 'and SeuratObject', format(packageVersion('SeuratObject', lib.loc = '$LIB')), 'in $LIB\n')"
