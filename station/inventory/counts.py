"""Stock counts (盘点): plans, blind counting by bin, and the variance of each line.

The warehouse never freezes for a count. Each bin's lines keep the book quantity read in
the same transaction as that bin's count, so a pick or receipt in the bin before its count
is part of the book it is compared with, and one after it is not part of the count: neither
makes a false variance. When stock moved in the bin *while* it was being counted (between
the bin scan and its close) the line asks for a recount instead of guessing.

What a person sees when it goes wrong: ``CountError`` with a stable ``code``
(``unknown_count``, ``count_closed``, ``bin_not_in_count``, ``recount_same_counter``, ...)
and a translated message naming the bin or SKU.
Approval, rejection and posting are in ``station.inventory.count_review``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.orm import Session

from station.catalog.models import Product
from station.i18n import _
from station.inventory.count_models import CountBin, CountLine, StockCount
from station.inventory.models import Balance, Location, Movement

DEFAULT_TOLERANCE_QTY = 2
DEFAULT_TOLERANCE_VALUE = Decimal("100.00")
CYCLE_DAYS = {"A": 30, "B": 90, "C": 180}  # how often a bin holding a class-X SKU is counted
CLASS_SHARES = (("A", Decimal("0.80")), ("B", Decimal("0.95")))  # cumulative share of picked units
CLASS_WINDOW_DAYS = 90


class CountError(ValueError):
    """A refused count action; ``code`` is stable, ``str()`` is for a person."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def now() -> datetime:
    return datetime.now(timezone.utc)


# --- tolerance (pure) ------------------------------------------------------------

def beyond_tolerance(variance: int, unit_cost: Decimal | None, tolerance_qty: int, tolerance_value: Decimal) -> bool:
    """A variance bigger than the tolerance in units, or (when the SKU has a cost) in value."""
    if abs(variance) > tolerance_qty:
        return True
    return unit_cost is not None and abs(variance) * unit_cost > tolerance_value


# --- plans -----------------------------------------------------------------------

def movement_classes(session: Session, *, at: datetime | None = None,
                     window_days: int = CLASS_WINDOW_DAYS) -> dict[int, str]:
    """A/B/C per product id by units picked in the window: A the top 80 %, B the next 15 %, C the rest."""
    since = (at or now()) - timedelta(days=window_days)
    picked = session.execute(
        select(Movement.product_id, func.sum(Movement.qty))
        .where(Movement.reason == "pick", Movement.at >= since)
        .group_by(Movement.product_id).order_by(func.sum(Movement.qty).desc(), Movement.product_id)).all()
    total = sum(int(q) for _p, q in picked) or 1
    classes: dict[int, str] = {}
    running = 0
    for pid, qty in picked:
        share_before = Decimal(running) / total
        running += int(qty)
        classes[pid] = next((name for name, limit in CLASS_SHARES if share_before < limit), "C")
    for pid in session.scalars(select(Product.id)):
        classes.setdefault(pid, "C")
    return classes


def last_counted(session: Session) -> dict[int, datetime]:
    """When each bin was last counted, over every count."""
    return {lid: at for lid, at in session.execute(
        select(CountBin.location_id, func.max(CountBin.counted_at))
        .where(CountBin.counted_at.is_not(None)).group_by(CountBin.location_id))}


