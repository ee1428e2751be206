"""Application-wide scan capture: tell a barcode scanner from a person typing.

A USB scanner in keyboard-wedge mode "types" its barcode as key presses, a few
milliseconds apart, and ends with Enter or Tab. `ScanCapture` is an event filter
installed on the QApplication; it turns such a burst into one ``scanned(text)``
signal wherever the keyboard focus is, and leaves a person's typing alone.

The rules
---------
1. **Everywhere, once.** The filter sees every key event of the application (a bench
   screen, a line edit in a dialog, no focus widget at all). It judges a key event at
   the first widget it is sent to, not again while Qt propagates it to the parents,
   and ignores the copy Qt first sends to the QWindow.
2. **Scan characters** are printable ASCII and GS (``\\x1d``, the GS1 field
   separator, always kept). One comes from
   - the event's text, NFKC-normalised: the full-width ``１２３``, ``Ａ－０１`` of a
     Chinese input method in full-width mode become ``123``, ``A-01``;
   - else, when the text is empty or still not ASCII (an input method composed it),
     the key code of an ASCII letter, digit or punctuation key (Shift gives a capital);
   - Ctrl+] (what some scanners send for GS) gives GS;
   - the commit string of a ``QInputMethodEvent`` (an input method passing the
     scanner's characters on), NFKC-normalised, one or more characters at a time.
   Auto-repeated keys and Ctrl/Alt/Meta combinations without printable text are not.
3. **Hold back.** The first scan character is held: not delivered to its widget.
   Each further scan character that comes at most ``max_gap_ms`` (default 35 ms) after
   the one before is held too; at a widget that takes no text (a bench screen, where nobody
   types) at most ``SLOW_SCANNER_MS`` (150 ms), so that a burst held up for a moment by a
   busy PC is not cut in two (see ``_limit``). Modifier presses (a scanner presses Shift for capitals),
   key releases and input-method preedit events for the same widget are held with
   them, in order.
4. **A scan** is at least ``min_chars`` (default 4) held characters followed, again
   within ``max_gap_ms``, by a terminator: Enter, Return or Tab, or any key whose text
   is CR, LF or Tab (Linefeed), without Ctrl/Alt/Meta.
   The held events are dropped (a focused line edit's text stays as it was), the
   terminator and the releases of the burst's keys are swallowed, and ``scanned(text)``
   is emitted once control is back in the event loop (queued). The terminator is not
   part of the text; GS is.
5. **Typing.** Anything else ends the hold, and the held events are re-delivered, in
   their order, to the widget they were meant for, before whatever interrupted them:
   the next key comes too late (a timer also ends the hold ``max_gap_ms`` + 20 ms after
   the last key, so the last letter a person types appears about 55 ms late), a key for
   another widget, a key that is no scan character (arrows, Backspace, Escape, F-keys,
   shortcuts, an auto-repeat), a terminator after fewer than ``min_chars`` characters,
   or a burst that stops without a terminator (a scanner must be set to send Enter or
   Tab). So a text field gets exactly what a person typed and no scan is emitted.
6. **Time** is the key event's own timestamp, from the window system (X11, Wayland and
   Windows stamp every key when it happens), so a burst queued behind a busy GUI thread
   keeps the gaps it was typed with. Events without one (an input method's commit string,
   synthesised events) fall back on a monotonic clock read when the filter sees them. The
   hold timer never ends a burst on its own: when it fires, the filter first lets Qt
   deliver every input event already queued, and ends the hold only if none of them
   continued the burst. Tests may pass their own ``clock``.
7. **Input methods.** Qt turns an input method on only for widgets that take text
   (``WA_InputMethodEnabled``); bench screens keep the focus off text fields, so a
   Chinese input method is inactive there and the scanner's keys arrive as plain key
   presses. In a text field, rule 2 reads keys whose text the input method emptied or
   composed, normalises full-width characters, and counts fast commit strings as part
   of the burst. An input method in pinyin mode reads the keys before Qt sees them (under X
   with ibus-libpinyin a scan of ``YT7000000000098`` arrived as the commit ``YT``): every field
   for codes is a ``CodeField`` (station.ui.widgets.code_field), which the input method leaves
   alone. A scan into a field for names with pinyin on is eaten by it (ibus-libpinyin passes on a
   commit of its first letters, ``YT``, and the release of an Enter whose press it kept): such an
   Enter release right after a commit nobody composed (no preedit at that field within
   ``COMPOSED_WITHIN_S``) drops the commit and emits ``input_method_took(text)``, so the station
   says so instead of the field keeping ``YT`` (``scripts/ime-check.sh``). An evdev or serial
   scanner is never read by an input method.
8. **Shortcuts.** Qt offers a key to the shortcuts (``ShortcutOverride``) before it
   sends it as a key press. A scan character's offer is refused, so that a scan never
   triggers a dialog's one-letter shortcut (the print outbox's Shift+R, the orders
   window's R) and a scan's Enter is never a dialog's Enter. If the key turns out to be
   typing, it is re-delivered through Qt's shortcut path, so the shortcut a person
   pressed still works (about 55 ms late).
9. **Nothing vanishes silently.** A burst of at least ``min_chars`` keys at scanner speed
   that stops without a terminator is no typing: its keys are dropped and
   ``incomplete(text)`` is emitted ("scan not read completely"). A burst slower than
   ``max_gap_ms`` but faster than a person (every gap at most ``SLOW_SCANNER_MS``) that
   ends with a terminator on a widget that takes no text (a bench screen: nobody types
   there) is a scan from a scanner slower than this station expects (or one held up by a
   busy PC): its keys went nowhere, so it is emitted as ``scanned(text)``, followed by
   ``too_slow(text)`` so that the station can suggest the scanner setup code. In a text
   field such keys stay typing.
10. **Calibration.** Scanning `CALIBRATION_CODE` (on the scanner sheet), at whatever
   speed the scanner types, sets ``max_gap_ms`` from the gaps it measured
   (1.5 × the longest + 5 ms, between the default and ``MAX_CALIBRATED_GAP_MS``) and
   emits ``calibrated(ms)``; the code itself is no scan.
11. ``setEnabled(False)`` (while the settings dialog is open) lets every event through
   untouched.

Over ~400 lines on purpose: one event filter whose eleven rules above decide together what a key
is; split, a rule's exception would live in another file from the rule.
"""
from __future__ import annotations

