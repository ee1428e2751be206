"""GS1 element strings, parsed with biip (never by hand)."""
from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache

from biip import ParseConfig
from biip.gs1_messages import GS1Message

from station.scanning.model import AIMap, Scan, ScanKind, _unknown
from station.scanning.normalisation import GS, WHITESPACE, normalise, split_symbology_id

__all__ = ["parse_gs1"]

_CONFIG = ParseConfig(separator_chars=(GS,))

CACHE_SIZE = 1024
"""How many distinct GS1 scans keep their parse result. biip takes 30-60 us per element
string -- about a hundred times the cost of classifying an EAN-13 -- and the same case label
is scanned again and again while receiving or counting a pallet. Serialised codes (AI 21)
never repeat and always pay the full price."""


def parse_gs1(text: str) -> Scan:
    """Parse a GS1 element string into a `Scan` of kind GS1 (or UNKNOWN with the reason).

    Accepts what a scanner sends for a GS1 symbol: an optional symbology identifier
    (`]C1`, `]d2`, ...; any identifier is stripped), GS between fields, a leading GS for
    FNC1 in first position. Also accepts the printed HRI form `(01)05901234123457(10)AB1`.
    The text is normalised like in `classify()` (terminator stripped, NFKC).
    """
    raw = text.strip(WHITESPACE)
    norm = normalise(raw)
    if not norm:
        return _unknown(raw, norm, "empty")
    _, body = split_symbology_id(norm)
    if body.startswith("("):
        return _parse(raw, body, hri=True)
    return _parse(raw, body)


@lru_cache(maxsize=CACHE_SIZE)
def _parse(raw: str, body: str, *, hri: bool = False) -> Scan:
    """Parse `body` (symbology identifier already removed) with biip. `raw` goes into the Scan.

    Cached: the result depends only on the arguments (and, through biip's two-digit-year
    window, on the current century), and a `Scan` is immutable, so equal scans may share one.
    """
    body = body.strip(GS)
    if not body:
        return _unknown(raw, body, "gs1_invalid", "no GS1 element string")
    try:
        message = GS1Message.parse_hri(body, config=_CONFIG) if hri else GS1Message.parse(body, config=_CONFIG)
    except Exception as exc:  # noqa: BLE001 - biip is third-party; a scan must never crash a bench
        return _unknown(raw, body, "gs1_invalid", f"{type(exc).__name__}: {exc}"[:300])

    ai: dict[str, str] = {}
    dates: dict[str, datetime.date | None] = {}
    net_weight: Decimal | None = None
    for element in message.element_strings:
        code = element.ai.ai
        check_error = element.gtin_error or element.sscc_error or element.gln_error
        if check_error:
            return _unknown(raw, body, "bad_check_digit", check_error)
        if code in ai:
            if ai[code] != element.value:
                return _unknown(raw, body, "gs1_invalid",
                                f"AI {code} appears twice with different values")
            continue
        ai[code] = element.value
        if element.date is not None:
            dates[code] = element.date
        if net_weight is None and code[:3] == "310":
            net_weight = element.decimal

    gtin = ai.get("01") or ai.get("02")
    sscc = ai.get("00")
    count_text = ai.get("37") or ai.get("30")
    return Scan(
        raw=raw,
        kind=ScanKind.GS1,
        value=gtin or sscc or message.as_hri(),
        gtin=gtin,
        batch=ai.get("10"),
        expiry=dates.get("17"),
        best_before=dates.get("15"),
        serial=ai.get("21"),
        count=int(count_text) if count_text else None,
        sscc=sscc,
        net_weight_kg=net_weight,
        ai=AIMap(ai),
    )