def plan_bins(session: Session, kind: str, *, zone: str | None = None, first: str | None = None,
              last: str | None = None, skus: tuple[str, ...] = (), movement_class: str | None = None,
              days: int | None = None, at: datetime | None = None) -> list[Location]:
    """The bins a plan of this kind covers, in bin order (the walking order of the count sheet)."""
    at = at or now()
    stock = select(Location).where(Location.kind == "stock").order_by(Location.code)
    if kind == "full":
        return list(session.scalars(stock))
    if kind == "zone":
        if not zone:
            raise CountError("bad_plan", _("A zone count needs a zone"))
        return list(session.scalars(stock.where(Location.zone == zone)))
    if kind == "range":
        if not first or not last:
            raise CountError("bad_plan", _("A bin range needs a first and a last bin"))
        return list(session.scalars(stock.where(Location.code >= first, Location.code <= last)))
    if kind == "skus":
        ids = product_ids(session, skus)
        held = select(Balance.location_id).where(Balance.product_id.in_(ids.values()), Balance.qty > 0)
        return list(session.scalars(stock.where(Location.id.in_(held))))
    if kind == "stale":
        if days is None or days < 0:
            raise CountError("bad_plan", _("Say how many days: bins not counted for N days"))
        counted = last_counted(session)
        cutoff = at - timedelta(days=days)
        return [b for b in session.scalars(stock) if counted.get(b.id) is None or counted[b.id] < cutoff]
    if kind == "cycle":
        if movement_class is not None and movement_class not in CYCLE_DAYS:
            raise CountError("bad_plan", _("Movement class must be A, B or C, not {value}", value=movement_class))
        classes = movement_classes(session, at=at)
        best: dict[int, str] = {}  # bin -> its fastest class (A before B before C)
        for lid, pid in session.execute(select(Balance.location_id, Balance.product_id).where(Balance.qty > 0)):
            cls = classes.get(pid, "C")
            if lid not in best or cls < best[lid]:
                best[lid] = cls
        counted = last_counted(session)
        due = []
        for b in session.scalars(stock.where(Location.id.in_(best))):
            cls = best[b.id]
            if movement_class is not None and cls != movement_class:
                continue
            seen = counted.get(b.id)
            if seen is None or seen < at - timedelta(days=CYCLE_DAYS[cls]):
                due.append(b)
        return due
    raise CountError("bad_plan", _("Unknown count kind {kind}", kind=kind))


def product_ids(session: Session, skus) -> dict[str, int]:
    skus = [s for s in dict.fromkeys(skus) if s]
    found = dict(session.execute(select(Product.sku, Product.id).where(Product.sku.in_(skus))).all()) if skus else {}
    missing = [s for s in skus if s not in found]
    if missing:
        raise CountError("unknown_sku", _("Unknown SKU {sku}", sku=", ".join(missing)))
    if not found:
        raise CountError("bad_plan", _("A SKU count needs at least one SKU"))
    return found


def create_count(session: Session, kind: str, *, user: str | None = None, bins: list[Location] | None = None,
                 zone: str | None = None, first: str | None = None, last: str | None = None,
                 skus: tuple[str, ...] = (), movement_class: str | None = None, days: int | None = None,
                 tolerance_qty: int = DEFAULT_TOLERANCE_QTY, tolerance_value: Decimal = DEFAULT_TOLERANCE_VALUE,
                 at: datetime | None = None) -> StockCount:
    """A new open count over the bins of the plan; refused when the plan finds no bin."""
    at = at or now()
    if bins is None:
        bins = plan_bins(session, kind, zone=zone, first=first, last=last, skus=skus,
                         movement_class=movement_class, days=days, at=at)
    if not bins:
        raise CountError("no_bins", _("This plan finds no bin to count"))
    if tolerance_qty < 0 or tolerance_value < 0:
        raise CountError("bad_plan", _("Tolerances cannot be negative"))
    scope = {"full": _("full count"), "zone": _("zone {zone}", zone=zone), "range": f"{first} – {last}",
             "skus": ", ".join(skus), "stale": _("bins not counted for {days} days", days=days),
             "cycle": _("cycle count, class {cls}", cls=movement_class or "A/B/C"),
             "file": _("counts from a file")}.get(kind, kind)
    count = StockCount(count_no=f"NEW-{at.timestamp()}", kind=kind, scope=scope[:500],
                       skus=";".join(skus) if kind == "skus" else None, status="open",
                       tolerance_qty=tolerance_qty, tolerance_value=tolerance_value, created_at=at, created_by=user)
    session.add(count)
    session.flush()
    count.count_no = f"CNT-{count.id:06d}"
    session.execute(CountBin.__table__.insert(), [
        {"count_id": count.id, "location_id": b.id, "status": "pending", "rounds": 0} for b in bins])
    session.flush()
    return count


