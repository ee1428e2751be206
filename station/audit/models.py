"""The scan log and the saved state of each bench (so a bench survives a crash)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.db import Base, UTCDateTime


class ScanEvent(Base):
    __tablename__ = "scan_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    raw: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str | None] = mapped_column(Text)
    bench: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(48))
    user: Mapped[str | None] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))
    # "scan" (a scanner) or "typed" (the F9 field, the F12 key, a `TYPED:` line in a replay)
    source: Mapped[str] = mapped_column(String(8), default="scan", server_default="scan")
    # the outcome's message as {"$text": msgid, "params": {...}, "text": as shown} (station.i18n.stored);
    # None in rows from before 0011
    message: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_scan_event_bench_at", "bench", "at"),)


class BenchState(Base):
    __tablename__ = "bench_state"

    station: Mapped[str] = mapped_column(String(64), primary_key=True)
    bench: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """A decision about who may do what: a refusal (unknown user, missing role) or a permitted
    office action that matters. Written in its own transaction, so a refusal is kept even though
    the action it refused never happens."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))  # orders.release, import.users, bench.pack, ...
    outcome: Mapped[str] = mapped_column(String(16))  # permitted, unknown_user, not_permitted
    target: Mapped[str | None] = mapped_column(String(200))  # the order, count, file... acted on
    detail: Mapped[str | None] = mapped_column(Text)
    station: Mapped[str | None] = mapped_column(String(64))
