"""Product labels for goods received without our barcode, from the outbox.

Per item (the default): one label per unit, with the product's unit barcode (else its SKU).
Per case (setting ``receive.labels`` = ``case``): one label per case or carton scanned, with
the product's case barcode and the number of units it holds; a unit scan still gets a unit label.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog.models import Barcode, Product
from station.i18n import _
from station.printing import outbox
from station.printing.models import Setting

MAX_LABELS = 500
SETTING = "receive.labels"


def per_case(session: Session) -> bool:
    row = session.get(Setting, SETTING)
    return row is not None and row.value.strip().lower() == "case"


def label_reference(sku: str, qty: int, cases: int = 0) -> str:
    """The outbox reference: ``SKU*QTY`` (a label per unit) or ``SKU*QTY*CASES`` (a label per case)."""
    return f"{sku}*{qty}*{cases}" if cases else f"{sku}*{qty}"


def render_labels(session: Session, reference: str, _reprint: bool = False) -> bytes:
    from station.fulfilment.documents import build
    from station.printing.documents.labels import ProductLabel, render_product_labels

    sku, qty, *cases = reference.rsplit("*", 2) if reference.count("*") >= 2 else reference.rsplit("*", 1)
    n = int(cases[0]) if cases else int(qty)
    if not 0 < n <= MAX_LABELS:
        raise ValueError(_("Between 1 and {max} labels at a time, not {n}", max=MAX_LABELS, n=n))
    if not cases:
        return build(session, "product-label", [sku] * n)
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise ValueError(_("Unknown SKU {sku}", sku=sku))
    per = int(qty) // n
    code = session.scalar(select(Barcode.code).where(Barcode.product_id == product.id, Barcode.pack_qty == per)
                          .order_by(Barcode.code).limit(1))
    label = ProductLabel(sku, f"{product.name} ×{per}", code or sku, product.colour or "", product.size or "")
    return render_product_labels([label] * n)


outbox.register_renderer("product-label", render_labels)
