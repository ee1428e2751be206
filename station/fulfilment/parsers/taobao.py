"""Taobao/Tmall seller exports: the order report ``ExportOrderList*.csv`` joined on 订单编号 with
the item report ``ExportOrderDetailList*.csv`` (one row per item).

Quirks handled: GBK/GB18030 text; header names with stray spaces; ``="35153131473293579"`` and
leading apostrophes (Excel guards); 收货地址 as one field ``省 市 区 street(postcode)``; item rows
ending with a trailing comma; masked or virtual phones kept as they come. Times are Beijing time.
An item whose own 订单状态 says closed/refunded (a refund of one item of a paid order) is left out
of an order that is still to be shipped, as long as the order keeps at least one item.
"""
from __future__ import annotations

import re
from datetime import tzinfo
from functools import lru_cache
from pathlib import Path

from station.files.reader import CsvTable, FileRejected, read_csv
from station.i18n import _

from .common import CHINA, Progress, check_header, excel_text, order_no as check_order_no, price, quantity, \
    sku as check_sku, text, tick, when, with_file
from .model import OrderLine, OrderRowError, ParsedOrder, ParseResult

ORDER_PREFIX, ITEM_PREFIX = "ExportOrderList", "ExportOrderDetailList"
ORDER_REQUIRED = ("订单编号", "订单状态", "收货人姓名", "收货地址")
ORDER_OPTIONAL = ("买家会员名", "买家留言", "联系手机", "联系电话", "订单付款时间", "物流单号", "物流公司",
                  "订单备注", "店铺名称", "修改后的收货地址")
ITEM_REQUIRED = ("订单编号", "标题", "价格", "购买数量", "商品属性", "商家编码")
ITEM_OPTIONAL = ("订单状态",)

# Checked in this order against the status text (spaces removed, commas made full-width).
_STATUS_RULES = (
    ("退款成功", "refunded"),  # 付款以后用户退款成功，交易自动关闭
    ("交易关闭", "cancelled"),
    ("交易成功", "delivered"),
    ("买家已签收", "delivered"),  # cash on delivery, signed for
    ("卖家已发货", "shipped"),  # 卖家已发货，等待买家确认
    ("等待买家确认", "shipped"),
    ("等待卖家发货", "ready"),  # 买家已付款，等待卖家发货
    ("买家已付款", "ready"),
)
UNPAID = "等待买家付款"
REFUNDING = "退款中"
PARTLY_SHIPPED = "部分发货"  # 卖家部分发货  # a refund asked for and not settled: held "refund"
COLOUR_KEYS = ("颜色分类", "颜色", "主要颜色")
SIZE_KEYS = ("尺码", "尺寸", "鞋码")
_PROPERTY = re.compile(r"\s*([^：:]+?)\s*[：:](.*)$", re.DOTALL)
_POSTCODE = re.compile(r"\s*[(（]\s*(\d{6})?\s*[)）]\s*$")


@lru_cache(maxsize=1024)
def map_status(raw: str) -> str | None:
    """The shop's 订单状态 -> one of STATUSES; None when unknown (or not paid yet)."""
    norm = re.sub(r"\s+", "", raw).replace(",", "，")
    if UNPAID in norm:
        return None
    for needle, status in _STATUS_RULES:
        if needle in norm:
            return status
    return None


def split_address(value: str) -> tuple[str | None, str | None, str | None, str, str | None]:
    """``广东省 广州市 越秀区 中山五路33号(510180)`` -> (省, 市, 区, street, postcode); the street keeps
    everything below the district (a town, then the street). ``(000000)`` means no postcode."""
    value = (text(value) or "").replace("\n", " ")
    postcode = None
    m = _POSTCODE.search(value)
    if m:
        postcode = m.group(1) if m.group(1) and m.group(1) != "000000" else None
        value = value[:m.start()]
    parts = value.split(None, 3)
    if len(parts) == 4:
        return parts[0], parts[1], parts[2], parts[3].strip(), postcode
    if len(parts) == 3:
        return parts[0], parts[1], None, parts[2].strip(), postcode
    return None, None, None, value.strip(), postcode


@lru_cache(maxsize=65536)
def properties(value: str) -> tuple[str | None, str | None]:
    """``颜色分类：红色;尺码：XL`` -> (红色, XL)."""
    colour = size = None
    for part in re.split(r"[;；]", value or ""):
        m = _PROPERTY.match(part)
        if not m or not m.group(2).strip():
            continue
        key, val = m.group(1), m.group(2).strip()
        if key in COLOUR_KEYS and colour is None:
            colour = val
        elif key in SIZE_KEYS and size is None:
            size = val
    return colour, size


