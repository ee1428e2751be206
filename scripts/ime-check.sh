#!/usr/bin/env bash
# A scanner typing into a text field while a Chinese input method (ibus-libpinyin) is in pinyin
# mode, under its own Xvfb and D-Bus session, then a person typing `ni` + Enter. Prints one JSON
# line per field kind:
#   {"field": "plain", "scanned": [...], "took": [...], "text": "..."}   {"field": "code", ...}
# Needs: xvfb xdotool ibus ibus-libpinyin dbus-x11 (scripts/system-packages.sh --tests).
#   bash scripts/ime-check.sh            (dbus-run-session is started here)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${IME_CHECK_INNER:-}" ]; then
  exec env IME_CHECK_INNER=1 dbus-run-session -- bash "$0" "$@"
fi
PY=${PYTHON:-.venv/bin/python}
WORK=$(mktemp -d -t ime-check.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; ibus exit >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
exec 3> "$WORK/display"
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp > "$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
exec 3>&-
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$WORK/display")" QT_IM_MODULE=ibus XMODIFIERS=@im=ibus GTK_IM_MODULE=ibus
unset QT_QPA_PLATFORM WAYLAND_DISPLAY
ibus-daemon -drx --panel=disable > "$WORK/ibus.log" 2>&1
engine() {  # set the pinyin engine; `ibus engine NAME` may say "Not connected" and still do it
  for _ in $(seq 50); do
    ibus engine libpinyin >/dev/null 2>&1 || true
    [ "$(ibus engine 2>/dev/null)" = libpinyin ] && return 0
    sleep 0.2
  done
  echo "ime-check: ibus did not take the libpinyin engine" >&2
  exit 2
}
engine
for kind in plain code; do
  "$PY" scripts/ime_probe.py "$WORK/$kind.jsonl" "$kind" > "$WORK/$kind.out" 2>&1 &
  APP=$!
  for _ in $(seq 100); do grep -q ready "$WORK/$kind.jsonl" 2>/dev/null && break; sleep 0.1; done
  WID=$(xdotool search --name station-ime-probe | head -1)
  xdotool windowfocus "$WID"
  sleep 0.5
  engine
  sleep 0.3
  xdotool type --delay 5 $'YT7000000000098\r'
  sleep 1
  xdotool type --delay 5 $'CMD-CONFIRM\r'
  sleep 1
  xdotool type --delay 150 $'ni\r'  # a person: pinyin composed, then Enter commits the letters
  sleep 1.2
  kill "$APP"; wait "$APP" 2>/dev/null || true
  "$PY" - "$WORK/$kind.jsonl" "$kind" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(json.dumps({"field": sys.argv[2], "engine": "libpinyin",
                  "scanned": [r["scanned"] for r in rows if "scanned" in r],
                  "took": [r["took"] for r in rows if "took" in r],
                  "text": ([r["field"] for r in rows if "field" in r] or [""])[-1]}, ensure_ascii=False))
PY
done
