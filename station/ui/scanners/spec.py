"""Which scanner a station reads: ``keyboard``, ``serial:PATH[:BAUD]`` or ``evdev:PATH``.

The same text is the ``--scanner`` option of ``station`` and the ``scan/source`` setting.
Plain Python: the CLI parses it before Qt is loaded.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from station.i18n import _

KEYBOARD, SERIAL, EVDEV = "keyboard", "serial", "evdev"
KINDS = (KEYBOARD, SERIAL, EVDEV)
DEFAULT_BAUD = 9600
MIN_BAUD, MAX_BAUD = 300, 4_000_000


class ScannerSpecError(ValueError):
    """A scanner spec Station cannot use; the message is translated and says what would be right."""


@dataclass(frozen=True)
class ScannerSpec:
    kind: str = KEYBOARD
    path: str = ""
    baud: int = DEFAULT_BAUD

    def __str__(self) -> str:
        if self.kind == SERIAL:
            return f"serial:{self.path}" + (f":{self.baud}" if self.baud != DEFAULT_BAUD else "")
        if self.kind == EVDEV:
            return f"evdev:{self.path}"
        return KEYBOARD

    @property
    def is_keyboard(self) -> bool:
        return self.kind == KEYBOARD


def _forms() -> str:
    return "keyboard, serial:PATH[:BAUD], evdev:PATH"


def parse_scanner_spec(text: str | None, *, platform: str | None = None) -> ScannerSpec:
    """``keyboard`` | ``serial:PATH[:BAUD]`` (BAUD default 9600) | ``evdev:PATH`` (Linux only).

    Empty or None is the keyboard. Anything else raises `ScannerSpecError`.
    """
    text = (text or "").strip()
    if not text or text.lower() == KEYBOARD:
        return ScannerSpec()
    kind, sep, rest = text.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in (SERIAL, EVDEV):
        raise ScannerSpecError(_("Unknown scanner {spec}: use one of {forms}", spec=text, forms=_forms()))
    if kind == SERIAL:
        path, baud = rest, DEFAULT_BAUD
        head, colon, tail = rest.rpartition(":")
        if colon and tail.strip().isdigit():  # a device path may hold colons (by-path names); a baud rate is digits
            path, baud = head, int(tail)
            if not MIN_BAUD <= baud <= MAX_BAUD:
                raise ScannerSpecError(_("Baud rate {baud} is out of range: use {low} to {high} (most scanners: "
                                         "9600)", baud=baud, low=MIN_BAUD, high=MAX_BAUD))
        path = path.strip()
        if not path:
            raise ScannerSpecError(_("{spec}: name the serial port, e.g. serial:/dev/ttyACM0 or serial:COM3:9600",
                                     spec=text))
        return ScannerSpec(SERIAL, path, baud)
    path = rest.strip()
    if not path:
        raise ScannerSpecError(_("{spec}: name the scanner's input device, e.g. "
                                 "evdev:/dev/input/by-id/usb-Scanner-event-kbd", spec=text))
    if not (platform or sys.platform).startswith("linux"):
        raise ScannerSpecError(_("evdev scanners work on Linux only: use keyboard or serial:PORT"))
    return ScannerSpec(EVDEV, path)