def find_item_report(order_report: Path) -> Path | list[Path]:
    """The sibling ``ExportOrderDetailList*`` file: the one with the same suffix, else the only one.
    Returns the candidates (maybe none) when there is no single answer."""
    folder = order_report.parent
    candidates = sorted(p for p in folder.iterdir()
                        if p.is_file() and p.name.lower().startswith(ITEM_PREFIX.lower()) and p != order_report)
    if order_report.name.lower().startswith(ORDER_PREFIX.lower()):
        suffix = order_report.name[len(ORDER_PREFIX):].lower()
        same = [p for p in candidates if p.name[len(ITEM_PREFIX):].lower() == suffix]
        if same:
            return same[0]
    return candidates[0] if len(candidates) == 1 else candidates


def _read(path: Path, required, optional, encoding: str | None = None
          ) -> tuple[CsvTable | None, dict[str, int], list[OrderRowError]]:
    try:
        table = read_csv(path, encoding)
    except FileRejected as exc:
        return None, {}, with_file(exc.errors, path.name)
    index = table.index(str.strip)
    errors = check_header(table, index, required, required + optional, str.strip)
    return table, index, with_file(errors, path.name)


def parse(path: Path, *, item_report: Path | None = None, shop: str | None = None, tz: tzinfo | None = None,
          progress: Progress | None = None, encoding: str | None = None) -> ParseResult:
    tz = tz or CHINA
    if not path.is_file():
        return ParseResult((), (OrderRowError(0, _("No such file: {path}", path=str(path)), path.name),), "", 0)
    if path.name.lower().startswith(ITEM_PREFIX.lower()) and item_report is None:
        reason = _("{file} is the item report: choose the order report ({pattern})",
                   file=path.name, pattern=ORDER_PREFIX + "*.csv")
        return ParseResult((), (OrderRowError(0, reason, path.name),), "", 0)
    if item_report is None:
        found = find_item_report(path) if path.parent.is_dir() else []
        if isinstance(found, list):
            reason = (_("No item report ({pattern}) beside {file}", pattern=ITEM_PREFIX + "*.csv", file=path.name)
                      if not found else
                      _("Several item reports beside {file}: {names}; choose one",
                        file=path.name, names=", ".join(p.name for p in found)))
            return ParseResult((), (OrderRowError(0, reason, path.name),), "", 0)
        item_report = found
    item_report = Path(item_report)
    orders_table, oi, errors = _read(path, ORDER_REQUIRED, ORDER_OPTIONAL, encoding)
    if orders_table is not None and "联系手机" not in oi and "联系电话" not in oi:
        errors.append(OrderRowError(orders_table.header_line,
                                    _("Required column {column} is missing", column="联系手机"), path.name))
    items_table, ii, item_errors = _read(item_report, ITEM_REQUIRED, ITEM_OPTIONAL, encoding)
    errors += item_errors
    if errors or orders_table is None or items_table is None:
        rows = sum(len(t.rows) for t in (orders_table, items_table) if t is not None)
        return ParseResult((), tuple(errors), "", rows)

    order_file, item_file = path.name, item_report.name
    total = len(orders_table.rows) + len(items_table.rows)
    done = 0
    heads: dict[str, tuple[int, dict]] = {}  # order_no -> (line, fields)
    bad: set[str] = set()

    def fail(file: str, line: int, reason: str) -> None:
        errors.append(OrderRowError(line, reason, file))

    def cell(values: list[str], index: dict[str, int], column: str) -> str:
        i = index.get(column)
        return values[i] if i is not None else ""

    for line, values in orders_table.rows:
        done += 1
        tick(progress, done, total)
        if line in orders_table.bad:
            fail(order_file, line, orders_table.bad[line])
            order_no = excel_text(cell(values, oi, "订单编号")) if oi["订单编号"] < len(values) else ""
            if order_no and order_no not in heads:
                heads[order_no] = (line, {})  # its items are then neither "unknown" nor a clean order
                bad.add(order_no)
            continue
        get = lambda column: cell(values, oi, column)  # noqa: E731
        order_no = excel_text(get("订单编号"))
        if not order_no:
            fail(order_file, line, _("Missing {columns}", columns="订单编号"))
            continue
        if order_no in heads:
            fail(order_file, line, _("Order {order_no} already on line {line}", order_no=order_no,
                                     line=heads[order_no][0]))
            continue
        try:
            check_order_no(order_no, "订单编号")
        except ValueError as exc:
            fail(order_file, line, str(exc))
            heads[order_no] = (line, {})
            bad.add(order_no)
            continue
        count = len(errors)
        raw_status = text(get("订单状态")) or ""
        status = map_status(raw_status)
        shop_holds: tuple = ()
        if status is None:
            if UNPAID in raw_status:  # held "unpaid", as Shopify's pending orders are
                status, shop_holds = "ready", (("unpaid", raw_status),)
            elif PARTLY_SHIPPED in raw_status:  # the rest is still to send: a person checks what
                status, shop_holds = "ready", (("partly_fulfilled", raw_status),)
            else:
                fail(order_file, line, _("Unknown order status {status!r}", status=raw_status))
        elif status == "ready" and REFUNDING in raw_status:
            shop_holds = (("refund", raw_status),)
        recipient = text(get("收货人姓名"))
        phone = excel_text(get("联系手机")) or excel_text(get("联系电话"))
        address_text = text(get("修改后的收货地址")) or text(get("收货地址"))
        province, city, district, street, postcode = split_address(address_text or "")
        missing = [c for c, v in (("收货人姓名", recipient), ("联系手机", phone), ("收货地址", street)) if not v]
        if missing:
            fail(order_file, line, _("Missing {columns}", columns=", ".join(missing)))
        try:
            paid_at = when(get("订单付款时间"), "订单付款时间", tz)
        except ValueError as exc:
            fail(order_file, line, str(exc))
        heads[order_no] = (line, {})
        if len(errors) > count:
            bad.add(order_no)
            continue
        heads[order_no] = (line, dict(
            order_no=order_no, shop=text(get("店铺名称")) or shop, buyer_account=text(get("买家会员名")),
            recipient=recipient, phone=phone, province=province, city=city, district=district, address=street,
            postcode=postcode, courier=text(get("物流公司")), paid_at=paid_at, buyer_message=text(get("买家留言")),
            seller_memo=text(get("订单备注")), status=status, tracking_no=excel_text(get("物流单号")) or None,
            shipped_at=None, delivered_at=None, source_status=raw_status, holds=shop_holds))

    items: dict[str, list[tuple[OrderLine, str | None]]] = {}
    for line, values in items_table.rows:
        done += 1
        tick(progress, done, total)
        if line in items_table.bad:
            fail(item_file, line, items_table.bad[line])
            if ii["订单编号"] < len(values):
                bad.add(excel_text(values[ii["订单编号"]]))  # no "has no items" for its order either
            continue
        get = lambda column: cell(values, ii, column)  # noqa: E731
        order_no = excel_text(get("订单编号"))
        if not order_no:
            fail(item_file, line, _("Missing {columns}", columns="订单编号"))
            continue
        if order_no not in heads:
            fail(item_file, line, _("Order {order_no} is not in {file}", order_no=order_no, file=order_file))
            continue
        count = len(errors)
        sku = get("商家编码").strip()
        if sku:  # no 商家编码: the listing map finds the product by title and properties
            try:
                check_sku(sku, "商家编码")
            except ValueError as exc:
                fail(item_file, line, str(exc))
        qty = get("购买数量")
        if qty.isascii() and qty.isdigit() and qty[0] != "0" and len(qty) < 9:
            qty = int(qty)  # the common case, fast
        else:
            try:
                qty = quantity(qty, "购买数量")
            except ValueError as exc:
                fail(item_file, line, str(exc))
        try:
            unit_price = price(get("价格"), "价格")
        except ValueError as exc:
            fail(item_file, line, str(exc))
        if len(errors) > count:
            bad.add(order_no)
            continue
        props, title, raw_status = get("商品属性"), text(get("标题")), get("订单状态")
        colour, size = properties(props)
        item_status = map_status(raw_status) if raw_status.strip() else None
        items.setdefault(order_no, []).append(
            (OrderLine(sku, qty, unit_price, title, colour, size, False, line, listing=title, variant=text(props)),
             item_status))

    orders = []
    for order_no, (line, fields) in heads.items():
        mine = items.get(order_no, [])
        if not mine:
            if order_no not in bad:
                fail(order_file, line, _("Order {order_no} has no items in {file}", order_no=order_no,
                                         file=item_file))
            continue
        if order_no in bad:
            continue
        lines = [item for item, _status in mine]
        if fields["status"] == "ready":
            kept = [item for item, st in mine if st not in ("cancelled", "refunded")]
            lines = kept or lines
        orders.append(ParsedOrder(lines=tuple(lines), line=line, **fields))
    rank = {order_file: 0, item_file: 1}
    errors.sort(key=lambda e: (rank.get(e.file, 0), e.line))
    encodings = dict.fromkeys((orders_table.encoding, items_table.encoding))
    return ParseResult(tuple(orders), tuple(errors), "/".join(encodings), total, item_file)
