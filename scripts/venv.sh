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
# A venv made while PySide6 6.12 was allowed still holds 6.12's split-off wheels (PySide6_Pdf,
# PySide6_WebEngine...), whose files shadow the 6.11 modules: remove them and restore 6.11's own.
stray=$(.venv/bin/python -m pip list --disable-pip-version-check 2>/dev/null | awk 'tolower($1) ~ /^pyside6_(pdf|webengine)/ && $2 ~ /^6\.1[2-9]/ {print $1}')
if [ -n "$stray" ] && .venv/bin/python -c "import PySide6, sys; sys.exit(PySide6.__version__ >= '6.12')"; then
  .venv/bin/python -m pip uninstall -q -y $stray
  v=$(.venv/bin/python -c "import PySide6; print(PySide6.__version__)")
  .venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
    "PySide6==$v" "PySide6_Essentials==$v" "PySide6_Addons==$v" "shiboken6==$v"
fi
