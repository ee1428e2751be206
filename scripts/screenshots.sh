#!/usr/bin/env bash
# Screenshots of the real app under Xvfb, driven by scanner-speed key bursts (xdotool):
#   bash scripts/screenshots.sh          -> docs/screenshots/main-window-{zh,en}.png, pack-zh.png, pack-error-zh.png,
#                                           and every bench at 1366x768 and 1920x1080 in docs/screenshots/benches/
#                                           (SIZES="1280x720 3840x2160" for other screens)
#   bash scripts/screenshots.sh main     -> only the first four
#   bash scripts/screenshots.sh benches  -> only the benches (SHOTS=returns-1366 for those whose name matches)
# Needs xvfb, xdotool and imagemagick (apt-get install xvfb xdotool imagemagick).
# VENV=/path/to/.venv picks another virtualenv; the checkout's own code runs (PYTHONPATH).
set -euo pipefail
cd "$(dirname "$0")/.."
ONLY=${1:-all}
VENV=${VENV:-.venv}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
OUT=docs/screenshots
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export STATION_DB="sqlite:///$WORK/demo.db" STATION_NAME=pack-1 STATION_SETTINGS="$WORK/settings.ini"
printf '[General]\nlast_bench=pack\nwindow_maximized=true\n' > "$WORK/settings.ini"
"$VENV"/bin/station demo --sheet "$WORK/sheet.pdf" > /dev/null
cp "$WORK/demo.db" "$WORK/fresh.db"
ORDER=$("$VENV"/bin/python - "$WORK/demo.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select order_no from shop_order where status='ready' and courier is not null order by id limit 1").fetchone()[0])
PY
)
ITEM=$("$VENV"/bin/python - "$WORK/demo.db" "$ORDER" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select b.code from order_line l join shop_order o on o.id=l.order_id join product p on p.sku=l.sku "
                  "join barcode b on b.product_id=p.id and b.pack_qty=1 where o.order_no=? order by l.line_no limit 1",
                  (sys.argv[2],)).fetchone()[0])
PY
)
WRONG=$("$VENV"/bin/python - "$WORK/demo.db" "$ORDER" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select b.code from barcode b join product p on p.id=b.product_id where b.pack_qty=1 and p.sku not in "
                  "(select l.sku from order_line l join shop_order o on o.id=l.order_id where o.order_no=?) limit 1",
                  (sys.argv[2],)).fetchone()[0])
PY
)
shoot() {  # LANG NAME SCANS...
  local lang=$1 name=$2; shift 2
  xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
    lang=$1; name=$2; shift 2
    "'"$VENV"'"/bin/station --lang "$lang" & app=$!
    sleep 6
    xdotool search --sync --onlyvisible --class station windowsize 100% 100% 2>/dev/null || true
    sleep 1
    for scan in "$@"; do xdotool type --delay 4 "$scan"; xdotool key --delay 4 Return; sleep 1.2; done
    import -window root "'"$OUT"'/$name.png"
    kill $app' _ "$lang" "$name" "$@"
}
if [ "$ONLY" != benches ]; then
  shoot zh_CN main-window-zh U-1001 "PS:$ORDER"
  shoot en main-window-en U-1001 "PS:$ORDER"
  shoot zh_CN pack-zh U-1001 "PS:$ORDER" "$ITEM"
  shoot zh_CN pack-error-zh U-1001 "PS:$ORDER" "$WRONG"
  echo "written: $OUT/main-window-zh.png main-window-en.png pack-zh.png pack-error-zh.png"
fi

[ "$ONLY" = main ] && exit 0

