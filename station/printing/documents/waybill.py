"""The Chinese e-waybill (电子面单) in the couriers' geometry: 100x180 mm (Cainiao's standard,
二联), 100x150 mm (二联), 100x210 mm (三联), SF's 76x130 mm (一联) and the 4x6 in label.

The courier's part goes on the parcel: courier and parcel marker, the routing code
(三段码/大头笔) in type big enough to sort by from a metre away, the hub, the tracking
number as a Code128 barcode, recipient, sender, items, payment, weight and insured value,
order number and the signature area: the zones of GB/T 41833-2022. Below a tear line,
the recipient's copy (and on 三联 the sender's) repeats the tracking number (a second,
smaller barcode when it fits), the recipient, sender and items. Without routing data the
routing band is an empty, labelled box for the courier's pen: never an invented code.

The recipient's phone is always printed masked (`mask_phone`, by country for a foreign
number); a privacy waybill masks the name and the street too (`Waybill.privacy`). The
layout masks them itself, so no caller can forget. Text shrinks and wraps to its box; an
item list too long even at the smallest type is shortened ("…等 N 种 M 件"); anything
else that does not fit raises LayoutError naming the waybill, never prints cut off.

Over 400 lines on purpose: one layout at five sizes, whose per-size specs, geometry,
fixed template (drawn once per batch as a form) and per-parcel fill share private types
(`_Spec`, `_Geometry`); split apart, those would become an interface of their own.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from weakref import WeakKeyDictionary

from reportlab.pdfgen.canvas import Canvas

from station.printing.barcodes import BarcodeSize, code128_size, draw_code128
from station.printing.ink import TextWriter, draw_block, draw_text
from station.printing.pdf import new_canvas
from station.printing.shapes import frame, inverted_text, rule
from station.printing.text import (
    NBSP,
    ascent_mm,
    descent_mm,
    fit_block,
    fit_size,
    single_line,
    text_width,
)
from station.printing.units import (
    LABEL_4x6IN,
    WAYBILL_76x130,
    WAYBILL_100x150,
    WAYBILL_100x180,
    WAYBILL_100x210,
    Box,
    LayoutError,
    PageLayout,
    PageSize,
)

# ---------------------------------------------------------------- the data


@dataclass(frozen=True)
class Contact:
    """A person at an address, as the order or the shop's settings give it."""

    name: str
    phone: str
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""  # 详细地址: street, building, room
    country: str = ""  # ISO 3166 code; "" or "CN": mainland China
    postcode: str = ""

    @property
    def foreign(self) -> bool:
        return self.country.strip().upper() not in ("", "CN", "CHN")

    @property
    def address(self) -> str:
        """The address in its country's order: in China province, city, district, street
        (largest first, space-separated, as Chinese labels print them); elsewhere street,
        district, city, province and postcode, country (smallest first, as the post there
        reads it: "1 Market St, San Francisco, CA 94105, US")."""
        if not self.foreign:
            return " ".join(part.strip() for part in (self.province, self.city, self.district,
                                                      self.street) if part.strip())
        region = " ".join(p.strip() for p in (self.province, self.postcode) if p.strip())
        return ", ".join(p.strip() for p in (self.street, self.district, self.city, region,
                                             self.country.upper()) if p.strip())

    def masked(self) -> Contact:
        """The contact as a privacy waybill shows it (the platform asks for it): the name
        masked (欧*喆), the street after the district hidden. The phone is masked always."""
        return replace(self, name=mask_name(self.name),
                       street=_MASKED * 4 if self.street.strip() else "")


@dataclass(frozen=True)
class Waybill:
    """One parcel's waybill, every value decided before printing.

    `printed_at` is shown as given: pass it in the zone to print (local time).
    `cod_amount` is the cash to collect on delivery (代收货款), None when there is none.
    """

    courier_code: str  # "ZTO"
    courier_name: str  # "中通快递"
    tracking_no: str
    routing_code: str  # 三段码 / 大头笔, e.g. "351-W2 08"
    recipient: Contact
    sender: Contact
    item_summary: str  # "TS01-RD-M ×2, NB-001 ×1"
    order_no: str
    printed_at: datetime
    sorting_area: str = ""  # 集包地, e.g. "杭州转运中心"
    parcel_no: int = 1
    parcel_count: int = 1
    cod_amount: Decimal | None = None
    reprint: bool = False
    insured_value: Decimal | None = None  # 保价 declared value
    payment: str = ""  # PAYMENT_NAMES key (寄付, 到付, 月结) or the courier's own words; "": blank
    weight_kg: Decimal | None = None
    privacy: bool = False  # the platform asks for the name and street masked (隐私面单)

    def __post_init__(self) -> None:
        if not 1 <= self.parcel_no <= self.parcel_count:
            raise ValueError(
                f"waybill {self.tracking_no}: parcel {self.parcel_no} of {self.parcel_count}"
            )


PAYMENT_NAMES = {"prepaid": "寄付 Prepaid", "collect": "到付 Collect", "monthly": "月结 Monthly",
                 "third_party": "第三方付 3rd party"}


# ---------------------------------------------------------------- masking


