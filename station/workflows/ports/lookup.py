"""The lookup bench's port (``station.workflows.lookup.LookupPort``) over the scan's unit of work."""
from __future__ import annotations

from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.inventory import ledger
from station.inventory.lookup import find_location, location_contents
from station.scanning import Scan
from station.workflows.base import BenchContext
from station.workflows.lookup import FoundItem


class DatabaseLookupPort:
    def __init__(self, session: Session, ctx: BenchContext, memory: dict | None = None) -> None:
        self.session = session

    def product(self, scan: Scan) -> FoundItem | None:
        found = catalog.find_product(self.session, scan)
        return FoundItem(found.product.sku, catalog.describe(found.product), found.pack_qty) if found else None

    def stock(self, sku: str) -> list[tuple[str, int]]:
        return [(r.location, r.qty) for r in ledger.stock_rows(self.session, sku)]

    def courier_name(self, courier: str | None) -> str:
        return catalog.courier_name(self.session, courier)

    def location_contents(self, code: str) -> list[tuple[str, int]] | None:
        location = find_location(self.session, code)
        return None if location is None else [(sku, qty) for sku, qty in location_contents(self.session, location.id)]
