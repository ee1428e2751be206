"""Read-side queries on the catalog that benches share (locations, and the lexicon the scanner
needs, are read by ``station.inventory.lookup``: the catalog does not see locations)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from station.catalog.models import Barcode, Courier, Product
from station.i18n import language
from station.scanning import Scan, ScanKind


@dataclass(frozen=True)
class FoundProduct:
    product: Product
    pack_qty: int
    barcode: str | None


def _gtin_forms(gtin14: str) -> list[str]:
    """A GTIN-14 as it may be stored: 14, 13 (EAN-13), 12 (UPC-A) or 8 (EAN-8) digits."""
    forms = [gtin14]
    for length in (13, 12, 8):
        if gtin14[: 14 - length].strip("0") == "":
            forms.append(gtin14[14 - length:])
    return forms


# Built once: constructing a statement and its cache key costs more than running it (every scan).
_BY_BARCODE = (select(Product, Barcode.pack_qty, Barcode.code).join(Barcode, Barcode.product_id == Product.id)
               .where(Barcode.code.in_(bindparam("codes", expanding=True))).limit(1))
_BY_SKU = select(Product).where(Product.sku == bindparam("sku"))


def find_product(session: Session, scan: Scan) -> FoundProduct | None:
    """The product a barcode (any GTIN form, a case barcode) or a SKU label names; one query."""
    codes = [scan.value]
    if scan.gtin:
        codes += [c for c in _gtin_forms(scan.gtin) if c != scan.value]
    row = session.execute(_BY_BARCODE, {"codes": codes}).first()
    if row is not None:
        return FoundProduct(row[0], row[1], row[2])
    if scan.kind is ScanKind.SKU:
        product = session.scalar(_BY_SKU, {"sku": scan.value})
        if product is not None:
            return FoundProduct(product, 1, None)
    return None


def describe(p: Product) -> str:
    """Name with colour and size, in the current language where the product has one."""
    name = p.name_en if language() == "en" and p.name_en else p.name
    extra = " ".join(x for x in (p.colour, p.size) if x)
    return f"{name} {extra}".strip()


def courier_name(session: Session, code: str | None) -> str:
    courier = session.get(Courier, code) if code else None
    if courier is None:
        return code or "?"
    return courier.name_zh if language() == "zh_CN" else courier.name_en
