"""Purchase orders: the generic PO file (docs/formats.md), imported all or nothing.

Columns: **po_no**, **supplier**, **sku**, **qty**, unit_cost, expected_date — one row per
PO line. Every row is checked before anything is written; one bad row rejects the whole
file and every bad row is listed with its line number. A PO that is already being
received cannot be changed by a new import; a PO nobody has received yet is replaced.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from station.catalog.models import Product
from station.db import one_at_a_time, unit_of_work
from station.files import fields
from station.files.reader import FileRejected, RowError, parse_int, read_table
from station.files.report import ImportReport
from station.i18n import _
from station.inbound.models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine

REQUIRED = ("po_no", "supplier", "sku", "qty")
OPTIONAL = ("unit_cost", "expected_date")


def parse_date(text: str) -> date:
    value = text.strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(_("{value!r} is not a date like 2026-11-11", value=text)) from None


def parse_money(text: str) -> Decimal:
    """A unit cost: plain digits, ¥ and thousands commas allowed, at most 4 decimals, below 10^8."""
    return fields.amount(text.strip().lstrip("¥￥"), places=4, strip=",")


def import_po(sessions: sessionmaker[Session], path: str | Path, *, user: str | None = None,
              encoding: str | None = None) -> ImportReport:
    """Check every row, then write every PO of the file or none. See the module docstring.
    ``encoding``: the CSV's encoding when the person gave it (see ``reader.decode``)."""
    report = ImportReport("po", str(path))
    try:
        table = read_table(path, REQUIRED, OPTIONAL, encoding=encoding)
    except FileRejected as exc:
        report.rejected = exc.errors
        return report
    report.encoding, report.rows = table.encoding, len(table.rows)
    return _check_and_write(sessions, table.rows, report, user)


def enter_po(sessions: sessionmaker[Session], po_no: str, supplier: str, text: str, *,
             user: str | None = None) -> ImportReport:
    """A PO typed in the office window: one line per PO line, ``SKU QTY [UNIT_COST] [EXPECTED_DATE]``.

    Checked exactly like a PO file (all or nothing, every bad line listed by its number)."""
    report = ImportReport("po", _("typed PO {po}", po=po_no))
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.replace(",", " ").replace("\t", " ").split()
        if not parts:
            continue
        if len(parts) > 4:
            rows.append((number, {"__error__": _("At most 4 fields: SKU QTY [UNIT_COST] [EXPECTED_DATE]")}))
            continue
        row = {"po_no": po_no.strip(), "supplier": supplier.strip()}
        row.update(zip(("sku", "qty", "unit_cost", "expected_date"), parts))
        rows.append((number, row))
    if not rows:
        report.rejected.append(RowError(1, _("No lines: type one line per item, SKU and quantity")))
        return report
    report.rows = len(rows)
    return _check_and_write(sessions, rows, report, user)


