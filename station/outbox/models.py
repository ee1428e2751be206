"""The outbox: every print job, kept until it printed, with its PDF, so nothing is ever lost."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.db import Base, UTCDateTime


class PrintJob(Base):
    __tablename__ = "print_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[str] = mapped_column(String(32), index=True)  # waybill, packing-slip, ...
    reference: Mapped[str] = mapped_column(String(200), index=True)  # order number, batch number, ...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    printer: Mapped[str | None] = mapped_column(String(200))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued, printed, failed
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

