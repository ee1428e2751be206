"""抖店 (Douyin shop) order export (订单管理 → 批量导出), one row per sub-order (子订单). The main
order number (主订单编号) is the order; a sub-order whose 售后状态 says the refund went through is
left out, one with a refund open holds the order ``refund``. 部分发货 holds ``partly_fulfilled``."""
from __future__ import annotations

from pathlib import Path

from station.i18n import _

from .common import CHINA
from .flat import Spec, Verdict, parse_flat

COLUMNS = {
    "order_no": ("主订单编号",), "listing": ("选购商品", "商品名称"), "variant": ("商品规格",),
    "listing_id": ("商品ID",), "qty": ("商品数量",), "price": ("商品单价", "商品金额"), "sku": ("商家编码", "货号"),
    "status": ("订单状态",), "after_sale": ("售后状态",), "recipient": ("收件人",),
    "phone": ("收件人手机号", "收件人电话"), "province": ("省",), "city": ("市",), "district": ("区",),
    "street": ("街道",), "address": ("详细地址",), "buyer_message": ("买家留言",), "seller_memo": ("商家备注",),
    "created_at": ("订单提交时间",), "paid_at": ("支付完成时间",), "shop": ("店铺名称",),
    "payment": ("支付方式",), "payable": ("订单应付金额", "应付金额"),  # 货到付款: the courier collects it
}
REQUIRED = ("order_no", "qty", "status", "recipient", "phone", "sku")
REFUNDED = ("退款成功", "售后完成", "已全额退款")


def _refund_open(after: str) -> bool:
    return bool(after) and after not in ("-", "无", "无售后") and not any(w in after for w in REFUNDED) \
        and "关闭" not in after and "取消" not in after


def status(get) -> Verdict:
    raw, after = get("status").strip(), get("after_sale").strip()
    if raw in ("已关闭", "已取消", "交易关闭"):
        return Verdict("cancelled")
    if raw in ("待支付", "待付款"):
        return Verdict("ready", (("unpaid", raw),))
    if raw in ("待发货", "备货中"):
        return Verdict("ready", (("refund", after),) if _refund_open(after) else ())
    if raw == "部分发货":
        return Verdict("ready", (("partly_fulfilled", raw),))
    if raw == "已发货":
        return Verdict("shipped")
    if raw in ("已完成", "已签收"):
        return Verdict("delivered")
    raise ValueError(_("Unknown order status {status!r}", status=raw))


def skip_line(get) -> str | None:
    after = get("after_sale").strip()
    return "refunded" if any(w in after for w in REFUNDED) else None


SPEC = Spec("douyin", COLUMNS, REQUIRED, status, "douyin", tz=CHINA, skip_line=skip_line, normalise=str.strip,
            payable_per_line=True)  # 订单应付金额 on a sub-order's row is that sub-order's


def parse(path: Path, **kw):
    return parse_flat(SPEC, path, **kw)
