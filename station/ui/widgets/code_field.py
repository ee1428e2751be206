"""A text field for codes (order and tracking numbers, SKUs, phone numbers): no input method.

With a Chinese input method in pinyin mode, a scanner typing into a text field is read by the
input method, not by Station: under X with ibus-libpinyin (docs/scanning.md), ``YT7000000000098``
+ Enter arrived as ``YT`` (the digits chose candidates) and ``CMD-CONFIRM`` as ``CMDCONFIRM``. The
input method takes a key only while the focused widget answers ``Qt.ImEnabled`` with true; a
`CodeField` answers false (``WA_InputMethodEnabled`` alone is not enough: QLineEdit answers that
query itself), so its keys, a person's or a scanner's, arrive as they were typed. Fields for names
and free text keep the input method (they need Chinese).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

_HINTS = (Qt.InputMethodHint.ImhPreferLatin | Qt.InputMethodHint.ImhNoPredictiveText
          | Qt.InputMethodHint.ImhNoAutoUppercase | Qt.InputMethodHint.ImhLatinOnly)


class CodeField(QLineEdit):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(_HINTS)

    def inputMethodQuery(self, query, *args):  # noqa: N802 - Qt's name
        if query == Qt.InputMethodQuery.ImEnabled:
            return False
        return super().inputMethodQuery(query, *args)


def code_field(text: str = "") -> CodeField:
    return CodeField(text)
