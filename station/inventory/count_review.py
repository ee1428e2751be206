"""The supervisor's side of a count: variances, approval or rejection, and posting through the ledger.

Only a user with the ``supervisor`` role decides. Anyone else's attempt is refused with
``not_permitted`` and *recorded* (a ``CountEvent`` the caller commits), so the supervisor
sees who tried. A line beyond tolerance cannot be approved until another counter has
recounted it (``recount_pending``). Approving posts ``counted - book at that bin's count``
as a ``count_adjustment`` from or to ``ADJUSTMENT``, with the supervisor's name, the time
and the count number on the movement; stock that moved since then is left as it moved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from station.catalog import roles
from station.catalog.models import Product
from station.i18n import _
from station.inventory import ledger
from station.inventory.count_models import CountBin, CountEvent, CountLine, StockCount
from station.inventory.counts import CountError, find_count, now
from station.inventory.models import VIRTUAL_KINDS, Balance, Location



@dataclass
class Decision:
    ok: bool
    code: str  # count_approved, lines_approved, count_rejected, lines_rejected, not_permitted, ...
    message: str
    count_no: str
    lines: int = 0
    adjustments: int = 0
    closed: bool = False
    problems: list[str] = field(default_factory=list)


def record_event(session: Session, count: StockCount, user: str | None, action: str, outcome: str,
                 detail: str | None = None, at: datetime | None = None) -> None:
    session.add(CountEvent(count_id=count.id, at=at or now(), user=user, action=action, outcome=outcome,
                           detail=(detail or "")[:1000] or None))
    session.flush()


def _supervisor(session: Session, count: StockCount, user: str, action: str) -> Decision | None:
    """None when ``user`` may decide; else the refusal, already recorded (on the count and in the
    audit log, by the role matrix of ``station.catalog.roles``)."""
    verdict = roles.check(session, f"counts.{action}", user, target=count.count_no)
    if verdict.ok:
        return None
    if verdict.code == "unknown_user":  # the same words as every other refusal of an unknown name
        record_event(session, count, user, action, "refused", "unknown user")
        return Decision(False, "not_permitted", verdict.message, count.count_no)
    record_event(session, count, user, action, "refused", "not a supervisor")
    return Decision(False, "not_permitted",
                    _("{name} is not a supervisor: only a supervisor may approve or reject a count", name=user),
                    count.count_no)


@dataclass(frozen=True)
class _Line:
    """A count line as approval needs it: plain values, no ORM object (a count has 20,000 of them)."""

    id: int
    code: str
    sku: str
    counted_qty: int
    book_qty: int
    status: str

    @property
    def name(self) -> str:
        return f"{self.code}/{self.sku}"


def _selected(session: Session, count: StockCount, lines: list[tuple[str, str]] | None) -> list[_Line]:
    stmt = (select(CountLine.id, Location.code, Product.sku, CountLine.counted_qty, CountLine.book_qty,
                   CountLine.status)
            .join(Location, Location.id == CountLine.location_id)
            .join(Product, Product.id == CountLine.product_id).where(CountLine.count_id == count.id)
            .order_by(Location.code, Product.sku))
    if lines is None:
        return [_Line(*row) for row in session.execute(stmt.where(CountLine.status.in_(("open", "recount"))))]
    wanted = set(lines)
    found = {(row[1], row[2]): _Line(*row) for row in session.execute(stmt)}
    missing = [f"{b}/{s}" for b, s in lines if (b, s) not in found]
    if missing:
        raise CountError("unknown_line", _("Count {count} has no line {line}", count=count.count_no,
                                           line=", ".join(missing)))
    return [found[k] for k in found if k in wanted]


def approve(session: Session, count_no: str, user: str, *, lines: list[tuple[str, str]] | None = None,
            at: datetime | None = None) -> Decision:
    """Approve the whole count (``lines=None``) or some (bin, SKU) lines, posting their adjustments.

    The whole count needs every bin counted and no line waiting for a recount. Does not commit.
    """
    at = at or now()
    count = find_count(session, count_no, open_only=True, lock=True)
    refused = _supervisor(session, count, user, "approve")
    if refused:
        return refused
    chosen = _selected(session, count, lines)
    problems = []
    if lines is None:
        pending = session.scalars(select(Location.code).join(CountBin, CountBin.location_id == Location.id)
                                  .where(CountBin.count_id == count.id, CountBin.status == "pending")
                                  .order_by(Location.code)).all()
        if pending:
            problems.append(_("{n} bins not counted yet: {bins}", n=len(pending), bins=", ".join(pending[:10])))
    waiting = [l for l in chosen if l.status == "recount"]
    if waiting:
        problems.append(_("{n} lines wait for a recount: {lines}", n=len(waiting),
                          lines=", ".join(l.name for l in waiting[:10])))
    decided = [l for l in chosen if l.status not in ("open", "recount")]
    if decided:
        problems.append(_("Already decided: {lines}",
                          lines=", ".join(l.name for l in decided[:10])))
    if problems:
        code = "recount_pending" if waiting else ("bins_not_counted" if lines is None and not decided
                                                  else "already_decided")
        record_event(session, count, user, "approve", code, "; ".join(problems))
        return Decision(False, code, problems[0], count.count_no, problems=problems)
    adjustments = _post(session, count, chosen, user, at)
    closed = _close_if_done(session, count, user, at)
    detail = _("{n} lines, {m} adjustments", n=len(chosen), m=adjustments)
    record_event(session, count, user, "approve", "approved", detail, at)
    code = "count_approved" if lines is None else "lines_approved"
    message = (_("Count {count} approved by {name}: {detail}", count=count.count_no, name=user, detail=detail)
               if lines is None else _("{n} lines approved by {name}", n=len(chosen), name=user))
    return Decision(True, code, message, count.count_no, len(chosen), adjustments, closed)


def _post(session: Session, count: StockCount, chosen: list[_Line], user: str, at: datetime) -> int:
    """Post every chosen line's variance through the ledger; all or nothing (the caller rolls back)."""
    if not chosen:
        return 0
    moves = []
    for line in chosen:
        variance = line.counted_qty - line.book_qty
        if variance:
            src, dst = ("ADJUSTMENT", line.code) if variance > 0 else (line.code, "ADJUSTMENT")
            moves.append((line, ledger.Move(line.sku, abs(variance), src, dst, "count_adjustment",
                                            document=count.count_no, user=user)))
    ledger.prime(session, dict(session.execute(select(Product.sku, Product.id).join(
        CountLine, CountLine.product_id == Product.id).where(CountLine.count_id == count.id)).all()),
        {code: (lid, kind) for code, lid, kind in session.execute(select(Location.code, Location.id, Location.kind)
                                                                  .join(CountBin, CountBin.location_id == Location.id)
                                                                  .where(CountBin.count_id == count.id))})
    for start in range(0, len(moves), 500):  # one movement insert per 500 adjustments
        batch = moves[start:start + 500]
        try:
            ledger.move_many(session, [mv for _line, mv in batch], at=at)
        except ledger.InsufficientStock as exc:
            # The ledger's message names the SKU and the bin; the caller rolls the whole approval back.
            raise CountError("stock_moved", _(
                "Stock moved since the count and a loss can no longer be posted: {error}. Recount the bin",
                error=str(exc))) from exc
    # Core updates by primary key: thousands of lines, no ORM objects to flush.
    session.execute(update(CountLine), [{"id": l.id, "status": "approved", "decided_at": at, "decided_by": user,
                                         "posted_qty": l.counted_qty - l.book_qty} for l in chosen])
    session.expire_all()
    return len(moves)


