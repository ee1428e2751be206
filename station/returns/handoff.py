"""What the returns bench hands on: the return register per shop, the refund/exchange list for
customer service, the replacement order of an exchange, and the packing scan trail of a parcel
(the evidence when a buyer says an item was missing)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.audit.models import ScanEvent
from station.catalog.models import Product
from station.files.writer import excel_csv, safe_cell
from station.fulfilment.models import Order, Parcel
from station.fulfilment.orders import create_order
from station.fulfilment.parsers.model import OrderLine as ParsedLine
from station.fulfilment.parsers.model import ParsedOrder
from station.returns.receipt_models import ReturnItem, ReturnReceipt


def create_exchange_order(session: Session, receipt: ReturnReceipt, skus: list[str] | None = None) -> str | None:
    """The replacement of an exchange: a new outbound order to the same buyer with ``skus`` (one
    unit each; another size or colour), else the accepted items again, through the order services
    (ready, or held when stock is short)."""
    order = session.get(Order, receipt.order_id)
    accepted = [i for i in receipt.items if i.accepted]
    if order is None or not accepted:
        return None
    counts: dict[str, int] = {}
    for sku in skus or [i.sku for i in accepted]:
        counts[sku] = counts.get(sku, 0) + 1
    names = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(counts)))}
    lines = tuple(ParsedLine(sku, qty, Decimal("0"), names[sku].name if sku in names else None,
                             names[sku].colour if sku in names else None, names[sku].size if sku in names else None,
                             False, n) for n, (sku, qty) in enumerate(sorted(counts.items()), start=1))
    number = f"{order.order_no}-EX{receipt.id}"
    create_order(session, ParsedOrder(
        number, order.shop, order.buyer_account, order.recipient, order.phone, order.province, order.city,
        order.district, order.address, order.postcode, order.courier, datetime.now(timezone.utc), None, None, "ready",
        None, None, None, lines, 0, source_status=f"exchange {receipt.receipt_no}"))
    return number


# --- the register and the hand-off list --------------------------------------------------------
@dataclass(frozen=True)
class RegisterRow:
    shop: str
    receipt_no: str
    received_at: datetime | None
    order_no: str
    return_tracking: str
    sku: str
    model: str  # the product's style (款号), else its SKU
    name: str
    qty: int
    problem: str  # the reason code, and what the inspection found
    decision: str
    disposition: str


def _items(session: Session, shop: str | None = None, since: datetime | None = None):
    stmt = (select(ReturnItem, ReturnReceipt, Order, Product)
            .join(ReturnReceipt, ReturnReceipt.id == ReturnItem.receipt_id)
            .join(Order, Order.id == ReturnItem.order_id)
            .outerjoin(Product, Product.sku == ReturnItem.sku)
            .where(ReturnReceipt.status == "received"))
    if shop:
        stmt = stmt.where(Order.shop == shop)
    if since:
        stmt = stmt.where(ReturnReceipt.closed_at >= since)
    return session.execute(stmt.order_by(Order.shop, ReturnReceipt.id, ReturnItem.id)).all()


def register(session: Session, shop: str | None = None, since: datetime | None = None) -> list[RegisterRow]:
    """One row per (receipt, SKU, problem, decision, place): the return register of each shop."""
    rows: dict[tuple, list] = {}
    for item, receipt, order, product in _items(session, shop, since):
        problem = item.reason + (f" ({item.conditions.replace(';', ', ')})" if item.conditions else "")
        key = (order.shop or "", receipt.receipt_no, item.sku, problem, item.decision, item.disposition)
        if key not in rows:
            rows[key] = [order.shop or "", receipt.receipt_no, receipt.closed_at, order.order_no,
                         receipt.return_tracking or "", item.sku, (product.style if product else None) or item.sku,
                         product.name if product else "", 0, problem, item.decision, item.disposition or ""]
        rows[key][8] += 1
    return [RegisterRow(*r) for r in rows.values()]


REGISTER_COLUMNS = ("shop", "receipt_no", "received_at", "order_no", "return_tracking", "sku", "model", "name",
                    "qty", "problem", "decision", "disposition")


def register_csv(rows: list[RegisterRow]) -> str:
    """UTF-8 with BOM (Excel); no cell can run as a formula."""
    return excel_csv(REGISTER_COLUMNS,
                     ([safe_cell(r.shop), safe_cell(r.receipt_no), r.received_at.isoformat() if r.received_at else "",
                       safe_cell(r.order_no), safe_cell(r.return_tracking), safe_cell(r.sku), safe_cell(r.model),
                       safe_cell(r.name), r.qty, safe_cell(r.problem), safe_cell(r.decision),
                       safe_cell(r.disposition)] for r in rows))


@dataclass(frozen=True)
class HandoffRow:
    """One received return as customer service needs it to refund or exchange."""

    receipt_no: str
    order_no: str
    shop: str
    buyer: str
    type: str  # refund / exchange
    accepted: int
    refused: int
    amount: Decimal  # the accepted units at the price paid
    postage: str  # who pays the return postage: shop or buyer
    exchange_order_no: str
    notes: str  # each refused or overridden item, with its reason

    def as_dict(self) -> dict:
        return {"receipt_no": self.receipt_no, "order_no": self.order_no, "shop": self.shop, "buyer": self.buyer,
                "type": self.type, "accepted": self.accepted, "refused": self.refused, "amount": str(self.amount),
                "postage": self.postage, "exchange_order_no": self.exchange_order_no, "notes": self.notes}


def handoff(session: Session, since: datetime | None = None) -> list[HandoffRow]:
    grouped: dict[int, tuple[ReturnReceipt, Order, list[ReturnItem]]] = {}
    for item, receipt, order, _product in _items(session, None, since):
        grouped.setdefault(receipt.id, (receipt, order, []))[2].append(item)
    out = []
    for receipt, order, items in grouped.values():
        accepted = [i for i in items if i.accepted]
        amount = sum((i.unit_price or Decimal("0") for i in accepted), Decimal("0"))
        postage = "shop" if any(i.postage == "shop" for i in accepted) else "buyer"
        notes = "; ".join(f"{i.sku}: {i.decision_text}" for i in items if not i.accepted or i.overridden_by)
        out.append(HandoffRow(receipt.receipt_no, order.order_no, order.shop or "",
                              order.buyer_account or order.recipient, receipt.type, len(accepted),
                              len(items) - len(accepted), amount.quantize(Decimal("0.01")), postage,
                              receipt.exchange_order_no or "", notes))
    return out


HANDOFF_COLUMNS = ("receipt_no", "order_no", "shop", "buyer", "type", "accepted", "refused", "amount", "postage",
                   "exchange_order_no", "notes")


def handoff_csv(rows: list[HandoffRow]) -> str:
    dicts = (r.as_dict() for r in rows)
    return excel_csv(HANDOFF_COLUMNS, ([safe_cell(d[c]) if isinstance(d[c], str) else d[c] for c in HANDOFF_COLUMNS]
                                       for d in dicts))


# --- the packing scan trail ----------------------------------------------------------------------
@dataclass(frozen=True)
class TrailEvent:
    at: datetime
    bench: str
    station: str
    user: str
    kind: str
    scan: str
    code: str

    def as_dict(self) -> dict:
        return {"at": self.at.isoformat(), "bench": self.bench, "station": self.station, "user": self.user,
                "kind": self.kind, "scan": self.scan, "code": self.code}


def _order_for(session: Session, key: str) -> Order | None:
    order = session.scalar(select(Order).where(Order.order_no == key))
    if order is None:
        parcel = session.scalar(select(Parcel).where(Parcel.tracking_no == key))
        order = parcel.order if parcel else session.scalar(select(Order).where(Order.tracking_no == key))
    return order


def packing_trail(session: Session, key: str) -> tuple[Order | None, list[TrailEvent]]:
    """Every scan at the pack bench from the moment the order was opened to the moment its parcels
    closed, at the station that packed it: what was scanned, by whom, when. ``key``: the order
    number or a tracking number of one of its parcels."""
    order = _order_for(session, key)
    if order is None:
        return None, []
    parcels = [p for p in order.parcels if p.closed_at is not None]
    events: list[TrailEvent] = []
    keys = {order.order_no} | {p.tracking_no for p in order.parcels if p.tracking_no}
    for station in sorted({p.station for p in parcels if p.station}):
        closed = max(p.closed_at for p in parcels if p.station == station)
        opened = session.scalar(select(ScanEvent.at).where(
            ScanEvent.bench == "pack", ScanEvent.station == station, ScanEvent.code == "order_opened",
            ScanEvent.value.in_(keys), ScanEvent.at <= closed).order_by(ScanEvent.at.desc()).limit(1))
        if opened is None:
            continue
        last = session.scalar(select(ScanEvent.id).where(
            ScanEvent.bench == "pack", ScanEvent.station == station, ScanEvent.code == "order_packed",
            ScanEvent.at >= opened).order_by(ScanEvent.at).limit(1))
        stmt = select(ScanEvent).where(ScanEvent.bench == "pack", ScanEvent.station == station,
                                       ScanEvent.at >= opened)
        if last is not None:
            stmt = stmt.where(ScanEvent.id <= last)
        events += [TrailEvent(e.at, e.bench, e.station or "", e.user or "", e.kind, e.raw, e.code)
                   for e in session.scalars(stmt.order_by(ScanEvent.id))]
    return order, events
