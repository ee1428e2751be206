"""Purchase orders and receipts: what was ordered, what came, what passed the quality check.

Stock itself is never kept here: every unit received, quarantined or put away is a movement
in the ledger (``station.inventory.ledger``); these tables say which document it belongs to.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint,
                        text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.catalog.models import Product
from station.db import Base, UTCDateTime

PO_STATUSES = ("open", "received")
RECEIPT_STATUSES = ("open", "closed")
QC_RESULTS = ("pass", "fail", "partial")
OPEN_RECEIPT = text("status = 'open'")  # the partial index's condition (migration 0009 says the same)


class PurchaseOrder(Base):
    __tablename__ = "purchase_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    po_no: Mapped[str] = mapped_column(String(64), unique=True)
    supplier: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))

    lines: Mapped[list["PurchaseOrderLine"]] = relationship(back_populates="po", order_by="PurchaseOrderLine.id")


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    qty: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    expected_date: Mapped[date | None] = mapped_column(Date)

    po: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    __table_args__ = (
        UniqueConstraint("po_id", "product_id", name="uq_purchase_order_line_po_product"),
        CheckConstraint("qty > 0", name="qty_positive"),
    )


class Receipt(Base):
    """One delivery received against a PO, or blind (no PO, with a reason)."""

    __tablename__ = "receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)
    po_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order.id"), index=True)
    supplier: Mapped[str] = mapped_column(String(100))
    blind_reason: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")
    location: Mapped[str] = mapped_column(String(32))  # the receiving location the goods went to
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))

    po: Mapped[PurchaseOrder | None] = relationship()
    lines: Mapped[list["ReceiptLine"]] = relationship(back_populates="receipt", order_by="ReceiptLine.id")

    # One open receipt per PO: a second station scanning the PO joins it (receiving.open_receipt).
    # Blind receipts (po_id NULL) are not limited: NULLs are distinct in a unique index.
    __table_args__ = (Index("uq_receipt_one_open_per_po", "po_id", unique=True,
                            postgresql_where=OPEN_RECEIPT, sqlite_where=OPEN_RECEIPT),)


class ReceiptLine(Base):
    __tablename__ = "receipt_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipt.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    expected: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    on_po: Mapped[bool] = mapped_column(Boolean, default=True)
    approved_by: Mapped[str | None] = mapped_column(String(64))  # the supervisor who let an over/extra line in
    qc_result: Mapped[str | None] = mapped_column(String(16))
    qc_reason: Mapped[str | None] = mapped_column(String(200))
    qc_by: Mapped[str | None] = mapped_column(String(64))

    receipt: Mapped[Receipt] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    lots: Mapped[list["ReceiptLot"]] = relationship(back_populates="line", order_by="ReceiptLot.id")

    __table_args__ = (UniqueConstraint("receipt_id", "product_id", name="uq_receipt_line_receipt_product"),)

    @property
    def accepted(self) -> int:
        return self.received - self.quarantined

    @property
    def outstanding(self) -> int:
        return max(self.expected - self.received, 0)


class ReceiptLot(Base):
    """Batch and expiry of the units a GS1 carton label brought (one row per batch/expiry)."""

    __tablename__ = "receipt_lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("receipt_line.id", ondelete="CASCADE"), index=True)
    batch: Mapped[str | None] = mapped_column(String(64))
    expiry: Mapped[date | None] = mapped_column(Date)
    qty: Mapped[int] = mapped_column(Integer)

    line: Mapped[ReceiptLine] = relationship(back_populates="lots")