def find_count(session: Session, count_no: str, *, open_only: bool = False, lock: bool = False) -> StockCount:
    """``lock``: hold the count's row until the commit, for a decision (approve, reject, recount): a
    second supervisor deciding at the same moment waits, then sees the first one's decision. Without
    it PostgreSQL let both read the count open and post its adjustments twice."""
    stmt = select(StockCount).where(StockCount.count_no == count_no)
    count = session.scalar(stmt.with_for_update().execution_options(populate_existing=True) if lock else stmt)
    if count is None:
        raise CountError("unknown_count", _("No count {count}", count=count_no))
    if open_only and count.status != "open":
        raise CountError("count_closed", _("Count {count} is closed", count=count_no))
    return count


def open_count_for_bin(session: Session, location_id: int) -> StockCount | None:
    """The newest open count that holds this bin."""
    return session.scalar(
        select(StockCount).join(CountBin, CountBin.count_id == StockCount.id)
        .where(CountBin.location_id == location_id, StockCount.status == "open")
        .order_by(StockCount.id.desc()).limit(1))


def bin_of(session: Session, count: StockCount, code: str) -> tuple[Location, CountBin]:
    row = session.execute(
        select(Location, CountBin).join(CountBin, CountBin.location_id == Location.id)
        .where(Location.code == code, CountBin.count_id == count.id)).first()
    if row is None:
        raise CountError("bin_not_in_count", _("Bin {bin} is not in count {count}", bin=code, count=count.count_no))
    return row[0], row[1]


def movement_mark(session: Session) -> int:
    """The newest ledger line now: movements after it happened after this moment."""
    return int(session.scalar(select(func.coalesce(func.max(Movement.id), 0))))


# --- counting --------------------------------------------------------------------

@dataclass(frozen=True)
class BinResult:
    code: str
    units: int  # what the counter counted, in total (never the book)
    skus: int
    recount: bool  # some line waits for a recount (the counter is not told which or why)
    round: int


def _refuse_recount_by_first_counter(session: Session, count: StockCount, cbin: CountBin, user: str | None) -> None:
    _refuse_recounts(session, count, [cbin.location_id], user)


def _refuse_recounts(session: Session, count: StockCount, location_ids: list[int], user: str | None) -> None:
    """A line beyond tolerance is recounted by someone else than its first counter."""
    if user is None:
        return
    waiting = session.execute(
        select(Location.code).join(CountLine, CountLine.location_id == Location.id).where(
            CountLine.count_id == count.id, CountLine.location_id.in_(location_ids), CountLine.status == "recount",
            CountLine.recount_reason == "tolerance", CountLine.first_counted_by == user).limit(1)).first()
    if waiting is not None:
        raise CountError("recount_same_counter",
                         _("Bin {bin} must be recounted by another counter", bin=waiting[0]))


def record_bin(session: Session, count: StockCount, code: str, counted: dict[str, int], *, user: str | None,
               mark: int | None = None, at: datetime | None = None) -> BinResult:
    """Set the count of one bin: every SKU counted, and every SKU the books hold there (counted 0 if not seen).

    ``counted`` maps SKU -> units found; it *sets* the count (a second count replaces the first).
    ``mark`` is ``movement_mark()`` taken when the bin was opened: lines whose stock moved since
    then wait for a recount.
    """
    location, _cbin = bin_of(session, count, code)
    return record_bins(session, count, {location.id: counted}, user=user, marks={location.id: mark}, at=at)[0]


