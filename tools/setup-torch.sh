#!/usr/bin/env bash
# make setup TORCH=1: a virtual environment with torch 2.11.0 from PyPI (the
# libtorch that tch 0.24 needs; about 2.6 GB to download, 4.6 GB installed).
# Idempotent: does nothing when the venv already has that torch.
set -euo pipefail
VENV="${1:-.venv}"
want="2.11.0"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$want')" 2>/dev/null; then
  echo "setup: torch $want present in $VENV"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q "torch==$want"
"$VENV/bin/python" -c "import torch; print('setup: torch', torch.__version__, 'in $VENV')"
