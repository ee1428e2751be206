"""JD 无界电子面单 through the JD open platform (JOS) router: ``jingdong.ldop.alpha.waybill.receive``
takes a number, ``jingdong.ldop.alpha.vendor.bigshot.query`` gives its 大头笔 (bigShotName,
second and third section codes: the 三段码) and 集包地 (gatherCenterName / Code), and
``jingdong.ldop.alpha.waybill.api.unbind`` gives a number back.

The JOS signature: MD5 over secret + the sorted ``name value`` pairs + secret, upper-case hex;
the API's own parameters go as JSON in ``360buy_param_json``. ``jingdong.ldop.alpha.provider.
sign.success`` (the shop's signed couriers) checks the credentials. Sources: docs/couriers.md.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

from station.couriers.base import (
    CredentialField, CredentialsRefused, HttpService, IssuedWaybill, Party, ServiceError, WaybillRequest,
    money,
)
from station.i18n import N_, _

ENDPOINT = "https://api.jd.com/routerjson"
_BEIJING = timezone(timedelta(hours=8))


def jos_sign(params: dict[str, str], secret: str) -> str:
    text = secret + "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign") + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def _address(party: Party) -> dict:
    return {"provinceName": party.address.province, "cityName": party.address.city,
            "countryName": party.address.district, "address": party.address.detail,
            "contact": party.name, "mobile": party.phone}


class JdAdapter(HttpService):
    name = "jd"
    title = N_("JD 无界电子面单 (JD open platform)")
    online = True
    fields = (
        CredentialField("app_key", N_("JD app key")),
        CredentialField("app_secret", N_("JD app secret"), secret=True),
        CredentialField("access_token", N_("Shop access token"), secret=True),
        CredentialField("vendor_code", N_("Vendor code (商家编码)")),
        CredentialField("vendor_name", N_("Vendor name")),
        CredentialField("branch_code", N_("Courier branch code (加盟 couriers)"), required=False),
        CredentialField("sale_platform", N_("Sales platform code"), default="0010001"),
        CredentialField("endpoint", N_("Service address"), default=ENDPOINT),
    )

    def _call(self, method: str, params: dict) -> dict:
        full = {"method": method, "app_key": self.value("app_key"), "access_token": self.value("access_token"),
                "timestamp": datetime.now(_BEIJING).strftime("%Y-%m-%d %H:%M:%S"), "v": "2.0",
                "360buy_param_json": json.dumps(params, ensure_ascii=False)}
        full = {k: v for k, v in full.items() if v != ""}  # an empty parameter is neither signed nor sent
        full["sign"] = jos_sign(full, self.value("app_secret"))
        answer = self.post_form(self.value("endpoint") or ENDPOINT, full)
        error = answer.get("error_response")
        if error is not None:
            words = f"{error.get('code')} {error.get('zh_desc') or ''} {error.get('en_desc') or ''}".strip()
            refused = any(w in (error.get("en_desc") or "").lower() for w in ("token", "sign", "app_key", "appkey"))
            raise (CredentialsRefused if refused else ServiceError)(
                _("JD refused the request: {reason}", reason=words), words)
        # JOS spells the envelope "…_responce" on most of these APIs, "…_response" on some
        body = next((v for k, v in answer.items() if k.endswith(("_responce", "_response"))), {}) or {}
        result = body.get("resultInfo") or {}
        if str(result.get("statusCode", "0")) != "0":
            words = f"{result.get('statusCode')} {result.get('statusMessage') or ''}".strip()
            raise ServiceError(_("JD refused the request: {reason}", reason=words), words)
        return result.get("data") or {}

    def issue(self, request: WaybillRequest) -> IssuedWaybill:
        content = {"waybillType": 1, "waybillCount": 1, "providerCode": request.courier,
                   "salePlatform": self.value("sale_platform") or "0010001",
                   "platformOrderNo": request.object_id, "vendorCode": self.value("vendor_code"),
                   "vendorName": self.value("vendor_name"), "vendorOrderCode": request.order_no,
                   "fromAddress": _address(request.sender), "toAddress": _address(request.recipient),
                   "weight": round((request.weight_g or 0) / 1000, 3), "volume": 0, "payType": 0,
                   "goodsName": "、".join(n for n, _q in request.items)[:100]}
        if request.cod_amount:  # 代收货款: collectionValue 1 and the amount
            content.update(collectionValue=1, collectionMoney=money(request.cod_amount))
        if request.insured_value:  # 保价: guaranteeValue 1 and the declared value
            content.update(guaranteeValue=1, guaranteeValueAmount=money(request.insured_value))
        if self.value("branch_code"):
            content["branchCode"] = self.value("branch_code")
        data = self._call("jingdong.ldop.alpha.waybill.receive", {"content": json.dumps(content, ensure_ascii=False)})
        numbers = data.get("waybillCodeList") or []
        if not numbers:
            raise ServiceError(_("JD gave no waybill number for {order}", order=request.order_no),
                               json.dumps(data, ensure_ascii=False)[:300])
        number = numbers[0]
        shot = self._call("jingdong.ldop.alpha.vendor.bigshot.query",
                          {"waybillCode": number, "providerCode": request.courier})
        sections = [shot.get("bigShotName") or "", shot.get("secondSectionCode") or "", shot.get("thirdSectionCode") or ""]
        return IssuedWaybill(self.name, number, routing_code="-".join(s for s in sections if s),
                             hub_name=shot.get("gatherCenterName") or "", hub_code=shot.get("gatherCenterCode") or "",
                             print_data=json.dumps(shot, ensure_ascii=False) if shot else "")

    def cancel(self, courier: str, tracking_no: str, object_id: str) -> None:
        self._call("jingdong.ldop.alpha.waybill.api.unbind", {"providerCode": courier, "waybillCode": tracking_no})

    def check(self) -> None:
        self._call("jingdong.ldop.alpha.provider.sign.success", {"vendorCode": self.value("vendor_code")})
