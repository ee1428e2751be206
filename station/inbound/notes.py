"""The receiving note's data, loaded from a receipt; the layout is in station.printing.documents."""
from __future__ import annotations

from sqlalchemy.orm import Session

from station.i18n import _
from station.inbound.models import Receipt
from station.inbound.receiving import find_receipt
from station.printing import outbox
from station.printing.documents.receiving_note import ReceivingNote, ReceivingNoteLine, render_receiving_note

QC_TEXT = {"pass": "合格 pass", "fail": "不合格 fail", "partial": "部分不合格 partial"}


class NoteError(ValueError):
    code = "document_error"


def receiving_note_data(session: Session, receipt: Receipt, warehouse: str = "") -> ReceivingNote:
    lines = []
    for l in receipt.lines:
        p = l.product
        qc = QC_TEXT.get(l.qc_result or "", "未检 not checked")
        if l.qc_reason:
            qc += f": {l.qc_reason}"
        by_lot: dict[tuple[str, str], int] = {}
        for lot in l.lots:
            key = (lot.batch or "-", lot.expiry.isoformat() if lot.expiry else "-")
            by_lot[key] = by_lot.get(key, 0) + lot.qty
        lots = "; ".join(f"{batch} {expiry} ×{qty}" for (batch, expiry), qty in by_lot.items())
        lines.append(ReceivingNoteLine(p.sku, " ".join(x for x in (p.name, p.colour, p.size) if x), l.expected,
                                       l.received, l.accepted, l.quarantined, qc, lots))
    return ReceivingNote(
        receipt.receipt_no, receipt.po.po_no if receipt.po else "", receipt.supplier,
        (receipt.closed_at or receipt.opened_at).astimezone(), receipt.opened_by or "", tuple(lines),
        sum(l.expected for l in lines), sum(l.received for l in lines), sum(l.accepted for l in lines),
        sum(l.quarantined for l in lines), receipt.blind_reason or "", warehouse)


def render_note(session: Session, receipt_no: str, _reprint: bool = False) -> bytes:
    receipt = find_receipt(session, receipt_no)
    if receipt is None:
        raise NoteError(_("No receipt {receipt}", receipt=receipt_no))
    return render_receiving_note(receiving_note_data(session, receipt))


outbox.register_renderer("receiving-note", render_note)
