"""Shopify's ``orders_export.csv``: one row per line item, order details on each order's first row.

Columns are found by name (case and surrounding spaces ignored); columns Station does not use
are tolerated because Shopify adds some every few years. Lines that need no shipping (gift cards,
digital goods: ``Lineitem requires shipping`` = false) are not warehouse work and are left out,
and so is an order made only of such lines.
"""
from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from station.files.reader import FileRejected, read_csv
from station.i18n import _

from .common import Progress, check_header, is_cod, colour_and_size, split_name, excel_text, order_no as check_order_no, price, \
    quantity, sku as check_sku, text, tick, when, with_file
from .model import OrderLine, OrderRowError, ParsedOrder, ParseResult

REQUIRED = ("Name", "Financial Status", "Fulfillment Status", "Created at", "Lineitem quantity", "Lineitem name",
            "Lineitem price", "Lineitem sku", "Shipping Name", "Shipping Address1", "Shipping City",
            "Shipping Zip", "Shipping Country")
OPTIONAL = ("Email", "Paid at", "Fulfilled at", "Cancelled at", "Notes", "Lineitem requires shipping",
            "Lineitem fulfillment status", "Shipping Street", "Shipping Address2", "Shipping Province",
            "Shipping Province Name", "Shipping Phone", "Phone", "Billing Phone", "Payment Method", "Total",
            "Outstanding Balance")
#: Financial Status -> what Station does (docs/formats.md, "Shopify"): a hold, or cancelled.
UNPAID = ("pending", "authorized", "partially_paid", "unpaid", "expired")
REFUND = ("partially_refunded",)
CANCELLED = ("refunded", "voided")
DEFAULT_SHOP = "shopify"


def _normalise(name: str) -> str:
    return name.strip().lower()


def parse(path: Path, *, shop: str | None = None, tz: tzinfo | None = None,
          progress: Progress | None = None, encoding: str | None = None) -> ParseResult:
    name = path.name
    try:
        table = read_csv(path, encoding)
    except FileRejected as exc:
        return ParseResult((), tuple(with_file(exc.errors, name)), "", 0)
    index = table.index(_normalise)
    header_errors = check_header(table, index, REQUIRED, REQUIRED + OPTIONAL, _normalise)
    if header_errors:
        return ParseResult((), tuple(with_file(header_errors, name)), table.encoding, len(table.rows))
    errors: list[OrderRowError] = []

    def fail(line: int, reason: str) -> None:
        errors.append(OrderRowError(line, reason, name))

    firsts: dict[str, tuple[int, dict[str, str]]] = {}  # order name -> (line, first row)
    lines: dict[str, list[OrderLine]] = {}
    bad: set[str] = set()
    used = tuple(_normalise(c) for c in REQUIRED + OPTIONAL)
    broken: set[str] = set()  # orders whose first row could not be read
    done_lines: dict[str, list[OrderLine]] = {}  # order -> lines the shop has fulfilled (not packed again)
    partial: dict[str, list[str]] = {}  # order -> lines the shop has partly fulfilled
    total = len(table.rows)
    for done, (line, values) in enumerate(table.rows, start=1):
        tick(progress, done, total)
        if line in table.bad:
            fail(line, table.bad[line])
            if index["name"] < len(values) and values[index["name"]].strip():
                order_no = values[index["name"]].strip()
                bad.add(order_no)
                if order_no not in firsts:
                    firsts[order_no], lines[order_no] = (line, {}), []
                    broken.add(order_no)
            continue
        row = {c: values[index[c]] for c in used if c in index}
        order_no = row["name"].strip()
        if not order_no:
            fail(line, _("Missing {columns}", columns="Name"))
            continue
        if order_no not in firsts:
            try:
                check_order_no(order_no, "Name")
            except ValueError as exc:
                fail(line, str(exc))
                continue
            firsts[order_no] = (line, row)
            lines[order_no] = []
        if row.get("lineitem requires shipping", "").strip().lower() == "false":
            continue
        count = len(errors)
        sku = row["lineitem sku"].strip()
        if sku:  # no SKU: the listing map finds the product by the line's name
            try:
                check_sku(sku, "Lineitem sku")
            except ValueError as exc:
                fail(line, str(exc))
        try:
            qty = quantity(row["lineitem quantity"], "Lineitem quantity")
        except ValueError as exc:
            fail(line, str(exc))
        try:
            unit_price = price(row["lineitem price"], "Lineitem price")
        except ValueError as exc:
            fail(line, str(exc))
        if len(errors) > count:
            bad.add(order_no)
            continue
        title = text(row["lineitem name"])
        colour, size = colour_and_size(title or "")
        listing, variant = split_name(title or "")
        shipped = (row.get("lineitem fulfillment status") or "").strip().lower()
        item = OrderLine(sku, qty, unit_price, title, colour, size, False, line, listing=listing or None,
                         variant=variant)
        if shipped == "fulfilled":
            done_lines.setdefault(order_no, []).append(item)
            continue  # sent from the shop already: not packed again
        if shipped == "partial":
            partial.setdefault(order_no, []).append(title or sku)
        lines[order_no].append(item)

    orders = []
    for order_no, (line, row) in firsts.items():
        if order_no in broken:
            continue  # its first row is already named as bad
        if not lines[order_no] and not done_lines.get(order_no) and order_no not in bad:
            continue  # nothing to ship
        order = _order(order_no, line, row, lines[order_no], shop or DEFAULT_SHOP, tz, fail,
                       partial.get(order_no, ()), done_lines.get(order_no, ()))
        if order is not None and order_no not in bad:
            orders.append(order)
    errors.sort(key=lambda e: e.line)
    return ParseResult(tuple(orders), tuple(errors), table.encoding, total)


