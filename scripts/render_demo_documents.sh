#!/usr/bin/env bash
# The order documents rendered from the demo's own orders (issue 16): a fresh demo warehouse, one
# `station batch` (real waybill numbers from the demo's pools, no routing data: the routing box
# stays empty for the courier's pen), then every waybill size, the packing slips and the pick list
# printed with `station print` and rendered at the thermal head's 203 dpi into docs/documents.
# The same waybill sent as TSPL is read back as the printer would draw it (waybill-demo-tspl-*.png).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export STATION_LANG=en XDG_DATA_HOME="$TMP/xdg" PYTHONPATH="$PWD"
DB="sqlite:///$TMP/demo.db"
OUT="${OUT:-docs/documents}"
station() { "$PY" -m station.cli --db "$DB" "$@"; }
station demo >/dev/null
# Two orders more, as the shops export them: cash on delivery with an insured value (代收货款, 保价,
# 到付) and a Taobao shop's order, whose waybill is a privacy waybill (隐私面单) by default.
cat > "$TMP/more.csv" <<'CSV'
order_no,shop,recipient,phone,province,city,district,address,courier,sku,qty,cod_amount,insured_value,payment_method
DEMO-COD-1,Station 演示店,王小明,13812345678,广东省,广州市,越秀区,中山五路33号,SF,TS01-RD-M,2,199.00,1000.00,collect
DEMO-TB-1,taobao,欧阳喆,13900001111,浙江省,杭州市,西湖区,文三路100号 2单元501,ZTO,TS01-RD-M,1,,,
CSV
station import orders "$TMP/more.csv" --user 刘洋 >/dev/null
BATCH="$(station batch --user 刘洋 | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["batch_no"])')"
for size in 100x180 100x150 100x210 76x130 4x6; do
  # DEMO-1010: four lines, 27 pieces; DEMO-1011: an English name on a Chinese address.
  station print waybill DEMO-1010 --size "$size" --out "$TMP/w.pdf" >/dev/null
  pdftoppm -r 203 -png -singlefile "$TMP/w.pdf" "$OUT/waybill-demo-$size"
done
station print waybill DEMO-1011 --size 100x180 --out "$TMP/w.pdf" >/dev/null
pdftoppm -r 203 -png -singlefile "$TMP/w.pdf" "$OUT/waybill-demo-english-name-100x180"
for size in 100x180 76x130; do
  station print waybill DEMO-COD-1 --size "$size" --out "$TMP/w.pdf" >/dev/null
  pdftoppm -r 203 -png -singlefile "$TMP/w.pdf" "$OUT/waybill-demo-cod-$size"
done
station print waybill DEMO-TB-1 --size 100x150 --out "$TMP/w.pdf" >/dev/null
pdftoppm -r 203 -png -singlefile "$TMP/w.pdf" "$OUT/waybill-demo-privacy-100x150"
for size in A4 A5 100x180; do
  station print packing-slip DEMO-1010 --size "$size" --out "$TMP/s.pdf" >/dev/null
  pdftoppm -r 203 -png -singlefile "$TMP/s.pdf" "$OUT/packing-slip-demo-$size"
done
station print pick-list "$BATCH" --out "$TMP/p.pdf" >/dev/null
pdftoppm -r 203 -png -f 1 -l 1 -singlefile "$TMP/p.pdf" "$OUT/pick-list-demo-A4"
for language in tspl zpl; do
  station print waybill DEMO-1010 --size 100x180 --format "$language" --out "$TMP/w.$language" >/dev/null
  "$PY" - "$TMP/w.$language" "$language" "$OUT/waybill-demo-$language-100x180.png" <<'PY'
import sys
from pathlib import Path
from tests.unit.test_printing_raw import read_tspl, read_zpl
(label,) = (read_tspl if sys.argv[2] == "tspl" else read_zpl)(Path(sys.argv[1]).read_bytes())
label.save(sys.argv[3])
PY
done
ls "$OUT"/*demo*
