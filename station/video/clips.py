"""Pack video clips on the books: filed by tracking number, kept within a budget, never one in dispute.

A clip is recorded under a working name (`working_name`: the order and the time it opened) and,
once its order is closed, renamed to its tracking number (`final_name`:
``YYYY-MM-DD/SF0100000000017.mp4``; an order of several parcels: ``SF…017+SF…025.mp4``) and recorded in
``pack_clip`` (`record`). The files stay on the bench PC that recorded them (``video/folder``, by
default ``clips`` in the database's files folder); the row says which station holds them.

`prune` keeps the folder within ``video/budget_mb`` and ``video/keep_days``: oldest first, never a
clip marked ``disputed`` (`station evidence` marks it; ``--release`` lets it go again). File I/O
happens outside the transactions: the plan is read, the files deleted, then the rows marked.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.db import read_only, unit_of_work
from station.fulfilment.models import Order, PackClip, Parcel


def working_name(order_no: str, started: datetime) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in order_no)[:60]
    return f"{started:%Y-%m-%d}/recording-{safe}-{started:%H%M%S}.mp4"


def tracking_numbers(session: Session, order_no: str) -> list[str]:
    order = session.scalar(select(Order).where(Order.order_no == order_no))
    if order is None:
        return []
    return [p.tracking_no for p in sorted(order.parcels, key=lambda p: p.seq)
            if p.tracking_no and p.status in ("closed", "shipped")]


def final_name(tracking: list[str], order_no: str, started: datetime) -> str:
    if not tracking:  # cancelled or put on hold: kept under the order number
        return working_name(order_no, started).replace("recording-", "order-")
    stem = "+".join(tracking)
    return f"{started:%Y-%m-%d}/{stem[:180]}.mp4"


@dataclass
class Filed:
    clip_id: int
    path: Path
    tracking: list[str]


def file_clip(sessions: sessionmaker[Session], folder: Path, *, order_no: str, working: str, started: datetime,
              station: str | None, frames: int, seconds: float, size: int, complete: bool,
              stills: list) -> Filed:
    """Rename a finished clip to its tracking number(s) and record it (read, rename, then write)."""
    with read_only(sessions) as s:
        tracking = tracking_numbers(s, order_no)
    source = folder / working
    target = folder / final_name(tracking, order_no, started)
    if source.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        n = 1
        while target.exists():  # the order packed again (after a void): keep both clips
            n += 1
            target = target.with_name(f"{target.stem.split('~')[0]}~{n}.mp4")
        os.replace(source, target)
    with unit_of_work(sessions) as s:
        clip = PackClip(order_no=order_no, tracking_no="+".join(tracking) or None, station=station,
                        path=str(target), started_at=started.astimezone(timezone.utc), seconds=round(seconds),
                        frames=frames, bytes=size, complete=complete, stills=[list(x) for x in stills])
        s.add(clip)
        s.flush()
        clip_id = clip.id
        s.commit()
    return Filed(clip_id, target, tracking)


def clips_for(session: Session, key: str) -> list[PackClip]:
    """The clips of an order, found by its order number or one of its tracking numbers."""
    order_no = key
    parcel = session.scalar(select(Parcel).where(Parcel.tracking_no == key))
    if parcel is not None:
        order_no = parcel.order.order_no
    return list(session.scalars(select(PackClip).where(PackClip.order_no == order_no, PackClip.deleted_at.is_(None))
                                .order_by(PackClip.started_at)))


def set_disputed(session: Session, key: str, disputed: bool) -> int:
    clips = clips_for(session, key)
    for clip in clips:
        clip.disputed = disputed
    return len(clips)


@dataclass
class PruneReport:
    deleted: int
    freed_bytes: int
    kept_disputed: int
    total_bytes: int  # what the station's clips take now


def prune(sessions: sessionmaker[Session], station: str | None, *, budget_bytes: int, keep_days: int,
          now: datetime | None = None) -> PruneReport:
    """Delete this station's oldest clips until they fit ``budget_bytes`` and none is older than
    ``keep_days``; a disputed clip is never deleted."""
    now = now or datetime.now(timezone.utc)
    with read_only(sessions) as s:
        rows = [(c.id, c.path, c.bytes, c.started_at, c.disputed) for c in s.scalars(
            select(PackClip).where(PackClip.station == station, PackClip.deleted_at.is_(None))
            .order_by(PackClip.started_at, PackClip.id))]
    total = sum(r[2] for r in rows)
    cutoff = now - timedelta(days=keep_days)
    doomed = []
    for clip_id, path, size, started, disputed in rows:
        if disputed:
            continue
        if total > budget_bytes or started < cutoff:
            doomed.append((clip_id, path, size))
            total -= size
    for _clip_id, path, _size in doomed:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
    if doomed:
        with unit_of_work(sessions) as s:
            for clip in s.scalars(select(PackClip).where(PackClip.id.in_([d[0] for d in doomed]))):
                clip.deleted_at = now
            s.commit()
    return PruneReport(len(doomed), sum(d[2] for d in doomed), sum(1 for r in rows if r[4]), total)
