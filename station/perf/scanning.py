"""How fast `classify()` is on a realistic scan mix (`station bench` calls `classify_rate`)."""
from __future__ import annotations

import random
import time

from station.scanning.classifier import classify
from station.scanning.gtin import expected_check_digit
from station.scanning.lexicon import Lexicon

__all__ = ["classify_figure", "classify_rate", "realistic_lexicon", "realistic_mix"]

# Share of each kind of scan in a packing / receiving day (per 1000 scans).
_MIX = (
    ("ean13", 450),     # product barcodes, mostly Chinese 69x prefixes
    ("ean8_upc", 30),   # EAN-8 / UPC-A
    ("sku", 170),       # Code128 SKU labels like TS-RED-M
    ("location", 120),  # bin codes A-01-02-03 and a few named locations
    ("tracking", 150),  # waybills: SF/YT/JD letters, ZTO/STO/Yunda digits
    ("order", 40),      # PS:<order> packing slips, RS:<order> return slips
    ("command", 25),    # CMD-DONE, CMD-NEW_PARCEL ...
    ("badge", 5),
    ("gs1", 10),        # GS1-128 / DataMatrix with batch, expiry, serial (biip: ~100x slower)
)


def _with_check(payload: str) -> str:
    return payload + str(expected_check_digit(payload + "0"))


def realistic_lexicon() -> Lexicon:
    badges = frozenset(f"U{n:04d}" for n in range(1, 41))
    locations = frozenset({"RECV-1", "RECV-2", "PACK-1", "QUARANTINE", "RETURNS", "SCRAP"})
    return Lexicon(badges=badges, locations=locations)


def _one(kind: str, rng: random.Random) -> str:
    digits = lambda k: "".join(rng.choice("0123456789") for _ in range(k))  # noqa: E731
    if kind == "ean13":
        return _with_check(rng.choice(("690", "691", "692", "693", "694", "695", "697", "489", "880", "400"))
                           + digits(9))
    if kind == "ean8_upc":
        return _with_check(digits(7)) if rng.random() < 0.5 else _with_check("0" + digits(10))
    if kind == "sku":
        return rng.choice(("TS", "HD", "JK", "SK", "CAP")) + "-" + rng.choice(("RED", "BLK", "WHT", "NVY")) \
            + "-" + rng.choice(("S", "M", "L", "XL")) if rng.random() < 0.8 else "#" + digits(4)
    if kind == "location":
        if rng.random() < 0.1:
            return rng.choice(("RECV-1", "PACK-1", "RETURNS"))
        return f"{rng.choice('ABCDE')}-{rng.randint(1, 30):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 8):02d}"
    if kind == "tracking":
        return rng.choice((
            lambda: "SF" + digits(13), lambda: "YT" + digits(13), lambda: "JDVA" + digits(11),
            lambda: "7" + digits(11), lambda: "77" + digits(11), lambda: "43" + digits(11),
            lambda: "73" + digits(12),
        ))()
    if kind == "order":
        return ("PS:" if rng.random() < 0.8 else "RS:") + rng.choice(("#1" + digits(3), digits(18)))
    if kind == "command":
        return "CMD-" + rng.choice(("DONE", "DONE", "NEW_PARCEL", "UNDO", "SHORT", "REPRINT"))
    if kind == "badge":
        return f"U{rng.randint(1, 40):04d}"
    gtin = _with_check("0690" + digits(9))
    if rng.random() < 0.5:  # case label: GTIN, expiry, batch -- repeats across a pallet
        return f"]C101{gtin}17{rng.randint(24, 29)}{rng.randint(1, 12):02d}00" + "10" + digits(6)
    # serialised DataMatrix: the serial (at _SERIAL) is made unique per scan by classify_rate
    return f"]d201{gtin}21{digits(10)}\x1d10B{digits(5)}\x1d17{rng.randint(24, 29)}{rng.randint(1, 12):02d}15"


_SERIAL = slice(21, 31)  # "]d2" + "01" + 14 digits + "21" = 21 characters before the serial


def realistic_mix(size: int = 4000, seed: int = 20240601) -> list[str]:
    """`size` distinct-ish raw scans in the proportions of `_MIX`, half with a CR terminator."""
    rng = random.Random(seed)
    kinds = [kind for kind, weight in _MIX for _ in range(weight)]
    scans = []
    for _ in range(size):
        scan = _one(rng.choice(kinds), rng)
        scans.append(scan + "\r" if rng.random() < 0.5 else scan)
    return scans


def classify_rate(n: int = 200_000) -> float:
    """Classify `n` scans of the realistic mix; return scans per second (single thread)."""
    lexicon = realistic_lexicon()
    pool = realistic_mix()
    scans = (pool * (n // len(pool) + 1))[:n]
    # Everything else repeats as a catalogue does, but a serial number is never scanned twice
    # (this defeats the GS1 parse cache for those, as in real life).
    for index, raw in enumerate(scans):
        if raw.startswith("]d2"):
            scans[index] = f"{raw[:_SERIAL.start]}{index:010d}{raw[_SERIAL.stop:]}"
    for raw in pool[:200]:  # warm up (biip's AI tables are loaded on first use)
        classify(raw, lexicon)
    start = time.perf_counter()
    for raw in scans:
        classify(raw, lexicon)
    elapsed = time.perf_counter() - start
    return n / elapsed if elapsed > 0 else float("inf")


def classify_figure() -> dict:
    rate = max(classify_rate() for _ in range(3))
    return {"figure": "scan_classification", "value": round(rate), "unit": "scans/s", "target": ">= 200000"}
