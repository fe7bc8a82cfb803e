#!/usr/bin/env bash
# The Python peers and scib-metrics of the integration benchmark, pinned,
# in build/integration-venv (idempotent: a second run checks and returns).
set -euo pipefail
venv=${1:-build/integration-venv}
pins="scib-metrics==0.5.10 harmonypy==2.1.0 scanorama==1.7.4 scvi-tools==1.4.2 scanpy==1.11.5"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import scib_metrics, harmonypy, scanorama, scvi" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q $pins
