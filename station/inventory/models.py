"""Locations, the append-only movement ledger and the balances kept beside it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.catalog.models import Product
from station.db import Base, UTCDateTime

PHYSICAL_KINDS = ("receiving", "stock", "quarantine", "packing", "returns", "scrap")
VIRTUAL_KINDS = ("supplier", "customer", "adjustment")
KINDS = PHYSICAL_KINDS + VIRTUAL_KINDS

REASONS = (
    "opening", "receipt", "putaway", "transfer", "pick", "ship", "count_adjustment",
    "write_off", "return_restock", "return_quarantine", "scrap",
    "return_unidentified",  # an unidentified return parcel's items onto its shelf, and off it when matched
)

# The virtual locations every database has; they may go negative (they are the
# other side of the books), physical ones never.
VIRTUAL_LOCATIONS = {"SUPPLIER": "supplier", "CUSTOMER": "customer", "ADJUSTMENT": "adjustment"}


class Location(Base):
    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    zone: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (CheckConstraint(f"kind IN {KINDS!r}", name="kind"),)

    @property
    def is_virtual(self) -> bool:
        return self.kind in VIRTUAL_KINDS


class Movement(Base):
    """One line of the ledger. Never updated, never deleted."""

    __tablename__ = "movement"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    qty: Mapped[int] = mapped_column(Integer)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    reason: Mapped[str] = mapped_column(String(32))
    document: Mapped[str | None] = mapped_column(String(64))
    user: Mapped[str | None] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))

    product: Mapped[Product] = relationship()
    from_location: Mapped[Location] = relationship(foreign_keys=[from_location_id])
    to_location: Mapped[Location] = relationship(foreign_keys=[to_location_id])

    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("from_location_id <> to_location_id", name="distinct_locations"),
        Index("ix_movement_product_from", "product_id", "from_location_id"),
        Index("ix_movement_product_to", "product_id", "to_location_id"),
    )


class Balance(Base):
    """Stock of one product in one location; written only together with a Movement."""

    __tablename__ = "balance"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), primary_key=True, index=True)
    qty: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
