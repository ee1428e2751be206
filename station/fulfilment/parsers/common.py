"""Helpers shared by the order parsers: header checks, values, dates (the CSV itself is read by
``station.files.reader.read_csv``)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import Callable, Iterable

from station.files import fields
from station.files.reader import CsvTable, RowError, parse_int
from station.i18n import _

from .model import OrderRowError

Progress = Callable[[int, int], None]
CHINA = timezone(timedelta(hours=8), "CST")  # Taobao/Tmall times: Beijing time, no daylight saving


def check_header(table: CsvTable, index: dict[str, int], required: Iterable[str],
                 used: Iterable[str], normalise: Callable[[str], str]) -> list[RowError]:
    """Required columns present, used ones not twice; names given as the shop spells them."""
    errors = []
    names = [normalise(c) for c in table.columns]
    for name in used:
        if names.count(normalise(name)) > 1:
            errors.append(RowError(table.header_line, _("Column {column} appears twice", column=name)))
    for name in required:
        if normalise(name) not in index:
            errors.append(RowError(table.header_line, _("Required column {column} is missing", column=name)))
    return errors


def with_file(errors: Iterable[RowError], file: str | None) -> list[OrderRowError]:
    return [e if isinstance(e, OrderRowError) else OrderRowError(e.line, e.reason, file) for e in errors]


def tick(progress: Progress | None, done: int, total: int) -> None:
    if progress and (done % 1000 == 0 or done == total):
        progress(done, total)


# ---- values ------------------------------------------------------------------------------

def text(value: str | None) -> str | None:
    """Stripped text with Windows line ends made plain; None when empty."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


def excel_text(value: str) -> str:
    """Undo the tricks that keep Excel from mangling numbers: ``="0123"`` and ``'0123``."""
    value = value.strip()
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        value = value[2:-1]
    elif value.startswith("'"):
        value = value[1:]
    return value.strip()


def quantity(value: str, column: str) -> int:
    try:
        return parse_int(value, minimum=1)
    except ValueError as exc:
        raise ValueError(f"{column}: {exc}") from None


_CURRENCY = "¥￥$€£ "


def price(value: str, column: str) -> Decimal | None:
    """A price in plain digits with at most 2 decimals, a currency sign allowed in front."""
    value = value.strip()
    if not value:
        return None
    number = value.lstrip(_CURRENCY)
    if not fields.is_plain_amount(number):
        raise ValueError(_("{column}: {value!r} is not a price", column=column, value=fields.shown(value)))
    try:
        return fields.amount(number)
    except ValueError as exc:
        raise ValueError(f"{column}: {exc}") from None


def is_cod(payment: str | None) -> bool:
    """Whether a payment method's words say cash on delivery: Shopify's "Cash on Delivery (COD)",
    WooCommerce's gateway id ``cod``, JD's and 抖店's 货到付款."""
    words = (payment or "").strip().lower()
    return "cash on delivery" in words or "(cod)" in words or words == "cod" or "货到付款" in words


def order_no(value: str, column: str) -> str:
    return fields.order_no(value, column)


_good_skus: set[str] = set()


def sku(value: str, column: str) -> str:
    """A SKU (see ``fields.code``); the few distinct SKUs of a big file are checked once."""
    if value not in _good_skus:
        fields.code(value, column)
        if len(_good_skus) < 100_000:
            _good_skus.add(value)
    return value


_DATE = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _local_zone(year: int, month: int, day: int, hour: int) -> tzinfo:
    """This computer's UTC offset at that hour (daylight saving included); cached: it is slow to ask."""
    return datetime(year, month, day, hour).astimezone().tzinfo


