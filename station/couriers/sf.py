"""SF Express 丰桥 (SF open platform): ``EXP_RECE_CREATE_ORDER`` takes a number with its route
label (大头笔 ``destRouteLabel``, 进港映射码 ``codingMapping``, QR ``twoDimensionCode``);
``EXP_RECE_UPDATE_ORDER`` with ``dealType`` 2 cancels it.

msgDigest = Base64(MD5(urlencode(msgData + timestamp + checkWord))), the URL encoding Java's
``URLEncoder.encode(..., "UTF-8")`` makes (space as ``+``, ``*`` kept, ``~`` escaped), as in
SF's demo code. ``EXP_RECE_SEARCH_ORDER_RESP`` for an order that does not exist checks the
credentials (its API result code says whether SF accepted the digest). Sources: docs/couriers.md.
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.parse
import uuid

from station.couriers.base import (
    CredentialField, CredentialsRefused, HttpService, IssuedWaybill, Party, ServiceError, WaybillRequest,
    money,
)
from station.i18n import N_, _

ENDPOINT = "https://sfapi.sf-express.com/std/service"
SANDBOX = "https://sfapi-sbox.sf-express.com/std/service"
#: apiResultCode meaning the credentials are wrong (A1004 no permission for the service, A1006 bad digest)
_REFUSED = {"A1001", "A1003", "A1004", "A1006"}


def java_urlencode(text: str) -> str:
    """java.net.URLEncoder.encode(text, "UTF-8"): unreserved a-z A-Z 0-9 . - * _, space as +."""
    return urllib.parse.quote_plus(text, safe="*").replace("~", "%7E")


def msg_digest(msg_data: str, timestamp: str, check_word: str) -> str:
    md5 = hashlib.md5(java_urlencode(msg_data + timestamp + check_word).encode("utf-8")).digest()
    return base64.b64encode(md5).decode("ascii")


def _contact(kind: int, party: Party) -> dict:
    return {"contactType": kind, "contact": party.name, "mobile": party.phone, "country": "CN",
            "province": party.address.province, "city": party.address.city, "county": party.address.district,
            "address": party.address.detail}


#: payMethod of EXP_RECE_CREATE_ORDER: 1 寄方付 (also monthly, on the monthly card), 2 收方付, 3 第三方付
PAY_METHODS = {"prepaid": 1, "monthly": 1, "collect": 2, "third_party": 3}


class SfAdapter(HttpService):
    name = "sf"
    title = N_("SF Express 丰桥 (SF open platform)")
    online = True
    fields = (
        CredentialField("partner_id", N_("Customer code (partnerID)")),
        CredentialField("check_word", N_("Check word"), secret=True),
        CredentialField("monthly_card", N_("Monthly account card number")),
        CredentialField("endpoint", N_("Service address"), default=ENDPOINT),
    )

    def _call(self, service: str, msg: dict) -> dict:
        msg_data = json.dumps(msg, ensure_ascii=False)
        timestamp = str(int(time.time() * 1000))
        params = {"partnerID": self.value("partner_id"), "requestID": uuid.uuid4().hex, "serviceCode": service,
                  "timestamp": timestamp, "msgData": msg_data,
                  "msgDigest": msg_digest(msg_data, timestamp, self.value("check_word"))}
        answer = self.post_form(self.value("endpoint") or ENDPOINT, params)
        code = answer.get("apiResultCode")
        if code != "A1000":
            words = f"{code} {answer.get('apiErrorMsg') or ''}".strip()
            kind = CredentialsRefused if code in _REFUSED else ServiceError
            raise kind(_("SF refused the request: {reason}", reason=words), words)
        try:
            return json.loads(answer.get("apiResultData") or "{}")
        except ValueError:
            raise ServiceError(_("SF answered something that is not JSON"), str(answer)[:200]) from None

    def _business(self, result: dict) -> dict:
        if not result.get("success"):
            words = f"{result.get('errorCode')} {result.get('errorMsg') or ''}".strip()
            raise ServiceError(_("SF refused the request: {reason}", reason=words), words)
        return result.get("msgData") or {}

    def issue(self, request: WaybillRequest) -> IssuedWaybill:
        msg = {
            "language": "zh-CN", "orderId": request.object_id,
            "cargoDetails": [{"name": n, "count": q} for n, q in request.items],
            "contactInfoList": [_contact(1, request.sender), _contact(2, request.recipient)],
            "monthlyCard": self.value("monthly_card"), "payMethod": PAY_METHODS.get(request.payment, 1),
            "expressTypeId": 1, "isReturnRoutelabel": 1,
            **({"totalWeight": round(request.weight_g / 1000, 3)} if request.weight_g else {}),
        }
        services = []  # 增值服务: COD (value: the amount, value1: the monthly card it is paid to), INSURE
        if request.cod_amount:
            services.append({"name": "COD", "value": money(request.cod_amount), "value1": self.value("monthly_card")})
        if request.insured_value:
            services.append({"name": "INSURE", "value": money(request.insured_value)})
        if services:
            msg["serviceList"] = services
        data = self._business(self._call("EXP_RECE_CREATE_ORDER", msg))
        numbers = [w.get("waybillNo") for w in data.get("waybillNoInfoList") or [] if w.get("waybillType") in (1, None)]
        if not numbers or not numbers[0]:
            raise ServiceError(_("SF gave no waybill number for {order}", order=request.order_no),
                               json.dumps(data, ensure_ascii=False)[:300])
        labels = [r.get("routeLabelData") or {} for r in data.get("routeLabelInfo") or [] if r.get("code") == "1000"]
        label = labels[0] if labels else {}
        return IssuedWaybill(self.name, numbers[0], routing_code=label.get("destRouteLabel") or "",
                             hub_name="", hub_code=label.get("codingMapping") or "",
                             qr_data=label.get("twoDimensionCode") or "",
                             print_data=json.dumps(label, ensure_ascii=False) if label else "")

    def cancel(self, courier: str, tracking_no: str, object_id: str) -> None:
        self._business(self._call("EXP_RECE_UPDATE_ORDER", {
            "orderId": object_id, "dealType": 2, "waybillNoInfoList": [{"waybillType": 1, "waybillNo": tracking_no}]}))

    def check(self) -> None:
        self._call("EXP_RECE_SEARCH_ORDER_RESP", {"orderId": "STATION-CREDENTIAL-CHECK", "searchType": 1})