import time
import unicodedata
from typing import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QInputMethodEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtTest import QTest  # its key path runs Qt's shortcut map, which QApplication.sendEvent skips
from PySide6.QtWidgets import QApplication, QWidget

from station.scanning import SCANNER_SETUP_CODE as CALIBRATION_CODE  # on the command and scanner sheets

GS = "\x1d"
DEFAULT_MAX_GAP_MS = 35
DEFAULT_MIN_CHARS = 4
HOLD_MARGIN_MS = 20  # the hold timer fires this long after a gap became too long
MAX_SCAN_CHARS = 4096  # longer than any barcode: a stuck key or a paste, not a scan
RELEASE_SWALLOW_S = 1.0  # how long a swallowed key's release is still expected
SLOW_SCANNER_MS = 150  # a burst with every gap at most this, ending in Enter, at a widget without text: a scanner
MAX_CALIBRATED_GAP_MS = 150
COMPOSED_WITHIN_S = 1.0  # a preedit this recent at a field: a person is composing there (rule 7)

_KEY_PRESS, _KEY_RELEASE, _INPUT_METHOD = QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.InputMethod
_SHORTCUT_OVERRIDE = QEvent.Type.ShortcutOverride
_WATCHED = frozenset({_KEY_PRESS, _KEY_RELEASE, _INPUT_METHOD, _SHORTCUT_OVERRIDE})
_TERMINATORS = frozenset(k.value for k in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab))
# Some keyboards and tools send Linefeed (text "\n", a key Qt does not name) for the newline.
_TERMINATOR_TEXTS = frozenset({"\r", "\n", "\t"})
_MODIFIER_KEYS = frozenset(k.value for k in (
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R, Qt.Key.Key_Mode_switch,
))
_CTRL_ALT_META = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                  | Qt.KeyboardModifier.MetaModifier)
_KEY_BRACKET_RIGHT = Qt.Key.Key_BracketRight.value
_KEY_A, _KEY_Z = Qt.Key.Key_A.value, Qt.Key.Key_Z.value


def scan_text(text: str) -> str | None:
    """``text`` as scan characters (NFKC, printable ASCII or GS), or None if it is not."""
    if not text:
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if all(c == GS or " " <= c <= "~" for c in text):
        return text
    return None


