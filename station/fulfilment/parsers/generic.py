"""Station's own order CSV/XLSX (docs: "Generic file formats", orders): one row per order line."""
from __future__ import annotations

from datetime import tzinfo
from operator import itemgetter
from pathlib import Path

from station.files import fields
from station.files.reader import FileRejected, read_table
from station.i18n import _

from .common import Progress, excel_text, order_no as check_order_no, price, quantity, sku as check_sku, \
    text, when, with_file
from .model import PAYMENTS, STATUSES, OrderLine, OrderRowError, ParsedOrder, ParseResult

REQUIRED = ("order_no", "recipient", "phone", "address", "sku", "qty")
OPTIONAL = ("shop", "buyer_account", "province", "city", "district", "courier", "unit_price", "paid_at",
            "buyer_message", "seller_memo", "gift", "status", "tracking_no", "shipped_at", "delivered_at",
            "cod_amount", "insured_value", "payment_method")
#: Fields of the order, not of the line: every row of one order must agree on them. A blank on a
#: later row means "the same" (a spreadsheet with the order's details on its first row only).
ORDER_FIELDS = ("shop", "buyer_account", "recipient", "phone", "province", "city", "district", "address",
                "courier", "paid_at", "buyer_message", "seller_memo", "status", "tracking_no",
                "shipped_at", "delivered_at", "cod_amount", "insured_value", "payment_method")
NEEDS_SHIPPING_DETAILS = ("shipped", "delivered")
GIFT = {"1": True, "0": False, "": False}


class _Draft:
    __slots__ = ("order_no", "line", "fields", "lines", "bad", "first")

    def __init__(self, order_no: str, line: int):
        self.order_no, self.line = order_no, line
        self.fields: dict[str, tuple[str, int]] = {}  # column -> (value, line it came from)
        self.lines: list[OrderLine] = []
        self.bad = False
        self.first: tuple[str, ...] | None = None  # the raw order details of its first row


def parse(path: Path, *, shop: str | None = None, tz: tzinfo | None = None,
          progress: Progress | None = None, encoding: str | None = None) -> ParseResult:
    name = path.name
    try:
        table = read_table(path, REQUIRED, OPTIONAL, encoding=encoding)
    except FileRejected as exc:
        return ParseResult((), tuple(with_file(exc.errors, name)), "", 0)
    errors: list[OrderRowError] = []

    def fail(line: int, reason: str) -> None:
        errors.append(OrderRowError(line, reason, name))

    present = tuple(c for c in ORDER_FIELDS if c in table.columns)
    details = itemgetter(*present)  # recipient, phone and address are required: never fewer than 3
    has_price, has_gift = "unit_price" in table.columns, "gift" in table.columns
    drafts: dict[str, _Draft] = {}
    total = len(table.rows)
    for done, (line, row) in enumerate(table.rows, start=1):
        if progress and (done % 1000 == 0 or done == total):
            progress(done, total)
        if "__error__" in row:
            fail(line, row["__error__"])
            continue
        order_no = row["order_no"]
        if order_no[:1] in ("=", "'"):
            order_no = excel_text(order_no)
        if not (order_no and row["sku"] and row["qty"]):
            missing = [c for c, v in (("order_no", order_no), ("sku", row["sku"]), ("qty", row["qty"])) if not v]
            fail(line, _("Missing {columns}", columns=", ".join(missing)))
            if order_no in drafts:
                drafts[order_no].bad = True
            continue
        draft = drafts.get(order_no)
        if draft is None:
            try:
                check_order_no(order_no, "order_no")
            except ValueError as exc:
                fail(line, str(exc))
                continue
            draft = drafts[order_no] = _Draft(order_no, line)
        count = len(errors)
        try:
            check_sku(row["sku"], "sku")
        except ValueError as exc:
            fail(line, str(exc))
        values = details(row)
        if draft.first is None:
            draft.first = values
        elif values == draft.first:
            values = ()  # the same order details as its first row: nothing to check
        for column, value in zip(present, values):
            if not value:
                continue
            if column == "phone" and value[0] == "'":
                value = excel_text(value)
            seen = draft.fields.get(column)
            if seen is None:
                draft.fields[column] = (value, line)
            elif seen[0] != value:
                fail(line, _("{column} is {value!r} here but {other!r} on line {line}",
                             column=column, value=value, other=seen[0], line=seen[1]))
        qty = row["qty"]
        if qty.isascii() and qty.isdigit() and qty[0] != "0" and len(qty) < 9:
            qty = int(qty)
        else:
            try:
                qty = quantity(qty, "qty")
            except ValueError as exc:
                fail(line, str(exc))
        unit_price = None
        if has_price and row["unit_price"]:
            try:
                unit_price = price(row["unit_price"], "unit_price")
            except ValueError as exc:
                fail(line, str(exc))
        gift = GIFT.get(row["gift"]) if has_gift else False
        if gift is None:
            fail(line, _("gift must be 1 or empty, not {value!r}", value=row["gift"]))
        if len(errors) > count:
            draft.bad = True
            continue
        draft.lines.append(OrderLine(row["sku"], qty, unit_price, None, None, None, gift, line))

    orders = []
    for draft in drafts.values():
        order = _finish(draft, shop, tz, fail)
        if order is not None and not draft.bad:
            orders.append(order)
    errors.sort(key=lambda e: e.line)
    return ParseResult(tuple(orders), tuple(errors), table.encoding, total)


