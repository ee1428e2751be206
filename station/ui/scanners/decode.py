"""Bytes and key codes into scans: plain Python, tested without a device.

`LineSplitter` cuts the byte stream of a serial scanner into scans; `KeyDecoder` turns the key
events of a scanner's HID keyboard device (Linux evdev codes) into text, US layout.
Text that is no UTF-8 keeps its bytes as lone surrogates (``surrogateescape``): the bench
runner answers such a scan ``unreadable_scan`` and shows the bytes escaped (``\\xff``).
"""
from __future__ import annotations

from typing import NamedTuple

GS = "\x1d"
TERMINATOR_BYTES = b"\r\n\t"
MAX_SCAN_BYTES = 4096  # longer than any barcode: a stuck scanner or line noise, not a scan


class Read(NamedTuple):
    """What a reader got: a whole scan, or text that did not end as a scan (``complete`` False)."""
    text: str
    complete: bool = True


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


class LineSplitter:
    """Feed it bytes as they arrive; it returns one `Read` per line ended by CR, LF or Tab.

    CR LF (or any run of terminators) ends one scan, not two; a line split across reads is
    joined (also in the middle of a UTF-8 character). A line longer than `MAX_SCAN_BYTES` is
    given up as incomplete.
    """

    def __init__(self, max_bytes: int = MAX_SCAN_BYTES) -> None:
        self.max_bytes = max_bytes
        self._buffer = bytearray()

    @property
    def pending(self) -> bytes:
        return bytes(self._buffer)

    def feed(self, data: bytes) -> list[Read]:
        reads: list[Read] = []
        for byte in data:
            if byte in TERMINATOR_BYTES:
                if self._buffer:
                    reads.append(Read(decode(bytes(self._buffer))))
                    self._buffer.clear()
                continue
            self._buffer.append(byte)
            if len(self._buffer) > self.max_bytes:
                reads.append(Read(decode(bytes(self._buffer[:64])), complete=False))
                self._buffer.clear()
        return reads

    def take_pending(self) -> Read | None:
        """The text after the last terminator, as an incomplete read (or None), and forget it."""
        if not self._buffer:
            return None
        read = Read(decode(bytes(self._buffer)), complete=False)
        self._buffer.clear()
        return read


# --- evdev key codes (linux/input-event-codes.h) ---------------------------------------------
EV_SYN, EV_KEY = 0x00, 0x01
SYN_DROPPED = 3
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2

KEY_TAB, KEY_ENTER, KEY_KPENTER = 15, 28, 96
KEY_LEFTSHIFT, KEY_RIGHTSHIFT = 42, 54
KEY_LEFTCTRL, KEY_RIGHTCTRL = 29, 97
KEY_LEFTALT, KEY_RIGHTALT = 56, 100
KEY_CAPSLOCK = 58
SHIFTS = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
CTRLS = frozenset({KEY_LEFTCTRL, KEY_RIGHTCTRL})
ALTS = frozenset({KEY_LEFTALT, KEY_RIGHTALT})
TERMINATOR_KEYS = frozenset({KEY_ENTER, KEY_KPENTER, KEY_TAB})

# code: (plain, shifted), US layout
US_KEYS: dict[int, tuple[str, str]] = {
    2: ("1", "!"), 3: ("2", "@"), 4: ("3", "#"), 5: ("4", "$"), 6: ("5", "%"), 7: ("6", "^"),
    8: ("7", "&"), 9: ("8", "*"), 10: ("9", "("), 11: ("0", ")"), 12: ("-", "_"), 13: ("=", "+"),
    16: ("q", "Q"), 17: ("w", "W"), 18: ("e", "E"), 19: ("r", "R"), 20: ("t", "T"), 21: ("y", "Y"),
    22: ("u", "U"), 23: ("i", "I"), 24: ("o", "O"), 25: ("p", "P"), 26: ("[", "{"), 27: ("]", "}"),
    30: ("a", "A"), 31: ("s", "S"), 32: ("d", "D"), 33: ("f", "F"), 34: ("g", "G"), 35: ("h", "H"),
    36: ("j", "J"), 37: ("k", "K"), 38: ("l", "L"), 39: (";", ":"), 40: ("'", '"'), 41: ("`", "~"),
    43: ("\\", "|"), 44: ("z", "Z"), 45: ("x", "X"), 46: ("c", "C"), 47: ("v", "V"), 48: ("b", "B"),
    49: ("n", "N"), 50: ("m", "M"), 51: (",", "<"), 52: (".", ">"), 53: ("/", "?"), 57: (" ", " "),
    # the keypad, as with Num Lock on (a scanner in keypad mode sends digits this way)
    55: ("*", "*"), 74: ("-", "-"), 78: ("+", "+"), 83: (".", "."), 98: ("/", "/"), 117: ("=", "="),
    71: ("7", "7"), 72: ("8", "8"), 73: ("9", "9"), 75: ("4", "4"), 76: ("5", "5"), 77: ("6", "6"),
    79: ("1", "1"), 80: ("2", "2"), 81: ("3", "3"), 82: ("0", "0"),
}
KEYPAD_DIGITS = {71: "7", 72: "8", 73: "9", 75: "4", 76: "5", 77: "6", 79: "1", 80: "2", 81: "3", 82: "0"}
# Ctrl + key -> control character: Ctrl+] is GS (how many scanners send the GS1 separator)
CTRL_KEYS = {26: "\x1b", 43: "\x1c", 27: GS, **{code: chr(ord(chars[1]) - 64) for code, chars in US_KEYS.items()
                                                if chars[1].isalpha()}}


