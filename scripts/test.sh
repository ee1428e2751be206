#!/usr/bin/env bash
# Install everything and run the whole test suite, PostgreSQL tests included (the tests start
# their own throwaway PostgreSQL 15 server; GUI tests run offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh --tests
bash scripts/venv.sh test
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
