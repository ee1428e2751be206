"""Key events a USB scanner's keyboard device reports (Linux evdev codes), for the scanner tests."""
from __future__ import annotations

from station.ui.scanners.decode import EV_KEY, EV_SYN, KEY_DOWN, KEY_UP, US_KEYS

EV_MSC, MSC_SCAN = 4, 4  # the HID usage a keyboard reports before each key
SHIFT, CTRL, ALT, ENTER, TAB, KPENTER, CAPS = 42, 29, 56, 28, 15, 96, 58
CODE_OF = {plain: code for code, (plain, _shifted) in US_KEYS.items() if code not in range(55, 118) or code == 57}
SHIFTED_OF = {shifted: code for code, (plain, shifted) in US_KEYS.items() if shifted != plain}


def key_events(text: str, end: int | None = ENTER) -> list[tuple[int, int, int]]:
    """What a USB scanner's keyboard device reports for ``text``: MSC_SCAN, press, SYN, release, SYN;
    Shift pressed around a capital."""
    events = []

    def tap(code):
        events.extend([(EV_MSC, MSC_SCAN, 0x70000 + code), (EV_KEY, code, KEY_DOWN), (EV_SYN, 0, 0),
                       (EV_MSC, MSC_SCAN, 0x70000 + code), (EV_KEY, code, KEY_UP), (EV_SYN, 0, 0)])

    for ch in text:
        if ch in CODE_OF:
            tap(CODE_OF[ch])
        else:
            events.extend([(EV_KEY, SHIFT, KEY_DOWN), (EV_SYN, 0, 0)])
            tap(SHIFTED_OF[ch])
            events.extend([(EV_KEY, SHIFT, KEY_UP), (EV_SYN, 0, 0)])
    if end is not None:
        tap(end)
    return events
