"""Expected returns: customer service registers a return before the parcel arrives.

``station import returns FILE`` (columns: order_no, return_tracking, type, reason) is all
or nothing: every bad row is listed with its line number and reason and nothing is
written. Importing the same registration again changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.db import one_at_a_time, unit_of_work
from station.files.reader import FileRejected, RowError, read_table
from station.files.report import ImportReport
from station.fulfilment.models import Order
from station.fulfilment.shipped_index import RETURNABLE
from station.i18n import _
from station.returns.models import RETURN_TYPES, ExpectedReturn

COLUMNS = (("order_no",), ("return_tracking", "type", "reason"))


class ReturnError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ReturnRequest:
    order_no: str
    return_tracking: str | None = None
    type: str = "refund"
    reason: str | None = None


def _check(s: Session, req: ReturnRequest) -> Order:
    """The order the request names; raises ReturnError when the request is refused."""
    if req.type not in RETURN_TYPES:
        raise ReturnError("bad_return_type", _("Type {type} unknown; allowed: {allowed}",
                                               type=req.type, allowed=", ".join(RETURN_TYPES)))
    order = s.scalar(select(Order).where(Order.order_no == req.order_no))
    if order is None:
        raise ReturnError("unknown_order", _("No order {order_no}", order_no=req.order_no))
    if order.status not in RETURNABLE:
        raise ReturnError("order_not_shipped", _("Order {order_no} has not shipped (status {status})",
                                                 order_no=req.order_no, status=order.status))
    if req.return_tracking:
        for other in s.scalars(select(ExpectedReturn).where(ExpectedReturn.return_tracking == req.return_tracking,
                                                            ExpectedReturn.status != "cancelled")):
            if other.order_id != order.id:
                taken = s.get(Order, other.order_id)
                raise ReturnError("tracking_taken", _(
                    "Return tracking number {tracking} is already registered for order {order_no}",
                    tracking=req.return_tracking, order_no=taken.order_no if taken else "?"))
    return order


def _same(s: Session, order: Order, req: ReturnRequest) -> ExpectedReturn | None:
    return s.scalar(select(ExpectedReturn).where(
        ExpectedReturn.order_id == order.id, ExpectedReturn.type == req.type, ExpectedReturn.status != "cancelled",
        ExpectedReturn.return_tracking.is_(None) if not req.return_tracking
        else ExpectedReturn.return_tracking == req.return_tracking).limit(1))


def register_return(session: Session, req: ReturnRequest, *, user: str | None = None) -> tuple[ExpectedReturn, bool]:
    """Register one expected return (the GUI form calls this); (registration, created). The same
    registration twice is kept once. Refused with a ReturnError whose code says why:
    unknown_order, order_not_shipped, tracking_taken, bad_return_type."""
    order = _check(session, req)
    same = _same(session, order, req)
    if same is not None:
        return same, False
    row = ExpectedReturn(order_id=order.id, return_tracking=req.return_tracking or None, type=req.type,
                         reason=req.reason or None, status="expected", created_at=datetime.now(timezone.utc),
                         created_by=user)
    session.add(row)
    session.flush()
    return row, True


def import_returns(sessions: sessionmaker[Session], path: str | Path, *, user: str | None = None,
                   encoding: str | None = None) -> ImportReport:
    """Check every row, then register all of them or none. See the module docstring."""
    report = ImportReport("returns", str(path), tallies=("created", "unchanged"))
    try:
        table = read_table(path, *COLUMNS, encoding=encoding)
    except FileRejected as exc:
        report.rejected = exc.errors
        return report
    report.encoding, report.rows = table.encoding, len(table.rows)
    requests: list[tuple[int, ReturnRequest]] = []
    seen_tracking: dict[str, tuple[int, str]] = {}
    for line, row in table.rows:
        if "__error__" in row:
            report.rejected.append(RowError(line, row["__error__"]))
            continue
        if not row.get("order_no"):
            report.rejected.append(RowError(line, _("Missing {columns}", columns="order_no")))
            continue
        req = ReturnRequest(row["order_no"], row.get("return_tracking") or None,
                            (row.get("type") or "refund").lower(), row.get("reason") or None)
        if req.return_tracking:
            earlier = seen_tracking.get(req.return_tracking)
            if earlier and earlier[1] != req.order_no:
                report.rejected.append(RowError(line, _(
                    "Return tracking number {tracking} already on line {line} for another order",
                    tracking=req.return_tracking, line=earlier[0])))
                continue
            seen_tracking.setdefault(req.return_tracking, (line, req.order_no))
        requests.append((line, req))
    with unit_of_work(sessions) as s:
        one_at_a_time(s, "import.returns")  # two desks importing one file: the second sees the first's rows
        for line, req in requests:
            try:
                _check(s, req)
            except ReturnError as exc:
                report.rejected.append(RowError(line, str(exc)))
        report.rejected.sort(key=lambda e: e.line)
        if report.rejected:
            return report
        for _line, req in requests:
            _row, created = register_return(s, req, user=user)
            report.created += created
            report.unchanged += not created
        s.commit()
    return report
