"""`classify()`: raw scanner text -> typed `Scan`. The rules are documented in docs/scanning.md.

This runs on every keystroke burst of every bench and in `station replay`, so it is written
for speed: no regex compiled here, biip only for GS1, no allocation on the common paths
beyond the `Scan` itself.
"""
from __future__ import annotations

import unicodedata

from station.scanning.gs1 import _parse as _parse_gs1
from station.scanning.gtin import GTIN_LENGTHS, MAX_CODE_LENGTH, expected_check_digit, mod10_ok
from station.scanning.lexicon import DEFAULT_LEXICON, Lexicon
from station.scanning.model import COMMANDS, Scan, ScanKind, _scan, _unknown
from station.scanning.normalise import GS, GS1_SYMBOLOGY_IDS, WHITESPACE, split_symbology_id

__all__ = ["classify"]

_PRODUCT = ScanKind.PRODUCT
_SKU = ScanKind.SKU
_TRACKING = ScanKind.TRACKING
_ONLY_TRACKING = (ScanKind.TRACKING,)
_ONLY_ORDER = (ScanKind.ORDER,)
_GTIN_NAMES = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
_NFKC = unicodedata.normalize


def classify(raw: str, lexicon: Lexicon = DEFAULT_LEXICON) -> Scan:
    """Classify one scan. Never raises for any `str`; unreadable input is kind UNKNOWN."""
    # 0. Normalise (same as normalise.normalise, inlined: this is the hot path).
    stripped = raw.strip(WHITESPACE)
    text = stripped
    if not text.isascii():
        text = _NFKC("NFKC", text).strip(WHITESPACE)
    if not text:
        return _unknown(stripped, text, "empty")
    first = text[0]
    gs1_id = False
    if first == "]":
        symbology_id, rest = split_symbology_id(text)
        if symbology_id in GS1_SYMBOLOGY_IDS:
            gs1_id = True
        elif symbology_id:
            text = rest
            if not text:
                return _unknown(stripped, text, "empty", f"only a symbology identifier {symbology_id}")
            first = text[0]

    # 1. Command barcode.
    if (first == "C" or first == "c") and text[:4].upper() == "CMD-":
        name = text[4:].upper().replace("-", "_")
        if name in COMMANDS:
            return _scan(stripped, ScanKind.COMMAND, name)
        return _unknown(stripped, text, "unknown_command", f"no command {name!r}")

    # 2. Badge, 3. location: exact codes this warehouse knows. (Lexicon.is_location, inlined.)
    if text in lexicon.badges:
        return _scan(stripped, ScanKind.BADGE, text)
    if text in lexicon.locations or (
            lexicon._location_min <= len(text) <= lexicon._location_max
            and lexicon._location_re.fullmatch(text) is not None):
        return _scan(stripped, ScanKind.LOCATION, text)

    # 4. Our own packing-slip / return-slip barcodes.
    if len(text) > 2 and text[2] == ":":
        prefix = text[:3].upper()
        if prefix == "PS:" or prefix == "RS:":
            kind = ScanKind.ORDER if prefix == "PS:" else ScanKind.RETURN_SLIP
            number = text[3:]
            if _is_token(number):
                return _scan(stripped, kind, number)
            return _unknown(stripped, text, "unreadable", f"bad order number after {prefix}")

    # 5. GS1 markers: a GS1 symbology identifier, or GS anywhere.
    if gs1_id:
        return _parse_gs1(stripped, text[3:])
    if GS in text:
        return _parse_gs1(stripped, text)

    # 6. Digits only.
    if text.isascii() and text.isdigit():
        return _digits(stripped, text, lexicon)

    # 7. Courier tracking number.
    courier = lexicon.courier_for(text)
    if courier is not None:
        return _scan(stripped, _TRACKING, text, courier=courier)

    # 8. Code128 SKU label (or an order number typed without prefix).
    if _is_token(text):
        return _scan(stripped, _SKU, text, alternatives=_ONLY_ORDER)

    # 9.
    return _unknown(stripped, text, "unreadable",
                    f"not printable ASCII without spaces of 1..{MAX_CODE_LENGTH} characters")


def _is_token(text: str) -> bool:
    # Same as gtin.is_token, inlined for speed.
    return 0 < len(text) <= MAX_CODE_LENGTH and text.isascii() and text.isprintable() and " " not in text


def _digits(raw: str, text: str, lexicon: Lexicon) -> Scan:
    """Rule 6: a string of ASCII digits."""
    n = len(text)
    if n in GTIN_LENGTHS:
        if mod10_ok(text):
            courier = lexicon.courier_for(text)
            if courier is None:
                return _scan(raw, _PRODUCT, text, gtin=text.zfill(14))
            return _scan(raw, _PRODUCT, text, gtin=text.zfill(14), courier=courier,
                         alternatives=_ONLY_TRACKING)
    elif n >= 16 and text[0] == "0" and (text[1] == "1" or text[1] == "2"):
        if mod10_ok(text[2:16]):
            return _parse_gs1(raw, text)
        return _unknown(raw, text, "bad_check_digit",
                        f"GTIN in AI {text[:2]}: check digit should be "
                        f"{expected_check_digit(text[2:16])}, got {text[15]}")
    elif (n == 20 or n == 18) and text[0] == "0" and text[1] == "0":
        if n == 20 and mod10_ok(text[2:]):
            return _parse_gs1(raw, text)
        if n == 18 and mod10_ok(text):
            return _parse_gs1(raw, "00" + text)

    courier = lexicon.courier_for(text)
    if courier is not None:
        return _scan(raw, _TRACKING, text, courier=courier)
    if n in GTIN_LENGTHS:
        return _unknown(raw, text, "bad_check_digit",
                        f"{_GTIN_NAMES[n]} check digit should be {expected_check_digit(text)}, "
                        f"got {text[-1]}")
    if n <= MAX_CODE_LENGTH:
        return _scan(raw, _SKU, text, alternatives=_ONLY_ORDER)
    return _unknown(raw, text, "unreadable", f"{n} digits, more than {MAX_CODE_LENGTH}")