def key_char(event: QKeyEvent) -> str | None:
    """The scan character a key press stands for (rule 2), or None."""
    mods = event.modifiers()
    key = event.key()
    if mods & Qt.KeyboardModifier.ControlModifier and key == _KEY_BRACKET_RIGHT:
        return GS
    text = event.text()
    if text == GS:
        return GS
    from_text = scan_text(text)
    if from_text is not None and len(from_text) == 1:
        if mods & _CTRL_ALT_META and not (mods & Qt.KeyboardModifier.ControlModifier
                                          and mods & Qt.KeyboardModifier.AltModifier):  # AltGr = Ctrl+Alt
            return None
        return from_text
    if text and text.isascii():  # a control character such as Ctrl+C: a shortcut, not a scan
        return None
    if mods & _CTRL_ALT_META:
        return None
    if _KEY_A <= key <= _KEY_Z:
        return chr(key) if mods & Qt.KeyboardModifier.ShiftModifier else chr(key).lower()
    if 0x21 <= key <= 0x7E:  # Qt's key codes for ASCII digits and punctuation are the characters
        return chr(key)
    return None


def calibrated_gap(longest_gap_ms: float) -> int:
    """The ``max_gap_ms`` for a scanner whose longest gap between keys was ``longest_gap_ms``."""
    return int(min(MAX_CALIBRATED_GAP_MS, max(DEFAULT_MAX_GAP_MS, round(longest_gap_ms * 1.5) + 5)))


def _takes_text(widget: QWidget) -> bool:
    return widget.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


