"""An amber box of large lines that must not be missed: a buyer's message, a seller's memo, a gift.

An invoice request or a free gift that nobody reads is a complaint a week later, so the box
is big (22 pt, bold), amber with a thick orange border, and hidden when there is nothing to
say (a box that is always there stops being read).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from station.ui.widgets.fit import WORD_JOINER, unbreakable_codes

NOTICE_PT = 22
BACKGROUND = "#ffe082"
BORDER = "#e65100"
TEXT = "#1b1b1b"


class NoticeBox(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBox")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.Box)
        self.setFrameShadow(QFrame.Shadow.Plain)
        self.setLineWidth(4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(BACKGROUND))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(BORDER))  # a plain QFrame draws its border in it
        self.setPalette(palette)
        self.text_label = QLabel()
        self.text_label.setObjectName("noticeText")
        font = QFont(self.text_label.font())
        font.setPointSize(NOTICE_PT)
        font.setBold(True)
        self.text_label.setFont(font)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)  # what buyers write is data, never markup
        self.text_label.setWordWrap(True)
        label_palette = self.text_label.palette()
        label_palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
        self.text_label.setPalette(label_palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addWidget(self.text_label)
        self.setVisible(False)

    def set_lines(self, lines: list[str]) -> None:
        """Show these lines (hide the box when there are none)."""
        self.text_label.setText(unbreakable_codes("\n".join(lines)))  # a SKU never wraps mid-code
        self.setAccessibleName(" ".join(lines))
        self.setHidden(not lines)

    @property
    def lines(self) -> tuple[str, ...]:
        text = self.text_label.text().replace(WORD_JOINER, "")
        return tuple(text.split("\n")) if text else ()

    def background(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Window)
