"""The one reading engine of the exports that write one row per order line with the order's
details on every row (or on its first): JD, 拼多多, 抖店, WooCommerce, Amazon. Each platform's
module gives a ``Spec`` — its column names, how its statuses map to ours and to holds — and
this engine does the rest the same way for all: rows grouped by order number, every bad row
named by its line, lines without a SKU of ours left to the listing map, combined address
cells split into province/city/district, masked or virtual phones kept as they come.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from datetime import tzinfo
from pathlib import Path
from typing import Callable

from station.files.reader import FileRejected, read_csv
from station.i18n import _

from .common import Progress, check_header, is_cod, excel_text, order_no as check_order_no, price, quantity, \
    sku as check_sku, text, tick, when, with_file
from .model import OrderLine, OrderRowError, ParsedOrder, ParseResult

Get = Callable[[str], str]  # a row's cell by our field name ("" when the column is absent)


@dataclass(frozen=True)
class Verdict:
    """What a platform's status words mean: our status, and the holds the shop asks for."""

    status: str
    holds: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Spec:
    name: str
    #: our field -> the column names the platform has used for it (first one present wins)
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]  # our fields that must have a column
    status: Callable[[Get], Verdict]  # raises ValueError(reason) for a status it cannot take
    default_shop: str
    tz: tzinfo | None = None  # times without an offset; None: this computer's zone
    delimiter: str | None = None  # None: comma or tab, told by the header line
    #: a line to leave out (refunded, already sent): its reason, else None
    skip_line: Callable[[Get], str | None] = field(default=lambda get: None)
    normalise: Callable[[str], str] = field(default=lambda name: name.strip().lower())
    #: The ``payable`` column (what a cash-on-delivery buyer pays the courier) is per row: the order's
    #: is the sum of its rows that are sent (抖店's sub-orders); False: the order's own, on each row.
    payable_per_line: bool = False


def parse_flat(spec: Spec, path: Path, *, shop: str | None = None, tz: tzinfo | None = None,
               progress: Progress | None = None, encoding: str | None = None) -> ParseResult:
    name = path.name
    try:
        table = read_csv(path, encoding, delimiter=spec.delimiter)
    except FileRejected as exc:
        return ParseResult((), tuple(with_file(exc.errors, name)), "", 0)
    index = table.index(spec.normalise)
    where: dict[str, int] = {}
    for ours, names in spec.columns.items():
        for column in names:
            if spec.normalise(column) in index:
                where[ours] = index[spec.normalise(column)]
                break
    header_errors = check_header(table, index, (), [n for names in spec.columns.values() for n in names],
                                 spec.normalise)
    for ours in spec.required:
        if ours not in where:
            header_errors.append(OrderRowError(table.header_line, _("Required column {column} is missing",
                                                                    column=spec.columns[ours][0]), name))
    if header_errors:
        return ParseResult((), tuple(with_file(header_errors, name)), table.encoding, len(table.rows))
    tz = tz if tz is not None else spec.tz
    errors: list[OrderRowError] = []

    def fail(line: int, reason: str) -> None:
        errors.append(OrderRowError(line, reason, name))

    heads: dict[str, tuple[int, dict[str, str]]] = {}
    lines: dict[str, list[OrderLine]] = {}
    left_out: dict[str, list[OrderLine]] = {}  # refunded or sent already: not packed
    blanks: dict[str, list[str]] = {}  # order -> the fields its first row left blank
    bad: set[str] = set()
    payable: dict[str, Decimal] = {}  # order -> the sum of its rows' payable (payable_per_line)
    total = len(table.rows)
    for done, (line, values) in enumerate(table.rows, start=1):
        tick(progress, done, total)
        raw_no = values[where["order_no"]] if where["order_no"] < len(values) else ""
        order_no = excel_text(raw_no)
        if line in table.bad:
            fail(line, table.bad[line])
            if order_no:
                bad.add(order_no)
                heads.setdefault(order_no, (line, {}))
                lines.setdefault(order_no, [])
            continue
        row = {ours: values[i] for ours, i in where.items()}
        get: Get = lambda ours, row=row: row.get(ours, "")  # noqa: E731
        if not order_no:
            fail(line, _("Missing {columns}", columns=spec.columns["order_no"][0]))
            continue
        if order_no not in heads:
            try:
                check_order_no(order_no, spec.columns["order_no"][0])
            except ValueError as exc:
                fail(line, str(exc))
                continue
            heads[order_no], lines[order_no] = (line, row), []
            blanks[order_no] = [k for k, v in row.items() if not v.strip()]
        elif blanks[order_no]:  # later rows may fill what the first left blank
            first = heads[order_no][1]
            for k in blanks[order_no]:
                if row[k].strip() and not first[k].strip():
                    first[k] = row[k]
        count = len(errors)
        skipped = spec.skip_line(get)
        sku = excel_text(get("sku"))
        if sku:
            try:
                check_sku(sku, _column(spec, "sku"))
            except ValueError as exc:
                fail(line, str(exc))
        qty = get("qty")
        if qty.isascii() and qty.isdigit() and qty[0] != "0" and len(qty) < 9:
            qty = int(qty)  # the common case, fast
        elif skipped and qty.strip() == "0":
            qty = 0  # nothing left to send of it (Amazon quantity-to-ship 0)
        else:
            try:
                qty = quantity(qty, _column(spec, "qty"))
            except ValueError as exc:
                fail(line, str(exc))
        try:
            unit_price = price(get("price"), _column(spec, "price")) if "price" in where else None
        except ValueError as exc:
            fail(line, str(exc))
        if spec.payable_per_line and not skipped and "payable" in where:
            try:
                payable[order_no] = payable.get(order_no, Decimal(0)) + (
                    price(get("payable"), _column(spec, "payable")) or Decimal(0))
            except ValueError as exc:
                fail(line, str(exc))
        if len(errors) > count:
            bad.add(order_no)
            continue
        listing = text(get("listing"))
        variant = text(get("variant"))
        colour, size = variant_properties(variant)
        item = OrderLine(sku, qty, unit_price, listing, colour, size, False, line, listing=listing, variant=variant,
                         listing_id=excel_text(get("listing_id")) or None,
                         variant_id=excel_text(get("variant_id")) or None)
        (left_out if skipped else lines).setdefault(order_no, []).append(item)
    orders = []
    for order_no, (line, row) in heads.items():
        if order_no in bad or not row:
            continue
        order = _order(spec, order_no, line, row, lines[order_no], shop or spec.default_shop, tz, fail,
                       left_out.get(order_no, []), payable.get(order_no))
        if order is not None:
            orders.append(order)
    errors.sort(key=lambda e: e.line)
    return ParseResult(tuple(orders), tuple(errors), table.encoding, total)


