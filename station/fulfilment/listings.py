"""The listing map (商品对应): which of our products a shop's listing is.

A shop line is matched to a product by, in order (``resolve``):
1. its SKU, when it is one of ours;
2. the shop's own SKU (shop_sku) or the listing/variant id, mapped to ours;
3. shop + listing title + variant title, mapped to ours.
A shop line with no SKU that matches nothing is *unmapped*: the order import is refused and
names each unmapped listing once with how many lines it has. Mappings come from
``station import mappings FILE`` or the office dialog (both call ``save_mappings``).
No Qt; plain values in and out.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from station.catalog.models import Product
from station.db import Base, UTCDateTime

from .parsers.model import OrderLine, ParsedOrder


class ListingMap(Base):
    """One shop listing (and variant) that is one of our products."""

    __tablename__ = "listing_map"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop: Mapped[str] = mapped_column(String(64))  # "" when the orders name no shop
    listing: Mapped[str] = mapped_column(String(200))  # listing title or listing id
    variant: Mapped[str] = mapped_column(String(200), default="")  # variant title or id; "" for none
    shop_sku: Mapped[str | None] = mapped_column(String(64))  # the shop's own SKU for it, if any
    sku: Mapped[str] = mapped_column(String(64))  # ours (a Product.sku)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("shop", "listing", "variant", name="uq_listing_map_listing"),
                      Index("ix_listing_map_shop_sku", "shop", "shop_sku"))


def key(value: str | None) -> str:
    """A listing or variant title as compared: spaces collapsed."""
    return " ".join((value or "").split())


@dataclass(frozen=True)
class Mapping:
    shop: str
    listing: str
    variant: str
    shop_sku: str | None
    sku: str


@dataclass
class Unmapped:
    """A shop listing none of our products is known to be: every line of the file that has it."""

    shop: str
    listing: str
    variant: str
    shop_sku: str | None
    lines: int
    first_line: int
    file: str | None = None

    def as_dict(self) -> dict:
        return {"shop": self.shop, "listing": self.listing, "variant": self.variant, "shop_sku": self.shop_sku,
                "lines": self.lines, "first_line": self.first_line}


class ListingIndex:
    """The products and the listing map, loaded once for a whole import."""

    def __init__(self, session: Session, shops: Iterable[str]) -> None:
        self.products = {sku: (colour, size) for sku, colour, size in
                         session.execute(select(Product.sku, Product.colour, Product.size))}
        self.by_listing: dict[tuple[str, str, str], str] = {}
        self.by_shop_sku: dict[tuple[str, str], str] = {}
        shops = list(set(shops))
        if shops:
            for m in session.scalars(select(ListingMap).where(ListingMap.shop.in_(shops))):
                self.by_listing[(m.shop, m.listing, m.variant)] = m.sku
                if m.shop_sku:
                    self.by_shop_sku[(m.shop, m.shop_sku)] = m.sku

    def sku_for(self, shop: str, line: OrderLine) -> str | None:
        """Our SKU for the shop line, or None (see the module docstring for the order)."""
        if line.sku and line.sku in self.products:
            return line.sku
        if line.shop_sku and (shop, line.shop_sku) in self.by_shop_sku:
            return self.by_shop_sku[(shop, line.shop_sku)]
        if line.sku and (shop, line.sku) in self.by_shop_sku:
            return self.by_shop_sku[(shop, line.sku)]
        for listing, variant in _keys(line):
            found = self.by_listing.get((shop, listing, variant))
            if found:
                return found
        return None


def _keys(line: OrderLine):
    if line.listing_id:
        yield key(line.listing_id), key(line.variant_id)
    if line.listing:
        yield key(line.listing), key(line.variant)
    if line.name and key(line.name) != key(line.listing):
        yield key(line.name), ""  # the whole line name as one listing (Shopify: "Title - Variant")


def resolve(session: Session, orders: Iterable[ParsedOrder], file: str | None = None
            ) -> tuple[list[ParsedOrder], list[Unmapped]]:
    """The orders with every line's SKU one of ours where the map says so, colour and size from
    the product when it has them; and the listings that match nothing and have no SKU at all
    on orders still to be packed (a line whose SKU is not ours and not mapped keeps its SKU: the
    import holds it ``unknown_sku``; a cancelled or shipped order keeps its lines as they are)."""
    orders = list(orders)
    index = ListingIndex(session, {o.shop or "" for o in orders})
    unmapped: dict[tuple[str, str, str, str | None], Unmapped] = {}
    out = []
    for o in orders:
        shop = o.shop or ""
        lines, changed = [], False
        for line in o.lines:
            sku = index.sku_for(shop, line)
            if sku is None:
                if not line.sku and o.status == "ready":  # a cancelled or shipped order is not packed
                    listing = key(line.listing or line.name or line.listing_id)
                    variant = key(line.variant if line.listing else line.variant_id)
                    k = (shop, listing, variant, line.shop_sku)
                    u = unmapped.get(k)
                    if u is None:
                        unmapped[k] = Unmapped(shop, listing, variant, line.shop_sku, 1, line.line, file)
                    else:
                        u.lines += 1
                lines.append(line)
                continue
            colour, size = index.products.get(sku, (None, None))
            if sku != line.sku or (colour and colour != line.colour) or (size and size != line.size):
                line = replace(line, sku=sku, colour=colour or line.colour, size=size or line.size)
                changed = True
            lines.append(line)
        out.append(replace(o, lines=tuple(lines)) if changed else o)
    return out, sorted(unmapped.values(), key=lambda u: u.first_line)


# ---- saving mappings ------------------------------------------------------------------------

def save_mappings(session: Session, mappings: Iterable[Mapping], user: str | None) -> tuple[int, int]:
    """Create or update each mapping (by shop, listing, variant); returns (created, updated).
    The caller has checked that every ``sku`` is a product and commits."""
    now = datetime.now(timezone.utc)
    created = updated = 0
    for m in mappings:
        row = session.scalar(select(ListingMap).where(ListingMap.shop == m.shop, ListingMap.listing == m.listing,
                                                      ListingMap.variant == m.variant))
        if row is None:
            session.add(ListingMap(shop=m.shop, listing=m.listing, variant=m.variant, shop_sku=m.shop_sku,
                                   sku=m.sku, updated_at=now, updated_by=user))
            created += 1
        elif (row.sku, row.shop_sku) != (m.sku, m.shop_sku):
            row.sku, row.shop_sku, row.updated_at, row.updated_by = m.sku, m.shop_sku, now, user
            updated += 1
    session.flush()
    return created, updated
