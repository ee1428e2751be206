"""Every adapter by name: ``station waybills providers`` lists these."""
from __future__ import annotations

from station.couriers.base import CourierAdapter, ServiceError
from station.couriers.doudian import DoudianAdapter
from station.couriers.jd import JdAdapter
from station.couriers.local import ManualAdapter, PoolAdapter
from station.couriers.pdd import PddAdapter
from station.couriers.sf import SfAdapter
from station.couriers.top import CainiaoAdapter
from station.i18n import _

PROVIDERS = {a.name: a for a in (PoolAdapter, ManualAdapter, CainiaoAdapter, SfAdapter, PddAdapter,
                                                  DoudianAdapter, JdAdapter)}


def provider(name: str):
    try:
        return PROVIDERS[name]
    except KeyError:
        raise ServiceError(_("Unknown waybill service {name}; one of: {names}", name=name,
                             names=", ".join(PROVIDERS))) from None


def adapter(name: str, credentials: dict[str, str] | None = None) -> CourierAdapter:
    """The adapter ``name`` with a shop's credentials (an online one needs them)."""
    cls = provider(name)
    if not cls.online:
        return cls()
    if not credentials:
        raise ServiceError(_("No credentials stored for {name}: run station waybills credentials", name=name))
    return cls(credentials)
