"""Small builders for test data, written through the real services."""
from __future__ import annotations

from sqlalchemy.orm import Session

from station.catalog.models import Barcode, Product, User
from station.inventory.models import Location


def product(s: Session, sku: str, *codes: str, name: str = "测试商品", pack: dict | None = None, **kw) -> Product:
    p = Product(sku=sku, name=name, flags=kw.pop("flags", ""), **kw)
    s.add(p)
    s.flush()
    for code in codes:
        s.add(Barcode(code=code, product_id=p.id, pack_qty=(pack or {}).get(code, 1)))
    s.flush()
    return p


def location(s: Session, code: str, kind: str = "stock", zone: str | None = None) -> Location:
    loc = Location(code=code, kind=kind, zone=zone)
    s.add(loc)
    s.flush()
    return loc


def user(s: Session, name: str, badge: str, roles: str = "packer") -> User:
    u = User(name=name, badge=badge, roles=roles)
    s.add(u)
    s.flush()
    return u
