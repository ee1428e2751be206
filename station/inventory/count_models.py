"""Stock counts (盘点): the plan and its bins, one line per bin and SKU, and what happened to it.

A count line keeps the book quantity *at the moment its bin was counted*, not at the
start of the count: the warehouse keeps moving, and a pick from a bin before its count
must not show up as a loss. Approval posts ``counted - book`` through the ledger.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.catalog.models import Product
from station.db import Base, UTCDateTime
from station.inventory.models import Location

COUNT_KINDS = ("full", "zone", "range", "skus", "cycle", "stale", "file")
COUNT_STATUSES = ("open", "closed", "rejected")
BIN_STATUSES = ("pending", "counted", "recount")
LINE_STATUSES = ("open", "recount", "approved", "rejected")
RECOUNT_REASONS = ("tolerance", "moved", "supervisor")


class StockCount(Base):
    __tablename__ = "stock_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_no: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(500), default="")  # what the plan asked for, for people
    skus: Mapped[str | None] = mapped_column(String(2000))  # ';'-separated: a count of these SKUs only
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    tolerance_qty: Mapped[int] = mapped_column(Integer, default=0)
    tolerance_value: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(64))

    @property
    def sku_set(self) -> frozenset[str]:
        return frozenset(s for s in (self.skus or "").split(";") if s)


class CountBin(Base):
    """One bin of a count: pending, counted, or waiting for a recount."""

    __tablename__ = "count_bin"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    rounds: Mapped[int] = mapped_column(Integer, default=0)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    counted_by: Mapped[str | None] = mapped_column(String(64))
    first_counted_by: Mapped[str | None] = mapped_column(String(64))

    location: Mapped[Location] = relationship()

    __table_args__ = (UniqueConstraint("count_id", "location_id", name="uq_count_bin_count_location"),)


class CountLine(Base):
    """One SKU in one counted bin: what was counted, what the books said at that moment."""

    __tablename__ = "count_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    counted_qty: Mapped[int] = mapped_column(Integer)
    book_qty: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    round: Mapped[int] = mapped_column(Integer, default=1)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    counted_by: Mapped[str | None] = mapped_column(String(64))
    first_qty: Mapped[int | None] = mapped_column(Integer)
    first_counted_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")
    recount_reason: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(64))
    posted_qty: Mapped[int | None] = mapped_column(Integer)  # the adjustment posted, signed

    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()

    __table_args__ = (
        UniqueConstraint("count_id", "location_id", "product_id", name="uq_count_line_count_location_product"),
        Index("ix_count_line_count_status", "count_id", "status"),
    )

    @property
    def variance(self) -> int:
        return self.counted_qty - self.book_qty


class CountEvent(Base):
    """Who did what to a count, and when: approvals, rejections, refused attempts, recount requests."""

    __tablename__ = "count_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(1000))
