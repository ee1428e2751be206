#!/usr/bin/env bash
# Fault drills (kill -9, a PostgreSQL outage, two receive stations on one PO, a hung printer,
# fuzzed scans) on SQLite and a throwaway PostgreSQL 15; one line of figures per drill.
# Needs the test install (scripts/venv.sh test); root only as the tests need it (runuser postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { bash scripts/system-packages.sh --tests; bash scripts/venv.sh test; }
exec .venv/bin/python scripts/chaos.py "$@"