class KeyDecoder:
    """Key events of one keyboard device in, scans out (US layout).

    Shift (either) gives the shifted character, Caps Lock toggles letters; Enter, keypad Enter
    or Tab ends a scan (and Ctrl+M, Ctrl+J, Ctrl+I: CR, LF, Tab). Ctrl+] gives GS, Ctrl+letter
    its control character; Alt held while keypad digits are typed gives that character when
    Alt is let go (``Alt+029`` is GS). Auto-repeat is ignored, so are keys that type nothing.
    A ``SYN_DROPPED`` (the kernel lost events) spoils the scan under way: it comes out as an
    incomplete read when it ends.
    """

    def __init__(self, max_chars: int = MAX_SCAN_BYTES) -> None:
        self.max_chars = max_chars
        self.reset()

    def reset(self) -> None:
        self.chars: list[str] = []
        self.shift: set[int] = set()
        self.ctrl: set[int] = set()
        self.alt: set[int] = set()
        self.alt_digits = ""
        self.caps = False
        self.spoiled = False

    def feed(self, type_: int, code: int, value: int) -> Read | None:
        if type_ == EV_SYN and code == SYN_DROPPED:
            self.spoiled = True
            self.shift.clear(), self.ctrl.clear(), self.alt.clear()  # what is held is unknown now
            return None
        if type_ != EV_KEY:
            return None
        for group, keys in ((self.shift, SHIFTS), (self.ctrl, CTRLS), (self.alt, ALTS)):
            if code in keys:
                if value == KEY_DOWN:
                    group.add(code)
                elif value == KEY_UP:
                    group.discard(code)
                    if group is self.alt and not self.alt and self.alt_digits:
                        return self._append(_alt_code(self.alt_digits))
                return None
        if value != KEY_DOWN:
            return None
        if code == KEY_CAPSLOCK:
            self.caps = not self.caps
            return None
        if self.alt:
            if code in KEYPAD_DIGITS:
                self.alt_digits += KEYPAD_DIGITS[code]
            return None
        if code in TERMINATOR_KEYS and not self.ctrl:
            return self._finish()
        if self.ctrl:
            char = CTRL_KEYS.get(code)
            if char in ("\r", "\n", "\t"):
                return self._finish()
            return self._append(char) if char else None
        chars = US_KEYS.get(code)
        if chars is None:
            return None
        char = chars[1] if self.shift else chars[0]
        if self.caps and char.isalpha():
            char = char.swapcase()
        return self._append(char)

    def _append(self, char: str) -> Read | None:
        self.alt_digits = ""
        self.chars.append(char)
        if len(self.chars) > self.max_chars:
            text = "".join(self.chars[:64])
            self.chars.clear()
            self.spoiled = False
            return Read(text, complete=False)
        return None

    def _finish(self) -> Read | None:
        text, spoiled = "".join(self.chars), self.spoiled
        self.chars.clear()
        self.spoiled = False
        if not text:
            return None
        return Read(text, complete=not spoiled)

    def take_pending(self) -> Read | None:
        """Characters without their Enter (the device went away mid-scan), as an incomplete read."""
        text = "".join(self.chars)
        self.reset()
        return Read(text, complete=False) if text else None


def _alt_code(digits: str) -> str:
    """Alt + keypad digits as Windows reads them: with a leading 0 the ANSI (cp1252) code, else OEM (cp437)."""
    number = int(digits) % 256
    if number < 128:
        return chr(number)
    return bytes([number]).decode("cp1252" if digits.startswith("0") else "cp437", errors="surrogateescape")
