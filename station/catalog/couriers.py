"""First-run set-up that every database needs: the built-in couriers."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import Courier
from station.db import unit_of_work
from station.scanning import DEFAULT_COURIERS


def seed_couriers(sessions: sessionmaker[Session]) -> int:
    added = 0
    with unit_of_work(sessions) as s:
        for c in DEFAULT_COURIERS:
            if s.get(Courier, c.code) is None:
                s.add(Courier(code=c.code, name_zh=c.name_zh, name_en=c.name_en, tracking_pattern=c.pattern))
                added += 1
        s.commit()
    return added