def _close_if_done(session: Session, count: StockCount, user: str, at: datetime) -> bool:
    open_lines = session.scalar(select(func.count()).select_from(CountLine).where(
        CountLine.count_id == count.id, CountLine.status.in_(("open", "recount"))))
    pending = session.scalar(select(func.count()).select_from(CountBin).where(
        CountBin.count_id == count.id, CountBin.status == "pending"))
    if open_lines or pending:
        return False
    count.status, count.closed_at, count.closed_by = "closed", at, user
    session.flush()
    return True


def reject(session: Session, count_no: str, user: str, *, lines: list[tuple[str, str]] | None = None,
           reason: str | None = None, at: datetime | None = None) -> Decision:
    """Reject lines (nothing is posted; the books stand) or the whole count (it closes as rejected)."""
    at = at or now()
    count = find_count(session, count_no, open_only=True, lock=True)
    refused = _supervisor(session, count, user, "reject")
    if refused:
        return refused
    chosen = _selected(session, count, lines)
    decided = [l for l in chosen if l.status not in ("open", "recount")]
    if decided:
        message = _("Already decided: {lines}",
                    lines=", ".join(l.name for l in decided[:10]))
        return Decision(False, "already_decided", message, count.count_no, problems=[message])
    if chosen:
        session.execute(update(CountLine), [{"id": l.id, "status": "rejected", "decided_at": at, "decided_by": user}
                                            for l in chosen])
        session.expire_all()
    if lines is None:
        count.status, count.closed_at, count.closed_by = "rejected", at, user
        closed = True
    else:
        closed = _close_if_done(session, count, user, at)
    record_event(session, count, user, "reject", "rejected", reason, at)
    session.flush()
    code = "count_rejected" if lines is None else "lines_rejected"
    message = (_("Count {count} rejected by {name}", count=count.count_no, name=user) if lines is None
               else _("{n} lines rejected by {name}", n=len(chosen), name=user))
    return Decision(True, code, message, count.count_no, len(chosen), 0, closed)


# --- what the supervisor reads ---------------------------------------------------

@dataclass(frozen=True)
class VarianceRow:
    location: str
    sku: str
    name: str
    colour: str
    size: str
    book: int
    counted: int
    unit_cost: Decimal | None
    status: str
    counted_by: str
    first_qty: int | None
    first_counted_by: str
    round: int
    recount_reason: str | None
    posted_qty: int | None
    decided_by: str

    @property
    def variance(self) -> int:
        return self.counted - self.book

    @property
    def value(self) -> Decimal | None:
        return None if self.unit_cost is None else self.variance * self.unit_cost


