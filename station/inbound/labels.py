"""Product labels for goods received without our barcode: one label per unit, from the outbox."""
from __future__ import annotations

from sqlalchemy.orm import Session

from station.i18n import _
from station.printing import outbox

MAX_LABELS = 500


def label_reference(sku: str, qty: int) -> str:
    """The outbox reference of ``qty`` labels of ``sku``: ``SKU*QTY``."""
    return f"{sku}*{qty}"


def render_labels(session: Session, reference: str, _reprint: bool = False) -> bytes:
    from station.fulfilment.documents import build

    sku, _star, qty = reference.rpartition("*")
    n = int(qty)
    if not 0 < n <= MAX_LABELS:
        raise ValueError(_("Between 1 and {max} labels at a time, not {n}", max=MAX_LABELS, n=n))
    return build(session, "product-label", [sku] * n)


outbox.register_renderer("product-label", render_labels)
