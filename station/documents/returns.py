"""The returns clerk's documents: the return receipt and the refusal note, built from the database
for the layouts in ``station.printing.documents.return_receipt`` (``station print return-receipt RR-…``,
and the outbox after the bench closes or refuses a parcel)."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog.models import Product
from station.fulfilment.models import Order
from station.outbox.registry import DocumentError
from station.i18n import _
from station.printing.documents.return_receipt import (RefusalNote, ReturnReceiptDoc, ReturnReceiptLine,
                                                       render_refusal_note, render_return_receipt)
from station.returns.policy import REASON_TEXT
from station.returns.receipt_models import ReturnReceipt

PLACE = {"restock": "上架 restock", "quarantine": "隔离 quarantine", "scrap": "报废 scrap"}


def _receipt(session: Session, number: str) -> ReturnReceipt:
    receipt = session.scalar(select(ReturnReceipt).where(ReturnReceipt.receipt_no == number))
    if receipt is None:
        raise DocumentError(_("No return receipt {receipt}", receipt=number))
    return receipt


def receipt_data(session: Session, number: str) -> ReturnReceiptDoc:
    receipt = _receipt(session, number)
    if receipt.status != "received":
        raise DocumentError(_("Return {receipt} is not received yet (status {status})",
                                    receipt=number, status=receipt.status))
    order = session.get(Order, receipt.order_id)
    names = dict(session.execute(select(Product.sku, Product.name).where(
        Product.sku.in_([i.sku for i in receipt.items]))).all())
    lines = tuple(ReturnReceiptLine(
        i.sku, names.get(i.sku, ""), _(REASON_TEXT[i.reason]) + (f" ({i.conditions.replace(';', ', ')})"
                                                                 if i.conditions else ""),
        i.decision_text, i.postage, f"{PLACE.get(i.disposition or '', '')} {i.location or ''}".strip())
        for i in receipt.items)
    accepted = [i for i in receipt.items if i.accepted]
    amount = sum((i.unit_price or Decimal("0") for i in accepted), Decimal("0")).quantize(Decimal("0.01"))
    postage = "shop" if any(i.postage == "shop" for i in accepted) else "buyer"
    return ReturnReceiptDoc(receipt.receipt_no, order.order_no, receipt.return_tracking or "",
                            order.buyer_account or order.recipient, receipt.type,
                            (receipt.closed_at or receipt.opened_at).astimezone(), receipt.closed_by or "",
                            lines, str(amount), postage, receipt.exchange_order_no or "")


def refusal_data(session: Session, number: str) -> RefusalNote:
    receipt = _receipt(session, number)
    if receipt.status != "refused":
        raise DocumentError(_("Return {receipt} was not refused", receipt=number))
    return RefusalNote(receipt.receipt_no, receipt.return_tracking or "",
                       (receipt.closed_at or datetime.now(timezone.utc)).astimezone(), receipt.closed_by or "",
                       "到付 Freight collect")


def render_receipt(session: Session, number: str, reprint: bool = False) -> bytes:
    return render_return_receipt(receipt_data(session, number))


def render_refusal(session: Session, number: str, reprint: bool = False) -> bytes:
    return render_refusal_note(refusal_data(session, number))


def receipt(session: Session, ids: list[str], page) -> bytes:
    [number] = ids
    return render_receipt(session, number)


def refusal(session: Session, ids: list[str], page) -> bytes:
    [number] = ids
    return render_refusal(session, number)


BUILDERS = {"return-receipt": receipt, "return-refusal": refusal}
DEFERRED = {"return-receipt": render_receipt, "return-refusal": render_refusal}
