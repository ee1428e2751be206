"""Plain, frozen results of parsing an order export: no database, no Qt."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from station.files.reader import RowError

#: What an order is, whatever the shop called it (the shop's own words stay in ``source_status``).
STATUSES = ("ready", "cancelled", "refunded", "shipped", "delivered")
#: How the freight is paid (the waybill's 付款方式): 寄付, 到付, 月结, 第三方付.
PAYMENTS = ("prepaid", "collect", "monthly", "third_party")


@dataclass(frozen=True)
class OrderRowError(RowError):
    """A bad row: its physical line (header = 1), a reason, and the file's name."""

    file: str | None = None

    def as_dict(self) -> dict:
        out = {"line": self.line, "reason": self.reason}
        if self.file:
            out["file"] = self.file
        return out

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.file else f"line {self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class OrderLine:
    sku: str
    qty: int
    unit_price: Decimal | None
    name: str | None
    colour: str | None
    size: str | None
    gift: bool
    line: int  # physical line of the row in its file (the item report for Taobao)
    # What the shop calls the line, for the listing map (station/fulfilment/listings.py): ``sku``
    # is "" when the shop gave none; ``shop_sku`` the shop's own code when it is not ``sku``.
    listing: str | None = None  # the listing's title (Shopify: the Lineitem name before its variant)
    variant: str | None = None  # the variant's title (Taobao 商品属性, Shopify "Red / M")
    listing_id: str | None = None  # the shop's listing id (JD 商品ID, PDD 商品id)
    variant_id: str | None = None  # the shop's variant/SKU id
    shop_sku: str | None = None


@dataclass(frozen=True)
class ParsedOrder:
    order_no: str
    shop: str | None
    buyer_account: str | None
    recipient: str
    phone: str  # as the shop gives it: may be masked (138****1234) or virtual (13800001234-5678)
    province: str | None
    city: str | None
    district: str | None
    address: str  # the street part (below district)
    postcode: str | None
    courier: str | None
    paid_at: datetime | None  # always timezone-aware
    buyer_message: str | None
    seller_memo: str | None
    status: str  # one of STATUSES
    tracking_no: str | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    lines: tuple[OrderLine, ...]
    line: int  # first physical line of the order (in the order report for Taobao)
    source_status: str | None = None  # the shop's own status text
    country: str | None = None  # Shopify's Shipping Country; None for domestic formats
    #: Why the shop says it may not be packed yet: (hold code, detail), e.g. ("unpaid", "pending").
    holds: tuple[tuple[str, str | None], ...] = ()
    #: Cash the courier collects on delivery (代收货款), the declared value to insure (保价), how the
    #: freight is paid (fulfilment.models.PAYMENTS); None where the export does not say.
    cod_amount: Decimal | None = None
    insured_value: Decimal | None = None
    payment_method: str | None = None


@dataclass(frozen=True)
class ParseResult:
    """``orders`` holds every order that parsed cleanly; when ``errors`` is not empty the
    caller must write nothing (all or nothing), but may still check the good orders further
    (SKUs, duplicates) so that the person sees every problem in one go."""

    orders: tuple[ParsedOrder, ...]
    errors: tuple[RowError, ...]
    encoding: str
    rows: int  # data rows read (both files for Taobao)
    lines_file: str = ""  # the file the order lines are in, when not the one imported (Taobao's item report)

    @property
    def ok(self) -> bool:
        return not self.errors
