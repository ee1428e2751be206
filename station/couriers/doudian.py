"""抖店 e-waybills through the Douyin shop open platform (``logistics.newCreateOrder`` /
``logistics.cancelOrder``).

The call: POST to ``/logistics/newCreateOrder`` with app_key, method, v=2, timestamp,
access_token, sign_method and sign in the query and ``param_json`` as the body: the parameters
as JSON with every object's keys sorted, no spaces, unicode and slashes unescaped. sign =
HMAC-SHA256(key=app_secret, app_secret + "app_key…method…param_json…timestamp…v2" + app_secret),
hex. The answer carries the 三段码 (``sort_code``), 大头笔 (``short_address_name``) and 集包地
(``package_center_name`` / ``_code``). The recipient of a 抖店 order comes encrypted (name,
mobile, detail address ciphertexts) and goes out as it came. ``logistics.templateList``
(the standard templates) checks the credentials. Sources: docs/couriers.md.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse

from station.couriers.base import (
    CredentialField, CredentialsRefused, HttpService, IssuedWaybill, Party, ServiceError, WaybillRequest,
    value_added_services,
)
from station.i18n import N_, _

ENDPOINT = "https://openapi-fxg.jinritemai.com"
#: Station's courier codes → 抖店's logistics_code (check a shop's with logistics.listShopNetsite)
LOGISTICS_CODES = {"SF": "shunfeng", "ZTO": "zhongtong", "YTO": "yuantong", "STO": "shentong", "YUNDA": "yunda",
                   "EMS": "ems", "JD": "jd"}


def param_json(params: dict) -> str:
    """The body, exactly as signed: keys sorted at every depth, compact, unicode as it is."""
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def doudian_sign(app_key: str, secret: str, method: str, timestamp: str, body: str) -> str:
    pattern = f"{secret}app_key{app_key}method{method}param_json{body}timestamp{timestamp}v2{secret}"
    return hmac.new(secret.encode("utf-8"), pattern.encode("utf-8"), hashlib.sha256).hexdigest()


def _address(party: Party) -> dict:
    return {"country_code": "CHN", "province_name": party.address.province, "city_name": party.address.city,
            "district_name": party.address.district, "detail_address": party.address.detail}


class DoudianAdapter(HttpService):
    name = "doudian"
    title = N_("抖店 e-waybill (Douyin shop open platform)")
    online = True
    fields = (
        CredentialField("app_key", N_("抖店 app key")),
        CredentialField("app_secret", N_("抖店 app secret"), secret=True),
        CredentialField("access_token", N_("Shop access token"), secret=True),
        CredentialField("endpoint", N_("Service address"), default=ENDPOINT),
    )

    def _call(self, method: str, params: dict) -> dict:
        body = param_json(params)
        timestamp = str(int(time.time()))
        query = {"app_key": self.value("app_key"), "method": method, "v": "2", "timestamp": timestamp,
                 "access_token": self.value("access_token"), "sign_method": "hmac-sha256",
                 "sign": doudian_sign(self.value("app_key"), self.value("app_secret"), method, timestamp, body)}
        url = (self.value("endpoint") or ENDPOINT).rstrip("/") + "/" + method.replace(".", "/")
        answer = self.post(f"{url}?{urllib.parse.urlencode(query)}", body.encode("utf-8"),
                           "application/json;charset=utf-8")
        code = answer.get("err_no", answer.get("code"))
        if code not in (0, 10000, "0", "10000"):
            words = f"{code} {answer.get('message') or answer.get('msg') or ''} {answer.get('sub_msg') or ''}".strip()
            raise ServiceError(_("抖店 refused the request: {reason}", reason=words), words)
        return answer.get("data") or {}

    def issue(self, request: WaybillRequest) -> IssuedWaybill:
        order = {"order_id": request.order_no,
                 "receiver_info": {"address": _address(request.recipient),
                                   "contact": {"name": request.recipient.name, "mobile": request.recipient.phone}},
                 "items": [{"item_name": n, "item_count": q} for n, q in request.items]}
        services = value_added_services(request)
        if services:  # OrderInfos.service_list: [{service_code, service_value (a JSON string)}]
            order["service_list"] = [{"service_code": code, "service_value": json.dumps(value, ensure_ascii=False)}
                                     for code, value in services.items()]
        if request.parcel_seq > 1:  # a second parcel of the order: another pack id, or 抖店 returns the old number
            order["pack_id"] = str(request.parcel_seq)
        data = self._call("logistics.newCreateOrder", {
            "sender_info": {"address": _address(request.sender),
                            "contact": {"name": request.sender.name, "mobile": request.sender.phone}},
            "logistics_code": LOGISTICS_CODES.get(request.courier, request.courier.lower()),
            "order_infos": [order]})
        found = [e for e in data.get("ebill_infos") or [] if e.get("order_id") == request.order_no and e.get("track_no")]
        if not found:
            errors = "; ".join(f"{e.get('err_code')} {e.get('err_msg')}" for e in data.get("err_infos") or [])
            raise ServiceError(_("抖店 gave no waybill number for {order}", order=request.order_no), errors)
        e = found[0]
        return IssuedWaybill(self.name, e["track_no"], routing_code=e.get("sort_code") or e.get("short_address_name") or "",
                             hub_name=e.get("package_center_name") or "", hub_code=e.get("package_center_code") or "",
                             print_data=e.get("extra_resp") or "")

    def cancel(self, courier: str, tracking_no: str, object_id: str) -> None:
        data = self._call("logistics.cancelOrder", {"logistics_code": LOGISTICS_CODES.get(courier, courier.lower()),
                                                    "track_no": tracking_no})
        if not data.get("cancel_result"):
            raise ServiceError(_("抖店 did not cancel waybill {number}", number=tracking_no))

    def check(self) -> None:
        try:
            self._call("logistics.templateList", {})
        except ServiceError as exc:
            if "cannot be reached" in str(exc) or "HTTP" in str(exc):
                raise
            raise CredentialsRefused(str(exc), exc.detail) from None
