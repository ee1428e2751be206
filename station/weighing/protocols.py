"""The words of the scales found at pack benches, read into one `Reading`.

Three kinds are in use:

* **Continuous serial output** (most Chinese bench scales, A&D, and many indicators set to
  "continuous"): a line per reading, comma-separated, e.g. ``ST,GS,+0001.250kg``. The first
  field is the state (``ST`` stable, ``US`` unstable, ``OL`` overload), an optional second the
  kind of weight (``GS`` gross, ``NT`` net, ``TR`` tare), the last the signed value with its
  unit (``kg``, ``g``, ``lb``, ``oz``; spaces may pad it: ``ST,+00123.45  g``).
* **MT-SICS** (Mettler Toledo, and scales that copy it), polled: the station sends ``SI``
  (the weight now) and the scale answers ``S S      1.250 kg`` (stable) or ``S D      1.248 kg``
  (dynamic: still moving); ``S I`` (busy), ``S +`` / ``S -`` (over / under range), ``ES``,
  ``ET``, ``EL`` (errors). MT-SICS Reference Manual, level 0, command ``SI``.
* **USB HID point-of-sale scales** (usage page 0x8D, "HID Point of Sale Usage Tables" 1.02,
  §5): the scale data report is six bytes: report id (3), status (2 stable at zero, 3 in motion,
  4 stable, 5 under zero, 6 over weight, 1 fault, 7/8 needs calibration / re-zeroing), unit
  (2 g, 3 kg, 11 oz, 12 lb, ...), a signed power-of-ten exponent, and the weight as a
  little-endian 16-bit number. Read the same way by usbscale (erjiang/usbscale) and others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CONTINUOUS, MT_SICS, HID = "continuous", "mt-sics", "hid"
PROTOCOLS = (CONTINUOUS, MT_SICS)  # the serial ones; HID is its own kind of port
MT_SICS_WEIGH_NOW = b"SI\r\n"

_GRAMS_PER = {"g": Decimal(1), "kg": Decimal(1000), "mg": Decimal("0.001"), "lb": Decimal("453.59237"),
              "oz": Decimal("28.349523125"), "ct": Decimal("0.2")}


class ScaleError(ValueError):
    """A line or report that is no reading. ``reason`` is a stable code: ``overload``, ``underload``,
    ``busy``, ``fault``, ``not_calibrated``, ``unit``, ``garbled``."""

    def __init__(self, reason: str, raw: str | bytes) -> None:
        super().__init__(f"{reason}: {raw!r}")
        self.reason = reason
        self.raw = raw


@dataclass(frozen=True)
class Reading:
    grams: Decimal  # what the scale shows, in grams (may be negative after a tare)
    stable: bool  # the scale says the value has settled
    net: bool = False  # a net weight (after a tare), not the gross
    raw: str = ""

    def __str__(self) -> str:
        return f"{self.grams.normalize():f} g{'' if self.stable else ' (moving)'}"


def to_grams(value: Decimal, unit: str, raw: str | bytes = "") -> Decimal:
    factor = _GRAMS_PER.get(unit.strip().lower())
    if factor is None:
        raise ScaleError("unit", raw)
    return value * factor


_VALUE = re.compile(r"^\s*([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*$")


def _value(text: str, raw: str) -> tuple[Decimal, str]:
    match = _VALUE.match(text)
    if not match:
        raise ScaleError("garbled", raw)
    sign, digits, unit = match.groups()
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise ScaleError("garbled", raw) from None
    return (-value if sign == "-" else value), unit


def parse_continuous(line: str) -> Reading:
    """One line of continuous output: ``ST,GS,+0001.250kg``, ``US,NT,-0000.015kg``, ``ST,+00123.45  g``."""
    raw = line.strip("\r\n\x02\x03 ")
    fields = [f.strip() for f in raw.split(",")]
    if len(fields) < 2:
        raise ScaleError("garbled", line)
    state = fields[0].upper()
    if state == "OL":
        raise ScaleError("overload", line)
    if state not in ("ST", "US", "QT"):  # QT: A&D's count mode, stable
        raise ScaleError("garbled", line)
    kind = fields[1].upper() if len(fields) >= 3 else "GS"
    if kind not in ("GS", "NT", "TR", "WT"):
        raise ScaleError("garbled", line)
    value, unit = _value(fields[-1], line)
    if not unit:
        raise ScaleError("unit", line)
    return Reading(to_grams(value, unit, line), stable=state in ("ST", "QT"), net=kind == "NT", raw=raw)


_MT_ERRORS = {"ES": "garbled", "ET": "garbled", "EL": "garbled"}


def parse_mt_sics(line: str) -> Reading:
    """An MT-SICS answer to ``SI`` (or ``S``): ``S S      1.250 kg`` stable, ``S D ...`` moving."""
    raw = line.strip("\r\n")
    text = raw.strip()
    if text in _MT_ERRORS:
        raise ScaleError(_MT_ERRORS[text], line)
    parts = text.split(None, 2)
    if len(parts) < 2 or parts[0] not in ("S", "SI"):
        raise ScaleError("garbled", line)
    status = parts[1]
    if status == "+":
        raise ScaleError("overload", line)
    if status == "-":
        raise ScaleError("underload", line)
    if status == "I":
        raise ScaleError("busy", line)
    if status not in ("S", "D") or len(parts) < 3:
        raise ScaleError("garbled", line)
    value, unit = _value(parts[2], line)
    if not unit:
        raise ScaleError("unit", line)
    return Reading(to_grams(value, unit, line), stable=status == "S", raw=text)


_HID_UNITS = {1: "mg", 2: "g", 3: "kg", 4: "ct", 11: "oz", 12: "lb"}
_HID_ZERO, _HID_MOVING, _HID_STABLE, _HID_UNDER, _HID_OVER = 2, 3, 4, 5, 6
_HID_FAULT, _HID_CALIBRATE, _HID_REZERO = 1, 7, 8


def parse_hid_report(report: bytes) -> Reading:
    """A USB HID POS scale data report: ``[3, status, unit, exponent, weight lo, weight hi]``."""
    data = bytes(report)
    if len(data) < 6 or data[0] != 3:
        raise ScaleError("garbled", data)
    status, unit, exponent = data[1], data[2], int.from_bytes(data[3:4], "little", signed=True)
    if status == _HID_OVER:
        raise ScaleError("overload", data)
    if status == _HID_UNDER:
        raise ScaleError("underload", data)
    if status == _HID_FAULT:
        raise ScaleError("fault", data)
    if status in (_HID_CALIBRATE, _HID_REZERO):
        raise ScaleError("not_calibrated", data)
    if status not in (_HID_ZERO, _HID_MOVING, _HID_STABLE):
        raise ScaleError("garbled", data)
    raw_weight = int.from_bytes(data[4:6], "little")
    if unit not in _HID_UNITS:
        raise ScaleError("unit", data)
    value = Decimal(raw_weight).scaleb(exponent)
    grams = Decimal(0) if status == _HID_ZERO else to_grams(value, _HID_UNITS[unit], data)
    return Reading(grams, stable=status in (_HID_ZERO, _HID_STABLE), raw=data.hex())
