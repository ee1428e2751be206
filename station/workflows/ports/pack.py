"""The pack bench's port (``station.workflows.pack.PackPort``) over the scan's unit of work."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import outbox
from station.catalog import lookup as catalog
from station.fulfilment import packing
from station.fulfilment.models import Order
from station.fulfilment.orders import hold_text, put_on_hold
from station.fulfilment.waybills import WaybillError
from station.i18n import _, message_of
from station.scanning import Scan
from station.workflows.base import BenchContext
from station.workflows.pack import Closed, CloseRefused, ItemToPack, OrderFacts, ParcelWeight, ProductFacts

SCALE = "scale"  # the bench memory's key: True when the bench has a scale (BenchRunner.attach_scale)


class DatabasePackPort:
    """Every question goes to the database as the bench asked it; the ORM objects it read stay
    in the session's identity map for the changes asked later in the same scan."""

    def __init__(self, session: Session, ctx: BenchContext, memory: dict | None = None) -> None:
        self.session = session
        self.ctx = ctx
        self._scale = bool((memory or {}).get(SCALE))
        self._orders: dict[str, Order] = {}  # order_no -> the Order read in this scan

    def _order(self, order_no: str) -> Order:
        order = self._orders.get(order_no)
        return order if order is not None else packing.find_order(self.session, order_no)

    def order(self, key: str) -> OrderFacts | None:
        order = packing.find_order(self.session, key)
        if order is None:
            return None
        self._orders[order.order_no] = order
        holds = tuple(hold_text(h.code) + (f": {h.detail}" if h.detail else "")
                      for h in order.holds if h.resolved_at is None) if order.status == "on_hold" else ()
        return OrderFacts(order.order_no, order.status, order.courier, order.buyer_message, order.seller_memo, holds)

    def items(self, order_no: str) -> list[ItemToPack]:
        return [ItemToPack(l.sku, l.qty, l.name, l.colour, l.size, l.gift, l.style, l.bins, l.image)
                for l in packing.pack_lines(self.session, self._order(order_no))]

    def product(self, scan: Scan) -> ProductFacts | None:
        found = catalog.find_product(self.session, scan)
        if found is None:
            return None
        p = found.product
        return ProductFacts(p.sku, catalog.describe(p), p.style, found.pack_qty)

    def needs_manual_waybill(self, order_no: str) -> bool:
        return packing.needs_manual_waybill(self.session, self._order(order_no))

    def printed_waybill(self, order_no: str) -> str | None:
        parcel = packing.printed_parcel(self._order(order_no))
        return parcel.tracking_no if parcel is not None else None

    def uses_pool(self, courier: str) -> bool:
        return packing.waybills.uses_pool(self.session, courier)

    def check_waybill(self, courier: str | None, number: str) -> str | None:
        try:
            packing.waybills.check_manual(self.session, courier, number)
        except WaybillError as exc:
            return message_of(exc)
        return None

    def close(self, order_no: str, parcels: list[dict[str, int]], scanned_waybills: list[str],
              weights: list[ParcelWeight | None] | None = None) -> Closed | CloseRefused:
        order = self._order(order_no)
        pre = packing.printed_parcel(order)  # the batch already printed this parcel's waybill
        try:
            made = packing.close_order(self.session, order, parcels, user=self.ctx.user, station=self.ctx.station,
                                       scanned_waybills=scanned_waybills)
        except (packing.PackError, WaybillError) as exc:
            # All of the close or none of it: this scan wrote nothing before the close, so the
            # transaction is rolled back whole (cheaper than a savepoint); the runner then logs
            # the scan and the bench's state in a new one.
            self.session.rollback()
            self.session.refresh(order)
            return CloseRefused(exc.code, message_of(exc), isinstance(exc, WaybillError))
        if weights:
            from station.fulfilment.weighing import record_parcel_weight

            for parcel, items, weight in zip(made, parcels, weights):
                if weight is not None:
                    record_parcel_weight(parcel, items, weight.grams, weight.expected, weight.basis,
                                         weight.released_by)
        # a number its shop's e-waybill service gives after the scan (fulfilment.packed_numbers) is not known yet
        return Closed(tuple(p.tracking_no or (_("from {service}, printing", service=p.waybill_provider)
                                              if p.waybill_provider not in (None, "pool", "manual") else None)
                            for p in made),
                      any(p is not pre and p.tracking_no not in scanned_waybills for p in made))

    def print_waybills(self, order_no: str, reprint: bool = False) -> None:
        packing.print_waybills(self.session, self._order(order_no), user=self.ctx.user, station=self.ctx.station,
                               reprint=reprint)

    def reprint_packing_slip(self, order_no: str) -> None:
        outbox.defer(self.session, "packing-slip", order_no, user=self.ctx.user, station=self.ctx.station,
                     reprint=True)

    def put_on_hold(self, order_no: str, code: str, detail: str) -> None:
        put_on_hold(self._order(order_no), code, detail, self.ctx.user)

    def has_parcels(self, order_no: str) -> bool:
        return bool(packing.parcels_of(self.session, self._order(order_no)))

    # --- the scale (issue 18) ---
    def scale_attached(self) -> bool:
        return self._scale

    def expected_weight(self, order_no: str, contents: dict[str, int]):
        from station.fulfilment.weighing import expectation_for

        return expectation_for(self.session, contents)

    def badge(self, badge: str) -> tuple[str, frozenset[str]] | None:
        from station.catalog.models import User

        user = self.session.scalar(select(User).where(User.badge == badge))
        return (user.name, user.role_set) if user is not None else None

    def record_weight_release(self, order_no: str, supervisor: str, roles: frozenset[str], detail: str) -> None:
        from station.catalog.roles import record

        role = "supervisor" if "supervisor" in roles else "admin"
        record(self.session, "pack.weight_release", supervisor, "permitted", target=order_no,
               detail=f"role {role}; packer {self.ctx.user}; {detail}", station=self.ctx.station)