def _finish(draft: _Draft, shop: str | None, tz: tzinfo | None, fail) -> ParsedOrder | None:
    f = {column: value for column, (value, _line) in draft.fields.items()}

    def where(column: str) -> int:
        return draft.fields[column][1] if column in draft.fields else draft.line

    ok = True
    missing = [c for c in ("recipient", "phone", "address") if not f.get(c)]
    if missing:
        fail(draft.line, _("Missing {columns}", columns=", ".join(missing)))
        ok = False
    status = f.get("status", "ready").lower()
    if status not in STATUSES:
        fail(where("status"), _("Unknown status {status}; allowed: {allowed}",
                                status=f["status"], allowed=", ".join(STATUSES)))
        ok = False
    elif status in NEEDS_SHIPPING_DETAILS:
        lacking = [c for c in ("courier", "tracking_no") if not f.get(c)]
        if lacking:
            fail(where("status"), _("A {status} order needs {columns}", status=status, columns=", ".join(lacking)))
            ok = False
    damage = fields.damaged_number(f.get("tracking_no", ""), "tracking_no")
    if damage:
        fail(where("tracking_no"), damage)
        ok = False
    times = {}
    for column in ("paid_at", "shipped_at", "delivered_at"):
        try:
            times[column] = when(f.get(column, ""), column, tz)
        except ValueError as exc:
            fail(where(column), str(exc))
            ok = False
    money = {}
    for column in ("cod_amount", "insured_value"):
        try:
            money[column] = price(f.get(column, ""), column)
        except ValueError as exc:
            fail(where(column), str(exc))
            ok = False
    payment = f.get("payment_method", "").strip().lower() or None
    if payment is not None and payment not in PAYMENTS:
        fail(where("payment_method"), _("Unknown payment_method {value}; allowed: {allowed}",
                                        value=payment, allowed=", ".join(PAYMENTS)))
        ok = False
    if not ok or draft.bad or not draft.lines:
        return None
    return ParsedOrder(
        order_no=draft.order_no, shop=f.get("shop") or shop, buyer_account=f.get("buyer_account"),
        recipient=f["recipient"], phone=f["phone"], province=f.get("province"), city=f.get("city"),
        district=f.get("district"), address=text(f["address"]), postcode=None, courier=f.get("courier"),
        paid_at=times["paid_at"], buyer_message=text(f.get("buyer_message")),
        seller_memo=text(f.get("seller_memo")), status=status, tracking_no=f.get("tracking_no"),
        shipped_at=times["shipped_at"], delivered_at=times["delivered_at"], lines=tuple(draft.lines),
        line=draft.line, source_status=f.get("status"), cod_amount=money["cod_amount"] or None,
        insured_value=money["insured_value"] or None, payment_method=payment)