def when(value: str, column: str, tz: tzinfo | None) -> datetime | None:
    """A date and time as shops write it (``2021-05-13 11:01:13 +0200``, ``2021/5/13 9:01``,
    ISO 8601); always timezone-aware: without an offset it is in ``tz`` (None: this computer's zone)."""
    value = value.strip()
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)  # the common case, fast
    except ValueError:
        pass
    else:
        if at.tzinfo is not None:
            return at
        return at.replace(tzinfo=tz if tz is not None else _local_zone(at.year, at.month, at.day, at.hour))
    m = _DATE.match(value)
    try:
        if not m:
            raise ValueError
        y, mo, d, h, mi, s, frac, off = m.groups()
        at = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                      int((frac or "0").ljust(6, "0")))
        if off:
            off = off.upper()
            if off in ("Z", "UTC", "GMT"):
                zone = timezone.utc
            else:
                digits = off[1:].replace(":", "")
                delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
                zone = timezone(-delta if off[0] == "-" else delta)
            return at.replace(tzinfo=zone)
        return at.replace(tzinfo=tz if tz is not None else _local_zone(at.year, at.month, at.day, at.hour))
    except (ValueError, OverflowError, OSError):
        if fields.serial_date(value):
            raise ValueError(_("{column}: {value!r} is a spreadsheet's day number, not a date: export the file "
                               "again with the dates as text", column=column, value=value)) from None
        raise ValueError(_("{column}: {value!r} is not a date and time", column=column, value=value)) from None


# ---- Shopify variant titles ------------------------------------------------------------------

_SIZE = re.compile(
    r"^(?:X{0,4}S|M|X{0,5}L|\d?XS|\d?XL|\d{1,3}(?:[.,]5)?|\d{2,3}/\d{2,3}[A-Z]?|"
    r"ONE ?SIZE|OS|FREE ?SIZE|均码|均碼|[SML]/[SML]|\d{1,3} ?(?:CM|MM|IN|EU|UK|US)|"
    r"(?:EU|UK|US) ?\d{1,2}(?:[.,]5)?|W\d{2}(?: ?L\d{2})?|\d{1,2}-\d{1,2} ?(?:Y|YRS|YEARS|M|MONTHS)?)$",
    re.IGNORECASE)


def looks_like_size(value: str) -> bool:
    return bool(_SIZE.match(value.strip()))


def split_name(title: str) -> tuple[str, str | None]:
    """``Classic Tee - Red / M`` -> (Classic Tee, Red / M): Shopify writes the variant title after
    the last ' - ' that is not inside brackets (``Size 2 (from 6mnths - 18mnths)`` keeps its dash);
    (title, None) when there is no variant or it is ``Default Title``."""
    depth, cut = 0, -1
    for i, ch in enumerate(title):
        if ch in "([{（":
            depth += 1
        elif ch in ")]}）":
            depth = max(0, depth - 1)
        elif depth == 0 and title.startswith(" - ", i):
            cut = i
    if cut < 0:
        return title.strip(), None
    base, variant = title[:cut].strip(), title[cut + 3:].strip()
    if variant == "Default Title" and base:
        return base, None
    if not variant or not base:
        return title.strip(), None
    return base, variant


_SIZE_LABEL = re.compile(r"^(?:size|größe|grösse|taille|talla|taglia|maat|尺码|尺寸)\s*[:：]?\s*(.+)$", re.IGNORECASE)
_COLOUR_LABEL = re.compile(r"^(?:colou?r|farbe|couleur|kleur|颜色)\s*[:：]\s*(.+)$", re.IGNORECASE)


def colour_and_size(title: str) -> tuple[str | None, str | None]:
    """``T-Shirt - Red / M`` -> (Red, M); ``Bibs Danish Pacifier - Smoke / Size 2 (from 6mnths -
    18mnths)`` -> (Smoke, 2 (from 6mnths - 18mnths)). Options are joined by ' / ' in the variant
    title (see ``split_name``); an option labelled ``Size ...`` or that looks like a size is the
    size, the first other one the colour."""
    _base, variant = split_name(title)
    if not variant:
        return None, None
    colour = size = None
    for part in (p.strip() for p in variant.split(" / ")):
        if not part:
            continue
        labelled = _SIZE_LABEL.match(part)
        if size is None and labelled:
            size = labelled.group(1).strip()[:32]
        elif size is None and looks_like_size(part):
            size = part
        elif colour is None:
            m = _COLOUR_LABEL.match(part)
            colour = (m.group(1).strip() if m else part)[:64]
    return colour, size
