"""Tracking numbers back to the shop: the file each platform's bulk-shipping upload takes
(``station export shipments --format PLATFORM``), docs/formats.md "Shipments back to the shop".

One layout per platform: its columns, its courier names or codes, one row per shipped parcel.
The file is XLSX (cells stored as text) or CSV (UTF-8 with BOM; order numbers and waybills of
digits written ``="…"`` as the Chinese platforms' own exports do, so Excel keeps every digit) or,
for Amazon, tab-separated text. Every cell that came from outside is formula-safe. No database:
the caller hands in the shipments.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

from station.files.writer import excel_csv, excel_xlsx, safe_cell

#: Station's courier codes (station/scanning/couriers.py) as each platform names them.
CHINESE_NAMES = {"SF": "顺丰速运", "YTO": "圆通速递", "JD": "京东快递", "EMS": "中国邮政", "STO": "申通快递",
                 "YUNDA": "韵达快递", "ZTO": "中通快递", "JT": "极兔速递", "DBL": "德邦快递"}
ENGLISH_NAMES = {"SF": "SF Express", "YTO": "YTO Express", "JD": "JD Logistics", "EMS": "China Post",
                 "STO": "STO Express", "YUNDA": "Yunda Express", "ZTO": "ZTO Express", "JT": "J&T Express",
                 "DBL": "Deppon Express"}
#: Amazon's carrier-code list (Shipping Confirmation template) has these; any other is Other + carrier-name.
AMAZON_CODES = {"SF": "SF Express", "EMS": "China Post"}
#: WooCommerce Shipment Tracking / Advanced Shipment Tracking provider slugs.
WOO_SLUGS = {"SF": "sf-express", "YTO": "yto-express", "JD": "jd-logistics", "EMS": "china-post",
             "STO": "sto-express", "YUNDA": "yunda-express", "ZTO": "zto-express", "JT": "jt-express"}


@dataclass(frozen=True)
class ShipmentRow:
    """One shipped parcel: the shop's order number, Station's courier code, the waybill, when."""

    order_no: str
    courier: str | None
    tracking_no: str | None
    shipped_at: datetime | None


@dataclass(frozen=True)
class Layout:
    header: tuple[str, ...]
    row: Callable[[ShipmentRow], list[str]]
    text_columns: tuple[int, ...]  # long numbers: stored as text in XLSX, ="…" in CSV
    kind: str = "csv"  # the file the platform takes when the name does not say: csv, xlsx or tsv


def _zh(code: str | None) -> str:
    return CHINESE_NAMES.get(code or "", code or "")


def _en(code: str | None) -> str:
    return ENGLISH_NAMES.get(code or "", code or "")


def _day(t: datetime | None) -> str:
    return t.astimezone().strftime("%Y-%m-%d") if t else ""


def _time(t: datetime | None) -> str:
    return t.astimezone().strftime("%Y-%m-%d %H:%M:%S") if t else ""


def _amazon(r: ShipmentRow) -> list[str]:
    code = AMAZON_CODES.get(r.courier or "")
    return [r.order_no, "", "", _day(r.shipped_at), code or "Other", "" if code else _en(r.courier),
            r.tracking_no or "", "Standard"]


LAYOUTS: dict[str, Layout] = {
    "generic": Layout(("order_no", "courier", "tracking_no", "shipped_at"),
                      lambda r: [r.order_no, r.courier or "", r.tracking_no or "",
                                 r.shipped_at.isoformat() if r.shipped_at else ""], (0, 2)),
    # 千牛 / 卖家中心 批量发货: 订单编号, 物流公司, 运单号
    "taobao": Layout(("订单编号", "物流公司", "运单号"), lambda r: [r.order_no, _zh(r.courier), r.tracking_no or ""],
                     (0, 2), "xlsx"),
    # 京东商家后台 批量出库: 订单号, 物流公司, 运单号
    "jd": Layout(("订单号", "物流公司", "运单号"), lambda r: [r.order_no, _zh(r.courier), r.tracking_no or ""],
                 (0, 2), "xlsx"),
    # 拼多多商家后台 批量发货: 订单号, 快递公司, 快递单号
    "pdd": Layout(("订单号", "快递公司", "快递单号"), lambda r: [r.order_no, _zh(r.courier), r.tracking_no or ""],
                  (0, 2), "xlsx"),
    # 抖店 批量发货: 订单号, 物流公司, 物流单号
    "douyin": Layout(("订单号", "物流公司", "物流单号"), lambda r: [r.order_no, _zh(r.courier), r.tracking_no or ""],
                     (0, 2), "xlsx"),
    # Shopify has no built-in tracking upload; this is the Matrixify Orders import (UPDATE a fulfillment)
    "shopify": Layout(("Name", "Command", "Line: Type", "Fulfillment: Status", "Fulfillment: Tracking Company",
                       "Fulfillment: Tracking Number", "Fulfillment: Send Receipt"),
                      lambda r: [r.order_no, "UPDATE", "Fulfillment Line", "success", _en(r.courier),
                                 r.tracking_no or "", "TRUE"], (5,)),
    # WooCommerce Shipment Tracking / Advanced Shipment Tracking CSV import
    "woocommerce": Layout(("order_id", "tracking_provider", "tracking_number", "date_shipped", "status_shipped"),
                          lambda r: [r.order_no.lstrip("#"), WOO_SLUGS.get(r.courier or "", _en(r.courier)),
                                     r.tracking_no or "", _day(r.shipped_at), "1"], (0, 2)),
    # Amazon Seller Central: Shipping Confirmation template (tab-separated flat file)
    "amazon": Layout(("order-id", "order-item-id", "quantity", "ship-date", "carrier-code", "carrier-name",
                      "tracking-number", "ship-method"), _amazon, (0, 6), "tsv"),
}
PLATFORMS = tuple(LAYOUTS)
_DIGITS = re.compile(r"[0-9]+")


def file_kind(platform: str, path: str) -> str:
    """xlsx, csv or tsv: by the file's extension, else what the platform takes."""
    lower = path.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith((".tsv", ".txt")):
        return "tsv"
    if lower.endswith(".csv"):
        return "csv"
    return LAYOUTS[platform].kind


def _guarded(value: str) -> str:
    """A number of digits a spreadsheet would round or strip (12 digits or more, or a leading zero)
    as ``="…"``: Excel shows the text exactly; anything else formula-safe."""
    if _DIGITS.fullmatch(value) and (len(value) >= 12 or value.startswith("0")):
        return f'="{value}"'
    return safe_cell(value)


def shipment_file(platform: str, rows: Sequence[ShipmentRow], kind: str) -> bytes:
    """The bytes of the platform's file (see the module docstring)."""
    layout = LAYOUTS[platform]
    body = [layout.row(r) for r in rows]
    if kind == "xlsx":
        return excel_xlsx(layout.header, body, text_columns=layout.text_columns)
    if kind == "tsv":  # uploaded as it is, never opened in a spreadsheet: plain text, no guards
        out = io.StringIO()
        w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(layout.header)
        w.writerows([[c.replace("\t", " ").replace("\n", " ") for c in row] for row in body])
        return out.getvalue().encode("utf-8")
    text_cols = set(layout.text_columns)
    return excel_csv(layout.header, ([_guarded(c) if i in text_cols else safe_cell(c) for i, c in enumerate(row)]
                                     for row in body)).encode("utf-8")


def now_name(platform: str, kind: str) -> str:
    return f"shipments-{platform}-{datetime.now(timezone.utc):%Y%m%d%H%M}.{kind}"
