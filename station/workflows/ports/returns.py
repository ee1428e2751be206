"""The returns bench's port (``station.workflows.returns.ReturnsPort``) over the scan's unit of work."""
from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.catalog.models import User
from station.fulfilment.models import Order
from station.i18n import message_of
from station.inventory.ledger import LedgerError
from station.returns import receiving as rx
from station.returns.handoff import packing_trail
from station.returns.matching import match_note
from station.returns.models import ExpectedReturn
from station.returns.note import ReturnNote
from station.returns.policy import REASONS, PolicyError
from station.returns.receipt_models import ReturnItem, ReturnReceipt
from station.scanning import Scan, ScanKind
from station.workflows.base import BenchContext
from station.workflows.returns import Candidate, Item, Matched, Matches, Receipt, Refused
from station.returns.words import stored

T = TypeVar("T")


def trail_lines(session: Session, key: str) -> list[str]:
    """The packing scan trail of an order, one line per scan, for the bench's missing-item check."""
    _order, events = packing_trail(session, key)
    return [f"{e.at.astimezone():%m-%d %H:%M:%S} {e.station} {e.user} {e.scan} → {e.code}" for e in events]


def _item(i: ReturnItem) -> Item:
    return Item(i.id, i.sku, i.accepted, i.decision, i.decision_text, i.postage, i.conditions, i.disposition,
                i.location, i.overridden_by)


