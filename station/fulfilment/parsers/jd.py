"""JD (京东) POP seller order export, one row per SKU (GBK family; columns in
../shared/formats/README.md and docs/formats.md "jd"). 客户地址 is one cell (省市区 and street, with or
without spaces); 货号 is the seller's item number (our SKU when it is one), 商品ID the listing.
Times are Beijing time."""
from __future__ import annotations

from pathlib import Path

from station.i18n import _

from .common import CHINA
from .flat import Spec, Verdict, parse_flat

COLUMNS = {
    "order_no": ("订单号",), "listing_id": ("商品ID",), "listing": ("商品名称",), "qty": ("订购数量",),
    "price": ("京东价",), "status": ("订单状态",), "buyer_account": ("下单帐号", "下单账号"),
    "recipient": ("客户姓名",), "address_full": ("客户地址",), "phone": ("联系电话",),
    "buyer_message": ("订单备注",), "seller_memo": ("商家备注",), "paid_at": ("付款确认时间",),
    "created_at": ("下单时间",), "sku": ("货号", "商家SKUID"), "shop": ("店铺名称",),
    "payment": ("支付方式",), "payable": ("应付金额",),  # 货到付款: the courier collects 应付金额
}
REQUIRED = ("order_no", "qty", "status", "recipient", "address_full", "phone", "sku")


def status(get) -> Verdict:
    raw = get("status").strip()
    if raw in ("等待出库", "等待打印", "等待发货", "已付款"):
        return Verdict("ready")
    if raw in ("等待付款", "等待付款确认"):
        return Verdict("ready", (("unpaid", raw),))
    if raw == "锁定":  # JD locks an order while a refund or after-sale request is open
        return Verdict("ready", (("refund", raw),))
    if raw in ("等待确认收货", "已发货", "等待收货"):
        return Verdict("shipped")
    if raw in ("完成", "已完成"):
        return Verdict("delivered")
    if raw in ("已取消", "(删除)已取消", "取消", "删除"):
        return Verdict("cancelled")
    raise ValueError(_("Unknown order status {status!r}", status=raw))


SPEC = Spec("jd", COLUMNS, REQUIRED, status, "jd", tz=CHINA, normalise=str.strip,
            payable_per_line=True)  # 应付金额 on each SKU's row is that row's (as 订单金额 there)


def parse(path: Path, **kw):
    return parse_flat(SPEC, path, **kw)
