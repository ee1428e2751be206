"""The two adapters that need no service: the courier branch's number pool and the pre-printed
(manual) waybill. Both live in the database (station.fulfilment.waybills); these describe them
for ``station waybills providers`` and give back a number the same way the services do."""
from __future__ import annotations

from station.couriers.base import CredentialField, IssuedWaybill, ServiceError, WaybillRequest
from station.i18n import N_, _


class PoolAdapter:
    """Numbers a courier branch issued (``station waybills add``), allocated at batch print or
    packing inside the database transaction, each exactly once. A pool file may carry a routing
    code and hub per number; without them the waybill's routing zone is left for the courier's pen."""

    name = "pool"
    title = N_("Number pool from a courier branch (off-platform orders)")
    online = False
    fields: tuple[CredentialField, ...] = ()

    def issue(self, request: WaybillRequest) -> IssuedWaybill:
        raise ServiceError(_("Pool numbers are allocated when a batch prints or a parcel is packed"))

    def cancel(self, courier: str, tracking_no: str, object_id: str) -> None:
        """A void pool number is never reused (it stays on its void parcel): nobody to tell."""

    def check(self) -> None:
        """Nothing to check: the pool is in the database."""


class ManualAdapter(PoolAdapter):
    """A pre-printed waybill scanned at packing: its number must fit the courier's pattern."""

    name = "manual"
    title = N_("Pre-printed waybill scanned at packing")
