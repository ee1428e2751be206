"""Local stand-ins for the e-waybill services, speaking their published request/response schema
(sources in docs/couriers.md): Cainiao's TOP router, 拼多多's router, SF 丰桥, 抖店 and JD's JOS router. Each recomputes the request's signature on its own, from the
platform's documentation — not with Station's code — and refuses a wrong one the way the
platform does. None of this has met the live services."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


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


def doudian_signature(app_key: str, secret: str, method: str, timestamp: str, body: str) -> str:
    """抖店 (op.jinritemai.com, 签名算法; the doudian SDK's SignUtil): HMAC-SHA256 keyed with the
    app secret over secret + app_key…method…param_json…timestamp…v2 + secret, hex."""
    pattern = secret + "app_key" + app_key + "method" + method + "param_json" + body + "timestamp" + timestamp + "v2" + secret
    return hmac.new(secret.encode(), pattern.encode(), hashlib.sha256).hexdigest()


def _sorted_compact(value) -> str:
    """param_json as the doudian SDKs marshal it: object keys sorted at every depth, no spaces."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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


def _issue(svc: Service, pattern: str, reference: str) -> str:
    """The service's next waybill number (`pattern` formats the count), issued for `reference`."""
    svc.next_number += 1
    number = pattern.format(svc.next_number)
    svc.issued[number] = reference
    return number


def _cancel(svc: Service, number: str | None) -> bool:
    """Cancel a number the service issued; False for any other."""
    ok = number in svc.issued
    if ok:
        svc.cancelled.append(number)
    return ok


@dataclass(frozen=True)
class _CloudPrint:
    """Cainiao's TOP router and PDD's router answer the same cloud-print waybill calls
    (``<prefix>.get``, ``.cancel``, ``.search``) under their own names and wrappings."""

    method_param: str  # the parameter naming the call
    prefix: str
    number: str  # the shape of an issued number
    print_data: Callable[[str], str]
    wrap: Callable[[list], dict]  # the ``get`` response around its modules
    no_subscriptions: object  # what ``search`` answers with nothing subscribed
    unknown: dict  # the answer to any other call


TOP = _CloudPrint("method", "cainiao.waybill.ii", "7{:011d}", lambda number: cainiao_print_data(number),  # ZTO-shaped
                  lambda modules: {"modules": {"waybill_cloud_print_response": modules}, "request_id": "r1"},
                  {}, {"error_response": {"code": 22, "msg": "Invalid method"}})
PDD = _CloudPrint("type", "pdd.waybill", "YT{:013d}",
                  lambda number: json.dumps({"encryptedData": "AbC==", "signature": "s", "ver": "3"}),
                  lambda modules: {"modules": modules, "request_id": "r"},
                  [], {"error_response": {"error_code": 10001, "error_msg": "type error"}})


def _cloud_print(svc: Service, p: dict[str, str], router: _CloudPrint) -> dict:
    method = p.get(router.method_param) or ""
    answer = method.replace(".", "_") + "_response"
    if method == router.prefix + ".get":
        apply = json.loads(p["param_waybill_cloud_print_apply_new_request"])
        modules = []
        for dto in apply["trade_order_info_dtos"]:
            number = _issue(svc, router.number, dto["object_id"])
            modules.append({"object_id": dto["object_id"], "waybill_code": number,
                            "print_data": router.print_data(number)})
        return {answer: router.wrap(modules)}
    if method == router.prefix + ".cancel":
        return {answer: {"cancel_result": _cancel(svc, p.get("waybill_code"))}}
    if method == router.prefix + ".search":
        return {answer: {"waybill_apply_subscription_cols": router.no_subscriptions}}
    return router.unknown


def _top(svc: Service, p: dict[str, str]) -> dict:
    if p.get("app_key") != svc.key:
        return {"error_response": {"code": 29, "msg": "Invalid app Key", "sub_code": "isv.appkey-not-exists"}}
    if p.get("sign") != top_signature(p, svc.secret):
        return {"error_response": {"code": 25, "msg": "Invalid signature"}}
    if p.get("session") != svc.token:
        return {"error_response": {"code": 27, "msg": "Invalid session", "sub_code": "invalid-sessionkey"}}
    return _cloud_print(svc, p, TOP)


def _pdd(svc: Service, p: dict[str, str]) -> dict:
    if p.get("client_id") != svc.key or p.get("sign") != pdd_signature(p, svc.secret):
        return {"error_response": {"error_code": 10035, "error_msg": "签名错误", "request_id": "r"}}
    if p.get("access_token") != svc.token:
        return {"error_response": {"error_code": 10019, "error_msg": "access_token已过期", "request_id": "r"}}
    return _cloud_print(svc, p, PDD)


def _sf(svc: Service, p: dict[str, str]) -> dict:
    if p.get("partnerID") != svc.key:
        return {"apiResultCode": "A1004", "apiErrorMsg": "无对应服务权限", "apiResponseID": "x", "apiResultData": None}
    if p.get("msgDigest") != sf_digest(p.get("msgData", ""), p.get("timestamp", ""), svc.secret):
        return {"apiResultCode": "A1006", "apiErrorMsg": "数字签名无效", "apiResponseID": "x", "apiResultData": None}
    msg = json.loads(p["msgData"])
    service = p.get("serviceCode")
    if service == "EXP_RECE_CREATE_ORDER":
        number = _issue(svc, "SF{:013d}", msg["orderId"])
        data = {"success": True, "errorCode": "S0000", "errorMsg": None, "msgData": {
            "orderId": msg["orderId"], "waybillNoInfoList": [{"waybillType": 1, "waybillNo": number}],
            "routeLabelInfo": [{"code": "1000", "message": "", "routeLabelData": {
                "waybillNo": number, "destRouteLabel": "755WE-571A", "codingMapping": "F33",
                "codingMappingOut": "1A", "twoDimensionCode": f"MMM={{'k1':'755WE','k2':'021WT','k5':'{number}'}}",
                "proCode": "T4"}}]}}
    elif service == "EXP_RECE_UPDATE_ORDER":
        number = next((w["waybillNo"] for w in msg.get("waybillNoInfoList") or []), None)
        ok = msg.get("dealType") == 2 and svc.issued.get(number) == msg.get("orderId") and _cancel(svc, number)
        data = {"success": ok, "errorCode": "S0000" if ok else "8016", "errorMsg": None if ok else "订单不存在",
                "msgData": {"orderId": msg.get("orderId"), "resStatus": 2}}
    elif service == "EXP_RECE_SEARCH_ORDER_RESP":
        data = {"success": False, "errorCode": "8016", "errorMsg": "订单不存在", "msgData": None}
    else:
        return {"apiResultCode": "A1004", "apiErrorMsg": "无对应服务权限", "apiResultData": None}
    return {"apiResultCode": "A1000", "apiErrorMsg": "", "apiResponseID": "x",
            "apiResultData": json.dumps(data, ensure_ascii=False)}


def _doudian(svc: Service, q: dict[str, str], body: str) -> dict:
    method = q.get("method", "")
    if q.get("app_key") != svc.key or q.get("sign_method") != "hmac-sha256" or q.get("v") != "2":
        return {"err_no": 30001, "message": "app_key不存在或参数错误", "log_id": "l"}
    if body != _sorted_compact(json.loads(body)):
        return {"err_no": 40004, "message": "param_json 未按 key 排序", "log_id": "l"}
    if q.get("sign") != doudian_signature(svc.key, svc.secret, method, q.get("timestamp", ""), body):
        return {"err_no": 30002, "message": "签名错误", "log_id": "l"}
    if q.get("access_token") != svc.token:
        return {"err_no": 30005, "message": "access_token已过期", "log_id": "l"}
    p = json.loads(body)
    if method == "logistics.newCreateOrder":
        infos = []
        for o in p["order_infos"]:
            number = _issue(svc, "7{:011d}", o["order_id"])
            infos.append({"order_id": o["order_id"], "pack_id": o.get("pack_id", ""), "track_no": number,
                          "company": p["logistics_code"], "sort_code": "300-A21 05", "package_center_code": "021J",
                          "package_center_name": "上海青浦集包", "short_address_code": "300",
                          "short_address_name": "上海"})
        return {"err_no": 0, "message": "success", "data": {"ebill_infos": infos, "err_infos": []}, "log_id": "l"}
    if method == "logistics.cancelOrder":
        return {"err_no": 0, "message": "success", "data": {"cancel_result": _cancel(svc, p.get("track_no"))},
                "log_id": "l"}
    if method == "logistics.templateList":
        return {"err_no": 0, "message": "success", "data": {"template_data": []}, "log_id": "l"}
    return {"err_no": 40004, "message": "未知方法", "log_id": "l"}


def _jd(svc: Service, p: dict[str, str]) -> dict:
    if p.get("app_key") != svc.key or p.get("sign") != pdd_signature(p, svc.secret):  # JOS signs as PDD/TOP do
        return {"error_response": {"code": "22", "zh_desc": "签名无效", "en_desc": "Invalid sign"}}
    if p.get("access_token") != svc.token:
        return {"error_response": {"code": "19", "zh_desc": "token无效", "en_desc": "Invalid access_token"}}
    method, args = p.get("method"), json.loads(p.get("360buy_param_json") or "{}")

    def answer(name, data, status=0):
        return {name.replace(".", "_") + "_responce": {"code": "0", "resultInfo": {
            "statusCode": status, "statusMessage": "成功" if status == 0 else "失败", "data": data}}}

    if method == "jingdong.ldop.alpha.waybill.receive":
        content = json.loads(args["content"])
        number = _issue(svc, "JDVA{:011d}", content["platformOrderNo"])
        return answer(method, {"platformOrderNo": content["platformOrderNo"], "waybillCodeList": [number]})
    if method == "jingdong.ldop.alpha.vendor.bigshot.query":
        if args.get("waybillCode") not in svc.issued:
            return answer(method, None, status=1)
        return answer(method, {"waybillCode": args["waybillCode"], "bigShotName": "京-北京", "bigShotCode": "010",
                               "secondSectionCode": "A1", "thirdSectionCode": "07", "gatherCenterName": "北京亦庄分拣中心",
                               "gatherCenterCode": "010Y", "branchName": "朝阳营业部", "branchCode": "B010"})
    if method == "jingdong.ldop.alpha.waybill.api.unbind":
        return answer(method, {}, status=0 if _cancel(svc, args.get("waybillCode")) else 1)
    if method == "jingdong.ldop.alpha.provider.sign.success":
        return answer(method, [{"providerCode": "JD"}])
    return {"error_response": {"code": "67", "zh_desc": "方法不存在", "en_desc": "Invalid method"}}


HANDLERS = {"/router/rest": _top, "/api/router": _pdd, "/std/service": _sf, "/routerjson": _jd}


class Services:
    """One local HTTP server with all three: Cainiao (TOP), PDD and SF, each at its own path."""

    def __init__(self) -> None:
        self.cainiao = Service(secret="top-secret-Ω", key="12345678", token="6100a-session")
        self.pdd = Service(secret="pdd-secret", key="pdd-client", token="pdd-token")
        self.sf = Service(secret="sf check word*~", key="SFPARTNER")
        self.doudian = Service(secret="dd-secret", key="7000001", token="dd-token")
        self.jd = Service(secret="jd-secret", key="JDKEY", token="jd-token")
        by_path = {"/router/rest": self.cainiao, "/api/router": self.pdd, "/std/service": self.sf,
                   "/routerjson": self.jd}
        doudian = self.doudian

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                path, _, query = self.path.partition("?")
                if path.startswith("/logistics/"):  # 抖店: the call in the query, param_json the body
                    q = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                    if q.get("method", "").replace(".", "/") != path.lstrip("/"):
                        self.send_error(404)
                        return
                    doudian.requests.append({**q, "param_json": raw})
                    result = _doudian(doudian, q, raw)
                else:
                    params = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                    svc = by_path.get(path)
                    if svc is None:
                        self.send_error(404)
                        return
                    svc.requests.append(params)
                    result = HANDLERS[path](svc, params)
                body = json.dumps(result, ensure_ascii=False).encode("utf-8")
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
        self.doudian.url, self.jd.url = base, base + "/routerjson"
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
        if provider == "doudian":
            return {"app_key": self.doudian.key, "app_secret": self.doudian.secret,
                    "access_token": self.doudian.token, "endpoint": self.doudian.url}
        if provider == "jd":
            return {"app_key": self.jd.key, "app_secret": self.jd.secret, "access_token": self.jd.token,
                    "vendor_code": "10001", "vendor_name": "Station 演示店", "branch_code": "",
                    "sale_platform": "0010001", "endpoint": self.jd.url}
        return {"partner_id": self.sf.key, "check_word": self.sf.secret, "monthly_card": "7551234567",
                "endpoint": self.sf.url}

    def close(self) -> None:
        if self.thread.is_alive():  # closing twice (a test stops the "service" itself) is fine
            self.server.shutdown()
            self.server.server_close()