# --- every bench on a small and a common screen (issue 17: nothing cut off, the status bar visible) ---
# Each shot starts from the fresh demo database (DB=file to start from another) with the bench
# open (the settings' last_bench), logs in by badge and types the scans at scanner speed.
bench_shot() {  # SIZE LANG BENCH NAME SCANS...
  local size=$1 lang=$2 bench=$3 name=$4; shift 4
  [[ $name =~ ${SHOTS:-.} ]] || return 0  # SHOTS=regex: only these shots
  rm -f "$WORK/demo.db-wal" "$WORK/demo.db-shm"  # else the last shot's write-ahead log comes back
  cp "${DB:-$WORK/fresh.db}" "$WORK/demo.db"
  printf '[General]\nlast_bench=%s\nwindow_maximized=true\n' "$bench" > "$WORK/settings.ini"
  mkdir -p "$OUT/benches"
  xvfb-run -a -s "-screen 0 ${size}x24" bash -c '
    lang=$1; out=$2; shift 2
    "'"$VENV"'"/bin/station --lang "$lang" & app=$!
    sleep 6
    xdotool search --sync --onlyvisible --class station windowsize 100% 100% windowfocus 2>/dev/null || true
    sleep 1
    for scan in "$@"; do
      case $scan in
        key:*) xdotool key --delay 30 ${scan#key:} ;;          # a key a person presses (alt+n, Return)
        text:*) xdotool type --delay 200 "${scan#text:}" ;;   # text a person types, far slower than a scanner
        *) xdotool type --delay 5 "$scan"; xdotool key --delay 5 Return ;;
      esac
      sleep 1.2
    done
    import -window root "$out"
    kill $app' _ "$lang" "$OUT/benches/$name.png" "$@"
  # putaway starts from what receive received (a backup reads the write-ahead log too)
  "$VENV"/bin/python -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
    "$WORK/demo.db" "$WORK/after-$bench.db"
}
BIN=$("$VENV"/bin/python - "$WORK/fresh.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select l.code from balance b join location l on l.id=b.location_id where l.kind='stock' "
                  "order by l.code limit 1").fetchone()[0])
PY
)
BIN_ITEM=$("$VENV"/bin/python - "$WORK/fresh.db" "$BIN" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select c.code from balance b join location l on l.id=b.location_id join barcode c "
                  "on c.product_id=b.product_id and c.pack_qty=1 where l.code=? limit 1", (sys.argv[2],)).fetchone()[0])
PY
)
PO_ITEM=$("$VENV"/bin/python - "$WORK/fresh.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select c.code from purchase_order_line pl join purchase_order po on po.id=pl.po_id "
                  "join barcode c on c.product_id=pl.product_id and c.pack_qty=1 "
                  "where po.po_no='PO-DEMO-001' order by pl.id limit 1").fetchone()[0])
PY
)
cp "$WORK/fresh.db" "$WORK/counting.db"  # a count over the first bin, planned as a supervisor would
"$VENV"/bin/station counts plan range --from "$BIN" --to "$BIN" --user 刘洋 --db "sqlite:///$WORK/counting.db" > /dev/null
PHONE=$("$VENV"/bin/python - "$WORK/fresh.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select phone from shop_order where phone is not null and phone != '' order by id limit 1").fetchone()[0])
PY
)
cp "$WORK/fresh.db" "$WORK/packed.db"  # nine demo orders packed on the pack bench: parcels for the handover bench
"$VENV"/bin/python scripts/pack_demo_orders.py "$WORK/packed.db" 9 > /dev/null 2>&1
for size in ${SIZES:-1366x768 1920x1080}; do
  for lang in zh_CN en; do
    l=${lang%_CN}
    bench_shot $size $lang pack "pack-$size-$l" U-1001 "PS:$ORDER" "$ITEM"
    bench_shot $size $lang returns "returns-$size-$l" U-1003 SF1234567890123 key:alt+p text:"$PHONE" key:Return
  done
  bench_shot $size zh_CN lookup "lookup-$size-zh" U-1001 "$ITEM"
  DB=$WORK/packed.db bench_shot $size zh_CN handover "handover-$size-zh" U-1001 SF0100000000001 SF0100000000003 \
    SF0100000000000
  [ $size = 1366x768 ] && DB=$WORK/packed.db bench_shot $size zh_CN handover "handover-error-$size-zh" U-1001 \
    SF0100000000001 SF0100000000003 730000000000 SF0100000000000
  bench_shot $size zh_CN receive "receive-$size-zh" U-1002 PO-DEMO-001 "$PO_ITEM" "$PO_ITEM"
  DB=$WORK/counting.db bench_shot $size zh_CN count "count-$size-zh" U-1004 "$BIN" "$BIN_ITEM" "$BIN_ITEM"
  DB=$WORK/after-receive.db bench_shot $size zh_CN putaway "putaway-$size-zh" U-1002 "$PO_ITEM"
done
echo "written: $(ls "$OUT"/benches | tr '\n' ' ')"
