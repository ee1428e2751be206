"""The receive bench's port (``station.workflows.receive.ReceivePort``) over the scan's unit of work."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import outbox, settings
from station.catalog import lookup as catalog
from station.catalog.models import Barcode, Product, User
from station.i18n import _, message_of
from station.inbound import receiving
from station.inbound.models import Receipt
from station.inbound.labels import label_reference, per_case
from station.scanning import Scan
from station.workflows.base import BenchContext
from station.workflows.receive import ClosedLine, Item, Line, NotReceived, ReceiptFacts, Received

PRODUCT_CACHE = 5000  # barcodes remembered per bench
BENCH_BLIND_REASON = "CMD-BLIND"  # the reason a blind receipt opened by scan carries: no PO on the delivery


def _item(found: catalog.FoundProduct | None) -> Item | None:
    return Item(found.product.sku, catalog.describe(found.product), found.pack_qty) if found else None


class DatabaseReceivePort:
    def __init__(self, session: Session, ctx: BenchContext, memory: dict | None = None) -> None:
        self.session = session
        self.ctx = ctx
        self.memory = memory if memory is not None else {}

    def product(self, scan: Scan) -> Item | None:
        """Remembered for this bench (barcodes are only ever added, never moved), so the tenth scan of a
        carton's units costs no query."""
        cache = self.memory.setdefault("products", {})
        found = cache.get(scan.value)
        if found is None:
            found = _item(catalog.find_product(self.session, scan))
            if found is not None and len(cache) < PRODUCT_CACHE:
                cache[scan.value] = found
        return found

    def product_now(self, scan: Scan) -> Item | None:
        return _item(catalog.find_product(self.session, scan))

    def product_by_sku(self, sku: str) -> Item:
        product = self.session.scalar(select(Product).where(Product.sku == sku))
        return Item(product.sku, catalog.describe(product))

    def po_or_receipt_exists(self, key: str) -> bool:
        return bool(receiving.find_po(self.session, key) or receiving.find_receipt(self.session, key))

    def open_receipt(self, key: str) -> ReceiptFacts | None:
        po = receiving.find_po(self.session, key)
        if po is not None:
            receipt = receiving.open_receipt(self.session, po, user=self.ctx.user, station=self.ctx.station)
        else:
            receipt = receiving.find_receipt(self.session, key)
            if receipt is None:
                return None
        return ReceiptFacts(receipt.receipt_no, receipt.status, receipt.po.po_no if receipt.po else None,
                            receipt.supplier, receipt.blind_reason, receipt.id, receipt.location)

    def lines(self, receipt_id: int) -> list[Line]:
        receipt = self.session.get(Receipt, receipt_id)
        return [Line(l.sku, l.name, l.expected, l.received, l.on_po, l.id)
                for l in receiving.summary(self.session, receipt)]

    def tolerance_pct(self) -> int:
        return receiving.over_tolerance_pct(self.session)

    def line_received(self, line_id: int) -> int:
        return receiving.line_received(self.session, line_id)

    def receive(self, receipt: ReceiptFacts, sku: str, qty: int, *, batch: str | None, expiry: str | None,
                approved_by: str | None, line_id: int | None, limit: int | None) -> Received | NotReceived:
        ref = receiving.ReceiptRef(receipt.receipt_id, receipt.receipt_no, receipt.location)
        try:
            line_id, received = receiving.receive(
                self.session, ref, sku, qty, batch=batch, expiry=date.fromisoformat(expiry) if expiry else None,
                user=self.ctx.user, station=self.ctx.station, approved_by=approved_by, line_id=line_id, limit=limit)
        except receiving.InboundError as exc:
            if exc.code not in ("over_tolerance", "receipt_already_closed"):
                raise
            return NotReceived(exc.code, message_of(exc))
        return Received(line_id, received)

    def badge(self, badge: str) -> tuple[str, frozenset[str]] | None:
        user = self.session.scalar(select(User).where(User.badge == badge))
        return (user.name, user.role_set) if user is not None else None

    def link_barcode(self, barcode: str, sku: str) -> None:
        product_id = self.session.scalar(select(Product.id).where(Product.sku == sku))
        self.session.add(Barcode(code=barcode, product_id=product_id, pack_qty=1))
        self.session.flush()

    def close(self, receipt_no: str) -> list[ClosedLine]:
        receipt = receiving.find_receipt(self.session, receipt_no)
        lines = receiving.close_receipt(self.session, receipt, user=self.ctx.user)
        outbox.defer(self.session, "receiving-note", receipt.receipt_no, user=self.ctx.user, station=self.ctx.station)
        return [ClosedLine(l.sku, l.name, l.expected, l.received, l.quarantined, l.short, l.over) for l in lines]

    def take_back(self, receipt_no: str, sku: str, qty: int, batch: str | None, expiry: str | None) -> None:
        receiving.take_back(self.session, receiving.find_receipt(self.session, receipt_no), sku, qty, batch=batch,
                            expiry=date.fromisoformat(expiry) if expiry else None, user=self.ctx.user,
                            station=self.ctx.station)

    def reprint_note(self, receipt_no: str) -> None:
        outbox.defer(self.session, "receiving-note", receipt_no, user=self.ctx.user, station=self.ctx.station,
                     reprint=True)

    def labels_per_case(self) -> bool:
        return per_case(self.session)

    def quarantine(self, receipt_no: str, sku: str, qty: int, reason: str) -> tuple[int, int] | NotReceived:
        receipt = receiving.find_receipt(self.session, receipt_no)
        product_id = self.session.scalar(select(Product.id).where(Product.sku == sku))
        line = receiving.line_for(self.session, receipt, product_id, lock=True) if receipt and product_id else None
        if line is None:
            return NotReceived("not_on_receipt", _("{sku} is not on receipt {receipt}", sku=sku, receipt=receipt_no))
        try:
            line = receiving.quality_check(self.session, receipt, sku, line.quarantined + qty, reason,
                                           user=self.ctx.user, station=self.ctx.station)
        except receiving.InboundError as exc:
            return NotReceived(exc.code, message_of(exc))
        return line.quarantined, line.received

    def open_blind(self, sku: str) -> ReceiptFacts:
        supplier = self.session.scalar(select(Product.supplier).where(Product.sku == sku)) or ""
        receipt = receiving.open_blind_receipt(self.session, supplier.strip() or "?", BENCH_BLIND_REASON,
                                               user=self.ctx.user, station=self.ctx.station)
        return ReceiptFacts(receipt.receipt_no, receipt.status, None, receipt.supplier, receipt.blind_reason,
                            receipt.id, receipt.location)

    def needs_labels(self, sku: str, supplier: str | None) -> bool:
        flags = self.session.scalar(select(Product.flags).where(Product.sku == sku)) or ""
        if "labels" in flags.split(";"):
            return True
        marked = {s.strip() for s in (settings.RECEIVE_LABEL_SUPPLIERS.read(self.session) or "").split(";")} - {""}
        return bool(supplier) and supplier.strip() in marked

    def print_labels(self, sku: str, qty: int, cases: int | None) -> None:
        reference = label_reference(sku, qty, cases) if cases else label_reference(sku, qty)
        outbox.defer(self.session, "product-label", reference, user=self.ctx.user, station=self.ctx.station)
