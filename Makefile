# contrastiveSC: make setup | make demo | make test
#   setup     install Debian packages (R, Bioconductor/Seurat from apt) and the package
#             (TORCH=1: also torch 2.11.0 in .venv and the libtorch backend)
#   install   (re)install the R package when its sources changed
#   demo      contrastiveSC vs Seurat on the bundled 10X PBMC data
#   test      cargo tests, testthat, R CMD check; ends with "N passed, N failed"
#   vendor    src/rust/vendor.tar.xz: the crates, so the source tarball installs offline
#   test-seurat5  the Seurat tests (IntegrateLayers with ContrastiveIntegration
#             included) and the vignette's Seurat path against Seurat 5 built
#             from source into SEURAT5_LIB (see INSTALL; make test-seurat5
#             SEURAT5_LIB=path; tools/seurat5-from-source.sh builds it)
#   bioccheck BiocCheck (offline) on the tarball that make test built
#   site      the pkgdown site in docs/ (offline), checked in headless Chromium
#   wrappers  regenerate R/extendr-wrappers.R after changing Rust exports
#   docs      regenerate NAMESPACE and man/ with roxygen2
#   fixtures  regenerate the core's golden fixtures with scanpy/PyTorch/scikit-learn
#   bench     the speed and quality benchmarks (results in bench/results/)
#   bench-integration  issue 21: contrastiveSC with batch against Seurat anchors,
#             Harmony, scVI and Scanorama on 5 tasks, scored by scib-metrics (~40 min)
#   bench-mapping  issue 27: mapCells against SingleR, Seurat's TransferData and
#             uncorrected votes on 6 reference -> query tasks (~5 min)
#   bench-large  10^4-10^6 synthetic cells end to end, from memory and HDF5,
#             and PBMC against reference mode, Seurat and PyTorch (~30 min)
#   fuzz      cargo fuzz on the sparse-matrix conversion for FUZZ_SECONDS (nightly)

export PATH := $(PATH):$(HOME)/.cargo/bin
export CONTRASTIVESC_TARGET_DIR ?= $(CURDIR)/build/cargo-target

# TORCH=1: a venv with torch 2.11.0 (.venv) and the package built with the
# libtorch backend; TORCH=0 (default): the native backend only.
TORCH ?= 0
VENV := $(CURDIR)/.venv
ifeq ($(TORCH),1)
export CONTRASTIVESC_TORCH := 1
export CONTRASTIVESC_PYTHON := $(VENV)/bin/python
else
export CONTRASTIVESC_TORCH := 0
endif
export TORCH
SOURCES := $(shell git ls-files DESCRIPTION NAMESPACE R src data inst configure 2>/dev/null)

.PHONY: setup deps install demo test test-seurat5 vendor bioccheck site wrappers docs fixtures bench bench-integration bench-mapping bench-large fuzz clean

# demo and test start with setup, so each works alone on a fresh machine;
# setup is idempotent and takes a second when everything is there.
setup: deps install

deps:
	bash tools/setup.sh
ifeq ($(TORCH),1)
	bash tools/setup-torch.sh $(VENV)
endif

install: deps build/install-torch$(TORCH).stamp

build/install-torch$(TORCH).stamp: $(SOURCES)
	mkdir -p build
	rm -f build/install-torch*.stamp
	R CMD INSTALL --no-multiarch .
	touch $@

demo: setup
	Rscript inst/scripts/demo.R

test: setup
	bash tools/test.sh

SEURAT5_LIB ?=
test-seurat5: setup
	@test -n "$(SEURAT5_LIB)" || { echo "make test-seurat5: give SEURAT5_LIB=<a library holding SeuratObject 5> (see INSTALL)"; exit 1; }
	R_LIBS="$(SEURAT5_LIB)" Rscript tools/run-tests.R "seurat|errors|model|mapping"
	R_LIBS="$(SEURAT5_LIB)" Rscript tools/vignette-chunks.R packages seurat-path batch integrate-layers mapping

vendor:
	bash tools/vendor.sh

site: setup
	bash tools/site.sh

bioccheck:
	@ls build/check/contrastiveSC_*.tar.gz >/dev/null 2>&1 || { echo "make bioccheck: run make test first (it builds the tarball)"; exit 1; }
	Rscript tools/bioccheck.R build/check/contrastiveSC_*.tar.gz

wrappers:
	Rscript tools/gen-wrappers.R

docs:
	Rscript -e 'roxygen2::roxygenise(load_code = "source")'

fixtures:
	python3 -m venv build/fixtures-venv
	build/fixtures-venv/bin/pip install -q "scanpy==1.10.*" "scikit-learn==1.*" "torch==2.11.0"
	cd src/rust/core/tests/fixtures && ../../../../../build/fixtures-venv/bin/python generate.py

bench: setup
	bash bench/run.sh

bench-integration: setup
	bash bench/integration/run.sh

bench-mapping: setup
	Rscript bench/mapping/run.R bench/results/mapping
	Rscript bench/mapping/summary.R bench/results/mapping

bench-large: setup
	bash bench/large.sh

FUZZ_SECONDS ?= 120
fuzz:
	mkdir -p build
	cd src/rust/fuzz && cargo +nightly fuzz run csc_view -- -max_total_time=$(FUZZ_SECONDS) 2>&1 | tee ../../../build/fuzz.log | tail -5

clean:
	rm -rf build src/rust/target contrastiveSC.Rcheck contrastiveSC_*.tar.gz
