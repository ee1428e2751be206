"""拼多多 e-waybills through the PDD open platform router (``pdd.waybill.get`` / ``.cancel``).

The PDD signature: MD5 over client_secret + the sorted ``name value`` pairs + client_secret,
upper-case hex. The recipient of a PDD order arrives encrypted (the order's ``receiver_*``
ciphertexts): passed through untouched. PDD's print data is encrypted, for its
print component; it carries the routing data, so Station's own layout gets none from PDD.
``pdd.waybill.search`` (the shop's subscriptions) checks the credentials. Sources: docs/couriers.md.
"""
from __future__ import annotations

import hashlib
import json
import time

from station.couriers.base import (
    CredentialField, CredentialsRefused, HttpService, IssuedWaybill, Party, ServiceError, WaybillRequest,
    value_added_services,
)
from station.i18n import N_, _

ENDPOINT = "https://gw-api.pinduoduo.com/api/router"


def pdd_sign(params: dict[str, str], secret: str) -> str:
    text = secret + "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign") + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def _user_info(party: Party) -> dict:
    # A PDD order's recipient name, phone and address arrive as the platform's ciphertexts and
    # sit in the order as they came: they go out as they are.
    return {"name": party.name, "mobile": party.phone,
            "address": {"province": party.address.province, "city": party.address.city,
                        "district": party.address.district, "detail": party.address.detail}}


class PddAdapter(HttpService):
    name = "pdd"
    title = N_("拼多多 e-waybill (PDD open platform)")
    online = True
    fields = (
        CredentialField("client_id", N_("PDD client id")),
        CredentialField("client_secret", N_("PDD client secret"), secret=True),
        CredentialField("access_token", N_("Shop access token"), secret=True),
        CredentialField("template_url", N_("Cloud print standard template URL")),
        CredentialField("endpoint", N_("Service address"), default=ENDPOINT),
    )

    def _call(self, kind: str, params: dict[str, str]) -> dict:
        full = {"type": kind, "client_id": self.value("client_id"), "access_token": self.value("access_token"),
                "timestamp": str(int(time.time())), "data_type": "JSON", "version": "V1", **params}
        full = {k: v for k, v in full.items() if v != ""}  # an empty parameter is neither signed nor sent
        full["sign"] = pdd_sign(full, self.value("client_secret"))
        answer = self.post_form(self.value("endpoint") or ENDPOINT, full)
        error = answer.get("error_response")
        if error is not None:
            words = f"{error.get('error_code')} {error.get('error_msg', '')} {error.get('sub_msg', '')}".strip()
            # 10016 client_id/secret invalid, 10019 access_token expired or invalid, 10035 sign invalid
            kind_ = CredentialsRefused if str(error.get("error_code")) in {"10016", "10019", "10035"} else ServiceError
            raise kind_(_("拼多多 refused the request: {reason}", reason=words), words)
        return answer

    def issue(self, request: WaybillRequest) -> IssuedWaybill:
        services = value_added_services(request)
        apply = {
            "wp_code": request.courier,
            "sender": _user_info(request.sender),
            "trade_order_info_dtos": [{
                "object_id": request.object_id,
                "order_info": {"order_channels_type": "PDD", "trade_order_list": [request.order_no]},
                "package_info": {"id": str(request.parcel_seq),
                                 "items": [{"name": n, "count": q} for n, q in request.items]},
                "recipient": _user_info(request.recipient),
                "template_url": self.value("template_url"),
                "user_id": 0,
                # COD and insured value: logistics_services, a JSON string (as Cainiao's)
                **({"logistics_services": json.dumps(services, ensure_ascii=False)} if services else {}),
            }],
        }
        answer = self._call("pdd.waybill.get",
                            {"param_waybill_cloud_print_apply_new_request": json.dumps(apply, ensure_ascii=False)})
        modules = (answer.get("pdd_waybill_get_response") or {}).get("modules") or []
        found = [m for m in modules if m.get("object_id") == request.object_id]
        if not found or not found[0].get("waybill_code"):
            raise ServiceError(_("拼多多 gave no waybill number for {order}", order=request.order_no),
                               json.dumps(answer, ensure_ascii=False)[:300])
        return IssuedWaybill(self.name, found[0]["waybill_code"], print_data=found[0].get("print_data") or "")

    def cancel(self, courier: str, tracking_no: str, object_id: str) -> None:
        answer = self._call("pdd.waybill.cancel", {"wp_code": courier, "waybill_code": tracking_no})
        if not (answer.get("pdd_waybill_cancel_response") or {}).get("cancel_result"):
            raise ServiceError(_("拼多多 did not cancel waybill {number}", number=tracking_no))

    def check(self) -> None:
        self._call("pdd.waybill.search", {})
