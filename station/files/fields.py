"""What an imported value may be: identifiers, quantities and amounts, checked the same way by
every importer (products, locations, stock, users, counts, purchase orders, orders, returns).

The rules are documented in docs/formats.md ("Values every importer checks"). Each check returns
the value or raises ``ValueError`` with a translated reason naming the column; the importer puts
that reason on the row's line.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from station.i18n import _

#: Codes (SKU, location code, badge, PO number, order number): ASCII letters and digits and the
#: separators - _ . / (order numbers may also hold #, as Shopify's ``#1001``). The first
#: character is a letter, a digit or # so that no spreadsheet reads the code as a formula
#: (= + - @) and no code starts with a space or a separator.
CODE_SEPARATORS = "-_./"
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]*")
_ORDER_NO = re.compile(r"[A-Za-z0-9#][A-Za-z0-9#_./-]*")
#: User names: letters of any script (张伟, Tom, Zoë), digits, spaces and the joiners . - _ ' ·
#: (阿依古丽·买买提, O'Brien); the first character is a letter or a digit.
_NAME_JOINERS = " .-_'·"
#: The largest quantity any importer accepts (stock, counts, PO and order lines, pack quantities,
#: weights, reorder points): at most 8 digits, so that sums of them stay inside a 32-bit integer
#: column (PostgreSQL ``integer`` tops out at 2,147,483,647).
MAX_QTY = 99_999_999
_DIGITS = re.compile(r"[0-9]+")
#: Amounts (unit costs, prices): plain decimal digits, optionally a point and decimals; below
#: 100,000,000 (the columns are NUMERIC(12, 2) and NUMERIC(12, 4)).
MAX_AMOUNT = Decimal(100_000_000)
_MAX_AMOUNT_TEXT = "100,000,000"
_AMOUNT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
#: Control characters no cell may hold (tab, line feed and carriage return are allowed in text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: The longest cell any importer reads (the longest text column, a buyer's message, is far shorter).
MAX_CELL = 10_000


_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[Ee]\+?[0-9]{1,3}")
_SERIAL_DATE = re.compile(r"[1-9][0-9]{4}(?:[.,][0-9]+)?")


def scientific(value: str) -> bool:
    """``3.51531E+16``: a long number a spreadsheet showed in scientific notation and saved so,
    its last digits lost."""
    return bool(_SCIENTIFIC.fullmatch(value.strip()))


def damaged_number(value: str, column: str) -> str | None:
    """Why ``value`` is a number a spreadsheet damaged (None when it is not)."""
    if scientific(value):
        return _("{column}: {value!r} is a long number a spreadsheet shortened to scientific notation "
                 "(its last digits are lost): export the file again with the column as text",
                 column=column, value=shown(value.strip()))
    return None


def serial_date(value: str) -> bool:
    """``45384.34789351852``: a date and time a spreadsheet saved as its day number (from 1899-12-30)."""
    return bool(_SERIAL_DATE.fullmatch(value.strip())) and 20000 <= float(value.strip().replace(",", ".")) < 80000


def lost_leading_zero(code: str) -> str | None:
    """The GTIN ``code`` was before a spreadsheet dropped its leading zero (7 or 11 digits whose
    zero-padded form carries a valid check digit), else None."""
    if code.isdigit() and len(code) in (7, 11):
        padded = "0" + code
        digits = [int(c) for c in padded]
        total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
        if (10 - total % 10) % 10 == digits[-1]:
            return padded
    return None


def shown(value: str) -> str:
    """The value as a reason may quote it: control characters escaped, at most 40 characters."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    return shown.encode("unicode_escape").decode("ascii") if CONTROL.search(shown) else shown


def code(value: str, column: str, *, max_length: int = 64) -> str:
    """A SKU, location code, badge or PO number: see ``_CODE``."""
    damage = damaged_number(value, column)
    if damage:
        raise ValueError(damage)
    if len(value) > max_length:
        raise ValueError(_("{column}: {value!r} is longer than {n} characters", column=column,
                           value=shown(value), n=max_length))
    if not _CODE.fullmatch(value):
        raise ValueError(_("{column}: {value!r} must be ASCII letters, digits and - _ . / only, without spaces, "
                           "starting with a letter or a digit", column=column, value=shown(value)))
    return value


def order_no(value: str, column: str, *, max_length: int = 64) -> str:
    """An order number: like a code, and # is allowed too (Shopify ``#1001``)."""
    damage = damaged_number(value, column)
    if damage:
        raise ValueError(damage)
    if len(value) > max_length:
        raise ValueError(_("{column}: {value!r} is longer than {n} characters", column=column,
                           value=shown(value), n=max_length))
    if not _ORDER_NO.fullmatch(value):
        raise ValueError(_("{column}: {value!r} must be ASCII letters, digits and - _ . / # only, without spaces, "
                           "starting with a letter, a digit or #", column=column, value=shown(value)))
    return value


def user_name(value: str, column: str = "name", *, max_length: int = 64) -> str:
    """A person's name: see ``_NAME_JOINERS``."""
    if len(value) > max_length:
        raise ValueError(_("{column}: {value!r} is longer than {n} characters", column=column,
                           value=shown(value), n=max_length))
    ok = bool(value) and value[0].isalnum() and all(
        ch.isalnum() or ch in _NAME_JOINERS for ch in value) and not value.endswith(" ")
    if ok:
        ok = all(unicodedata.category(ch)[0] in "LN" or ch in _NAME_JOINERS for ch in value)
    if not ok:
        raise ValueError(_("{column}: {value!r} may hold only letters, digits, spaces and . - _ ' · "
                           "and must start with a letter or a digit", column=column, value=shown(value)))
    return value


def quantity(value: str, *, minimum: int = 0, maximum: int = MAX_QTY) -> int:
    """A whole number written in plain ASCII digits (no sign, no _ or , no full-width digits),
    between ``minimum`` and ``maximum``. The reason does not name the column: the caller does."""
    text = value.strip()
    if not _DIGITS.fullmatch(text):
        raise ValueError(_("{value!r} is not a whole number", value=shown(value)))
    if len(text.lstrip("0")) > len(str(maximum)) or int(text) > maximum:
        raise ValueError(_("{value} is more than {maximum}", value=shown(text), maximum=maximum))
    number = int(text)
    if number < minimum:
        raise ValueError(_("{value} is below {minimum}", value=number, minimum=minimum))
    return number


def is_plain_amount(text: str) -> bool:
    return len(text) <= 40 and bool(_AMOUNT.fullmatch(text))


def amount(value: str, *, places: int = 2, strip: str = "") -> Decimal:
    """A unit cost or price: plain digits with at most ``places`` decimals, below MAX_AMOUNT.
    ``strip``: characters to drop first (currency signs, thousands separators). The reason does
    not name the column: the caller does."""
    text = value.strip()
    for ch in strip:
        text = text.replace(ch, "")
    if not is_plain_amount(text):
        raise ValueError(_("{value!r} is not an amount like 12.50", value=shown(value)))
    number = Decimal(text)
    if number >= MAX_AMOUNT:
        raise ValueError(_("{value} is {maximum} or more", value=shown(text), maximum=_MAX_AMOUNT_TEXT))
    try:
        exact = number == number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        exact = False
    if not exact:
        raise ValueError(_("{value} has more than {places} decimals", value=shown(text), places=places))
    return number
