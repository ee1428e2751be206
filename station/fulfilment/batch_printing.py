"""A batch as the office prints it, one path for ``station batch`` and the office batch window:
waybill numbers from the shops' e-waybill services first (each service asked with no transaction
open), then the batch itself (``create_batch``: pool numbers, pick list, slips, waybills, all or
nothing). If any order got no number from its service, no batch is printed."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from station.fulfilment.batches import BatchCriteria, BatchError, BatchResult, create_batch
from station.fulfilment.waybills import issue_for_batch
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
