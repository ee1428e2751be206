"""WooCommerce order CSV (the official Customer / Order / Coupon CSV Export, "Default - one row per
item"): order details on every row. status: pending/on-hold → hold ``unpaid`` (bank transfer
and cheque orders wait on-hold until paid); processing → ready; completed → shipped;
cancelled/failed/refunded → cancelled. A line refunded whole (item_refunded_qty = item_quantity)
is not packed."""
from __future__ import annotations

from pathlib import Path

from station.i18n import _

from .flat import Spec, Verdict, parse_flat

COLUMNS = {
    "order_no": ("order_number", "order_id"), "status": ("status", "order_status"),
    "created_at": ("order_date", "date"), "paid_at": ("date_paid", "paid_date"),
    "buyer_account": ("billing_email",), "recipient": ("shipping_first_name",),
    "recipient_last": ("shipping_last_name",), "street": ("shipping_address_1",),
    "address2": ("shipping_address_2",), "city": ("shipping_city",), "province": ("shipping_state",),
    "postcode": ("shipping_postcode",), "country": ("shipping_country",), "phone": ("shipping_phone",),
    "phone2": ("billing_phone",), "buyer_message": ("customer_note",), "listing": ("item_name",),
    "listing_id": ("item_product_id",), "variant_id": ("item_variation_id",), "sku": ("item_sku",),
    "qty": ("item_quantity",), "price": ("item_price",), "refunded_qty": ("item_refunded_qty",),
    "payment": ("payment_method",), "payable": ("order_total",),  # gateway ``cod``: the courier collects the total
}
REQUIRED = ("order_no", "status", "recipient", "street", "qty")


def status(get) -> Verdict:
    raw = get("status").strip().lower().removeprefix("wc-")
    if raw == "processing":
        return Verdict("ready")
    if raw in ("pending", "on-hold", "on hold", "pending payment"):
        return Verdict("ready", (("unpaid", raw),))
    if raw == "completed":
        return Verdict("shipped")
    if raw in ("cancelled", "failed", "refunded", "trash"):
        return Verdict("cancelled")
    raise ValueError(_("Unknown order status {status!r}", status=get("status")))


def skip_line(get) -> str | None:
    refunded, qty = get("refunded_qty").strip().lstrip("-"), get("qty").strip()
    return "refunded" if refunded and refunded != "0" and refunded == qty else None


SPEC = Spec("woocommerce", COLUMNS, REQUIRED, status, "woocommerce", skip_line=skip_line)


def parse(path: Path, **kw):
    return parse_flat(SPEC, path, **kw)
