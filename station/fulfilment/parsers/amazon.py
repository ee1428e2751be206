"""Amazon Seller Central "Unshipped Orders" report (tab-separated text, one row per order item;
Reports → Order Reports). Every order in it is paid and waits to be shipped; quantity-to-ship is
what is left to send (an item partly shipped already sends only the rest). Times are ISO 8601."""
from __future__ import annotations

from pathlib import Path

from .flat import Spec, Verdict, parse_flat

COLUMNS = {
    "order_no": ("order-id",), "variant_id": ("order-item-id",), "created_at": ("purchase-date",),
    "paid_at": ("payments-date",), "buyer_account": ("buyer-email",), "phone2": ("buyer-phone-number",),
    "sku": ("sku",), "listing": ("product-name",), "qty": ("quantity-to-ship",),
    "recipient": ("recipient-name",), "street": ("ship-address-1",), "address2": ("ship-address-2",),
    "address3": ("ship-address-3",), "city": ("ship-city",), "province": ("ship-state",),
    "postcode": ("ship-postal-code",), "country": ("ship-country",), "phone": ("ship-phone-number",),
}
REQUIRED = ("order_no", "sku", "qty", "recipient", "street")


def status(_get) -> Verdict:
    return Verdict("ready")


def skip_line(get) -> str | None:
    return "shipped" if get("qty").strip() == "0" else None


SPEC = Spec("amazon", COLUMNS, REQUIRED, status, "amazon", delimiter="\t", skip_line=skip_line)


def parse(path: Path, **kw):
    return parse_flat(SPEC, path, **kw)
