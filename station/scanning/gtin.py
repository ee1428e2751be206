"""GS1 mod-10 check digits, GTIN-14 padding, and the importer's product-barcode check."""
from __future__ import annotations

__all__ = [
    "GTIN_LENGTHS",
    "MAX_CODE_LENGTH",
    "expected_check_digit",
    "gtin14",
    "gtin_check_digit_ok",
    "is_token",
    "is_valid_product_barcode",
    "mod10_ok",
]

GTIN_LENGTHS = frozenset({8, 12, 13, 14})
"""EAN-8, UPC-A (GTIN-12), EAN-13, GTIN-14 (ITF-14 / case codes)."""

MAX_CODE_LENGTH = 48
"""Longest SKU / Code128 text accepted (a Code128 label of more is not scannable in practice)."""

_RESERVED_PREFIXES = ("CMD-", "PS:", "RS:")


def mod10_ok(digits: str) -> bool:
    """GS1 mod-10 check (GTIN, SSCC, GLN) of an ASCII digit string of length >= 2.

    Caller guarantees ASCII digits. Works on the byte values: `sum()` over a bytes slice is
    several times faster than `int()` per digit, and this runs on nearly every scan.
    Weights from the right are 1 (check digit), 3, 1, 3, ...: every digit once, plus the
    3-weighted ones twice more; the `48 * ...` term removes the ASCII offset of "0".
    """
    b = digits.encode("ascii")
    n = len(b)
    return (sum(b) + 2 * sum(b[-2::-2]) - 48 * (n + 2 * (n // 2))) % 10 == 0


def expected_check_digit(digits: str) -> int:
    """The check digit that `digits` (payload + a check digit to be replaced) should end with."""
    b = digits.encode("ascii")
    n = len(b)
    total = 3 * sum(b[-2::-2]) + sum(b[-3::-2]) - 48 * (3 * (n // 2) + (n - 1) // 2)
    return -total % 10


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def gtin_check_digit_ok(digits: str) -> bool:
    """True if `digits` is an 8/12/13/14-digit GTIN whose last digit is the right check digit.

    Anything else (other lengths, non-digits, full-width digits) is False.
    """
    return len(digits) in GTIN_LENGTHS and _is_digits(digits) and mod10_ok(digits)


def gtin14(digits: str) -> str:
    """Zero-pad an 8/12/13/14-digit GTIN to GTIN-14. The check digit is not verified.

    Raises ValueError for anything that is not 8, 12, 13 or 14 ASCII digits.
    """
    if len(digits) not in GTIN_LENGTHS or not _is_digits(digits):
        raise ValueError(f"not a GTIN-8/12/13/14: {digits!r}")
    return digits.zfill(14)


def is_token(text: str) -> bool:
    """Printable ASCII without spaces, 1..MAX_CODE_LENGTH characters (what Code128 labels carry)."""
    return 0 < len(text) <= MAX_CODE_LENGTH and text.isascii() and text.isprintable() and " " not in text


def is_valid_product_barcode(code: str) -> tuple[bool, str | None]:
    """Whether an imported product barcode can be scanned back as that product.

    - numeric codes of length 8/12/13/14 must carry a valid GTIN check digit
      (`(False, "bad_check_digit")`);
    - any other printable ASCII text without spaces, 1..48 characters, is fine as Code128;
    - `"empty"`, `"too_long"` (more than 48), `"unreadable"` (spaces, control or non-ASCII
      characters, e.g. full-width digits -- normalise before validating);
    - `"reserved_prefix"`: starts with `CMD-`, `PS:` or `RS:` (any case); `classify()` would
      read it as a command / order / return slip, never as this product.

    The code is validated exactly as given (no stripping, no NFKC).
    """
    if not code:
        return False, "empty"
    if len(code) > MAX_CODE_LENGTH:
        return False, "too_long"
    if not is_token(code):
        return False, "unreadable"
    if code.isdigit():
        if len(code) in GTIN_LENGTHS and not mod10_ok(code):
            return False, "bad_check_digit"
        return True, None
    if code.upper().startswith(_RESERVED_PREFIXES):
        return False, "reserved_prefix"
    return True, None
