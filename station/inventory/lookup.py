"""Read-side queries on locations that benches share, and what the scanner must know of the
warehouse (badges, locations, courier patterns): this package sees both the catalog and the
locations, the catalog does not see the locations."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog.models import Courier, Product, User
from station.inventory.models import VIRTUAL_KINDS, Balance, Location
from station.scanning import CourierPattern, Lexicon


def find_location(session: Session, code: str) -> Location | None:
    return session.scalar(select(Location).where(Location.code == code))


def location_contents(session: Session, location_id: int) -> list[tuple[str, int]]:
    return list(session.execute(
        select(Product.sku, Balance.qty)
        .join(Product, Product.id == Balance.product_id)
        .where(Balance.location_id == location_id, Balance.qty != 0)
        .order_by(Product.sku)
    ))


def build_lexicon(session: Session) -> Lexicon:
    """What the scanner must know about this warehouse: badges, locations, courier patterns."""
    couriers = tuple(
        CourierPattern(c.code, c.name_zh, c.name_en, c.tracking_pattern)
        for c in session.scalars(select(Courier).order_by(Courier.code))
    )
    badges = frozenset(session.scalars(select(User.badge)))
    locations = frozenset(session.scalars(select(Location.code).where(Location.kind.not_in(VIRTUAL_KINDS))))
    if couriers:
        return Lexicon(couriers=couriers, badges=badges, locations=locations)
    return Lexicon(badges=badges, locations=locations)
