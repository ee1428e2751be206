"""The purchase requisition (进货单), A4: what to reorder, one section per supplier.

One row per product at or below its reorder point: SKU, item, category, on hand, reorder
point, on order, suggested quantity; a total per supplier; the signatures of whoever
prepared it and of the supervisor who approves it. Every figure is the caller's.
"""
from __future__ import annotations

from datetime import datetime
from typing import Protocol, Sequence

from station.printing.documents.table_document import TableDocument, TableSection, render_table_document
from station.printing.tables import Column


class _Line(Protocol):
    sku: str
    name: str
    category: str
    on_hand: int
    reorder_point: int
    on_order: int
    suggested: int


class _Group(Protocol):
    supplier: str
    lines: Sequence[_Line]
    suggested: int


COLUMNS = (Column("SKU 商家编码", 34, "left", True), Column("品名 Item", 0, "left", True),
           Column("类别 Category", 24, "left", True), Column("在库 On hand", 18, "right", False),
           Column("警戒 Reorder at", 19, "right", False), Column("在途 On order", 18, "right", False),
           Column("建议采购 Suggested", 24, "right", False))


def render_requisition_document(groups: Sequence[_Group], number: str, when: datetime, prepared_by: str = "") -> bytes:
    sections = tuple(
        TableSection(f"供应商 Supplier: {g.supplier}",
                     tuple((l.sku, l.name, l.category, str(l.on_hand), str(l.reorder_point), str(l.on_order),
                            str(l.suggested)) for l in g.lines),
                     ("", "小计 Subtotal", "", "", "", "", str(g.suggested)))
        for g in groups)
    total = sum(g.suggested for g in groups)
    lines = sum(len(g.lines) for g in groups)
    return render_table_document(TableDocument(
        "进货单 Purchase requisition",
        (f"单号 No. {number}", f"日期 Date {when:%Y-%m-%d %H:%M}",
         f"供应商 Suppliers {len(groups)} · 品项 Items {lines} · 建议采购 Suggested {total}",
         f"制单 Prepared by {prepared_by}" if prepared_by else ""),
        number, COLUMNS, sections,
        summary=f"共 {lines} 项，建议采购 {total} 件 · {lines} items, {total} units suggested",
        signatures=("制单 Prepared by", "日期 Date", "主管审批 Approved by (supervisor)", "日期 Date")))
