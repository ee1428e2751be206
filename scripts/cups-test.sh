#!/usr/bin/env bash
# Run the CUPS end-to-end print test by hand: install CUPS and the cups-pdf virtual printer if
# they are missing, then run tests/e2e/test_cups.py. The test starts its own private CUPS server
# on a free loopback port (it does not touch the system's CUPS service or its printers) and
# needs root: cupsd runs the cups-pdf backend only as root, and cups-pdf reads its per-queue
# configuration from /etc/cups (the test adds one file there for its own queue and removes it).
# Usage: bash scripts/cups-test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
want=(cups cups-client printer-driver-cups-pdf)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || bash scripts/venv.sh test
export QT_QPA_PLATFORM=offscreen
exec $SUDO env QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -p no:cacheprovider -m cups -v -rs \
  tests/e2e/test_cups.py "$@"
