"""Which scale a pack bench reads: ``none``, ``serial:PATH[:BAUD][:PROTOCOL]`` or ``hid:VID:PID``.

The same text is ``station replay pack --scale …``, ``station --scale …`` and the ``scale/source``
setting. PROTOCOL is ``continuous`` (the scale sends a line per reading; the default) or
``mt-sics`` (the station asks with ``SI``). Plain Python: parsed before Qt is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass

from station.i18n import _
from station.weighing.protocols import CONTINUOUS, HID, MT_SICS, PROTOCOLS

NONE, SERIAL, SCRIPT = "none", "serial", "script"  # script: replay's WEIGHT lines are the readings
DEFAULT_BAUD = 9600
MIN_BAUD, MAX_BAUD = 300, 4_000_000


class ScaleSpecError(ValueError):
    """A scale spec Station cannot use; the message is translated and says what would be right."""


@dataclass(frozen=True)
class ScaleSpec:
    kind: str = NONE
    path: str = ""  # serial port; for HID "VID:PID" in hex
    baud: int = DEFAULT_BAUD
    protocol: str = CONTINUOUS

    def __str__(self) -> str:
        if self.kind == SERIAL:
            tail = f":{self.baud}" if self.baud != DEFAULT_BAUD or self.protocol != CONTINUOUS else ""
            return f"serial:{self.path}{tail}" + (f":{self.protocol}" if self.protocol != CONTINUOUS else "")
        if self.kind == HID:
            return f"hid:{self.path}"
        if self.kind == SCRIPT:
            return SCRIPT
        return NONE

    @property
    def attached(self) -> bool:
        return self.kind != NONE


def _forms() -> str:
    return "none, serial:PATH[:BAUD][:continuous|mt-sics], hid:VID:PID, script"


def parse_scale_spec(text: str | None) -> ScaleSpec:
    text = (text or "").strip()
    if not text or text.lower() == NONE:
        return ScaleSpec()
    if text.lower() == SCRIPT:
        return ScaleSpec(SCRIPT, protocol=SCRIPT)
    kind, sep, rest = text.partition(":")
    kind = kind.strip().lower()
    if kind == SERIAL and sep:
        parts = rest.split(":")
        protocol, baud = CONTINUOUS, DEFAULT_BAUD
        if parts and parts[-1].strip().lower() in PROTOCOLS:
            protocol = parts.pop().strip().lower()
        elif parts and parts[-1].strip().lower() not in ("",) and not parts[-1].strip().isdigit() and len(parts) > 1 \
                and parts[-2].strip().isdigit():
            raise ScaleSpecError(_("Unknown scale protocol {protocol}: use continuous or mt-sics",
                                   protocol=parts[-1].strip()))
        if len(parts) > 1 and parts[-1].strip().isdigit():
            baud = int(parts.pop().strip())
            if not MIN_BAUD <= baud <= MAX_BAUD:
                raise ScaleSpecError(_("Baud rate {baud} is out of range: use {low} to {high} (most scanners: "
                                       "9600)", baud=baud, low=MIN_BAUD, high=MAX_BAUD))
        path = ":".join(parts).strip()
        if not path:
            raise ScaleSpecError(_("{spec}: name the scale's serial port, e.g. serial:/dev/ttyUSB0:9600:mt-sics",
                                   spec=text))
        return ScaleSpec(SERIAL, path, baud, protocol)
    if kind == HID and sep:
        vid, colon, pid = rest.strip().partition(":")
        try:
            ids = (int(vid, 16), int(pid, 16)) if colon else None
        except ValueError:
            ids = None
        if ids is None or not all(0 <= i <= 0xFFFF for i in ids):
            raise ScaleSpecError(_("{spec}: name the scale's USB ids in hex, e.g. hid:0922:8003", spec=text))
        return ScaleSpec(HID, f"{ids[0]:04x}:{ids[1]:04x}", protocol=HID)
    raise ScaleSpecError(_("Unknown scale {spec}: use one of {forms}", spec=text, forms=_forms()))