def record_bins(session: Session, count: StockCount, counts: dict[int, dict[str, int]], *, user: str | None,
                marks: dict[int, int | None] | None = None, at: datetime | None = None) -> list[BinResult]:
    """``record_bin`` for many bins at once (a counts file, 10,000 bins): a few statements in all."""
    at = at or now()
    marks = marks or {}
    if count.status != "open":
        raise CountError("count_closed", _("Count {count} is closed", count=count.count_no))
    location_ids = list(counts)
    bins = {lid: (bid, status, rounds, first) for bid, lid, status, rounds, first in session.execute(
        select(CountBin.id, CountBin.location_id, CountBin.status, CountBin.rounds, CountBin.first_counted_by)
        .where(CountBin.count_id == count.id, CountBin.location_id.in_(location_ids))
        .with_for_update())}  # two stations counting one bin on PostgreSQL: one after the other
    outside = [lid for lid in location_ids if lid not in bins]
    if outside:
        code = session.scalar(select(Location.code).where(Location.id == outside[0]))
        raise CountError("bin_not_in_count", _("Bin {bin} is not in count {count}", bin=code, count=count.count_no))
    recounting = [lid for lid in location_ids if bins[lid][1] == "recount"]
    if recounting:
        _refuse_recounts(session, count, recounting, user)
    decided = session.scalar(select(func.count()).select_from(CountLine).where(
        CountLine.count_id == count.id, CountLine.location_id.in_(location_ids),
        CountLine.status.in_(("approved", "rejected"))))
    if decided:
        raise CountError("bin_decided", _("A supervisor has already decided lines of this bin"))
    only = count.sku_set
    counted_skus = {sku for c in counts.values() for sku in c}
    all_skus = counted_skus | set(only)
    products = {sku: (pid, cost) for sku, pid, cost in session.execute(
        select(Product.sku, Product.id, Product.unit_cost).where(Product.sku.in_(all_skus)))} if all_skus else {}
    unknown = sorted(counted_skus - set(products))
    if unknown:
        raise CountError("unknown_sku", _("Unknown SKU {sku}", sku=", ".join(unknown)))
    if only:
        extra = sorted(counted_skus - only)
        if extra:
            raise CountError("not_in_count", _("{sku} is not counted in {count}",
                                               sku=", ".join(extra), count=count.count_no))
    only_ids = {products[s][0] for s in only}
    book: dict[tuple[int, int], int] = {}
    for lid, pid, qty in session.execute(select(Balance.location_id, Balance.product_id, Balance.qty)
                                         .where(Balance.location_id.in_(location_ids), Balance.qty != 0)):
        if not only_ids or pid in only_ids:
            book[(lid, pid)] = qty
    costs = {pid: cost for pid, cost in products.values()}
    missing_costs = {pid for (_l, pid) in book if pid not in costs}
    if missing_costs:
        costs.update(session.execute(select(Product.id, Product.unit_cost).where(Product.id.in_(missing_costs))).all())
    existing = {(lid, pid): (lid_id, rnd, first) for lid_id, lid, pid, rnd, first in session.execute(
        select(CountLine.id, CountLine.location_id, CountLine.product_id, CountLine.round, CountLine.first_counted_by)
        .where(CountLine.count_id == count.id, CountLine.location_id.in_(location_ids)))}
    moved: set[tuple[int, int]] = set()
    with_marks = {lid: m for lid, m in marks.items() if m is not None}
    if with_marks:
        low = min(with_marks.values())
        for mid, pid, src, dst in session.execute(
                select(Movement.id, Movement.product_id, Movement.from_location_id, Movement.to_location_id)
                .where(Movement.id > low, or_(Movement.from_location_id.in_(with_marks),
                                              Movement.to_location_id.in_(with_marks)))):
            for lid in (src, dst):
                if lid in with_marks and mid > with_marks[lid]:
                    moved.add((lid, pid))
    codes = dict(session.execute(select(Location.id, Location.code).where(Location.id.in_(location_ids))).all())
    book_by_bin: dict[int, list[int]] = {}
    for (lid, pid) in book:
        book_by_bin.setdefault(lid, []).append(pid)
    lines_by_bin: dict[int, list[int]] = {}
    for (lid, pid) in existing:
        lines_by_bin.setdefault(lid, []).append(pid)
    new_lines, line_updates, bin_updates, results = [], [], [], []
    for lid in location_ids:
        bid, _status, rounds, first_by = bins[lid]
        found = {products[sku][0]: qty for sku, qty in counts[lid].items()}
        pids = set(found) | set(book_by_bin.get(lid, ())) | set(lines_by_bin.get(lid, ()))
        needs_recount = False
        for pid in sorted(pids):
            qty, booked = found.get(pid, 0), book.get((lid, pid), 0)
            line = existing.get((lid, pid))
            beyond = beyond_tolerance(qty - booked, costs.get(pid), count.tolerance_qty, count.tolerance_value)
            second_counter = line is not None and line[2] not in (None, user)
            if (lid, pid) in moved:
                status, reason = "recount", "moved"
            elif beyond and not second_counter:
                status, reason = "recount", "tolerance"
            else:
                status, reason = "open", None
            needs_recount |= status == "recount"
            if line is None:
                if qty == 0 and booked == 0:
                    continue
                new_lines.append({"count_id": count.id, "location_id": lid, "product_id": pid, "counted_qty": qty,
                                  "book_qty": booked, "unit_cost": costs.get(pid), "round": 1, "counted_at": at,
                                  "counted_by": user, "first_qty": qty, "first_counted_by": user,
                                  "status": status, "recount_reason": reason})
            else:
                line_updates.append({"id": line[0], "counted_qty": qty, "book_qty": booked,
                                     "unit_cost": costs.get(pid), "round": line[1] + 1, "counted_at": at,
                                     "counted_by": user, "status": status, "recount_reason": reason})
        bin_updates.append({"id": bid, "status": "recount" if needs_recount else "counted", "rounds": rounds + 1,
                            "counted_at": at, "counted_by": user, "first_counted_by": first_by or user})
        results.append(BinResult(codes[lid], sum(counts[lid].values()), len(counts[lid]), needs_recount, rounds + 1))
    if new_lines:
        session.execute(insert(CountLine), new_lines)
    if line_updates:
        session.execute(update(CountLine), line_updates)  # by primary key, many rows in one executemany
    if bin_updates:
        session.execute(update(CountBin), bin_updates)
    session.expire_all()  # bins and lines loaded before now are stale (everything was flushed already)
    return results


