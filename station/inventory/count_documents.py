"""Plain data for the count documents, loaded from the database (the layouts never see a session)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.inventory import count_review
from station.inventory.count_models import CountBin, CountEvent, CountLine, StockCount
from station.inventory.counts import find_count, now
from station.catalog.models import Product
from station.inventory.models import Location
from station.printing.documents.stock_count import (CountSheet, SheetBin, VarianceLine, VarianceReport, WriteOff,
                                                    WriteOffLine)

ZERO = Decimal("0")


def count_sheet_data(session: Session, count_no: str, warehouse: str = "") -> CountSheet:
    """Bins still to count (recounts marked), in walking order; a closed count lists every bin."""
    count = find_count(session, count_no)
    stmt = (select(Location.code, Location.zone, CountBin.status).join(CountBin, CountBin.location_id == Location.id)
            .where(CountBin.count_id == count.id).order_by(Location.code))
    if count.status == "open":
        stmt = stmt.where(CountBin.status.in_(("pending", "recount")))
    bins = tuple(SheetBin(code, zone or "", status == "recount") for code, zone, status in session.execute(stmt))
    return CountSheet(count.count_no, count.scope, count.created_at.astimezone(), bins, warehouse,
                      tuple(sorted(count.sku_set)))


def variance_report_data(session: Session, count_no: str, warehouse: str = "",
                         at: datetime | None = None) -> VarianceReport:
    count = find_count(session, count_no)
    # One query straight into the report's lines: a count may have 50,000 of them.
    result = session.execute(
        select(Location.code, Product.sku, Product.name, Product.colour, Product.size, CountLine.book_qty,
               CountLine.counted_qty, CountLine.unit_cost, CountLine.status, CountLine.counted_by)
        .join(Location, Location.id == CountLine.location_id).join(Product, Product.id == CountLine.product_id)
        .where(CountLine.count_id == count.id, CountLine.counted_qty != CountLine.book_qty)
        .order_by(Location.code, Product.sku))
    lines = tuple(VarianceLine(code, sku, f"{name} {colour or ''} {size or ''}".strip().replace("  ", " "), book,
                               counted, None if cost is None else (counted - book) * cost, status, by or "")
                  for code, sku, name, colour, size, book, counted, cost, status, by in result)
    gains = [l for l in lines if l.variance > 0 and l.status != "rejected"]
    losses = [l for l in lines if l.variance < 0 and l.status != "rejected"]
    bins = session.scalar(select(func.count()).select_from(CountBin).where(CountBin.count_id == count.id))
    counted = session.scalar(select(func.count()).select_from(CountLine).where(CountLine.count_id == count.id))
    return VarianceReport(
        count.count_no, count.scope, count.status, (at or now()).astimezone(), lines,
        sum(l.variance for l in gains), sum((l.value or ZERO for l in gains), ZERO),
        -sum(l.variance for l in losses), -sum((l.value or ZERO for l in losses), ZERO), bins, counted, warehouse)


def write_off_data(session: Session, count_no: str, warehouse: str = "") -> WriteOff:
    count = find_count(session, count_no)
    rows = count_review.write_off_rows(session, count)
    lines = tuple(WriteOffLine(r.location, r.sku, " ".join(x for x in (r.name, r.colour, r.size) if x),
                               -(r.posted_qty or 0), r.unit_cost,
                               None if r.unit_cost is None else -(r.posted_qty or 0) * r.unit_cost) for r in rows)
    approval = session.execute(select(CountEvent.user, CountEvent.at).where(
        CountEvent.count_id == count.id, CountEvent.action == "approve", CountEvent.outcome == "approved")
        .order_by(CountEvent.id.desc()).limit(1)).first()
    return WriteOff(count.count_no, approval[0] if approval else "",
                    approval[1].astimezone() if approval else None, lines, sum(l.qty for l in lines),
                    sum((l.value for l in lines if l.value is not None), ZERO),
                    tuple(count_review.delisting(session, count)),
                    sum(1 for l in lines if l.value is None), warehouse)


__all__ = ["StockCount", "count_sheet_data", "variance_report_data", "write_off_data"]