class DatabaseReturnsPort:
    def __init__(self, session: Session, ctx: BenchContext, memory: dict | None = None) -> None:
        self.session = session
        self.ctx = ctx

    def all_or_nothing(self, work: Callable[[], T]) -> T:
        """`work` inside a savepoint: a refused action writes nothing."""
        try:
            with self.session.begin_nested():
                return work()
        except (rx.ReturnError, PolicyError, LedgerError) as exc:
            raise Refused(exc.code, message_of(exc)) from exc

    def _receipt(self, receipt_no: str) -> ReturnReceipt:
        return rx.find_receipt(self.session, receipt_no)

    @staticmethod
    def _facts(receipt: ReturnReceipt) -> Receipt:
        return Receipt(receipt.receipt_no, receipt.status, receipt.return_tracking, receipt.note,
                       tuple(_item(i) for i in receipt.items), tuple(receipt.shelved_items or ()))

    def receipt(self, receipt_no: str) -> Receipt | None:
        receipt = self._receipt(receipt_no)
        return self._facts(receipt) if receipt is not None else None

    def open_parcel(self, tracking: str) -> tuple[Receipt, str]:
        receipt, how = rx.open_parcel(self.session, tracking, user=self.ctx.user, station=self.ctx.station)
        return self._facts(receipt), how

    def open_without_tracking(self) -> Receipt:
        return self._facts(rx.open_without_tracking(self.session, user=self.ctx.user, station=self.ctx.station))

    def reopen_unidentified(self, receipt_no: str) -> None:
        rx.reopen_unidentified(self.session, self._receipt(receipt_no))

    def is_product(self, scan: Scan) -> bool:
        return catalog.find_product(self.session, scan) is not None

    def product_sku(self, scan: Scan) -> str | None:
        found = catalog.find_product(self.session, scan)
        return found.product.sku if found is not None else None

    def is_return_receipt(self, number: str) -> bool:
        return self.session.scalar(select(ReturnReceipt.id).where(ReturnReceipt.receipt_no == number)) is not None

    def matched(self, receipt_no: str) -> Matched:
        receipt = self._receipt(receipt_no)
        order = self.session.get(Order, receipt.order_id)
        reason = None
        if receipt.expected_id:
            expected = self.session.get(ExpectedReturn, receipt.expected_id)
            if expected and expected.reason in REASONS:
                reason = expected.reason
        return Matched(order.order_no, order.recipient, receipt.type, reason,
                       tuple((l.sku, l.qty) for l in order.lines))

    def confirm(self, receipt_no: str, order_nos: tuple[str, ...], how: str) -> bool:
        order = self.session.scalar(select(Order).where(Order.order_no.in_(order_nos)) if len(order_nos) > 1
                                    else select(Order).where(Order.order_no == order_nos[0]))
        if order is None:
            return False
        receipt = self._receipt(receipt_no)
        rx.confirm(self.session, receipt, order, how)
        rx.take_off_shelf(self.session, receipt, user=self.ctx.user, station=self.ctx.station)
        return True

    def add_item(self, receipt_no: str, sku: str, reason: str) -> Item:
        try:
            return _item(rx.add_item(self.session, self._receipt(receipt_no), sku, reason=reason))
        except rx.ReturnError as exc:  # the bench looks at the refusal (an item scanned again): as Refused
            raise Refused(exc.code, message_of(exc)) from exc

    def add_loose_item(self, receipt_no: str, barcode: str, reason: str) -> str | None:
        found = catalog.find_product(self.session, Scan(barcode, ScanKind.SKU, barcode))
        if found is None:
            return None
        try:
            rx.add_item(self.session, self._receipt(receipt_no), found.product.sku, reason=reason)
        except rx.ReturnError as exc:
            return message_of(exc)
        return None

    def store_note(self, receipt_no: str, note: dict[str, Any]) -> Mapping[str, Any] | None:
        receipt = self._receipt(receipt_no)
        rx.store_note(receipt, note)
        return receipt.note

    def refuse_cod(self, receipt_no: str) -> None:
        rx.refuse_cod(self.session, self._receipt(receipt_no), user=self.ctx.user, station=self.ctx.station)

    def match(self, note: ReturnNote) -> Matches:
        result = match_note(self.session, note)
        return Matches(tuple(Candidate(c.order_no, c.points, round(c.confidence, 3), tuple(
            stored(e.clue, e.how, e.matched) for e in c.evidence))
            for c in result.candidates), result.confident)

    def dispose(self, item_id: int, location: str) -> str:
        return rx.dispose(self.session, self.session.get(ReturnItem, item_id), location, user=self.ctx.user,
                          station=self.ctx.station)

    def inspect(self, item_id: int, condition: str | None = None, reason: str | None = None) -> None:
        item = self.session.get(ReturnItem, item_id)
        if condition is not None:
            rx.inspect(self.session, item, condition=condition)
        else:
            rx.inspect(self.session, item, reason=reason)

    def override(self, item_id: int, badge: str, accept: bool, reason: str) -> tuple[str, str | None]:
        user = self.session.scalar(select(User).where(User.badge == badge))
        try:
            rx.override_item(self.session, self.session.get(ReturnItem, item_id), user=user.name, roles=user.role_set,
                             accept=accept, reason=reason)
        except PolicyError as exc:
            return user.name, message_of(exc)
        return user.name, None

    def exchange_for(self, receipt_no: str, sku: str) -> None:
        rx.exchange_for(self.session, self._receipt(receipt_no), sku)

    def trail(self, key: str) -> tuple[str | None, list[str]]:
        """The missing-item lookup: the original parcel's pack video and weights (issue 18, the same
        gathering as ``station evidence``), then its packing scan trail."""
        from station.video.evidence import evidence_lines, gather

        order, _events = packing_trail(self.session, key)
        if order is None:
            return None, []
        return order.order_no, evidence_lines(gather(self.session, key)) + trail_lines(self.session, key)

    def shelve_unidentified(self, receipt_no: str, loose: tuple[str, ...]) -> str:
        skus = [found.product.sku for found in (catalog.find_product(self.session, Scan(b, ScanKind.SKU, b))
                                                 for b in loose) if found is not None]
        return rx.shelve_unidentified(self.session, self._receipt(receipt_no), user=self.ctx.user,
                                      station=self.ctx.station, skus=skus)

    def remove_item(self, receipt_no: str, item_id: int) -> None:
        receipt = self._receipt(receipt_no)
        receipt.items.remove(next(i for i in receipt.items if i.id == item_id))
        self.session.flush()

    def close(self, receipt_no: str, exchange_skus: list[str] | None) -> str | None:
        return rx.close(self.session, self._receipt(receipt_no), user=self.ctx.user, station=self.ctx.station,
                        exchange_skus=exchange_skus)
