#!/usr/bin/env bash
# The scan soak (issue 13): does every scan arrive, once, whole, at the bench, on a busy PC?
#
#   bash scripts/scan-soak.sh [N]        N scans (default 5000)
#
# Starts the real app under its own Xvfb display on a fresh demo database (plus 500 orders per
# background batch), logs in by badge and types N scans with `xdotool type --delay 5` (5 ms a key,
# as a USB scanner, then Return) across the benches (F1…F7), while one busy process per core loads
# the CPU and `station batch` prints 500-order batches on the same database in the background; every
# 12–30 scans it opens the print outbox (Ctrl+P), the orders window (Ctrl+O) or the settings (Ctrl+,),
# gives it the focus as a window manager would, types 2–4 scans behind it and closes it (Escape).
# Then it compares what was typed with the scan log (scan_event) and the app's trace
# (STATION_SCAN_TRACE, station/ui/scan_trace.py) and prints one line on stdout:
#   typed N, logged N, lost 0, split 0, misrouted 0, shortcuts 0, scan-to-banner p50 X ms p99 Y ms
# and the particulars on stderr and in $WORK/details.json. Exit status 1 if any count is not 0 or
# p99 > 100 ms (2 if the soak itself could not run).
#
# Environment: PYTHON (default .venv/bin/python, else python3), SOAK_KEEP=1 keeps the work folder
# (screenshots shot-*.png, typed.jsonl, trace.jsonl, soak.db, app.log), SOAK_WORK=DIR uses DIR.
# Needs xvfb, xdotool and imagemagick (apt-get install xvfb xdotool imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "scan-soak: $tool missing (apt-get install xvfb xdotool imagemagick)" >&2; exit 2; }
done
WORK=${SOAK_WORK:-$(mktemp -d -t scan-soak.XXXXXX)}
mkdir -p "$WORK"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do kill -TERM "${PIDS[k]}" 2>/dev/null || true; done  # Xvfb last
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${SOAK_KEEP:-}" != 1 ] && [ -z "${SOAK_WORK:-}" ]; then rm -rf "$WORK"; else echo "scan-soak: kept $WORK" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

T0=$(date +%s)
echo "scan-soak: $N scans; work folder $WORK" >&2
"$PY" scripts/scan_soak.py prepare "$WORK" "$N" > "$WORK/prepare.log" 2>&1 \
  || { cat "$WORK/prepare.log" >&2; echo "scan-soak: preparing the database failed" >&2; exit 2; }

# Our own X display: Xvfb picks a free number and writes it to fd 3.
exec 3> "$WORK/display"
Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp > "$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
exec 3>&-
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || { echo "scan-soak: Xvfb did not start" >&2; exit 2; }
export DISPLAY=":$(head -1 "$WORK/display")"
unset WAYLAND_DISPLAY QT_QPA_PLATFORM

export STATION_DB="sqlite:///$WORK/soak.db" STATION_NAME=soak-1 STATION_SETTINGS="$WORK/settings.ini"
export STATION_SCAN_TRACE="$WORK/trace.jsonl"
printf '[General]\nlast_bench=lookup\nsound=false\n' > "$WORK/settings.ini"
cp "$WORK/settings.ini" "$WORK/settings.before"

# One busy process per core.
for _ in $(seq "$(nproc)"); do
  sh -c 'while :; do :; done' &
  PIDS+=($!)
done

"$PY" -X faulthandler -m station.cli --lang zh_CN > "$WORK/app.log" 2>&1 &
APP=$!
PIDS+=($APP)

# The batches start once the window is up: a batch holds the database for the seconds it renders,
# and Station cannot start meanwhile ("database is locked" when it opens the database).
for _ in $(seq 1200); do
  grep -q '"main": true' "$WORK/trace.jsonl" 2>/dev/null && break
  kill -0 "$APP" 2>/dev/null || break
  sleep 0.1
done
grep -q '"main": true' "$WORK/trace.jsonl" 2>/dev/null \
  || { echo "scan-soak: the app's window did not show within 120 s:" >&2; tail -20 "$WORK/app.log" >&2; exit 2; }

# 500-order batches on the same database, one after the other, while the scans are typed.
(
  child=
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; exit 143' TERM
  batches=$(cat "$WORK/batches")
  for b in $(seq "$batches"); do
    if [ "$b" -gt 1 ]; then  # spread over the run (about 0.35 s a scan)
      sleep $(( N * 35 / 100 / batches )) & child=$!; wait "$child" || true; child=
    fi
    "$PY" -m station.cli batch --shop "Soak 压测店" --limit 500 --user 刘洋 >> "$WORK/batch.log" 2>&1 &
    child=$!
    wait "$child" || true
    child=
    echo "batch done $(date +%s.%N)" >> "$WORK/batch.log"
  done
) &
PIDS+=($!)

# In the background and waited for: a trapped Ctrl+C or TERM then cleans up at once.
SOAK_APP_PID=$APP "$PY" scripts/scan_soak.py drive "$WORK" "$N" 2> "$WORK/drive.log" &
DRIVER=$!
PIDS+=($DRIVER)
set +e
wait "$DRIVER"
DRIVE=$?
set -e
if ! kill -0 "$APP" 2>/dev/null; then
  echo "scan-soak: the app exited during the soak:" >&2; tail -20 "$WORK/app.log" >&2
fi
if [ "$DRIVE" -ne 0 ]; then
  echo "scan-soak: the driver failed:" >&2; tail -20 "$WORK/drive.log" >&2; exit 2
fi
for _ in $(seq 50); do kill -0 "$APP" 2>/dev/null || break; sleep 0.1; done  # the driver quit it (Ctrl+Q)
set +e
"$PY" scripts/scan_soak.py report "$WORK"
RC=$?
set -e
echo "scan-soak: $(( $(date +%s) - T0 )) s" >&2
exit "$RC"
