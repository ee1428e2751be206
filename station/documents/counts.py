"""The stock-keeper's count documents: blind count sheet, variance report, write-off report (报损单)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from station.outbox.registry import DocumentError
from station.fulfilment import packing
from station.inventory import count_documents
from station.inventory.counts import CountError
from station.printing.documents import stock_count


def _made(session: Session, ids: list[str], page, data, render) -> bytes:
    [number] = ids
    try:
        return render(data(session, number, packing.sender_contact(session, None).name),
                      **({"size": page} if page else {}))
    except CountError as exc:
        raise DocumentError(str(exc)) from exc


def count_sheet(session: Session, ids: list[str], page) -> bytes:
    return _made(session, ids, page, count_documents.count_sheet_data, stock_count.render_count_sheet)


def variance_report(session: Session, ids: list[str], page) -> bytes:
    return _made(session, ids, page, count_documents.variance_report_data, stock_count.render_variance_report)


def write_off(session: Session, ids: list[str], page) -> bytes:
    return _made(session, ids, page, count_documents.write_off_data, stock_count.render_write_off)


BUILDERS = {"count-sheet": count_sheet, "variance-report": variance_report, "write-off": write_off}
DEFERRED: dict = {}