def _order(order_no: str, line: int, row: dict[str, str], items: list[OrderLine], shop: str,
           tz: tzinfo | None, fail, partial=(), fulfilled=()) -> ParsedOrder | None:
    def get(column: str) -> str | None:
        return text(row.get(column))

    ok = True
    recipient = get("shipping name")
    address1, address2 = get("shipping address1"), get("shipping address2")
    address = ", ".join(a for a in (address1, address2) if a) if address1 else get("shipping street")
    missing = [label for label, value in (("Shipping Name", recipient), ("Shipping Address1", address)) if not value]
    if missing:
        fail(line, _("Missing {columns}", columns=", ".join(missing)))
        ok = False
    phone = next((excel_text(v) for v in (row.get("shipping phone"), row.get("phone"), row.get("billing phone"))
                  if v and excel_text(v)), "")
    times = {}
    for column, label in (("paid at", "Paid at"), ("created at", "Created at"), ("fulfilled at", "Fulfilled at"),
                          ("cancelled at", "Cancelled at")):
        try:
            times[column] = when(row.get(column, ""), label, tz)
        except ValueError as exc:
            fail(line, str(exc))
            ok = False
    cod = None
    if is_cod(get("payment method")):  # Shopify's manual "Cash on Delivery (COD)" payment
        try:  # what is still to pay: the outstanding balance, else the whole total
            cod = price(row.get("outstanding balance", ""), "Outstanding Balance") or price(row.get("total", ""), "Total")
        except ValueError as exc:
            fail(line, str(exc))
            ok = False
    if not ok:
        return None
    financial = (get("financial status") or "").lower()
    fulfilment = (get("fulfillment status") or "").lower()
    holds: list[tuple[str, str | None]] = []
    if times["cancelled at"] is not None or financial == "voided":
        status = "cancelled"
    elif financial == "refunded":
        status = "refunded"
    elif fulfilment == "fulfilled" or not items:
        status = "shipped"  # wholly fulfilled in the shop (or every line is): imported as shipped
        items = [*fulfilled, *items]
    else:
        status = "ready"
        if financial in UNPAID and cod is None:  # a COD order is paid to the courier: pending is its normal state
            holds.append(("unpaid", get("financial status")))
        elif financial in REFUND:
            holds.append(("refund", get("financial status")))
        if partial:
            holds.append(("partly_fulfilled", ", ".join(partial)))
    source = " / ".join(p for p in (get("financial status"), get("fulfillment status"),
                                    "cancelled" if times["cancelled at"] else None) if p)
    zip_code = excel_text(row.get("shipping zip", ""))
    paid_at = times["paid at"] or (None if financial in UNPAID and cod is None else times["created at"])
    return ParsedOrder(
        order_no=order_no, shop=shop, buyer_account=get("email"), recipient=recipient, phone=phone,
        province=get("shipping province name") or get("shipping province"), city=get("shipping city"),
        district=None, address=address, postcode=zip_code or None, courier=None,
        paid_at=paid_at, buyer_message=get("notes"), seller_memo=None,
        status=status, tracking_no=None, shipped_at=times["fulfilled at"],
        delivered_at=None, lines=tuple(items), line=line, source_status=source or None,
        country=get("shipping country"), holds=tuple(holds), cod_amount=cod)