def request_recount(session: Session, count: StockCount, code: str, *, user: str | None) -> int:
    """The supervisor doubts a bin: its undecided lines wait for a recount (by anyone). Returns lines."""
    location, cbin = bin_of(session, count, code)
    if cbin.status == "pending":
        raise CountError("bin_not_counted", _("Bin {bin} has not been counted yet", bin=code))
    result = session.execute(
        update(CountLine).where(CountLine.count_id == count.id, CountLine.location_id == location.id,
                                CountLine.status.in_(("open", "recount")))
        .values(status="recount", recount_reason="supervisor").execution_options(synchronize_session=False))
    cbin.status = "recount"
    session.flush()
    return result.rowcount


@dataclass(frozen=True)
class Progress:
    bins: int
    counted: int
    recount: int
    pending: int
    lines: int
    variances: int

    @property
    def done(self) -> bool:
        return self.pending == 0 and self.recount == 0


def progress(session: Session, count: StockCount) -> Progress:
    by_status = dict(session.execute(select(CountBin.status, func.count()).where(CountBin.count_id == count.id)
                                     .group_by(CountBin.status)).all())
    lines, variances = session.execute(
        select(func.count(), func.count(case((CountLine.counted_qty != CountLine.book_qty, 1))))
        .where(CountLine.count_id == count.id)).one()
    total = sum(by_status.values())
    return Progress(total, by_status.get("counted", 0), by_status.get("recount", 0), by_status.get("pending", 0),
                    int(lines), int(variances))


def bins_to_count(session: Session, count: StockCount, limit: int = 8) -> list[str]:
    """The next bins to count, recounts first, in bin order (what the count bench lists)."""
    rows = session.execute(
        select(Location.code, CountBin.status).join(CountBin, CountBin.location_id == Location.id)
        .where(CountBin.count_id == count.id, CountBin.status.in_(("pending", "recount")))
        .order_by((CountBin.status == "pending"), Location.code).limit(limit)).all()
    return [code for code, _s in rows]


def list_counts(session: Session, status: str | None = None) -> list[tuple[StockCount, Progress]]:
    stmt = select(StockCount).order_by(StockCount.id)
    if status:
        stmt = stmt.where(StockCount.status == status)
    return [(c, progress(session, c)) for c in session.scalars(stmt)]


__all__ = ["BinResult", "CountError", "Progress", "beyond_tolerance", "bins_to_count", "create_count",
           "find_count", "list_counts", "movement_classes", "movement_mark", "open_count_for_bin", "plan_bins",
           "progress", "record_bin", "record_bins", "request_recount"]
