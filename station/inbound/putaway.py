"""Put-away: where a received SKU should go, and the move from receiving (or quarantine) into a bin.

A bin is suggested where the SKU already lives (the bin holding most of it), else an empty
bin in the zone where its style (or else its category) lives, else any empty bin.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.catalog.models import Product
from station.i18n import _
from station.inbound.receiving import InboundError
from station.inventory import ledger
from station.inventory.models import Balance, Location


def waiting(session: Session, sku: str, kind: str) -> tuple[str, int] | None:
    """The location of ``kind`` (receiving or quarantine) holding most of ``sku``, and how many it holds."""
    row = session.execute(
        select(Location.code, Balance.qty).join(Balance, Balance.location_id == Location.id)
        .join(Product, Product.id == Balance.product_id)
        .where(Product.sku == sku, Location.kind == kind, Balance.qty > 0)
        .order_by(Balance.qty.desc(), Location.code).limit(1)).first()
    return (row[0], row[1]) if row else None


def _empty_bins(session: Session, zone: str | None = None) -> list[str]:
    occupied = select(Balance.location_id).where(Balance.qty > 0)
    stmt = select(Location.code).where(Location.kind == "stock", Location.id.not_in(occupied))
    if zone is not None:
        stmt = stmt.where(Location.zone == zone)
    return list(session.scalars(stmt.order_by(Location.code).limit(1)))


def suggest_bin(session: Session, sku: str) -> str | None:
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        return None
    home = session.scalar(
        select(Location.code).join(Balance, Balance.location_id == Location.id)
        .where(Balance.product_id == product.id, Location.kind == "stock", Balance.qty > 0)
        .order_by(Balance.qty.desc(), Location.code).limit(1))
    if home is not None:
        return home
    for column, value in ((Product.style, product.style), (Product.category, product.category)):
        if not value:
            continue
        zones = Counter(dict(session.execute(
            select(Location.zone, func.count()).join(Balance, Balance.location_id == Location.id)
            .join(Product, Product.id == Balance.product_id)
            .where(column == value, Location.kind == "stock", Balance.qty > 0, Location.zone.is_not(None))
            .group_by(Location.zone)).all()))
        for zone, _n in zones.most_common():
            empty = _empty_bins(session, zone)
            if empty:
                return empty[0]
    empty = _empty_bins(session)
    return empty[0] if empty else None


def put_away(session: Session, sku: str, qty: int, source: str, bin_code: str, *, user: str | None,
             station: str | None, released_by: str | None = None) -> None:
    """Move ``qty`` of ``sku`` from ``source`` into the bin (reason ``putaway``)."""
    kind = session.scalar(select(Location.kind).where(Location.code == bin_code))
    if kind != "stock":
        raise InboundError("not_a_bin", _("{code} is not a stock bin", code=bin_code))
    ledger.move(session, ledger.Move(sku, qty, source, bin_code, "putaway",
                                     document=f"quarantine release: {released_by}"[:64] if released_by else None, user=user, station=station))
