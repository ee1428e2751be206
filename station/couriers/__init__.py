"""Courier adapters: where a parcel's waybill number and routing data come from.

One interface (``base.CourierAdapter``) with the built-in number pool and manual adapters and
the platforms' e-waybill services (Cainiao, 拼多多, 抖店, SF 丰桥, JD 无界). Every service adapter signs its
requests as the platform documents, passes an encrypted recipient (``oaid``) through untouched,
and speaks HTTP only: it is called with no database transaction open (station.fulfilment.waybills
does the reading and writing around it). Credentials come from the system keyring
(``credentials``), never from the database. docs/couriers.md cites each published format.
"""
from station.couriers.base import (
    Address, CourierAdapter, CredentialField, IssuedWaybill, Party, ServiceError, WaybillRequest,
)
from station.couriers.registry import PROVIDERS, adapter, provider

__all__ = ["Address", "CourierAdapter", "CredentialField", "IssuedWaybill", "PROVIDERS", "Party", "ServiceError",
           "WaybillRequest", "adapter", "provider"]
