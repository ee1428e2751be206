"""A batch as the office prints it, one path for ``station batch`` and the office batch window:
waybill numbers from the shops' e-waybill services first (each service asked with no transaction
open), then the batch itself (``create_batch``: pool numbers, pick list, slips, waybills, all or
nothing). If any order got no number from its service, no batch is printed."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.db import unit_of_work
from station.fulfilment.batches import BatchCriteria, BatchError, BatchResult, create_batch, select_ready
from station.fulfilment.models import Parcel
from station.fulfilment.waybills import ServiceWaybill, WaybillError, issue_from_service, online_service
from station.i18n import _


class ServiceNumbersMissing(BatchError):
    """Some orders of the batch got no number from their e-waybill service: ``failed`` says which and why."""

    code = "service_numbers_missing"

    def __init__(self, failed: list[tuple[str, Exception]]) -> None:
        super().__init__(_("No batch was printed: {count} orders have no waybill number from their service",
                           count=len(failed)))
        self.failed = failed


def print_batch(sessions: sessionmaker[Session], criteria: BatchCriteria, *, user: str | None, station: str | None,
                progress: Callable[[int, int], None] | None = None) -> BatchResult:
    failed = [(order_no, got) for order_no, got in issue_for_batch(sessions, criteria) if isinstance(got, Exception)]
    if failed:
        raise ServiceNumbersMissing(failed)
    kw = {"progress": progress} if progress is not None else {}
    return create_batch(sessions, criteria, user=user, station=station, **kw)


def issue_for_batch(sessions: sessionmaker[Session], criteria) -> list[tuple[str, "ServiceWaybill | Exception"]]:
    """Before a batch: every order it would take whose shop has an e-waybill service and which has
    no number yet gets one from the service (each asked with no transaction open). Returns each
    such order with its waybill or the reason it got none; the caller prints no batch if any failed
    (numbers already taken stay on their parcels, for the next try)."""
    from station.couriers import ServiceError

    with unit_of_work(sessions) as s:
        orders = select_ready(s, criteria)
        numbered = set(s.scalars(select(Parcel.order_id).where(
            Parcel.order_id.in_([o.id for o in orders]), Parcel.status == "printed"))) if orders else set()
        services = {shop: online_service(s, shop) for shop in {o.shop for o in orders}}
        todo = [o.order_no for o in orders if services[o.shop] and o.id not in numbered]
    results: list[tuple[str, ServiceWaybill | Exception]] = []
    for order_no in todo:
        try:
            results.append((order_no, issue_from_service(sessions, order_no)))
        except (WaybillError, ServiceError) as exc:
            results.append((order_no, exc))
    return results