def _column(spec: Spec, ours: str) -> str:
    return spec.columns[ours][0]


def _order(spec: Spec, order_no: str, line: int, row: dict[str, str], items: list[OrderLine], shop: str,
           tz: tzinfo | None, fail, left_out: list[OrderLine], line_payable: Decimal | None = None) -> ParsedOrder | None:
    def get(ours: str) -> str:
        return row.get(ours, "")

    try:
        verdict = spec.status(get)
    except ValueError as exc:
        fail(line, str(exc))
        return None
    if verdict.status != "ready":
        items = sorted(items + left_out, key=lambda l: l.line)  # not packed: every line as the shop has it
    elif not items:
        return None  # every line left out (refunded or sent already): nothing to pack
    recipient = text(" ".join(p for p in (get("recipient"), get("recipient_last")) if p.strip()))
    phone = excel_text(get("phone")) or excel_text(get("phone2"))
    province, city, district = text(get("province")), text(get("city")), text(get("district"))
    street = text(" ".join(p for p in (get("street"), get("address"), get("address2"), get("address3"))
                           if p.strip()))
    if get("address_full").strip():
        p2, c2, d2, street2, postcode = split_cn_address(get("address_full"))
        province, city, district = province or p2, city or c2, district or d2
        street = street2 if not street else street
    elif street and not (province or city):  # one cell in the street column: 省 市 区 street
        p2, c2, d2, street2, _postcode = split_cn_address(street)
        if p2:
            province, city, district, street = p2, c2, d2, street2
    ok = True
    if verdict.status in ("ready",):  # a missing phone is held incomplete_phone by the import, not refused
        missing = [_column(spec, c) for c, v in (("recipient", recipient),) if not v]
        if not street:
            missing.append(spec.columns.get("address_full", spec.columns.get("street", ("address",)))[0])
        if missing:
            fail(line, _("Missing {columns}", columns=", ".join(missing)))
            ok = False
    times = {}
    for ours in ("paid_at", "created_at", "shipped_at"):
        try:
            times[ours] = when(get(ours), _column(spec, ours), tz) if ours in spec.columns else None
        except ValueError as exc:
            fail(line, str(exc))
            ok = False
    cod = None
    if is_cod(get("payment")) and "payable" in spec.columns:  # cash on delivery: the courier collects it
        try:
            cod = line_payable if spec.payable_per_line else price(get("payable"), _column(spec, "payable"))
        except ValueError as exc:
            fail(line, str(exc))
            ok = False
        else:
            if not cod and verdict.status == "ready":  # the courier would collect nothing: say so, print nothing
                fail(line, _("{payment} without an amount in {column}", payment=text(get("payment")),
                             column=_column(spec, "payable")))
                ok = False
    if not ok:
        return None
    unpaid = any(code == "unpaid" for code, _d in verdict.holds)
    return ParsedOrder(
        order_no=order_no, shop=text(get("shop")) or shop, buyer_account=text(get("buyer_account")),
        recipient=recipient or "", phone=phone or "", province=province, city=city, district=district,
        address=street or "", postcode=excel_text(get("postcode")) or None, courier=text(get("courier")),
        paid_at=times["paid_at"] or (None if unpaid else times["created_at"]), buyer_message=text(get("buyer_message")),
        seller_memo=text(get("seller_memo")), status=verdict.status, tracking_no=excel_text(get("tracking_no")) or None,
        shipped_at=times["shipped_at"], delivered_at=None, lines=tuple(items), line=line,
        source_status=text(" / ".join(p for p in (get("status"), get("after_sale")) if p.strip())),
        country=text(get("country")), holds=verdict.holds, cod_amount=cod or None)


