"""The courier adapter interface and the plain values it speaks (no database, no Qt)."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from station.i18n import _


class ServiceError(Exception):
    """The service refused or could not be reached; ``detail`` is the service's own words."""

    code = "waybill_service_error"

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class CredentialsRefused(ServiceError):
    code = "waybill_credentials_refused"


@dataclass(frozen=True)
class Address:
    province: str
    city: str
    district: str
    detail: str


@dataclass(frozen=True)
class Party:
    name: str
    phone: str
    address: Address
    #: The platform's encrypted recipient (Taobao's ``oaid``): sent as it came, never opened.
    oaid: str | None = None


@dataclass(frozen=True)
class WaybillRequest:
    """One parcel that needs a waybill number."""

    order_no: str  # the shop's (platform's) order number, the trade id the service knows
    courier: str  # Station's courier code (SF, ZTO, YTO, STO, YUNDA, EMS, JD): the services' cp_code
    parcel_seq: int
    sender: Party
    recipient: Party
    items: tuple[tuple[str, int], ...]  # (name, quantity)
    weight_g: int | None = None
    #: Cash the courier collects on delivery (代收货款) and the declared value to insure (保价), in
    #: yuan; None: no such service. ``payment``: how the freight is paid (prepaid, collect, monthly,
    #: third_party); "": the account's default.
    cod_amount: Decimal | None = None
    insured_value: Decimal | None = None
    payment: str = ""

    @property
    def object_id(self) -> str:
        """Our id of this parcel in the request; unique per order and parcel."""
        return f"{self.order_no}-{self.parcel_seq}"


@dataclass(frozen=True)
class IssuedWaybill:
    """A number and what the courier says about routing it. Empty strings: the service said nothing."""

    provider: str
    tracking_no: str
    routing_code: str = ""  # 三段码 / 大头笔
    hub_name: str = ""  # 集包地
    hub_code: str = ""
    qr_data: str = ""
    print_data: str = ""  # the service's print data (encrypted or not), for its print component


@dataclass(frozen=True)
class CredentialField:
    name: str
    label: str  # N_() text, translated where shown
    secret: bool = False
    default: str = ""
    required: bool = True


def money(value: Decimal) -> str:
    """An amount as the services write it: yuan with two decimals ("199.00")."""
    return f"{value:.2f}"


def value_added_services(request: WaybillRequest) -> dict[str, dict[str, str]]:
    """COD and insurance as Cainiao's and 拼多多's ``logistics_services`` and 抖店's ``service_list``
    name them (``SVC-COD``, ``SVC-INSURE``, each ``{"value": yuan}``); empty when the parcel has neither."""
    services = {}
    if request.cod_amount:
        services["SVC-COD"] = {"value": money(request.cod_amount)}
    if request.insured_value:
        services["SVC-INSURE"] = {"value": money(request.insured_value)}
    return services


class CourierAdapter(Protocol):
    """Where waybill numbers come from. ``issue`` and ``cancel`` of an online service do HTTP:
    call them with no database transaction open."""

    name: str
    title: str
    online: bool
    fields: tuple[CredentialField, ...]

    def issue(self, request: WaybillRequest) -> IssuedWaybill: ...

    def cancel(self, courier: str, tracking_no: str, object_id: str) -> None:
        """Give the number back (a voided parcel); ``object_id`` is the request's ``object_id``."""

    def check(self) -> None:
        """Raise CredentialsRefused (or ServiceError) unless the service accepts the credentials."""


@dataclass
class HttpService:
    """The shared plumbing of the online adapters: the credentials and one form POST."""

    credentials: dict[str, str] = field(repr=False)  # never in a repr, a log line or a traceback's summary
    timeout: float = 15.0

    def value(self, name: str) -> str:
        return self.credentials.get(name) or ""

    def post_form(self, url: str, params: dict[str, str]) -> dict:
        return self.post(url, urllib.parse.urlencode(params).encode("utf-8"),
                         "application/x-www-form-urlencoded;charset=utf-8")

    def post(self, url: str, body: bytes, content_type: str) -> dict:
        req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                text = resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            raise ServiceError(_("The waybill service answered HTTP {status}", status=exc.code)) from None
        except (urllib.error.URLError, OSError) as exc:
            raise ServiceError(_("The waybill service cannot be reached: {reason}",
                                 reason=getattr(exc, "reason", exc))) from None
        try:
            return json.loads(text)
        except ValueError:
            raise ServiceError(_("The waybill service answered something that is not JSON"), text[:200]) from None
