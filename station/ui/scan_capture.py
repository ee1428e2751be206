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
   the one before is held too. Modifier presses (a scanner presses Shift for capitals),
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
6. **Time** is a monotonic clock read when the filter sees the event (Qt's own event
   timestamps are 0 for synthesised events). Tests may pass their own ``clock``.
7. **Input methods.** Qt turns an input method on only for widgets that take text
   (``WA_InputMethodEnabled``); bench screens keep the focus off text fields, so a
   Chinese input method is inactive there and the scanner's keys arrive as plain key
   presses. In a text field, rule 2 reads keys whose text the input method emptied or
   composed, normalises full-width characters, and counts fast commit strings as part
   of the burst. An input method in pinyin mode may swallow letters into its candidate
   window before Qt sees them; put it in English mode (Shift) at a scanning bench.
8. ``setEnabled(False)`` (while a settings dialog is open, for example) lets every
   event through untouched.
"""
from __future__ import annotations

import time
import unicodedata
from typing import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

GS = "\x1d"
DEFAULT_MAX_GAP_MS = 35
DEFAULT_MIN_CHARS = 4
HOLD_MARGIN_MS = 20  # the hold timer fires this long after a gap became too long
MAX_SCAN_CHARS = 4096  # longer than any barcode: a stuck key or a paste, not a scan
RELEASE_SWALLOW_S = 1.0  # how long a swallowed key's release is still expected

_KEY_PRESS, _KEY_RELEASE, _INPUT_METHOD = QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.InputMethod
_WATCHED = frozenset({_KEY_PRESS, _KEY_RELEASE, _INPUT_METHOD})
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


def _address(obj) -> int:
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
    _deliver = Signal(str)  # queued, so listeners never run inside the event filter

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
        self._held_keys: set[int] = set()  # pressed during the hold, not yet released
        self._last_at = 0.0
        self._swallow: dict[int, float] = {}  # key -> until when its release is swallowed
        self._last_passed: tuple | None = None  # (signature, receiver) of the last key event let through
        self._replaying = False
        self._installed_on: QApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.release_hold)
        self._deliver.connect(self.scanned.emit, Qt.ConnectionType.QueuedConnection)

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

    def _too_late(self, now: float) -> bool:
        return (now - self._last_at) * 1000.0 > self.max_gap_ms

    def _key_press(self, obj: QWidget, event: QKeyEvent) -> bool:
        now = self._now()
        if self._held and (self._too_late(now) or _address(obj) != _address(self._target)):
            self.release_hold()
        key = event.key()
        if key in _MODIFIER_KEYS:
            return self._hold_neutral(obj, QKeyEvent(event))
        if event.isAutoRepeat():
            self.release_hold()
            return False
        terminator = key in _TERMINATORS or event.text() in _TERMINATOR_TEXTS
        if terminator and not (event.modifiers() & _CTRL_ALT_META):
            if self._held and len(self._chars) >= self.min_chars:
                self._finish_scan(key, now)
                return True
            self.release_hold()
            return False
        char = key_char(event)
        if char is None:
            self.release_hold()
            return False
        self._hold(obj, QKeyEvent(event), char, now)
        self._held_keys.add(key)
        return True

    def _key_release(self, obj: QWidget, event: QKeyEvent) -> bool:
        key = event.key()
        if self._held and _address(obj) == _address(self._target):
            self._held.append(QKeyEvent(event))
            self._held_keys.discard(key)  # released within the burst: nothing left to swallow
            return True
        until = self._swallow.pop(key, None)
        return until is not None and self._now() <= until

    def _input_method(self, obj: QWidget, event: QInputMethodEvent) -> bool:
        commit = event.commitString()
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
            self._hold(obj, QInputMethodEvent(event), chars, now)
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

    def _hold(self, obj: QWidget, copy: QEvent, chars: str, now: float) -> None:
        if not self._held:
            self._target = obj
        self._held.append(copy)
        self._chars.extend(chars)
        self._last_at = now
        if len(self._chars) > MAX_SCAN_CHARS:
            self.release_hold()
            return
        self._timer.start(self.max_gap_ms + HOLD_MARGIN_MS)

    def _finish_scan(self, terminator: int | None, now: float) -> None:
        text = "".join(self._chars)
        for key in self._held_keys | ({terminator} if terminator is not None else set()):
            self._swallow[key] = now + RELEASE_SWALLOW_S
        self._drop()
        self._deliver.emit(text)

    def _drop(self) -> None:
        self._timer.stop()
        self._held, self._chars, self._held_keys, self._target = [], [], set(), None

    def release_hold(self) -> None:
        """Re-deliver the held events to their widget, in order: it was typing, not a scan."""
        if not self._held:
            return
        target, held = self._target, self._held
        self._drop()
        if target is None or not shiboken6.isValid(target):
            return
        self._replaying = True
        try:
            for event in held:
                QApplication.sendEvent(target, event)
        finally:
            self._replaying = False