def variance_rows(session: Session, count: StockCount, *, only_variances: bool = True) -> list[VarianceRow]:
    """Every line (or every line with a variance), in bin then SKU order; one query."""
    stmt = (select(Location.code, Product.sku, Product.name, Product.colour, Product.size, CountLine.book_qty,
                   CountLine.counted_qty, CountLine.unit_cost, CountLine.status, CountLine.counted_by,
                   CountLine.first_qty, CountLine.first_counted_by, CountLine.round, CountLine.recount_reason,
                   CountLine.posted_qty, CountLine.decided_by)
            .join(Location, Location.id == CountLine.location_id).join(Product, Product.id == CountLine.product_id)
            .where(CountLine.count_id == count.id).order_by(Location.code, Product.sku))
    if only_variances:
        stmt = stmt.where(CountLine.counted_qty != CountLine.book_qty)
    return [VarianceRow(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5], r[6], r[7], r[8], r[9] or "", r[10],
                        r[11] or "", r[12], r[13], r[14], r[15] or "") for r in session.execute(stmt)]


def write_off_rows(session: Session, count: StockCount) -> list[VarianceRow]:
    """The approved losses (报损): lines whose posted adjustment took stock out."""
    return [r for r in variance_rows(session, count) if r.status == "approved" and (r.posted_qty or 0) < 0]


def delisting(session: Session, count: StockCount) -> list[str]:
    """SKUs this count posted a loss for that now have nothing on hand anywhere: take them off the shop."""
    lost = set(session.scalars(select(Product.sku).join(CountLine, CountLine.product_id == Product.id).where(
        CountLine.count_id == count.id, CountLine.status == "approved", CountLine.posted_qty < 0)))
    if not lost:
        return []
    on_hand = dict(session.execute(
        select(Product.sku, func.coalesce(func.sum(Balance.qty), 0))
        .join(Balance, Balance.product_id == Product.id).join(Location, Location.id == Balance.location_id)
        .where(Product.sku.in_(lost), Location.kind.not_in(VIRTUAL_KINDS)).group_by(Product.sku)).all())
    return sorted(sku for sku in lost if int(on_hand.get(sku, 0)) == 0)


def events(session: Session, count: StockCount) -> list[CountEvent]:
    return list(session.scalars(select(CountEvent).where(CountEvent.count_id == count.id).order_by(CountEvent.id)))


def ask_recount(session: Session, count_no: str, code: str, user: str, at: datetime | None = None) -> Decision:
    """The supervisor doubts a bin: its undecided lines wait for a recount (by any counter). Refused
    and recorded for anyone but a supervisor."""
    from station.inventory.counts import request_recount

    count = find_count(session, count_no, open_only=True, lock=True)
    refused = _supervisor(session, count, user, "recount")
    if refused:
        return refused
    n = request_recount(session, count, code, user=user)
    record_event(session, count, user, "recount", "requested", code, at)
    return Decision(True, "recount_requested", _("Bin {bin}: {n} lines to recount", bin=code, n=n), count.count_no, n)


# --- for windows: one unit of work per call -------------------------------------------

@dataclass(frozen=True)
class CountChoice:
    count_no: str
    scope: str
    status: str
    bins: int
    counted: int
    recount: int


def count_choices(sessions) -> list[CountChoice]:
    """Every count, open ones first, newest first."""
    from station.db import unit_of_work
    from station.inventory.counts import list_counts

    with unit_of_work(sessions) as s:
        rows = [CountChoice(c.count_no, c.scope, c.status, p.bins, p.counted, p.recount) for c, p in list_counts(s)]
    return sorted(reversed(rows), key=lambda c: c.status != "open")  # stable: newest first within each


def count_lines(sessions, count_no: str) -> list[VarianceRow]:
    """The lines a supervisor reviews: every line with a variance or waiting for a recount."""
    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        count = find_count(s, count_no)
        rows = variance_rows(s, count, only_variances=False)
    return [r for r in rows if r.variance or r.status == "recount"]


def decide(sessions, action: str, count_no: str, user: str, *, lines: list[tuple[str, str]] | None = None,
           bin_code: str | None = None) -> Decision:
    """approve / reject (lines or the whole count) / recount (a bin), committed; a refusal is committed too
    (it is recorded), a refused posting (``CountError``) writes nothing."""
    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        if action == "approve":
            decision = approve(s, count_no, user, lines=lines)
        elif action == "reject":
            decision = reject(s, count_no, user, lines=lines)
        elif action == "recount":
            decision = ask_recount(s, count_no, bin_code or "", user)
        else:
            raise ValueError(action)
        s.commit()
    return decision


def plan_bins_status(session: Session, count: StockCount) -> list[tuple[str, str, int, str | None, datetime | None]]:
    """Every bin of the plan in walking order: (code, status, rounds, last counter, when)."""
    return [tuple(r) for r in session.execute(
        select(Location.code, CountBin.status, CountBin.rounds, CountBin.counted_by, CountBin.counted_at)
        .join(CountBin, CountBin.location_id == Location.id).where(CountBin.count_id == count.id)
        .order_by(Location.code))]