def _shortcut_for(widget: QWidget, event: QKeyEvent) -> bool:
    """True if a shortcut or action of ``widget``'s window (or the application) is bound to this key."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    wanted = QKeySequence(event.keyCombination().key().value | mods.value)
    window = widget.window()
    for holder in (window.findChildren(QShortcut), window.findChildren(QAction), window.actions()):
        for item in holder:
            keys = item.keys() if isinstance(item, QShortcut) else item.shortcuts()
            if item.isEnabled() and any(k.matches(wanted) == QKeySequence.SequenceMatch.ExactMatch for k in keys):
                return True
    return False


def _address(obj) -> int:
    """The C++ object's address, 0 once it is deleted (asking a deleted one for it crashed the
    app: the 5,000-scan soak, a dialog closed after a person typed into it)."""
    if obj is None or not shiboken6.isValid(obj):
        return 0
    return shiboken6.getCppPointer(obj)[0]


def _is_ancestor(ancestor: QWidget, widget: QWidget) -> bool:
    target = _address(ancestor)
    parent = widget.parentWidget()
    while parent is not None:
        if _address(parent) == target:
            return True
        parent = parent.parentWidget()
    return False


class ScanCapture(QObject):
    """Event filter for the whole application; emits ``scanned(text)`` per scanner burst."""

    scanned = Signal(str)
    incomplete = Signal(str)  # a burst at scanner speed without its terminator (rule 9)
    too_slow = Signal(str)  # this scan came slower than ``max_gap_ms`` (delivered all the same, rule 9)
    calibrated = Signal(int)  # the new ``max_gap_ms`` after the calibration code (rule 10)
    input_method_took = Signal(str)  # an input method ate a scan in a text field (rule 7)
    _deliver = Signal(str)  # queued, so listeners never run inside the event filter
    _deliver_incomplete = Signal(str)
    _deliver_too_slow = Signal(str)
    _deliver_calibrated = Signal(int)
    _deliver_input_method_took = Signal(str)

    def __init__(self, parent: QObject | None = None, *, max_gap_ms: int = DEFAULT_MAX_GAP_MS,
                 min_chars: int = DEFAULT_MIN_CHARS, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.max_gap_ms = max_gap_ms
        self.min_chars = min_chars
        self._clock = clock
        self._enabled = True
        self._target: QWidget | None = None
        self._held: list[QEvent] = []
        self._chars: list[str] = []
        self._gaps: list[float] = []  # per held character: ms since the scan character before it
        self._held_keys: set[int] = set()  # pressed during the hold, not yet released
        self._last_at = 0.0  # the clock when the last scan character came
        self._last_stamp = 0  # its window-system timestamp (ms), 0 if it had none
        self._presses = 0  # character events in the hold (an input method's commit counts once)
        self._longest_gap = 0.0  # the longest gap inside the hold, ms
        self._seen = 0  # every scan character ever held: tells the hold timer a burst went on
        self._trail: list[tuple[str, float]] = []  # characters let through as typing: (char, gap ms)
        self._trail_target: QWidget | None = None
        self._swallow: dict[int, float] = {}  # key -> until when its release is swallowed
        self._last_passed: tuple | None = None  # (signature, receiver) of the last key event let through
        self._replaying = False
        self._flushing = False
        self._held_commit = False  # the hold has an input method's commit string in it
        self._composed: tuple[int, float] = (0, 0.0)  # (widget, clock) of the last non-empty preedit
        self._installed_on: QApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._hold_expired)
        queued = Qt.ConnectionType.QueuedConnection
        self._deliver.connect(self.scanned.emit, queued)
        self._deliver_incomplete.connect(self.incomplete.emit, queued)
        self._deliver_too_slow.connect(self.too_slow.emit, queued)
        self._deliver_calibrated.connect(self.calibrated.emit, queued)
        self._deliver_input_method_took.connect(self.input_method_took.emit, queued)

    # --- setup ---------------------------------------------------------------------
    def configure(self, *, max_gap_ms: int | None = None, min_chars: int | None = None) -> None:
        if max_gap_ms is not None:
            self.max_gap_ms = max(1, int(max_gap_ms))
        if min_chars is not None:
            self.min_chars = max(1, int(min_chars))

    def install(self, app: QApplication | None = None) -> "ScanCapture":
        app = app or QApplication.instance()
        app.installEventFilter(self)
        self._installed_on = app
        return self

    def uninstall(self) -> None:
        self.release_hold()
        if self._installed_on is not None and shiboken6.isValid(self._installed_on):
            self._installed_on.removeEventFilter(self)
        self._installed_on = None

    def isEnabled(self) -> bool:  # noqa: N802 - Qt naming, like QWidget
        return self._enabled

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802
        if not enabled:
            self.release_hold()
        self._enabled = enabled

    @property
    def holding(self) -> bool:
        """True while key events are held back (a burst may be under way)."""
        return bool(self._held)

    # --- the filter ------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in _WATCHED or self._replaying or not self._enabled or not isinstance(obj, QWidget):
            return False
        if kind == _INPUT_METHOD:
            return self._input_method(obj, event)
        if kind == _SHORTCUT_OVERRIDE:
            return self._shortcut_override(obj, event)
        signature = (kind, event.key(), event.modifiers().value, event.text(), event.isAutoRepeat(),
                     _address(event))
        if self._last_passed is not None:
            last_signature, last_receiver = self._last_passed
            self._last_passed = None
            if (last_signature == signature and shiboken6.isValid(last_receiver)
                    and _is_ancestor(obj, last_receiver)):
                self._last_passed = (signature, obj)
                return False  # the same event propagating to a parent: judged already
        consumed = self._key_press(obj, event) if kind == _KEY_PRESS else self._key_release(obj, event)
        if not consumed:
            self._last_passed = (signature, obj)
        return consumed

    def _now(self) -> float:
        return self._clock()

    def _gap_ms(self, now: float, stamp: int) -> float:
        """Milliseconds since the last scan character: by the events' own stamps when both have one."""
        if stamp and self._last_stamp and stamp >= self._last_stamp:
            return float(stamp - self._last_stamp)
        return (now - self._last_at) * 1000.0

    def _limit(self) -> float:
        """The longest gap that still continues the burst being held (rule 3).

        In a text field it is ``max_gap_ms``: a person's typing must reach the field. At a widget that
        takes no text (a bench screen: nobody types there) a burst goes on across gaps up to
        ``SLOW_SCANNER_MS``, so a scanner held up for a moment by a busy PC (or the X server) is not cut
        in two: its first keys would go nowhere and the rest would be a scan of its own."""
        target = self._target
        if target is None or not shiboken6.isValid(target) or _takes_text(target):
            return float(self.max_gap_ms)
        return float(max(self.max_gap_ms, SLOW_SCANNER_MS))

    def _too_late(self, now: float, stamp: int = 0) -> bool:
        return self._gap_ms(now, stamp) > self._limit()

    @staticmethod
    def _stamp(event: QEvent) -> int:
        return int(event.timestamp()) if isinstance(event, QKeyEvent) else 0

    def _is_terminator(self, event: QKeyEvent) -> bool:
        return ((event.key() in _TERMINATORS or event.text() in _TERMINATOR_TEXTS)
                and not (event.modifiers() & _CTRL_ALT_META))

    def _shortcut_override(self, obj: QWidget, event: QKeyEvent) -> bool:
        """Refuse a scan character's (and a scan's terminator's) offer to the shortcuts (rule 8)."""
        if event.key() in _MODIFIER_KEYS or event.isAutoRepeat():
            return False
        if self._is_terminator(event):
            scan = (self._held and len(self._chars) >= self.min_chars
                    and not self._too_late(self._now(), self._stamp(event)))
            if not scan and (_takes_text(obj) or self._slow_burst(obj) is None):
                return False
        elif key_char(event) is None:
            return False
        event.accept()  # "the focus widget wants this key": Qt sends it as a key press, no shortcut
        return True

    def _key_press(self, obj: QWidget, event: QKeyEvent) -> bool:
        now, stamp = self._now(), self._stamp(event)
        if self._held and (self._too_late(now, stamp) or _address(obj) != _address(self._target)):
            self.release_hold()
        key = event.key()
        if key in _MODIFIER_KEYS:
            return self._hold_neutral(obj, QKeyEvent(event))
        if event.isAutoRepeat():
            self.release_hold()
            self._trail.clear()
            return False
        if self._is_terminator(event):
            if self._held and len(self._chars) >= self.min_chars:
                self._finish_scan(key, now)
                return True
            self.release_hold()
            return self._typed_terminator(obj, key, now)
        char = key_char(event)
        if char is None:
            self.release_hold()
            self._trail.clear()
            return False
        self._hold(obj, QKeyEvent(event), char, now, stamp)
        self._held_keys.add(key)
        return True

    def _key_release(self, obj: QWidget, event: QKeyEvent) -> bool:
        key = event.key()
        if self._input_method_took_scan(obj, event):
            text = "".join(self._chars)
            self._drop()  # the field keeps what it had: the commit was the scan's remains
            self._trail.clear()
            self._deliver_input_method_took.emit(text)
            return True
        if self._held and _address(obj) == _address(self._target):
            self._held.append(QKeyEvent(event))
            self._held_keys.discard(key)  # released within the burst: nothing left to swallow
            return True
        until = self._swallow.pop(key, None)
        return until is not None and self._now() <= until

    def _input_method_took_scan(self, obj: QWidget, event: QKeyEvent) -> bool:
        """Rule 7: the release of a terminator whose press never came, just after an input method's
        commit that nobody composed (no preedit shown at this field for COMPOSED_WITHIN_S): the
        input method read a scanner's keys and ate its Enter. A person's Enter that commits a
        composition comes after the preedit they watched; an Enter the input method passes on
        arrives as a press."""
        return (self._held_commit and self._is_terminator(event) and _address(obj) == _address(self._target)
                and event.key() not in self._held_keys and event.key() not in self._swallow
                and _takes_text(obj) and not self._composed_lately(obj))

    def _composed_lately(self, obj: QWidget) -> bool:
        widget, at = self._composed
        return widget == _address(obj) and self._now() - at <= COMPOSED_WITHIN_S

    def _input_method(self, obj: QWidget, event: QInputMethodEvent) -> bool:
        commit = event.commitString()
        if event.preeditString():
            self._composed = (_address(obj), self._now())
        if not commit:  # preedit only: neither a character nor a reason to stop
            return self._hold_neutral(obj, QInputMethodEvent(event))
        now = self._now()
        if self._held and (self._too_late(now) or _address(obj) != _address(self._target)):
            self.release_hold()
        terminated = commit[-1] in "\r\n\t"
        chars = scan_text(commit.rstrip("\r\n\t"))
        if chars is None and not terminated:
            self.release_hold()
            return False
        if chars:
            self._hold(obj, QInputMethodEvent(event), chars, now, 0)
            self._held_commit = True
        if terminated:
            if self._held and len(self._chars) >= self.min_chars:
                self._finish_scan(None, now)
                return True
            self.release_hold()
            return False
        return bool(chars)

    # --- holding -----------------------------------------------------------------------
    def _hold_neutral(self, obj: QWidget, copy: QEvent) -> bool:
        """Hold an event that neither extends nor breaks a burst, if one is being held for ``obj``."""
        if not self._held or _address(obj) != _address(self._target):
            return False
        self._held.append(copy)
        return True

    def _hold(self, obj: QWidget, copy: QEvent, chars: str, now: float, stamp: int) -> None:
        gap = self._gap_ms(now, stamp)
        if not self._held:
            self._target = obj
            self._longest_gap = 0.0
            self._presses = 0
        else:
            self._longest_gap = max(self._longest_gap, gap)
        self._held.append(copy)
        self._chars.extend(chars)
        self._gaps.extend([gap] + [0.0] * (len(chars) - 1))
        self._presses += 1
        self._seen += 1
        self._last_at, self._last_stamp = now, stamp
        if len(self._chars) > MAX_SCAN_CHARS:
            self.release_hold()
            return
        self._timer.start(int(self._limit()) + HOLD_MARGIN_MS)

    def _finish_scan(self, terminator: int | None, now: float) -> None:
        text = "".join(self._chars)
        for key in self._held_keys | ({terminator} if terminator is not None else set()):
            self._swallow[key] = now + RELEASE_SWALLOW_S
        longest = self._longest_gap
        gaps = sorted(self._gaps[1:])
        slow = bool(gaps) and gaps[len(gaps) // 2] > self.max_gap_ms  # most gaps: a slow scanner, not one stall
        self._drop()
        self._trail.clear()
        if text == CALIBRATION_CODE:
            self._calibrate(longest)
            return
        self._deliver.emit(text)
        if slow:
            self._deliver_too_slow.emit(text)

    def _calibrate(self, longest_gap_ms: float) -> None:
        self.max_gap_ms = calibrated_gap(longest_gap_ms)
        self._deliver_calibrated.emit(self.max_gap_ms)

    def _typed_terminator(self, obj: QWidget, key: int, now: float) -> bool:
        """A terminator after typing: a slow scanner's burst is no typing (rules 9 and 10)."""
        trail, text = self._trail, self._slow_burst(obj)
        self._trail = []
        if text is None:
            return False
        if text == CALIBRATION_CODE:
            self._calibrate(max(gap for _char, gap in trail[1:]))
        elif not _takes_text(obj):
            # Nobody types at a bench: these keys went nowhere, so they are the scan. Said once
            # more (too_slow) so the station can suggest the scanner setup code.
            self._deliver.emit(text)
            self._deliver_too_slow.emit(text)
        else:
            return False  # a person typed into a field and pressed Enter
        self._swallow[key] = now + RELEASE_SWALLOW_S
        return True

    def _slow_burst(self, obj: QWidget) -> str | None:
        """The characters just typed at ``obj`` if they came as one burst of a slow scanner, else None."""
        trail, target = self._trail, self._trail_target
        if (len(trail) < self.min_chars or target is None or not shiboken6.isValid(target)
                or _address(target) != _address(obj) or any(gap > SLOW_SCANNER_MS for _char, gap in trail[1:])):
            return None
        return "".join(char for char, _gap in trail)

    def _hold_expired(self) -> None:
        """The hold timer: first deliver any input already queued (a busy GUI thread), then judge."""
        if not self._held or self._flushing:
            return
        seen = self._seen
        self._flushing = True
        try:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        finally:
            self._flushing = False
        if not self._held or self._seen != seen:
            return  # the queue continued the burst (its own timer runs again) or finished it
        if self._presses >= self.min_chars and self._longest_gap <= self._limit():
            text = "".join(self._chars)
            self._drop()  # a scanner's burst that lost its end: not typing, and not a scan either
            self._deliver_incomplete.emit(text)
            return
        self.release_hold()

    def _drop(self) -> None:
        self._timer.stop()
        self._held, self._chars, self._gaps, self._held_keys, self._target = [], [], [], set(), None
        self._presses = 0
        self._held_commit = False

    def release_hold(self) -> None:
        """Re-deliver the held events to their widget, in order: it was typing, not a scan."""
        if not self._held:
            return
        target, held, typed = self._target, self._held, list(zip(self._chars, self._gaps))
        self._drop()
        if target is None or not shiboken6.isValid(target):
            return
        self._remember_typing(target, typed)
        self._replaying = True
        try:
            for event in held:
                if (event.type() == _KEY_PRESS and event.key() not in _MODIFIER_KEYS
                        and _shortcut_for(target, event)):
                    # Through Qt's shortcut map, as the key first came: the person meant the shortcut.
                    QTest.sendKeyEvent(QTest.KeyAction.Press, target, Qt.Key(event.key()), event.text(),
                                       event.modifiers())
                else:
                    QApplication.sendEvent(target, event)
        finally:
            self._replaying = False

    def _remember_typing(self, target: QWidget, typed: list[tuple[str, float]]) -> None:
        """Keep the characters let through, with their gaps, for a slow scanner's terminator."""
        if (self._trail_target is None or not shiboken6.isValid(self._trail_target)
                or _address(self._trail_target) != _address(target)):
            self._trail = []
        self._trail_target = target
        for char, gap in typed:
            if gap > SLOW_SCANNER_MS:
                self._trail = []  # a pause: what came before is another burst, or a person
            self._trail.append((char, gap))
        del self._trail[:-MAX_SCAN_CHARS]
