#!/usr/bin/env bash
# Create .venv with Python 3.11+ and install Station (editable) with the given extras.
set -euo pipefail
extras="${1:-}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
