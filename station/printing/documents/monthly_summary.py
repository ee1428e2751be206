"""The monthly in/out/stock summary (进销存), A4, for finance: per SKU the opening stock, what
came in and went out (with the reasons), the closing stock; totals; the keeper's and the
supervisor's signatures. Every figure is the caller's (computed from the ledger).
"""
from __future__ import annotations

from datetime import datetime

from station.printing.documents.table_document import TableDocument, TableSection, render_table_document
from station.printing.tables import Column

COLUMNS = (Column("SKU 商家编码", 28, "left", True), Column("品名 Item", 0, "left", True),
           Column("期初 Opening", 16, "right", False), Column("入库 In", 14, "right", False),
           Column("入库明细 In by reason", 32, "left", True), Column("出库 Out", 14, "right", False),
           Column("出库明细 Out by reason", 32, "left", True), Column("期末 Closing", 16, "right", False))


def render_monthly_summary(month: str, start: datetime, end: datetime, rows: tuple[tuple[str, ...], ...],
                           totals: tuple[int, int, int, int], prepared_by: str = "") -> bytes:
    opening, total_in, total_out, closing = totals
    number = f"SUM-{month}"
    return render_table_document(TableDocument(
        f"进销存月报 Monthly stock summary {month}",
        (f"期间 Period {start:%Y-%m-%d} – {end:%Y-%m-%d} (不含 exclusive)",
         f"品项 SKUs {len(rows)} · 期初 Opening {opening} · 入库 In {total_in} · 出库 Out {total_out} · "
         f"期末 Closing {closing}",
         f"制表 Prepared by {prepared_by}" if prepared_by else ""),
        number, COLUMNS,
        (TableSection("", rows, ("合计 Total", "", str(opening), str(total_in), "", str(total_out), "", str(closing))),),
        summary=f"期初 {opening} + 入库 {total_in} − 出库 {total_out} = 期末 {closing} · "
                f"opening + in − out = closing",
        signatures=("仓管员 Keeper", "日期 Date", "主管 Supervisor", "日期 Date")))
