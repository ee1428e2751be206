"""The same waybills as HTML rendered by WeasyPrint (how InvenTree makes its labels), for comparison.

Run as ``python -m station.perf.waybills_html N`` in a separate process so its
peak memory (ru_maxrss) is its own; prints one JSON object. WeasyPrint is not a dependency
of Station: install it with ``pip install weasyprint`` to get this figure.
"""
from __future__ import annotations

import html
import io
import json
import resource
import sys
import time

from station.perf.waybills import sample_waybills
from station.printing.documents.waybill import mask_phone
from station.printing.fonts import CJK_FONT_FILE


def _barcode_svg(value: str) -> str:
    from barcode import Code128
    from barcode.writer import SVGWriter

    out = io.BytesIO()
    Code128(value, writer=SVGWriter()).write(out, {"module_width": 0.25, "module_height": 12, "quiet_zone": 2.5,
                                                  "font_size": 0, "text_distance": 0})
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]


def waybills_html(n: int) -> str:
    pages = []
    for w in sample_waybills(n):
        r, s = w.recipient, w.sender
        pages.append(f"""<section>
<div class="top"><b>{html.escape(w.courier_name)}</b><span>{w.parcel_no}/{w.parcel_count}</span></div>
<div class="route">{html.escape(w.routing_code)}</div>
<div class="bar">{_barcode_svg(w.tracking_no)}<div>{w.tracking_no}</div></div>
<div class="who"><i>收件人</i> {html.escape(r.name)} {html.escape(mask_phone(r.phone))}<br>{html.escape(r.address)}</div>
<div class="who"><i>寄件人</i> {html.escape(s.name)} {html.escape(s.phone)}<br>{html.escape(s.address)}</div>
<div class="items">{html.escape(w.item_summary)}</div>
<div class="foot">订单号 {html.escape(w.order_no)} · {w.printed_at:%Y-%m-%d %H:%M}</div>
</section>""")
    return f"""<html><head><style>
@font-face {{ font-family: StationCJK; src: url("file://{CJK_FONT_FILE}"); }}
@page {{ size: 100mm 180mm; margin: 2mm; }}
body {{ font-family: StationCJK; font-size: 9pt; margin: 0; }}
section {{ page-break-after: always; border: 0.3mm solid black; height: 174mm; }}
.top {{ display: flex; justify-content: space-between; font-size: 14pt; border-bottom: 0.3mm solid; padding: 1mm; }}
.route {{ font-size: 36pt; font-weight: bold; text-align: center; border-bottom: 0.3mm solid; }}
.bar {{ text-align: center; border-bottom: 0.3mm solid; padding: 1mm; }}
.bar svg {{ height: 14mm; width: 80mm; }}
.who {{ border-bottom: 0.3mm solid; padding: 1mm; min-height: 18mm; }}
.items {{ padding: 1mm; min-height: 12mm; }}
.foot {{ font-size: 7pt; padding: 1mm; }}
</style></head><body>{"".join(pages)}</body></html>"""


def main(n: int) -> dict:
    from weasyprint import HTML

    source = waybills_html(n)
    t = time.perf_counter()
    pdf = HTML(string=source).write_pdf()
    seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "pdf_mb": round(len(pdf) / 1e6, 2), "waybills": n}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)))
