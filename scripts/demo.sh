#!/usr/bin/env bash
# Install Station and open the GUI on the demo warehouse (a separate database in the user data folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/venv.sh
DATA="$(.venv/bin/python -c 'import platformdirs; print(platformdirs.user_data_dir("station", "station"))')"
export STATION_DB="${STATION_DB:-sqlite:///$DATA/demo.db}"
.venv/bin/station demo
echo "Scanner sheet: $DATA/demo-files/demo/scanner-sheet.pdf (print it, or scan from the screen)." >&2
exec .venv/bin/station