# ---- Chinese addresses in one cell -------------------------------------------------------------

_MUNICIPALITY = ("北京", "上海", "天津", "重庆")
_PROVINCES = ("河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
              "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
              "宁夏", "新疆", "香港", "澳门")
_PROVINCE = re.compile(r"^((?:%s)(?:省|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?|北京市?|上海市?|天津市?|重庆市?"
                       r"|.{2,3}?省)" % "|".join(_PROVINCES))
_CITY = re.compile(r"^(.+?(?:自治州|地区|盟|市))")
_DISTRICT = re.compile(r"^(.+?(?:区|县|旗|市))")
_POSTCODE = re.compile(r"\s*[(（]\s*(\d{6})?\s*[)）]\s*$")


@lru_cache(maxsize=65536)
def split_cn_address(value: str) -> tuple[str | None, str | None, str | None, str, str | None]:
    """``广东省 广州市 越秀区 中山五路33号`` or ``广东省广州市越秀区中山五路33号(510180)`` ->
    (省, 市, 区, street, postcode). Spaces decide when there are any; otherwise the words 省/自治区,
    市/自治州/地区/盟 and 区/县/旗/市 do (a municipality is its own city). What cannot be told
    apart stays in the street, so nothing of the address is lost."""
    from .taobao import split_address

    value = (text(value) or "").replace("\u3000", " ")
    if " " in value.strip():
        return split_address(value)
    postcode = None
    m = _POSTCODE.search(value)
    if m:
        postcode = m.group(1) if m.group(1) and m.group(1) != "000000" else None
        value = value[:m.start()]
    rest = value
    m = _PROVINCE.match(rest)
    if not m:
        return None, None, None, value, postcode
    province = m.group(1)
    rest = rest[m.end():]
    if province.rstrip("市") in _MUNICIPALITY:
        city = province if province.endswith("市") else province + "市"
        if rest.startswith(city):
            rest = rest[len(city):]
    else:
        m = _CITY.match(rest)
        if not m:
            return province, None, None, rest, postcode
        city, rest = m.group(1), rest[m.end():]
    m = _DISTRICT.match(rest)
    district = None
    if m and len(m.group(1)) <= 8 and m.end() < len(rest):
        district, rest = m.group(1), rest[m.end():]
    return province, city, district, rest, postcode


# ---- colour and size in a variant text ----------------------------------------------------------

_PROPERTY = re.compile(r"\s*([^：:;；]+?)\s*[：:]\s*([^;；]+)")
COLOUR_KEYS = ("颜色分类", "颜色", "主要颜色", "color", "colour")
SIZE_KEYS = ("尺码", "尺寸", "鞋码", "size", "规格")


@lru_cache(maxsize=65536)
def variant_properties(variant: str | None) -> tuple[str | None, str | None]:
    """``颜色：红色;尺码：XL`` or ``Color: Red, Size: M`` -> (红色, XL)."""
    colour = size = None
    for part in re.split(r"[;；,，|]", variant or ""):
        m = _PROPERTY.match(part)
        if not m:
            continue
        key, value = m.group(1).strip().lower(), m.group(2).strip()
        if key in COLOUR_KEYS and colour is None:
            colour = value[:64]
        elif key in SIZE_KEYS and size is None:
            size = value[:32]
    return colour, size
