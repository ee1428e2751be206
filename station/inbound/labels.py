"""Product labels for goods received without our barcode: how many, and per unit or per case.

Per item (the default): one label per unit, with the product's unit barcode (else its SKU).
Per case (setting ``receive.labels`` = ``case``): one label per case or carton scanned, with
the product's case barcode and the number of units it holds; a unit scan still gets a unit label.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from station import settings

MAX_LABELS = 500


def per_case(session: Session) -> bool:
    return settings.RECEIVE_LABELS.read(session) == "case"


def label_reference(sku: str, qty: int, cases: int = 0) -> str:
    """The outbox reference: ``SKU*QTY`` (a label per unit) or ``SKU*QTY*CASES`` (a label per case)."""
    return f"{sku}*{qty}*{cases}" if cases else f"{sku}*{qty}"
