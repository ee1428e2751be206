"""`classify()`: raw scanner text -> typed `Scan`. The rules are documented in docs/scanning.md.

This runs on every scan of every bench and in `station replay`, and must average well over
200,000 scans/s, so the hot path is written flat: the helpers it would naturally call
(`normalise`, `mod10_ok`, `Lexicon.is_location`, `Lexicon.courier_for`) are
inlined, no regex is compiled here, and biip is only called for GS1.
"""
from __future__ import annotations

import unicodedata

from station.scanning.gs1 import _parse as _parse_gs1
from station.scanning.gtin import GTIN_LENGTHS, MAX_CODE_LENGTH, expected_check_digit
from station.scanning.lexicon import DEFAULT_LEXICON, Lexicon
from station.scanning.model import COMMANDS, Scan, ScanKind, _ScanBuilder, _unknown
from station.scanning.normalisation import GS, GS1_SYMBOLOGY_IDS, WHITESPACE, split_symbology_id

__all__ = ["classify"]

_PRODUCT = ScanKind.PRODUCT
_SKU = ScanKind.SKU
_TRACKING = ScanKind.TRACKING
_LOCATION = ScanKind.LOCATION
_BADGE = ScanKind.BADGE
_ONLY_TRACKING = (ScanKind.TRACKING,)
_ONLY_ORDER = (ScanKind.ORDER,)
_GTIN_NAMES = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
_NFKC = unicodedata.normalize
_MAX = MAX_CODE_LENGTH


def classify(raw: str, lexicon: Lexicon = DEFAULT_LEXICON) -> Scan:
    """Classify one scan. Never raises for any `str`; unreadable input is kind UNKNOWN."""
    # 0. Normalise: strip the terminator, NFKC (full-width input method), keep GS.
    stripped = raw.strip(WHITESPACE)
    text = stripped if stripped.isascii() else _NFKC("NFKC", stripped).strip(WHITESPACE)
    if not text:
        return _unknown(stripped, text, "empty")
    first = text[0]
    gs1_id = False
    if first == "]":  # AIM symbology identifier: GS1 ones are kept for rule 5, others dropped
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
            return _made(stripped, ScanKind.COMMAND, name, None, None, ())
        return _unknown(stripped, text, "unknown_command", f"no command {name!r}")

    # 2. Badge, 3. location: codes this warehouse knows.
    if text in lexicon.badges:
        return _made(stripped, _BADGE, text, None, None, ())
    if text in lexicon.locations or (
            lexicon._location_min <= len(text) <= lexicon._location_max
            and lexicon._location_re.fullmatch(text) is not None):
        return _made(stripped, _LOCATION, text, None, None, ())

    # 4. Our own packing-slip / return-slip barcodes.
    if len(text) > 2 and text[2] == ":":
        prefix = text[:3].upper()
        if prefix == "PS:" or prefix == "RS:":
            kind = ScanKind.ORDER if prefix == "PS:" else ScanKind.RETURN_SLIP
            number = text[3:]
            if 0 < len(number) <= _MAX and number.isascii() and number.isprintable() and " " not in number:
                return _made(stripped, kind, number, None, None, ())
            return _unknown(stripped, text, "unreadable", f"bad order number after {prefix}")

    # 5. GS1 markers: a GS1 symbology identifier, or GS anywhere.
    if gs1_id:
        return _parse_gs1(stripped, text[3:])
    if GS in text:
        return _parse_gs1(stripped, text)

    n = len(text)
    courier_re = lexicon._courier_re
    if text.isascii() and text.isdigit():
        # 6. Digits only.
        if n in GTIN_LENGTHS:
            b = text.encode("ascii")  # GS1 mod-10, as gtin.mod10_ok
            check_ok = (sum(b) + 2 * sum(b[-2::-2]) - 48 * (n + 2 * (n // 2))) % 10 == 0
            if courier_re is not None:
                match = courier_re.fullmatch(text)
                courier = None if match is None else lexicon._courier_codes[match.lastgroup]  # type: ignore[index]
            else:
                courier = lexicon.courier_for(text)
            if check_ok:
                if courier is None:
                    return _made(stripped, _PRODUCT, text, text.zfill(14), None, ())
                return _made(stripped, _PRODUCT, text, text.zfill(14), courier, _ONLY_TRACKING)
            if courier is not None:
                return _made(stripped, _TRACKING, text, None, courier, ())
            return _unknown(stripped, text, "bad_check_digit",
                            f"{_GTIN_NAMES[n]} check digit should be {expected_check_digit(text)}, "
                            f"got {text[-1]}")
        if n >= 16 and first == "0":
            second = text[1]
            if second == "1" or second == "2":  # AI 01 / 02 + GTIN-14 (+ more AIs)
                gtin = text[2:16]
                b = gtin.encode("ascii")
                if (sum(b) + 2 * sum(b[-2::-2]) - 1344) % 10 == 0:  # 1344 = 48 * (14 + 2 * 7)
                    return _parse_gs1(stripped, text)
                return _unknown(stripped, text, "bad_check_digit",
                                f"GTIN in AI 0{second}: check digit should be "
                                f"{expected_check_digit(gtin)}, got {gtin[-1]}")
            if second == "0" and (n == 20 or n == 18):  # AI 00 + SSCC, or a bare SSCC
                sscc = text[2:] if n == 20 else text
                b = sscc.encode("ascii")
                if (sum(b) + 2 * sum(b[-2::-2]) - 1728) % 10 == 0:  # 1728 = 48 * (18 + 2 * 9)
                    return _parse_gs1(stripped, "00" + sscc)
    # 6 (rest) and 7. Courier tracking number.
    if courier_re is not None:
        match = courier_re.fullmatch(text)
        courier = None if match is None else lexicon._courier_codes[match.lastgroup]  # type: ignore[index]
    else:
        courier = lexicon.courier_for(text)
    if courier is not None:
        return _made(stripped, _TRACKING, text, None, courier, ())

    # 6 (rest) and 8. Code128 SKU label (or an order number scanned off a waybill).
    if n <= _MAX and text.isascii() and text.isprintable() and " " not in text:
        return _made(stripped, _SKU, text, None, None, _ONLY_ORDER)

    # 9.
    return _unknown(stripped, text, "unreadable",
                    f"not printable ASCII without spaces, or longer than {_MAX} characters")


def _made(raw: str, kind: ScanKind, value: str, gtin: str | None, courier: str | None,
          alternatives: tuple[ScanKind, ...]) -> Scan:
    """`Scan(raw, kind, value, gtin=gtin, courier=courier, alternatives=...)`, built fast.

    See `model._ScanBuilder` for why.
    """
    scan = _ScanBuilder(raw, kind, value, gtin, courier, None, None, alternatives)
    scan.__class__ = Scan  # type: ignore[assignment]
    return scan  # type: ignore[return-value]