def mask_name(name: str) -> str:
    """A name as a privacy waybill shows it: 欧阳喆 → 欧*喆, 张三 → 张*, 欧阳晓明 → 欧**明;
    a Latin name keeps each word's first letter (John Smith → J*** S****)."""
    name = name.strip()
    if not name:
        return ""
    if any(ch.isascii() and ch.isalpha() for ch in name) and " " in name:
        return " ".join(word[0] + _MASKED * (len(word) - 1) for word in name.split())
    if len(name) <= 2:
        return name[0] + _MASKED * (len(name) - 1 or 1)
    return name[0] + _MASKED * (len(name) - 2) + name[-1]

_SPACING = re.compile(r"[\s()（）]+")
_DASHES = re.compile(r"[\-–—./·]+")
_EXTENSION = re.compile(r"^(1\d{10})(?:[-–—,，#转xX]|ext\.?|分机)(\d{1,6})$", re.IGNORECASE)
_MASKED = "*"


def mask_phone(phone: str, country: str = "") -> str:
    """The phone number as a waybill may show it: at most the first 3 and last 4 digits.

    `13812341234` → `138****1234`. +86 / 0086, spaces, dashes and brackets are removed
    first. Numbers of other lengths keep the first 3 and last 4 digits when that still
    hides at least 4; shorter ones keep only their last digits (up to 4, at most half).
    A virtual number's extension (`13800001234-5678`, `…转5678`) stays readable after
    the masked host number: it reaches nobody without the host. Digits already masked
    (`*`) stay masked, so the result never shows a digit the input did not.
    """
    text = unicodedata.normalize("NFKC", phone).strip()
    if not text:
        return ""
    foreign = _mask_foreign(text, country)
    if foreign is not None:
        return foreign
    compact = _strip_country_code(_SPACING.sub("", text))
    extension = _EXTENSION.match(compact)
    if extension:
        return f"{_mask_digits(extension.group(1))}-{extension.group(2)}"
    compact = _strip_country_code(_DASHES.sub("", compact))
    if re.fullmatch(r"[0-9*]+", compact):
        return _mask_digits(compact)
    # Anything else (letters, words): hide every digit but the last few.
    return _mask_loose(text)


def _mask_foreign(text: str, country: str) -> str | None:
    """A number outside mainland China masked by its own country's plan (`phonenumbers`):
    "+1 (415) 555-0199" → "+1 415***0199", the country code kept apart from the number
    (not "141****0199"). None for a Chinese number or one that does not parse."""
    import phonenumbers

    region = country.strip().upper() if country.strip().upper() not in ("", "CHN") else "CN"
    if region == "CN" and not text.startswith("+") and not text.startswith("00"):
        return None
    try:
        number = phonenumbers.parse(text.replace("00", "+", 1) if text.startswith("00") else text,
                                    region)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code == 86 or not phonenumbers.is_possible_number(number):
        return None
    national = phonenumbers.national_significant_number(number)
    masked = (_mask_digits(national) if len(national) >= 11 else
              national[:3] + _MASKED * (len(national) - 7) + national[-4:] if len(national) >= 10 else
              _mask_digits(national))
    return f"+{number.country_code} {masked}"


def _strip_country_code(compact: str) -> str:
    for prefix in ("+86-", "+86", "0086-", "0086"):
        if compact.startswith(prefix):
            return compact[len(prefix):]
    if compact.startswith("+"):
        return compact[1:]
    # A bare 86 before a full mobile number (8613812341234).
    if re.fullmatch(r"861[3-9]\d{9}", compact):
        return compact[2:]
    return compact


