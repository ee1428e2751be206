"""The count bench's port (``station.workflows.count.CountPort``) over the scan's unit of work."""
from __future__ import annotations

from typing import Callable, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.catalog.models import User
from station.i18n import message_of
from station.inventory import count_review, counts
from station.inventory.count_models import StockCount
from station.inventory.lookup import find_location
from station.scanning import Scan
from station.workflows.base import BenchContext
from station.workflows.count import Approval, CountFacts, CountProgress, Item, Refused

T = TypeVar("T")


class DatabaseCountPort:
    def __init__(self, session: Session, ctx: BenchContext, memory: dict | None = None) -> None:
        self.session = session
        self.ctx = ctx
        self.user = ctx.user

    def all_or_nothing(self, work: Callable[[], T]) -> T:
        """`work` inside a savepoint: a refused count action writes nothing."""
        try:
            with self.session.begin_nested():
                return work()
        except counts.CountError as exc:
            raise Refused(exc.code, message_of(exc)) from exc

    def _count(self, count_no: str) -> StockCount | None:
        return self.session.scalar(select(StockCount).where(StockCount.count_no == count_no))

    def _open(self, count_no: str | None) -> StockCount | None:
        count = self._count(count_no) if count_no else None
        return count if count is not None and count.status == "open" else None

    def count(self, count_no: str) -> CountFacts | None:
        count = self._count(count_no)
        return CountFacts(count.count_no, count.status, count.scope, count.sku_set or None) if count else None

    def progress(self, count_no: str) -> CountProgress:
        count = self._count(count_no)
        p = counts.progress(self.session, count)
        return CountProgress(p.counted, p.bins, p.recount, tuple(counts.bins_to_count(self.session, count)))

    def location_kind(self, code: str) -> str | None:
        location = find_location(self.session, code)
        return location.kind if location is not None else None

    def count_for_bin(self, count_no: str | None, code: str) -> str | None:
        location = find_location(self.session, code)
        count = self._open(count_no)
        if count is None or self.session.scalar(select(counts.CountBin.id).where(
                counts.CountBin.count_id == count.id, counts.CountBin.location_id == location.id)) is None:
            count = counts.open_count_for_bin(self.session, location.id) or count
        return count.count_no if count is not None else None

    def bin_status(self, count_no: str, code: str) -> str:
        _location, cbin = counts.bin_of(self.session, self._count(count_no), code)
        return cbin.status

    def check_recounter(self, count_no: str, code: str) -> None:
        count = self._count(count_no)
        _location, cbin = counts.bin_of(self.session, count, code)
        counts._refuse_recount_by_first_counter(self.session, count, cbin, self.ctx.user)

    def movement_mark(self) -> int:
        return counts.movement_mark(self.session)

    def record_bin(self, count_no: str, code: str, counted: dict[str, int], mark: int | None) -> tuple[str, int]:
        result = counts.record_bin(self.session, self._count(count_no), code, counted, user=self.ctx.user, mark=mark)
        return result.code, result.units

    def product(self, scan: Scan) -> Item | None:
        found = catalog.find_product(self.session, scan)
        return Item(found.product.sku, catalog.describe(found.product), found.pack_qty) if found else None

    def approve(self, count_no: str, badge: str) -> Approval:
        person = self.session.scalar(select(User).where(User.badge == badge))
        decision = count_review.approve(self.session, count_no, person.name)
        return Approval(decision.ok, decision.code, decision.message, tuple(decision.problems), decision.closed)
