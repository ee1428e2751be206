"""Local stand-ins for the e-waybill services, speaking their published request/response schema
(sources in docs/couriers.md). Each recomputes the request's signature on its own, from the
platform's documentation — not with Station's code — and refuses a wrong one the way the
platform does. None of this has met the live services."""
from __future__ import annotations

import base64
import hashlib
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _md5_upper(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def top_signature(params: dict[str, str], secret: str) -> str:
    """TOP (open.taobao.com, 签名算法): sort the parameters but sign by name, join name+value,
    wrap in the secret, MD5, upper-case hex; empty values are left out (as the TOP SDKs do)."""
    joined = "".join(k + v for k, v in sorted(params.items()) if k != "sign" and v)
    return _md5_upper(secret + joined + secret)


def pdd_signature(params: dict[str, str], secret: str) -> str:
    """PDD (open.pinduoduo.com, 签名规则): the same shape over every parameter but sign."""
    joined = "".join(k + v for k, v in sorted(params.items()) if k != "sign")
    return _md5_upper(secret + joined + secret)


def sf_digest(msg_data: str, timestamp: str, check_word: str) -> str:
    """丰桥 (数字签名): Base64(MD5(URLEncoder.encode(msgData + timestamp + checkWord, "UTF-8")))."""
    encoded = "".join(_java_url_byte(b) for b in (msg_data + timestamp + check_word).encode("utf-8"))
    return base64.b64encode(hashlib.md5(encoded.encode("utf-8")).digest()).decode()


def _java_url_byte(b: int) -> str:
    """One byte as java.net.URLEncoder writes it: a-z A-Z 0-9 . - * _ as they are, space as +,
    everything else %XX in upper case."""
    c = chr(b)
    if b < 128 and (c.isalnum() or c in ".-*_"):
        return c
    return "+" if c == " " else f"%{b:02X}"


@dataclass
class Service:
    """What a stand-in accepts and what it saw."""

    secret: str
    key: str
    token: str = ""
    requests: list[dict] = field(default_factory=list)
    issued: dict[str, str] = field(default_factory=dict)  # waybill number -> object id
    cancelled: list[str] = field(default_factory=list)
    next_number: int = 0
    url: str = ""


def cainiao_print_data(number: str) -> str:
    """Plain (need_encrypt false) cloud-print data: ``data.routingInfo`` carries the 三段码
    (routeCode), 大头笔 (sortation) and 集包地 (consolidation)."""
    return json.dumps({"data": {"waybillCode": number, "routingInfo": {
        "routeCode": "571 W02-08", "sortation": {"name": "杭州"},
        "consolidation": {"name": "杭州转运中心", "code": "571000"}}},
        "templateURL": "http://cloudprint.cainiao.com/template/standard/101/123", "signature": "MD:x"},
        ensure_ascii=False)


def _top(svc: Service, p: dict[str, str]) -> dict:
    if p.get("app_key") != svc.key:
        return {"error_response": {"code": 29, "msg": "Invalid app Key", "sub_code": "isv.appkey-not-exists"}}
    if p.get("sign") != top_signature(p, svc.secret):
        return {"error_response": {"code": 25, "msg": "Invalid signature"}}
    if p.get("session") != svc.token:
        return {"error_response": {"code": 27, "msg": "Invalid session", "sub_code": "invalid-sessionkey"}}
    method = p.get("method")
    if method == "cainiao.waybill.ii.get":
        apply = json.loads(p["param_waybill_cloud_print_apply_new_request"])
        modules = []
        for dto in apply["trade_order_info_dtos"]:
            svc.next_number += 1
            number = f"7{svc.next_number:011d}"  # a ZTO-shaped number
            svc.issued[number] = dto["object_id"]
            modules.append({"object_id": dto["object_id"], "waybill_code": number,
                            "print_data": cainiao_print_data(number)})
        return {"cainiao_waybill_ii_get_response": {"modules": {"waybill_cloud_print_response": modules},
                                                    "request_id": "r1"}}
    if method == "cainiao.waybill.ii.cancel":
        ok = p.get("waybill_code") in svc.issued
        if ok:
            svc.cancelled.append(p["waybill_code"])
        return {"cainiao_waybill_ii_cancel_response": {"cancel_result": ok}}
    if method == "cainiao.waybill.ii.search":
        return {"cainiao_waybill_ii_search_response": {"waybill_apply_subscription_cols": {}}}
    return {"error_response": {"code": 22, "msg": "Invalid method"}}


def _pdd(svc: Service, p: dict[str, str]) -> dict:
    if p.get("client_id") != svc.key or p.get("sign") != pdd_signature(p, svc.secret):
        return {"error_response": {"error_code": 10035, "error_msg": "签名错误", "request_id": "r"}}
    if p.get("access_token") != svc.token:
        return {"error_response": {"error_code": 10019, "error_msg": "access_token已过期", "request_id": "r"}}
    kind = p.get("type")
    if kind == "pdd.waybill.get":
        apply = json.loads(p["param_waybill_cloud_print_apply_new_request"])
        modules = []
        for dto in apply["trade_order_info_dtos"]:
            svc.next_number += 1
            number = f"YT{svc.next_number:013d}"
            svc.issued[number] = dto["object_id"]
            modules.append({"object_id": dto["object_id"], "waybill_code": number,
                            "print_data": json.dumps({"encryptedData": "AbC==", "signature": "s", "ver": "3"})})
        return {"pdd_waybill_get_response": {"modules": modules, "request_id": "r"}}
    if kind == "pdd.waybill.cancel":
        ok = p.get("waybill_code") in svc.issued
        if ok:
            svc.cancelled.append(p["waybill_code"])
        return {"pdd_waybill_cancel_response": {"cancel_result": ok}}
    if kind == "pdd.waybill.search":
        return {"pdd_waybill_search_response": {"waybill_apply_subscription_cols": []}}
    return {"error_response": {"error_code": 10001, "error_msg": "type error"}}


def _sf(svc: Service, p: dict[str, str]) -> dict:
    if p.get("partnerID") != svc.key:
        return {"apiResultCode": "A1004", "apiErrorMsg": "无对应服务权限", "apiResponseID": "x", "apiResultData": None}
    if p.get("msgDigest") != sf_digest(p.get("msgData", ""), p.get("timestamp", ""), svc.secret):
        return {"apiResultCode": "A1006", "apiErrorMsg": "数字签名无效", "apiResponseID": "x", "apiResultData": None}
    msg = json.loads(p["msgData"])
    service = p.get("serviceCode")
    if service == "EXP_RECE_CREATE_ORDER":
        svc.next_number += 1
        number = f"SF{svc.next_number:013d}"
        svc.issued[number] = msg["orderId"]
        data = {"success": True, "errorCode": "S0000", "errorMsg": None, "msgData": {
            "orderId": msg["orderId"], "waybillNoInfoList": [{"waybillType": 1, "waybillNo": number}],
            "routeLabelInfo": [{"code": "1000", "message": "", "routeLabelData": {
                "waybillNo": number, "destRouteLabel": "755WE-571A", "codingMapping": "F33",
                "codingMappingOut": "1A", "twoDimensionCode": f"MMM={{'k1':'755WE','k2':'021WT','k5':'{number}'}}",
                "proCode": "T4"}}]}}
    elif service == "EXP_RECE_UPDATE_ORDER":
        number = next((w["waybillNo"] for w in msg.get("waybillNoInfoList") or []), None)
        ok = msg.get("dealType") == 2 and number in svc.issued and svc.issued[number] == msg.get("orderId")
        if ok:
            svc.cancelled.append(number)
        data = {"success": ok, "errorCode": "S0000" if ok else "8016", "errorMsg": None if ok else "订单不存在",
                "msgData": {"orderId": msg.get("orderId"), "resStatus": 2}}
    elif service == "EXP_RECE_SEARCH_ORDER_RESP":
        data = {"success": False, "errorCode": "8016", "errorMsg": "订单不存在", "msgData": None}
    else:
        return {"apiResultCode": "A1004", "apiErrorMsg": "无对应服务权限", "apiResultData": None}
    return {"apiResultCode": "A1000", "apiErrorMsg": "", "apiResponseID": "x",
            "apiResultData": json.dumps(data, ensure_ascii=False)}


HANDLERS = {"/router/rest": _top, "/api/router": _pdd, "/std/service": _sf}


class Services:
    """One local HTTP server with all three: Cainiao (TOP), PDD and SF, each at its own path."""

    def __init__(self) -> None:
        self.cainiao = Service(secret="top-secret-Ω", key="12345678", token="6100a-session")
        self.pdd = Service(secret="pdd-secret", key="pdd-client", token="pdd-token")
        self.sf = Service(secret="sf check word*~", key="SFPARTNER")
        by_path = {"/router/rest": self.cainiao, "/api/router": self.pdd, "/std/service": self.sf}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8"),
                                                     keep_blank_values=True))
                svc = by_path.get(self.path)
                if svc is None:
                    self.send_error(404)
                    return
                svc.requests.append(params)
                body = json.dumps(HANDLERS[self.path](svc, params), ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.cainiao.url, self.pdd.url, self.sf.url = base + "/router/rest", base + "/api/router", base + "/std/service"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def credentials(self, provider: str) -> dict[str, str]:
        if provider == "cainiao":
            return {"app_key": self.cainiao.key, "app_secret": self.cainiao.secret, "session": self.cainiao.token,
                    "template_url": "http://cloudprint.cainiao.com/template/standard/101/123",
                    "endpoint": self.cainiao.url}
        if provider == "pdd":
            return {"client_id": self.pdd.key, "client_secret": self.pdd.secret, "access_token": self.pdd.token,
                    "template_url": "https://file-link.pinduoduo.com/yto_one", "endpoint": self.pdd.url}
        return {"partner_id": self.sf.key, "check_word": self.sf.secret, "monthly_card": "7551234567",
                "endpoint": self.sf.url}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
