"""Cainiao e-waybills through the Taobao Open Platform (TOP) router.

``cainiao.waybill.ii.get`` (电子面单云打印取号) and ``cainiao.waybill.ii.cancel``; the TOP
signature: MD5 over secret + the sorted ``name value`` pairs + secret, upper-case hex
(sign_method md5). ``cainiao.waybill.ii.search`` (the shop's waybill subscriptions) checks
the credentials without taking a number. Sources: docs/couriers.md.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

from station.couriers.base import (
    CredentialField, CredentialsRefused, HttpService, IssuedWaybill, Party, ServiceError, WaybillRequest,
    value_added_services,
)
from station.i18n import N_, _

ENDPOINT = "https://eco.taobao.com/router/rest"
_BEIJING = timezone(timedelta(hours=8))  # TOP wants the timestamp in Beijing time


def top_sign(params: dict[str, str], secret: str) -> str:
    """TOP's md5 signature of the request parameters (every one but ``sign``)."""
    text = secret + "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign") + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def _user_info(party: Party, *, recipient: bool) -> dict:
    info = {"name": party.name, "mobile": party.phone,
            "address": {"province": party.address.province, "city": party.address.city,
                        "district": party.address.district, "detail": party.address.detail}}
    if recipient and party.oaid:
        info["oaid"] = party.oaid  # encrypted by Taobao: passed as it came
    return info


def routing_from_print_data(print_data: str) -> dict[str, str]:
    """三段码, 集包地 name and code from Cainiao's print data when it is not encrypted
    (``need_encrypt`` false): ``data.routingInfo``. Encrypted print data tells us nothing."""
    try:
        data = json.loads(print_data).get("data") or {}
    except (ValueError, AttributeError):
        return {}
    routing = data.get("routingInfo") or {}
    consolidation = routing.get("consolidation") or {}
    sortation = routing.get("sortation") or {}
    return {"routing_code": str(routing.get("routeCode") or sortation.get("name") or ""),
            "hub_name": str(consolidation.get("name") or ""), "hub_code": str(consolidation.get("code") or "")}


class CainiaoAdapter(HttpService):
    name = "cainiao"
    title = N_("Cainiao e-waybill (Taobao/Tmall, TOP API)")
    online = True
    fields = (
        CredentialField("app_key", N_("TOP app key")),
        CredentialField("app_secret", N_("TOP app secret"), secret=True),
        CredentialField("session", N_("Shop authorisation session key"), secret=True),
        CredentialField("template_url", N_("Cloud print standard template URL")),
        CredentialField("endpoint", N_("Service address"), default=ENDPOINT),
    )

    def _call(self, method: str, params: dict[str, str]) -> dict:
        now = datetime.now(_BEIJING).strftime("%Y-%m-%d %H:%M:%S")
        full = {"method": method, "app_key": self.value("app_key"), "session": self.value("session"),
                "timestamp": now, "format": "json", "v": "2.0", "sign_method": "md5", **params}
        full = {k: v for k, v in full.items() if v != ""}  # the SDKs neither sign nor send empty parameters
        full["sign"] = top_sign(full, self.value("app_secret"))
        answer = self.post_form(self.value("endpoint") or ENDPOINT, full)
        error = answer.get("error_response")
        if error is not None:
            words = f"{error.get('code')} {error.get('msg', '')} {error.get('sub_code', '')} {error.get('sub_msg', '')}"
            # 25 invalid signature, 26/27 missing or invalid session, 28/29 missing or invalid app key
            kind = CredentialsRefused if str(error.get("code")) in {"25", "26", "27", "28", "29"} else ServiceError
            raise kind(_("Cainiao refused the request: {reason}", reason=words.strip()), words.strip())
        return answer

    def issue(self, request: WaybillRequest) -> IssuedWaybill:
        services = value_added_services(request)
        apply = {
            "cp_code": request.courier,
            "need_encrypt": False,  # plain print data: the routing data is readable for Station's own layout
            "sender": _user_info(request.sender, recipient=False),
            "trade_order_info_dtos": [{
                "object_id": request.object_id,
                "order_info": {"order_channels_type": "TB", "trade_order_list": [request.order_no]},
                "package_info": {"id": str(request.parcel_seq),
                                 "items": [{"name": n, "count": q} for n, q in request.items],
                                 **({"weight": request.weight_g} if request.weight_g else {})},
                "recipient": _user_info(request.recipient, recipient=True),
                "template_url": self.value("template_url"),
                "user_id": 0,
                # COD and insured value: TradeOrderInfoDto.logistics_services, a JSON string
                **({"logistics_services": json.dumps(services, ensure_ascii=False)} if services else {}),
            }],
        }
        answer = self._call("cainiao.waybill.ii.get",
                            {"param_waybill_cloud_print_apply_new_request": json.dumps(apply, ensure_ascii=False)})
        modules = ((answer.get("cainiao_waybill_ii_get_response") or {}).get("modules") or {})
        found = [m for m in modules.get("waybill_cloud_print_response") or [] if m.get("object_id") == request.object_id]
        if not found or not found[0].get("waybill_code"):
            raise ServiceError(_("Cainiao gave no waybill number for {order}", order=request.order_no),
                               json.dumps(answer, ensure_ascii=False)[:300])
        module = found[0]
        print_data = module.get("print_data") or ""
        return IssuedWaybill(self.name, module["waybill_code"], print_data=print_data,
                             **routing_from_print_data(print_data))

    def cancel(self, courier: str, tracking_no: str, object_id: str) -> None:
        answer = self._call("cainiao.waybill.ii.cancel", {"cp_code": courier, "waybill_code": tracking_no})
        if not (answer.get("cainiao_waybill_ii_cancel_response") or {}).get("cancel_result"):
            raise ServiceError(_("Cainiao did not cancel waybill {number}", number=tracking_no))

    def check(self) -> None:
        self._call("cainiao.waybill.ii.search", {})