def _mask_digits(digits: str) -> str:
    count = len(digits)
    if count >= 11:
        head, tail = 3, 4
    else:
        head, tail = 0, min(4, count // 2)
    shown = [
        ch if (i < head or i >= count - tail) else _MASKED for i, ch in enumerate(digits)
    ]
    return "".join(shown)


def _mask_loose(text: str) -> str:
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(positions[-min(4, len(positions) // 2):]) if len(positions) >= 2 else set()
    return "".join(
        _MASKED if ch.isdigit() and i not in keep else ch for i, ch in enumerate(text)
    )


# ---------------------------------------------------------------- geometry per size


@dataclass(frozen=True)
class _Spec:
    """Heights (mm) of the bands, top to bottom, and type sizes (pt) for one page size."""

    margin: float
    label_w: float  # the left column naming a block ("收件人 Recipient")
    label_size: float
    header_h: float
    courier_size: float
    routing_h: float
    routing_size: float
    hub_h: float
    hub_size: float
    barcode_h: float  # band, bars and digits included
    bar_h: float
    tracking_text: float
    recipient_h: float
    name_size: float
    address_size: float
    sender_h: float
    sender_size: float
    items_h: float
    items_size: float
    footer_h: float
    footer_size: float
    sign_h: float
    tear_h: float
    parts: int  # 1 一联, 2 二联 (+ the recipient's copy), 3 三联 (+ the sender's copy)
    service_h: float  # payment, weight, insured value
    stub_header_h: float
    stub_bar_h: float
    stub_recipient_h: float
    stub_sender_h: float
    stub_size: float
    min_size: float  # nothing shrinks below this

    def main_height(self) -> float:
        return (self.header_h + self.routing_h + self.hub_h + self.barcode_h + self.recipient_h
                + self.sender_h + self.items_h + self.service_h + self.footer_h + self.sign_h)

    def stub_height(self, body_h: float) -> float:
        """Height of each tear-off copy: what the courier's part leaves, shared equally."""
        copies = self.parts - 1
        if not copies:
            return 0.0
        return (body_h - self.main_height() - copies * self.tear_h) / copies

    def fixed_stub_height(self) -> float:
        return (self.stub_header_h + self.stub_recipient_h + self.stub_sender_h)


def _key(size: PageSize) -> str:
    return f"{size.width:g}x{size.height:g}"


# One column a page size, one row a field of _Spec (mm, pt):
#   100x180  Cainiao's standard 二联: the courier's part and the recipient's copy
#   100x150  二联, the common thermal roll
#   100x210  三联: the courier's part, the recipient's copy and the sender's copy
#   4x6      4x6 in (Zebra and overseas platforms' label), two parts
#   76x130   SF's 一联: one part, no tear-off copy
_COLUMNS = (WAYBILL_100x180, WAYBILL_100x150, WAYBILL_100x210, LABEL_4x6IN, WAYBILL_76x130)
_TABLE = (
    # field              100x180  100x150  100x210      4x6   76x130
    ("margin",               2.0,     2.0,     2.0,     2.0,     1.5),
    ("label_w",             11.0,    10.0,    11.0,    11.0,     8.5),
    ("label_size",           7.0,     6.5,     7.0,     7.0,     6.0),
    ("header_h",            10.0,     8.5,    10.0,     9.0,     8.5),
    ("courier_size",        15.0,    13.0,    15.0,    14.0,    12.0),
    ("routing_h",           17.0,    14.0,    16.0,    15.0,    15.0),
    ("routing_size",        42.0,    36.0,    40.0,    38.0,    36.0),
    ("hub_h",                8.0,     7.0,     8.0,     7.0,     7.0),
    ("hub_size",            11.0,    10.0,    11.0,    10.5,     9.0),
    ("barcode_h",           22.0,    19.0,    21.0,    20.0,    19.0),
    ("bar_h",               15.0,    12.5,    14.0,    13.5,    13.0),
    ("tracking_text",       11.0,    10.0,    11.0,    10.0,     9.5),
    ("recipient_h",         24.0,    20.0,    23.0,    21.0,    24.0),
    ("name_size",           13.0,    11.5,    13.0,    12.0,    11.0),
    ("address_size",        11.0,     9.5,    10.5,    10.0,     9.0),
    ("sender_h",            12.0,    10.0,    11.0,    10.0,    12.0),
    ("sender_size",          8.0,     7.0,     8.0,     7.5,     7.0),
    ("items_h",             10.0,     8.0,     9.0,     8.0,    12.0),
    ("items_size",           9.0,     8.0,     8.5,     8.5,     7.5),
    ("footer_h",             5.0,     4.5,     5.0,     4.5,     4.5),
    ("footer_size",          7.5,     6.5,     7.0,     7.0,     6.0),
    ("sign_h",               7.0,     6.0,     7.0,     6.0,     7.0),
    ("tear_h",               4.0,     3.5,     3.5,     3.5,     0.0),
    ("parts",                  2,       2,       3,       2,       1),
    ("service_h",            5.0,     4.5,     5.0,     4.5,     5.0),
    ("stub_header_h",        5.5,     5.0,     5.0,     5.0,     0.0),
    ("stub_bar_h",           8.0,     7.0,     7.0,     7.0,     0.0),
    ("stub_recipient_h",    15.0,    12.0,    13.0,    12.0,     0.0),
    ("stub_sender_h",        8.0,     6.5,     7.0,     6.5,     0.0),
    ("stub_size",            8.0,     7.0,     7.0,     7.0,     6.5),
    ("min_size",             5.5,     5.0,     5.0,     5.0,     5.0),
)
_SPECS: dict[str, _Spec] = {_key(size): _Spec(**{row[0]: row[1 + column] for row in _TABLE})
                            for column, size in enumerate(_COLUMNS)}

SIZES = (WAYBILL_100x180, WAYBILL_100x150, WAYBILL_100x210, WAYBILL_76x130, LABEL_4x6IN)
MAIN_MODULES = (0.375, 0.25)  # mm; the widest that fits (3 dots, then 2 dots at 203 dpi)
STUB_MODULE = 0.25
STUB_TEXT = 7.0  # pt, the digits under the stub barcode
LINE = 0.3  # mm, the grid lines
THICK = 0.6  # mm, the frame and the routing band


def _spec_for(size: PageSize) -> _Spec:
    try:
        return _SPECS[_key(size)]
    except KeyError:
        raise LayoutError(
            f"no waybill layout for {size.name}; waybills print on "
            + ", ".join(s.name for s in SIZES)
        ) from None


# ---------------------------------------------------------------- rendering


def render_waybill(data: Waybill, *, size: PageSize = WAYBILL_100x180) -> bytes:
    """One waybill as a one-page PDF of `size` (one of SIZES).

    Raises LayoutError naming the tracking number when something cannot fit even at
    the smallest type (an address of several hundred characters, say), and for a size
    with no waybill layout.
    """
    return render_waybills([data], size=size)


def render_waybills(
    waybills: Sequence[Waybill], *, size: PageSize = WAYBILL_100x180
) -> bytes:
    """Many waybills, one page each, in one PDF (a printing batch on one canvas).

    The grid and the fixed bilingual labels are drawn once, as a PDF form every page
    shows; each page adds only what differs. Raises LayoutError naming the first
    waybill that does not fit.
    """
    if not waybills:
        raise ValueError("no waybills to print")
    _spec_for(size)  # refuses an unknown size before anything else
    out = io.BytesIO()
    title = waybills[0].tracking_no if len(waybills) == 1 else f"{len(waybills)} waybills"
    canvas = new_canvas(out, size, title=f"电子面单 Waybill {title}")
    for waybill in waybills:
        draw_waybill(canvas, waybill, size)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def draw_waybill(canvas: Canvas, data: Waybill, size: PageSize) -> None:
    """Draw one waybill of `size` on the canvas's current page."""
    spec = _spec_for(size)
    try:
        stub_barcode = _stub_barcode_size(data.tracking_no, spec)
        if stub_barcode is not None and not _stub_items_fit(data, _geometry(size, True), spec):
            stub_barcode = None  # the items matter more than a second barcode
        geometry = _geometry(size, stub_barcode is not None)
        forms = _forms_drawn.setdefault(canvas, set())
        name = geometry.form_name
        if name not in forms:
            _draw_template(canvas, geometry, spec)
            forms.add(name)
        canvas.doForm(name)
        _Fill(canvas, data, geometry, spec, stub_barcode).draw()
    except LayoutError as error:
        raise LayoutError(f"waybill {data.tracking_no}: {error}") from None


def _stub_items_fit(data: Waybill, geometry: _Geometry, spec: _Spec) -> bool:
    if not geometry.parts:
        return True
    inner = _items_inner(geometry.parts[0].items, spec.label_w * STUB_LABEL_SCALE)
    try:
        fit_block(data.item_summary, inner.width, inner.height, spec.stub_size, spec.min_size)
    except LayoutError:
        return False
    return True


_ITEM = re.compile(r"^(.*?)\s*[×x\*]\s*(\d+)$")


def summary_items(summary: str) -> list[tuple[str, int]] | None:
    """The (item, quantity) pieces of an item summary ("TS01 ×2, NB-001 ×1"), or None when
    it is not one (free text)."""
    pieces = [piece.strip() for piece in re.split(r"[,，、;；]\s*", summary) if piece.strip()]
    items = []
    for piece in pieces:
        found = _ITEM.match(piece)
        if not found:
            return None
        items.append((found.group(1), int(found.group(2))))
    return items or None


def shortened_summary(items: Sequence[tuple[str, int]], shown: int) -> str:
    """The first `shown` items, then "…等 N 种 M 件" counting every item (N kinds, M units)."""
    head = ", ".join(f"{name}{NBSP}×{qty}" for name, qty in items[:shown])
    total = f"…等 {len(items)} 种 {sum(qty for _name, qty in items)} 件"
    return f"{head} {total}" if head else total


def fit_items(summary: str, width: float, height: float, size: float, min_size: float):
    """The item summary wrapped into its box; a list too long for the box even at the smallest
    type is shortened to as many items as fit and "…等 N 种 M 件" (an order of 30 lines still
    gets its waybill: the packing slip lists every line). Free text that cannot fit raises.
    An item and its quantity ("NB-001 ×24") stay on one line."""
    summary = summary.replace(" ×", NBSP + "×")
    try:
        return fit_block(summary, width, height, size, min_size, what="item summary")
    except LayoutError:
        items = summary_items(summary)
        if items is None:
            raise
    for shown in range(len(items) - 1, -1, -1):  # as many as fit, at the smallest readable type
        try:
            return fit_block(shortened_summary(items, shown), width, height, size, min_size,
                             what="item summary")
        except LayoutError:
            if shown == 0:
                raise
    raise AssertionError("unreachable")


def _items_inner(block: Box, label_w: float) -> Box:
    return Box(block.x + label_w + 1.2, block.y + 0.6, block.width - label_w - 2.4,
               block.height - 1.2)


STUB_LABEL_SCALE = 0.85  # the stub's label column, relative to the courier part's
STUB_FOOTER_SCALE = 0.85  # the stub's footer band, relative to the courier part's


# Which template forms each canvas already holds (a form is drawn once per PDF), and
# the form of each sender seen on it.
_forms_drawn: WeakKeyDictionary[Canvas, set[str]] = WeakKeyDictionary()
_sender_forms: WeakKeyDictionary[Canvas, dict[tuple[str, Contact], str]] = WeakKeyDictionary()


@dataclass(frozen=True)
class _Part:
    """A tear-off copy below the courier's part: the recipient's, or (三联) the sender's."""

    title: str
    box: Box
    header: Box
    barcode: Box  # zero height when the second barcode does not fit
    recipient: Box
    sender: Box
    items: Box
    footer: Box


@dataclass(frozen=True)
class _Geometry:
    """Where every band of a waybill sits on one page size (mm).

    The zones of GB/T 41833-2022: 码号区 (header, barcode), 目的地信息区 (routing, hub),
    收件人, 寄件人, 内件 (items), service information (payment, weight, insured value) and
    签收区 (sign), then the tear-off copies.
    """

    form_name: str
    header: Box
    marker: Box  # the parcel marker, "1/2", at the header's right
    routing: Box
    hub: Box
    barcode: Box
    recipient: Box
    sender: Box
    items: Box
    service: Box
    footer: Box
    sign: Box
    main: Box
    tears: tuple[Box, ...]
    parts: tuple[_Part, ...]


PART_TITLES = ("收件人联 Recipient copy", "寄件人联 Sender copy")
STUB_TITLE = PART_TITLES[0]


@lru_cache(maxsize=None)
def _geometry(size: PageSize, stub_barcode: bool) -> _Geometry:
    s = _spec_for(size)
    layout = PageLayout(size, s.margin)
    body = layout.content
    stub_h = s.stub_height(body.height)
    stub_footer_h = s.footer_h * STUB_FOOTER_SCALE
    copies = s.parts - 1
    if copies and stub_h < s.fixed_stub_height() + stub_footer_h + 3.5:
        needed = s.main_height() + copies * (s.tear_h + s.fixed_stub_height() + stub_footer_h + 3.5)
        raise LayoutError(f"the waybill bands need {needed:.1f} mm, the page has "
                          f"{body.height:.1f} mm")
    spare = body.height - s.main_height() if not copies else 0.0
    if spare < -1e-6:
        raise LayoutError(f"the waybill bands need {s.main_height():.1f} mm, the page has "
                          f"{body.height:.1f} mm")
    # 一联: what the bands leave goes to the recipient and the items.
    heights = (s.header_h, s.routing_h, s.hub_h, s.barcode_h, s.recipient_h + spare / 2,
               s.sender_h, s.items_h + spare / 2, s.service_h, s.footer_h, s.sign_h)
    top = body.top
    bands = []
    for height in heights:
        bands.append(layout.box(body.x, top - height, body.width, height, "waybill band"))
        top -= height
    header, routing, hub, barcode, recipient, sender, items, service, footer, sign = bands
    marker_w = header.height * 1.9
    tears, parts = [], []
    for index in range(copies):
        tear = Box(body.x, top - s.tear_h, body.width, s.tear_h)
        stub = layout.box(body.x, tear.y - stub_h, body.width, stub_h, "tear-off copy")
        top = stub.y
        tears.append(tear)
        stub_header = Box(stub.x, stub.top - s.stub_header_h, stub.width, s.stub_header_h)
        barcode_h = _stub_barcode_band(s) if stub_barcode else 0.0
        stub_barcode_box = Box(stub.x, stub_header.y - barcode_h, stub.width, barcode_h)
        stub_recipient = Box(stub.x, stub_barcode_box.y - s.stub_recipient_h, stub.width,
                             s.stub_recipient_h)
        stub_sender = Box(stub.x, stub_recipient.y - s.stub_sender_h, stub.width,
                          s.stub_sender_h)
        stub_footer = Box(stub.x, stub.y, stub.width, stub_footer_h)
        stub_items = Box(stub.x, stub_footer.top, stub.width, stub_sender.y - stub_footer.top)
        parts.append(_Part(PART_TITLES[index], stub, stub_header, stub_barcode_box,
                           stub_recipient, stub_sender, stub_items, stub_footer))
    main_bottom = sign.y
    return _Geometry(
        form_name=f"waybill_{size.width:g}x{size.height:g}_{int(stub_barcode)}".replace(".", "_"),
        header=header,
        marker=Box(header.right - marker_w, header.y, marker_w, header.height),
        routing=routing, hub=hub, barcode=barcode, recipient=recipient, sender=sender,
        items=items, service=service, footer=footer, sign=sign,
        main=Box(body.x, main_bottom, body.width, body.top - main_bottom),
        tears=tuple(tears), parts=tuple(parts),
    )


@lru_cache(maxsize=None)
def _stub_barcode_band(spec: _Spec) -> float:
    # Bars, digits and half a millimetre above and below.
    return spec.stub_bar_h + code128_size("0", bar_height_mm=0, text_size=STUB_TEXT).height + 1.0


def _stub_barcode_size(value: str, spec: _Spec) -> BarcodeSize | None:
    """The stub's barcode size, or None when there is no stub or it does not fit (width or height)."""
    if spec.parts < 2:
        return None
    size = _code128(value, STUB_MODULE, spec.stub_bar_h, STUB_TEXT)
    width, spare = _geometry_room(spec)
    if size.width > width or _stub_barcode_band(spec) > spare:
        return None
    return size


def _code128(value: str, module: float, bar_h: float, text_size: float) -> BarcodeSize:
    return code128_size(value, module_mm=module, bar_height_mm=bar_h, text_size=text_size)


@lru_cache(maxsize=None)
def _geometry_room(spec: _Spec) -> tuple[float, float]:
    """(width, spare height) of the stub: what a second barcode could have."""
    size = next(size for size in SIZES if _SPECS[_key(size)] is spec)
    body = PageLayout(size, spec.margin).content
    stub_h = spec.stub_height(body.height)
    spare = stub_h - spec.fixed_stub_height() - spec.footer_h * STUB_FOOTER_SCALE - STUB_MIN_ITEMS_H
    return body.width, spare


STUB_MIN_ITEMS_H = 5.0  # mm the stub keeps for the items before it gives up its barcode


# ---------------------------------------------------------------- the fixed part


def _draw_template(canvas: Canvas, g: _Geometry, s: _Spec) -> None:
    """Grid, rules and the fixed bilingual labels: the same on every waybill of a size."""
    canvas.beginForm(g.form_name)
    ink = TextWriter(canvas)
    # Header: the parcel marker's cell.
    rule(canvas, g.marker.x, g.marker.y, g.marker.x, g.marker.top, width=LINE)
    ink.line("件数 Pcs", g.marker.x + g.marker.width / 2,
             g.marker.top - 0.8 - ascent_mm(5.5), 5.5, align="center")
    # Hub label.
    draw_text(ink, HUB_LABEL, g.hub.x + 1.2, _centred_baseline(g.hub, s.hub_size),
              14, _hub_label_size(s), s.min_size)
    _label_cell(canvas, ink, g.recipient, s.label_w, "收件人", "Recipient", s)
    _label_cell(canvas, ink, g.sender, s.label_w, "寄件人", "Sender", s)
    _label_cell(canvas, ink, g.items, s.label_w, "物品", "Items", s)
    _service_labels(ink, g.service, s)
    _footer_labels(ink, g.footer, s.footer_size, s)
    _signature(canvas, ink, g.sign, s)
    frame(canvas, g.main, width=THICK)
    for band in (g.header, g.routing, g.hub, g.barcode, g.recipient, g.sender, g.items, g.service,
                 g.footer):
        rule(canvas, g.main.x, band.y, g.main.right, band.y,
             width=THICK if band in (g.header, g.routing) else LINE)
    for tear in g.tears:
        _tear_line(canvas, ink, tear)

    # The tear-off copies: the recipient's, and on a 三联 the sender's.
    stub_label_w = s.label_w * STUB_LABEL_SCALE
    for part in g.parts:
        draw_text(ink, part.title, part.header.x + 1.2, _centred_baseline(part.header, s.stub_size),
                  part.header.width * 0.45, s.stub_size, s.min_size, bold=True)
        _label_cell(canvas, ink, part.recipient, stub_label_w, "收件人", "Recipient", s)
        _label_cell(canvas, ink, part.sender, stub_label_w, "寄件人", "Sender", s)
        _label_cell(canvas, ink, part.items, stub_label_w, "物品", "Items", s)
        _footer_labels(ink, part.footer, _stub_footer_size(s), s)
        frame(canvas, part.box, width=LINE)
        for band in (part.header, part.barcode, part.recipient, part.sender, part.items):
            if band.height:
                rule(canvas, part.box.x, band.y, part.box.right, band.y, width=LINE)
    ink.flush()
    canvas.endForm()


HUB_LABEL = "集包地 Hub"
ORDER_LABEL = "订单号 Order"
PRINTED_LABEL = "打印 Printed"
_TIME_SAMPLE = "0000-00-00 00:00"


def _hub_label_size(s: _Spec) -> float:
    return max(s.min_size, s.hub_size * 0.6)


def _stub_footer_size(s: _Spec) -> float:
    return s.footer_size * 0.9


def _label_cell(canvas: Canvas, ink: TextWriter, block: Box, width: float, zh: str, en: str,
                s: _Spec) -> None:
    box = Box(block.x, block.y, width, block.height)
    centre = box.x + box.width / 2
    size_en = max(4.5, s.label_size * 0.8)
    top = box.top - 1.0
    used = draw_text(ink, zh, centre, top - ascent_mm(s.label_size), box.width - 1,
                     s.label_size, 4.5, align="center", bold=True)
    draw_text(ink, en, centre, top - ascent_mm(used) - descent_mm(used) - 0.4
              - ascent_mm(size_en), box.width - 0.8, size_en, 4.0, align="center")
    rule(canvas, box.right, box.y, box.right, box.top, width=LINE)


def _footer_columns(box: Box, size: float) -> tuple[float, float, float]:
    """x of the order number, x of the printed label, x of the printed time."""
    time_x = box.right - 1.2 - text_width(_TIME_SAMPLE, size)
    printed_x = time_x - 0.8 - text_width(PRINTED_LABEL, size)
    order_x = box.x + 1.2 + text_width(ORDER_LABEL, size) + 0.8
    return order_x, printed_x, time_x


def _footer_labels(ink: TextWriter, box: Box, size: float, s: _Spec) -> None:
    baseline = _centred_baseline(box, size)
    _, printed_x, _ = _footer_columns(box, size)
    ink.line(ORDER_LABEL, box.x + 1.2, baseline, size)
    ink.line(PRINTED_LABEL, printed_x, baseline, size)


SERVICE_LABELS = ("付款 Payment", "重量 Weight", "保价 Insured")
ROUTING_LABEL = "三段码 Routing"
ROUTING_BLANK = "待快递员填写 For the courier to write"


def _service_columns(box: Box) -> tuple[float, float, float]:
    """x of each service field's label: payment, weight, insured value."""
    return box.x + 1.2, box.x + box.width * 0.40, box.x + box.width * 0.69


def _service_labels(ink: TextWriter, box: Box, s: _Spec) -> None:
    size = _service_size(s)
    baseline = _centred_baseline(box, size)
    for label, x in zip(SERVICE_LABELS, _service_columns(box)):
        ink.line(label, x, baseline, size)


def _service_size(s: _Spec) -> float:
    return max(s.min_size, s.footer_size)


def _signature(canvas: Canvas, ink: TextWriter, box: Box, s: _Spec) -> None:
    baseline = box.y + 1.6
    half = box.width * 0.58
    label = "签收人 Signature"
    ink.line(label, box.x + 1.2, baseline, s.footer_size)
    start = box.x + 2.4 + text_width(label, s.footer_size)
    rule(canvas, start, baseline - 0.6, box.x + half - 2, baseline - 0.6, width=0.2)
    label = "日期 Date"
    ink.line(label, box.x + half, baseline, s.footer_size)
    start = box.x + half + 1.2 + text_width(label, s.footer_size)
    rule(canvas, start, baseline - 0.6, box.right - 1.2, baseline - 0.6, width=0.2)


def _tear_line(canvas: Canvas, ink: TextWriter, box: Box) -> None:
    middle = box.y + box.height / 2
    text = "沿虚线撕开 Tear here"
    size = 5.5
    gap = text_width(text, size) + 3
    centre = box.x + box.width / 2
    rule(canvas, box.x, middle, centre - gap / 2, middle, width=0.3, dash=(1.5, 1.0))
    rule(canvas, centre + gap / 2, middle, box.right, middle, width=0.3, dash=(1.5, 1.0))
    ink.line(text, centre, middle - (ascent_mm(size) - descent_mm(size)) / 2, size,
             align="center")


def _centred_baseline(box: Box, size: float) -> float:
    return box.y + (box.height - ascent_mm(size) + descent_mm(size)) / 2


# ---------------------------------------------------------------- what differs per parcel


class _Fill:
    def __init__(self, canvas: Canvas, data: Waybill, geometry: _Geometry, spec: _Spec,
                 stub_barcode) -> None:
        self.c = canvas
        self.ink = TextWriter(canvas)
        self.d = data
        self.g = geometry
        self.s = spec
        self.stub_barcode = stub_barcode
        self.phone = mask_phone(data.recipient.phone, data.recipient.country)
        self.recipient = data.recipient.masked() if data.privacy else data.recipient

    def draw(self) -> None:
        s, g, d = self.s, self.g, self.d
        self.header()
        self.routing()
        self.hub()
        self.barcode()
        self.contact(g.recipient, s.label_w, "recipient", self.recipient, self.phone,
                     s.name_size, s.address_size, bold=True)
        self.senders()
        self.items(g.items, s.label_w, s.items_size)
        self.service()
        self.footer(g.footer, s.footer_size)
        for part in g.parts:
            self.stub(part)
        self.ink.flush()  # last: white marks go on top of their black boxes

    def header(self) -> None:
        s, g, d = self.s, self.g, self.d
        box, pad = g.header, 1.2
        right = g.marker.x
        if d.reprint:
            mark_w = min(24.0, box.width * 0.3)
            mark = Box(right - mark_w - pad, box.y + 1.2, mark_w, box.height - 2.4)
            inverted_text(self.c, REPRINT_MARK, mark, s.courier_size * 0.72, s.min_size,
                          ink=self.ink)
            right = mark.x
        draw_text(self.ink, f"{d.courier_name} {d.courier_code}", box.x + pad,
                  _centred_baseline(box, s.courier_size), right - box.x - 2 * pad,
                  s.courier_size, s.min_size, bold=True)
        marker = g.marker
        draw_text(self.ink, f"{d.parcel_no}/{d.parcel_count}", marker.x + marker.width / 2,
                  marker.y + 1.0 + descent_mm(s.courier_size), marker.width - 1,
                  s.courier_size * 0.9, s.min_size, align="center", bold=True)

    def routing(self) -> None:
        # Sorters read this band from a distance: as big as it will go, bold, centred.
        box = self.g.routing
        if not self.d.routing_code.strip():
            # No routing data from the courier: never invent one. An empty, labelled box
            # for the courier's pen.
            size = self.s.min_size + 1
            self.ink.line(ROUTING_LABEL, box.x + 1.2, box.top - 0.8 - ascent_mm(size), size,
                          bold=True)
            self.ink.line(ROUTING_BLANK, box.right - 1.2, box.y + 0.8 + descent_mm(size),
                          self.s.min_size, align="right")
            return
        line = ascent_mm(self.s.routing_size) + descent_mm(self.s.routing_size)
        size = min(self.s.routing_size, self.s.routing_size * (box.height - 1.5) / line)
        used = fit_size(single_line(self.d.routing_code), box.width - 3, size, min(16.0, size))
        draw_text(self.ink, self.d.routing_code, box.x + box.width / 2,
                  _centred_baseline(box, used), box.width - 3, used, align="center", bold=True)

    def hub(self) -> None:
        s, d, box = self.s, self.d, self.g.hub
        right = box.right
        if d.cod_amount is not None:
            cod_w = box.width * 0.52
            cod = Box(box.right - cod_w - 0.8, box.y + 0.8, cod_w, box.height - 1.6)
            inverted_text(self.c, f"代收货款 COD ¥{d.cod_amount:,.2f}", cod, s.hub_size,
                          s.min_size, ink=self.ink)
            right = cod.x
        if d.sorting_area:
            x = box.x + 2.2 + min(14.0, text_width(HUB_LABEL, _hub_label_size(s)))
            draw_text(self.ink, d.sorting_area, x, _centred_baseline(box, s.hub_size),
                      right - x - 1.2, s.hub_size, s.min_size, bold=True)

    def barcode(self) -> None:
        s, value, box = self.s, self.d.tracking_no, self.g.barcode
        for module in MAIN_MODULES:
            size = _code128(value, module, s.bar_h, s.tracking_text)
            if size.width <= box.width:
                break
        draw_code128(self.c, value, box.x + (box.width - size.width) / 2,
                          box.y + (box.height - size.height) / 2, module_mm=size.module,
                          bar_height_mm=s.bar_h, max_width_mm=box.width,
                          text_size=s.tracking_text, ink=self.ink)

    def contact(
        self, block: Box, label_w: float, what: str, who: Contact, phone: str,
        name_size: float, address_size: float, *, bold: bool, compact: bool = False,
    ) -> None:
        s = self.s
        inner = Box(block.x + label_w + 1.2, block.y + 0.8, block.width - label_w - 2.4,
                    block.height - 1.6)
        name_line = single_line(f"{who.name}  {phone}")
        if compact:  # too little height for a line of its own: one wrapped block
            text = f"{name_line}  {who.address}"
            block_text = fit_block(text, inner.width, inner.height, address_size, s.min_size,
                                   what=f"{what} address")
            draw_block(self.ink, block_text, inner.x, inner.top, inner.width,
                       bold=bold and block_text.size >= BOLD_MIN_SIZE)
            return
        used = draw_text(self.ink, name_line, inner.x, inner.top - ascent_mm(name_size),
                         inner.width, name_size, s.min_size, bold=bold)
        top = inner.top - ascent_mm(used) - descent_mm(used) - 0.6
        address = fit_block(who.address, inner.width, top - inner.y, address_size, s.min_size,
                            what=f"{what} address")
        # Faux bold closes up small Chinese characters on a 203 dpi head: not below 8 pt.
        draw_block(self.ink, address, inner.x, top, inner.width,
                   bold=bold and address.size >= BOLD_MIN_SIZE)

    def senders(self) -> None:
        """The sender on the courier's part and on the stub.

        A batch is usually one shop's: its sender blocks are drawn once into a form
        that every page with the same sender shows.
        """
        forms = _sender_forms.setdefault(self.c, {})
        key = (self.g.form_name, self.d.sender)
        name = forms.get(key)
        if name is None:
            name = forms[key] = f"{self.g.form_name}_sender{len(forms)}"
            s, g, d = self.s, self.g, self.d
            page_ink = self.ink
            self.c.beginForm(name)
            self.ink = TextWriter(self.c)
            self.contact(g.sender, s.label_w, "sender", d.sender, d.sender.phone,
                         s.sender_size, s.sender_size, bold=False)
            for part in g.parts:
                self.contact(part.sender, s.label_w * STUB_LABEL_SCALE, "stub sender", d.sender,
                             d.sender.phone, s.stub_size - 0.5, s.stub_size - 0.5, bold=False,
                             compact=True)
            self.ink.flush()
            self.c.endForm()
            self.ink = page_ink
        self.c.doForm(name)

    def items(self, block: Box, label_w: float, size: float) -> None:
        inner = _items_inner(block, label_w)
        text = fit_items(self.d.item_summary, inner.width, inner.height, size, self.s.min_size)
        draw_block(self.ink, text, inner.x, inner.top, inner.width)

    def footer(self, box: Box, size: float) -> None:
        order_x, printed_x, time_x = _footer_columns(box, size)
        baseline = _centred_baseline(box, size)
        draw_text(self.ink, self.d.order_no, order_x, baseline, printed_x - order_x - 1.5,
                  size, self.s.min_size)
        when = self.d.printed_at  # as %Y-%m-%d %H:%M, without strftime's cost per page
        draw_text(self.ink, f"{when.year:04d}-{when.month:02d}-{when.day:02d} "
                  f"{when.hour:02d}:{when.minute:02d}", time_x, baseline,
                  box.right - 1.2 - time_x, size, self.s.min_size)

    def service(self) -> None:
        s, d, box = self.s, self.d, self.g.service
        size = _service_size(s)
        baseline = _centred_baseline(box, size)
        columns = _service_columns(box)
        values = (PAYMENT_NAMES.get(d.payment, d.payment),
                  f"{d.weight_kg:.2f} kg" if d.weight_kg is not None else "",
                  f"¥{d.insured_value:,.2f}" if d.insured_value is not None else "")
        ends = (*columns[1:], box.right)
        for label, value, x, end in zip(SERVICE_LABELS, values, columns, ends):
            if value:
                start = x + text_width(label, size) + 1.0
                draw_text(self.ink, value, start, baseline, end - start - 1.2, size, s.min_size,
                          bold=True)

    def stub(self, part: _Part) -> None:
        s, g, d = self.s, self.g, self.d
        header = part.header
        baseline = _centred_baseline(header, s.stub_size)
        right = header.right - 1.2
        if d.reprint:
            mark = Box(header.right - 17, header.y + 0.6, 17, header.height - 1.2)
            inverted_text(self.c, REPRINT_MARK, mark, s.stub_size, s.min_size, ink=self.ink)
            right = mark.x - 1.2
        info = f"{d.courier_name} {d.parcel_no}/{d.parcel_count}"
        if self.stub_barcode is None:  # no room for the barcode: the number in words
            info = f"{d.courier_name} {d.tracking_no} {d.parcel_no}/{d.parcel_count}"
        left = header.x + 2.4 + text_width(part.title, s.stub_size)
        draw_text(self.ink, info, right, baseline, right - left, s.stub_size, s.min_size,
                  align="right")
        if self.stub_barcode is not None:
            box = part.barcode
            draw_code128(self.c, d.tracking_no,
                              box.x + (box.width - self.stub_barcode.width) / 2, box.y + 0.5,
                              module_mm=STUB_MODULE, bar_height_mm=s.stub_bar_h,
                              max_width_mm=box.width, text_size=STUB_TEXT, ink=self.ink)
        label_w = s.label_w * STUB_LABEL_SCALE
        self.contact(part.recipient, label_w, "stub recipient", self.recipient, self.phone,
                     s.stub_size + 1, s.stub_size, bold=True)
        self.items(part.items, label_w, s.stub_size)
        self.footer(part.footer, _stub_footer_size(s))


REPRINT_MARK = "补打 REPRINT"
BOLD_MIN_SIZE = 8.0  # pt
