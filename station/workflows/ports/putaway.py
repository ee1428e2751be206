"""The put-away bench's port (``station.workflows.putaway.PutawayPort``) over the scan's unit of work."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.catalog.models import User
from station.inbound import putaway
from station.inventory.lookup import find_location
from station.scanning import Scan
from station.workflows.base import BenchContext
from station.workflows.putaway import Item


class DatabasePutawayPort:
    def __init__(self, session: Session, ctx: BenchContext, memory: dict | None = None) -> None:
        self.session = session
        self.ctx = ctx
        self.user = ctx.user
        self.roles = ctx.roles

    def product(self, scan: Scan) -> Item | None:
        found = catalog.find_product(self.session, scan)
        return Item(found.product.sku, catalog.describe(found.product), found.pack_qty) if found else None

    def waiting(self, sku: str, kind: str) -> tuple[str, int] | None:
        return putaway.waiting(self.session, sku, kind)

    def suggest_bin(self, sku: str) -> str | None:
        return putaway.suggest_bin(self.session, sku)

    def location_kind(self, code: str) -> str | None:
        location = find_location(self.session, code)
        return location.kind if location is not None else None

    def badge(self, badge: str) -> tuple[str, frozenset[str]] | None:
        user = self.session.scalar(select(User).where(User.badge == badge))
        return (user.name, user.role_set) if user is not None else None

    def put_away(self, sku: str, qty: int, source: str, bin_code: str, released_by: str | None) -> None:
        putaway.put_away(self.session, sku, qty, source, bin_code, user=self.ctx.user, station=self.ctx.station,
                         released_by=released_by)
