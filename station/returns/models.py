"""Expected returns registered by customer service."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.db import Base, UTCDateTime

RETURN_TYPES = ("refund", "exchange")
EXPECTED_STATUSES = ("expected", "received", "cancelled")


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