def _check_and_write(sessions: sessionmaker[Session], table_rows, report: ImportReport,
                     user: str | None) -> ImportReport:
    with unit_of_work(sessions) as s:
        one_at_a_time(s, "import.po")  # two desks importing one file: the second sees the first's rows
        products = dict(s.execute(select(Product.sku, Product.id)).all())
        # Locked first (as the receive bench locks a PO before opening a receipt), so no station
        # opens a receipt of a PO between our check below and the rewrite of its lines.
        existing = {po.po_no: po for po in s.scalars(select(PurchaseOrder).order_by(PurchaseOrder.id).with_for_update())}
        being_received = set(s.scalars(select(PurchaseOrder.po_no).join(Receipt, Receipt.po_id == PurchaseOrder.id)))
        suppliers: dict[str, tuple[str, int]] = {}
        seen: dict[tuple[str, str], int] = {}
        pos: dict[str, list[tuple[int, Decimal | None, date | None, int]]] = {}
        for line, row in table_rows:
            if "__error__" in row:
                report.rejected.append(RowError(line, row["__error__"]))
                continue
            missing = [c for c in REQUIRED if not row.get(c)]
            if missing:
                report.rejected.append(RowError(line, _("Missing {columns}", columns=", ".join(missing))))
                continue
            po_no, sku, supplier = row["po_no"], row["sku"], row["supplier"]
            problems = []
            qty = cost = when = None
            try:
                qty = parse_int(row["qty"], minimum=1)
            except ValueError as exc:
                problems.append(f"qty: {exc}")
            if row.get("unit_cost"):
                try:
                    cost = parse_money(row["unit_cost"])
                except ValueError as exc:
                    problems.append(f"unit_cost: {exc}")
            if row.get("expected_date"):
                try:
                    when = parse_date(row["expected_date"])
                except ValueError as exc:
                    problems.append(f"expected_date: {exc}")
            if sku not in products:
                problems.append(_("Unknown SKU {sku}", sku=sku))
            try:
                fields.code(po_no, "po_no")
            except ValueError as exc:
                problems.append(str(exc))
            if len(supplier) > 100 or fields.CONTROL.search(supplier):
                problems.append(_("supplier: at most 100 characters, no control characters"))
            first = suppliers.setdefault(po_no, (supplier, line))
            if first[0] != supplier:
                problems.append(_("PO {po} has supplier {first} on line {line}", po=po_no, first=first[0],
                                  line=first[1]))
            if (po_no, sku) in seen:
                problems.append(_("{sku} already on line {line} of PO {po}", sku=sku, line=seen[(po_no, sku)],
                                  po=po_no))
            seen.setdefault((po_no, sku), line)
            if po_no in being_received:
                problems.append(_("PO {po} is already being received: it cannot be changed", po=po_no))
            if problems:
                report.rejected.extend(RowError(line, p) for p in problems)
                continue
            pos.setdefault(po_no, []).append((products[sku], cost, when, qty))
        if report.rejected:
            return report
        now = datetime.now(timezone.utc)
        for po_no, lines in pos.items():
            po = existing.get(po_no)
            if po is None:
                po = PurchaseOrder(po_no=po_no, supplier=suppliers[po_no][0], status="open", created_at=now,
                                   created_by=user)
                s.add(po)
                report.created += 1
            else:
                for old in list(po.lines):
                    s.delete(old)
                po.supplier, po.status = suppliers[po_no][0], "open"
                report.updated += 1
            s.flush()
            for product_id, cost, when, qty in lines:
                s.add(PurchaseOrderLine(po_id=po.id, product_id=product_id, qty=qty, unit_cost=cost,
                                        expected_date=when))
        s.commit()
    return report


@dataclass(frozen=True)
class PoRow:
    po_no: str
    supplier: str
    status: str
    lines: int
    ordered: int
    received: int  # on closed and open receipts

    @property
    def outstanding(self) -> int:
        return max(self.ordered - self.received, 0)


@dataclass(frozen=True)
class PoLineRow:
    sku: str
    name: str
    qty: int
    unit_cost: Decimal | None
    expected_date: date | None
    received: int

    @property
    def outstanding(self) -> int:
        return max(self.qty - self.received, 0)


def _received_by_line(s: Session) -> dict[tuple[int, int], int]:
    """(po id, product id) -> units received on any of the PO's receipts."""
    return {(po, product): int(n) for po, product, n in s.execute(
        select(Receipt.po_id, ReceiptLine.product_id, func.sum(ReceiptLine.received))
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id).where(Receipt.po_id.is_not(None))
        .group_by(Receipt.po_id, ReceiptLine.product_id))}


def list_pos(sessions: sessionmaker[Session]) -> list[PoRow]:
    """Every PO, newest first, with what was ordered and what has come (for the office window)."""
    with unit_of_work(sessions) as s:
        received = _received_by_line(s)
        rows = []
        for po in s.scalars(select(PurchaseOrder).options(selectinload(PurchaseOrder.lines))
                            .order_by(PurchaseOrder.id.desc())):  # the lines in one more query, not one per PO
            ordered = sum(l.qty for l in po.lines)
            got = sum(min(received.get((po.id, l.product_id), 0), l.qty) for l in po.lines)
            rows.append(PoRow(po.po_no, po.supplier, po.status, len(po.lines), ordered, got))
        return rows


def po_lines(sessions: sessionmaker[Session], po_no: str) -> list[PoLineRow]:
    with unit_of_work(sessions) as s:
        po = s.scalar(select(PurchaseOrder).where(PurchaseOrder.po_no == po_no))
        if po is None:
            return []
        received = _received_by_line(s)
        return [PoLineRow(l.product.sku, " ".join(x for x in (l.product.name, l.product.colour, l.product.size) if x),
                          l.qty, l.unit_cost, l.expected_date, received.get((po.id, l.product_id), 0))
                for l in po.lines]


def open_blind(sessions: sessionmaker[Session], supplier: str, reason: str, *, user: str | None,
               station: str | None) -> str:
    """One user action: a blind receipt; returns its number, to scan at the receive bench."""
    from station.inbound.receiving import open_blind_receipt

    with unit_of_work(sessions) as s:
        receipt = open_blind_receipt(s, supplier, reason, user=user, station=station)
        s.commit()
        return receipt.receipt_no
