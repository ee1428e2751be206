"""拼多多 (Pinduoduo) merchant order export (商家后台 → 订单查询 → 导出), one row per order
(one SKU each). Recipient and phone may be masked or virtual (``138****1234``,
``13800001234-5678``): kept as they come. Address in 省/市/区/街道 columns, or one 详细地址 cell.
售后状态 decides refunds: 退款中/售后处理中 → hold ``refund``; 退款成功 → cancelled."""
from __future__ import annotations

from pathlib import Path

from station.i18n import _

from .common import CHINA
from .flat import Spec, Verdict, parse_flat

COLUMNS = {
    "order_no": ("订单号",), "listing": ("商品",), "listing_id": ("商品id", "商品ID"), "variant": ("商品规格",),
    "qty": ("商品数量(件)", "商品数量"), "price": ("商品总价(元)",), "status": ("订单状态",),
    "after_sale": ("售后状态",), "recipient": ("收货人",), "phone": ("手机", "收货人手机号"),
    "province": ("省",), "city": ("市",), "district": ("区",), "street": ("街道", "详细地址"),
    "address_full": ("收货地址",), "paid_at": ("支付时间", "拼单成功时间"), "created_at": ("订单成交时间",),
    "sku": ("商家编码-SKU维度", "商家编码-规格维度", "商家编码-商品维度"), "variant_id": ("样式ID", "SKU ID"),
    "buyer_message": ("买家留言",), "seller_memo": ("商家备忘", "商家备注"), "tracking_no": ("快递单号",),
    "courier": ("快递公司",), "shop": ("店铺名称",),
}
REQUIRED = ("order_no", "qty", "status", "recipient", "phone", "sku")


def status(get) -> Verdict:
    raw, after = get("status").strip(), get("after_sale").strip()
    if "退款成功" in after or raw in ("已取消", "交易关闭"):
        return Verdict("cancelled")
    if raw in ("待支付", "待付款", "未支付"):
        return Verdict("ready", (("unpaid", raw),))
    if raw in ("待发货", "已支付,待发货", "已付款待发货"):
        holds = (("refund", after),) if after and not after.startswith("无售后") and "取消" not in after else ()
        return Verdict("ready", holds)
    if raw.startswith("已发货") or raw == "待收货":
        return Verdict("shipped")
    if raw in ("已签收", "已收货", "交易成功"):
        return Verdict("delivered")
    raise ValueError(_("Unknown order status {status!r}", status=raw))


SPEC = Spec("pdd", COLUMNS, REQUIRED, status, "pdd", tz=CHINA, normalise=str.strip)


def parse(path: Path, **kw):
    return parse_flat(SPEC, path, **kw)
