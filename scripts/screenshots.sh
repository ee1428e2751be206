#!/usr/bin/env bash
# Screenshots of the real app under Xvfb, driven by scanner-speed key bursts (xdotool):
#   bash scripts/screenshots.sh        -> docs/screenshots/main-window-{zh,en}.png, pack-zh.png, pack-error-zh.png
# Needs xvfb, xdotool and imagemagick (apt-get install xvfb xdotool imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=docs/screenshots
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export STATION_DB="sqlite:///$WORK/demo.db" STATION_NAME=pack-1 STATION_SETTINGS="$WORK/settings.ini"
printf '[General]\nlast_bench=pack\nwindow_maximized=true\n' > "$WORK/settings.ini"
.venv/bin/station demo --sheet "$WORK/sheet.pdf" > /dev/null
ORDER=$(.venv/bin/python - "$WORK/demo.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select order_no from shop_order where status='ready' and courier is not null order by id limit 1").fetchone()[0])
PY
)
ITEM=$(.venv/bin/python - "$WORK/demo.db" "$ORDER" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("select b.code from order_line l join shop_order o on o.id=l.order_id join product p on p.sku=l.sku "
                  "join barcode b on b.product_id=p.id and b.pack_qty=1 where o.order_no=? order by l.line_no limit 1",
                  (sys.argv[2],)).fetchone()[0])
PY
)
WRONG=$(.venv/bin/python - "$WORK/demo.db" "$ORDER" <<'PY'
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
    .venv/bin/station --lang "$lang" & app=$!
    sleep 6
    xdotool search --sync --onlyvisible --class station windowsize 100% 100% 2>/dev/null || true
    sleep 1
    for scan in "$@"; do xdotool type --delay 4 "$scan"; xdotool key --delay 4 Return; sleep 1.2; done
    import -window root "'"$OUT"'/$name.png"
    kill $app' _ "$lang" "$name" "$@"
}
shoot zh_CN main-window-zh U-1001 "PS:$ORDER"
shoot en main-window-en U-1001 "PS:$ORDER"
shoot zh_CN pack-zh U-1001 "PS:$ORDER" "$ITEM"
shoot zh_CN pack-error-zh U-1001 "PS:$ORDER" "$WRONG"
echo "written: $OUT/main-window-zh.png main-window-en.png pack-zh.png pack-error-zh.png"
