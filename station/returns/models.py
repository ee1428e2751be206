"""Expected returns registered by customer service, and the lookup keys that find an order from a note."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.db import Base, UTCDateTime

RETURN_TYPES = ("refund", "exchange")
EXPECTED_STATUSES = ("expected", "received", "cancelled")
KEY_KINDS = ("phone", "last4", "name", "pinyin", "account")


class ExpectedReturn(Base):
    """A return customer service has agreed with the buyer; the parcel is on its way back."""

    __tablename__ = "expected_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id"), index=True)
    return_tracking: Mapped[str | None] = mapped_column(String(40), index=True)
    type: Mapped[str] = mapped_column(String(16))  # refund / exchange
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # expected / received / cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))


class MatchKey(Base):
    """One normalised clue of a shipped order (phone, last four digits, name, pinyin, account),
    with the order's ship time, so that a note finds its candidates through one index."""

    __tablename__ = "return_match_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(100))
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime())

    # order_id last: the lookup reads the index alone (covering), never the table rows.
    __table_args__ = (Index("ix_return_match_lookup", "kind", "key", "shipped_at", "order_id"),)
