"""What the returns bench records: one receipt per return parcel, one row per returned unit."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.db import Base, UTCDateTime

#: open: on the bench, no order yet; matched: the order is known, items being scanned;
#: received: closed, every item disposed; refused: freight collect (到付), not accepted;
#: unidentified: on the unidentified-returns shelf under its tag number (the receipt number).
RECEIPT_STATUSES = ("open", "matched", "received", "refused", "unidentified")
DISPOSITIONS = ("restock", "quarantine", "scrap")


class ReturnReceipt(Base):
    __tablename__ = "return_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    return_tracking: Mapped[str | None] = mapped_column(String(40), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("shop_order.id"), index=True)
    expected_id: Mapped[int | None] = mapped_column(ForeignKey("expected_return.id"))
    matched_by: Mapped[str | None] = mapped_column(String(16))  # registered, slip, note
    type: Mapped[str] = mapped_column(String(16), default="refund")  # refund / exchange
    cod: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[dict | None] = mapped_column(JSON)  # the enclosed note as entered
    note_text: Mapped[str | None] = mapped_column(Text)  # the note's words in one line, for searching
    location: Mapped[str | None] = mapped_column(String(32))  # the unidentified-returns shelf
    # The SKUs (one per unit) of an unidentified parcel, on its shelf's books until it is matched
    shelved_items: Mapped[list | None] = mapped_column(JSON)
    exchange_order_no: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str | None] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(64))

    items: Mapped[list["ReturnItem"]] = relationship(back_populates="receipt", order_by="ReturnItem.id",
                                                     cascade="all, delete-orphan")


class ReturnItem(Base):
    """One returned unit. ``(order_id, sku, unit_no)`` is unique: unit 2 of a SKU ordered twice can
    come back once, whichever parcel, bench or station it comes through."""

    __tablename__ = "return_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("return_receipt.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id"))
    sku: Mapped[str] = mapped_column(String(64))
    unit_no: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    reason: Mapped[str] = mapped_column(String(16))  # station.returns.policy.REASONS
    conditions: Mapped[str] = mapped_column(String(100), default="")  # ';'-separated CONDITIONS
    decision: Mapped[str] = mapped_column(String(24))  # the policy's code
    accepted: Mapped[bool] = mapped_column(Boolean)
    postage: Mapped[str] = mapped_column(String(8))  # shop / buyer
    decision_text: Mapped[str] = mapped_column(Text)
    overridden_by: Mapped[str | None] = mapped_column(String(64))
    override_reason: Mapped[str | None] = mapped_column(Text)
    disposition: Mapped[str | None] = mapped_column(String(16))  # DISPOSITIONS
    location: Mapped[str | None] = mapped_column(String(32))
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disposed_by: Mapped[str | None] = mapped_column(String(64))

    receipt: Mapped[ReturnReceipt] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("order_id", "sku", "unit_no", name="uq_return_item_unit"),)
