"""The monthly in/out/stock summary (进销存) for finance, straight from the ledger.

Stock is everything in physical locations (bins, receiving, quarantine, packing, returns,
scrap). Per SKU and month (local time): the opening stock, what came in from outside
(a movement from a virtual location — supplier, customer, adjustment — into a physical one)
by reason, what went out (physical → virtual) by reason, and the closing stock. Moves between
physical locations change nothing here. So closing = opening + in − out, and closing is
exactly the ledger's stock at the end of the month.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from station.catalog.models import Product
from station.files.writer import excel_csv, safe_cell
from station.i18n import _
from station.inventory.models import VIRTUAL_KINDS, Location, Movement

REASON_ZH = {"opening": "期初导入", "receipt": "采购入库", "putaway": "上架", "transfer": "移库", "pick": "拣货",
             "ship": "发货", "count_adjustment": "盘点调整", "write_off": "报损", "return_restock": "退货入库",
             "return_quarantine": "退货隔离", "scrap": "报废",
             "return_unidentified": "无主退货"}


@dataclass
class SkuMonth:
    sku: str
    name: str
    opening: int = 0
    inflow: dict[str, int] = field(default_factory=dict)
    outflow: dict[str, int] = field(default_factory=dict)

    @property
    def total_in(self) -> int:
        return sum(self.inflow.values())

    @property
    def total_out(self) -> int:
        return sum(self.outflow.values())

    @property
    def closing(self) -> int:
        return self.opening + self.total_in - self.total_out


@dataclass(frozen=True)
class MonthlySummary:
    month: str  # "2026-11"
    start: datetime  # local, inclusive
    end: datetime  # local, exclusive
    rows: tuple[SkuMonth, ...]
    in_reasons: tuple[str, ...]
    out_reasons: tuple[str, ...]


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month ``YYYY-MM`` in this computer's zone, as aware datetimes [start, end)."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        start = datetime(year, mon, 1).astimezone()
    except ValueError:
        raise ValueError(_("{month!r} is not a month like 2026-11", month=month)) from None
    end = datetime(year + (mon == 12), mon % 12 + 1, 1).astimezone()
    return start, end


def monthly_summary(session: Session, month: str) -> MonthlySummary:
    start, end = month_bounds(month)
    src, dst = aliased(Location), aliased(Location)
    src_virtual = src.kind.in_(VIRTUAL_KINDS)
    dst_virtual = dst.kind.in_(VIRTUAL_KINDS)
    # +qty into stock from outside, −qty out of stock to outside, 0 between physical locations
    sign = case((and_(src_virtual, ~dst_virtual), 1), (and_(~src_virtual, dst_virtual), -1), else_=0)
    base = (select(Movement.product_id, Movement.reason, sign.label("sign"), func.sum(Movement.qty).label("qty"))
            .join(src, src.id == Movement.from_location_id).join(dst, dst.id == Movement.to_location_id))
    names = {pid: (sku, " ".join(x for x in (name, colour, size) if x)) for pid, sku, name, colour, size in
             session.execute(select(Product.id, Product.sku, Product.name, Product.colour, Product.size))}
    rows: dict[int, SkuMonth] = {}

    def row(pid: int) -> SkuMonth:
        if pid not in rows:
            rows[pid] = SkuMonth(*names[pid])
        return rows[pid]

    before = base.where(Movement.at < start.astimezone(timezone.utc)).group_by(Movement.product_id, Movement.reason,
                                                                              sign)
    for pid, _reason, s, qty in session.execute(before):
        if s:
            row(pid).opening += s * int(qty)
    during = base.where(Movement.at >= start.astimezone(timezone.utc), Movement.at < end.astimezone(timezone.utc)
                        ).group_by(Movement.product_id, Movement.reason, sign)
    in_reasons, out_reasons = set(), set()
    for pid, reason, s, qty in session.execute(during):
        if s > 0:
            r = row(pid)
            r.inflow[reason] = r.inflow.get(reason, 0) + int(qty)
            in_reasons.add(reason)
        elif s < 0:
            r = row(pid)
            r.outflow[reason] = r.outflow.get(reason, 0) + int(qty)
            out_reasons.add(reason)
    kept = [r for r in rows.values() if r.opening or r.inflow or r.outflow]
    return MonthlySummary(month, start, end, tuple(sorted(kept, key=lambda r: r.sku)),
                          tuple(sorted(in_reasons)), tuple(sorted(out_reasons)))


def summary_csv(summary: MonthlySummary) -> str:
    """One row per SKU: opening, in per reason, total in, out per reason, total out, closing (UTF-8 with BOM)."""
    return excel_csv(["month", "sku", "name", "opening", *[f"in_{r}" for r in summary.in_reasons], "in_total",
                      *[f"out_{r}" for r in summary.out_reasons], "out_total", "closing"],
                     ([summary.month, safe_cell(r.sku), safe_cell(r.name), r.opening,
                       *[r.inflow.get(x, 0) for x in summary.in_reasons], r.total_in,
                       *[r.outflow.get(x, 0) for x in summary.out_reasons], r.total_out, r.closing]
                      for r in summary.rows))


def render_summary(summary: MonthlySummary, prepared_by: str = "") -> bytes:
    from station.printing.documents.monthly_summary import render_monthly_summary

    def by_reason(flows: dict[str, int]) -> str:
        return " · ".join(f"{REASON_ZH.get(k, k)} {k} {v}" for k, v in sorted(flows.items()))

    rows = tuple((r.sku, r.name, str(r.opening), str(r.total_in), by_reason(r.inflow), str(r.total_out),
                  by_reason(r.outflow), str(r.closing)) for r in summary.rows)
    totals = (sum(r.opening for r in summary.rows), sum(r.total_in for r in summary.rows),
              sum(r.total_out for r in summary.rows), sum(r.closing for r in summary.rows))
    return render_monthly_summary(summary.month, summary.start, summary.end, rows, totals, prepared_by)


def write_summary(sessions, month: str, pdf_path, *, user: str = "") -> tuple[MonthlySummary, str]:
    """One user action (the office window): the month's summary as PDF and, beside it, CSV."""
    from pathlib import Path

    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        result = monthly_summary(s, month)
    pdf = Path(pdf_path)
    pdf.write_bytes(render_summary(result, user))
    csv_path = pdf.with_suffix(".csv")
    csv_path.write_text(summary_csv(result), encoding="utf-8")
    return result, str(csv_path)
