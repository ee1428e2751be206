"""The outcome banner: what the last scan did, readable from a metre away.

Green for ok, amber for warn, red for error, dark slate for a prompt (nothing scanned
yet, "Scan your badge"). The message is large and bold, the details below it smaller,
and the stable outcome code in small text in the corner for the supervisor and support.
An outcome may come with an action: what to scan now to get on ("Scan CONFIRM to
continue"), bold between the message and the details.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from station.i18n import render

PROMPT = "prompt"
MESSAGE_PT = 34  # bold: about 45 px high at 96 dpi, readable from a metre and more
DETAIL_PT = 18
ACTION_PT = 26
CODE_PT = 10
MAX_DETAIL_LINES = 14

# (background, text): text colours chosen for contrast (amber takes dark text).
COLOURS: dict[str, tuple[str, str]] = {
    "ok": ("#1e7d32", "#ffffff"),
    "warn": ("#ffb300", "#1b1b1b"),
    "error": ("#c62828", "#ffffff"),
    PROMPT: ("#263238", "#ffffff"),
}


def _label(point_size: int, bold: bool = False) -> QLabel:
    label = QLabel()
    font = QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    label.setTextFormat(Qt.TextFormat.PlainText)  # product names are data, never markup
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class OutcomeBanner(QFrame):
    """Shows one outcome (or a prompt) in the colour of its level."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeBanner")
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.level = PROMPT
        self.code = ""
        self._shown: tuple | None = None  # what _set was given, to show it again in another language
        self.message_label = _label(MESSAGE_PT, bold=True)
        self.message_label.setObjectName("bannerMessage")
        self.action_label = _label(ACTION_PT, bold=True)
        self.action_label.setObjectName("bannerAction")
        self.action_label.setVisible(False)
        self.details_label = _label(DETAIL_PT)
        self.details_label.setObjectName("bannerDetails")
        self.code_label = QLabel()
        self.code_label.setObjectName("bannerCode")
        code_font = QFont(self.code_label.font())
        code_font.setPointSize(CODE_PT)
        self.code_label.setFont(code_font)
        self.code_label.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 12)
        layout.setSpacing(10)
        layout.addWidget(self.message_label)
        layout.addWidget(self.action_label)
        layout.addWidget(self.details_label)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.code_label)
        layout.addLayout(bottom)
        self._paint(PROMPT)

    # --- what it shows -------------------------------------------------------------
    def show_outcome(self, outcome, action: str = "") -> None:
        """Show a workflow `Outcome` (level, code, message, details), and what to do about it if given."""
        self._set(str(outcome.level), outcome.message, tuple(outcome.details), outcome.code, action)

    def show_prompt(self, message: str, *details: str) -> None:
        """What to do next, before anything was scanned (dark, not a result)."""
        self._set(PROMPT, message, details, "")

    @property
    def message(self) -> str:
        return self.message_label.text()

    @property
    def action(self) -> str:
        return self.action_label.text()

    @property
    def details(self) -> tuple[str, ...]:
        text = self.details_label.text()
        return tuple(text.split("\n")) if text else ()

    def background(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Window)

    def foreground(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def retranslate(self) -> None:
        """Show what is shown again in the current language (messages are kept with their msgids)."""
        if self._shown is not None:
            self._set(*self._shown)

    # --- drawing ---------------------------------------------------------------------
    def _set(self, level: str, message: str, details: tuple[str, ...], code: str, action: str = "") -> None:
        self._shown = (level, message, tuple(details), code, action)
        self.level, self.code = level, code
        message, action, details = render(message), render(action), tuple(render(d) for d in details)
        self.message_label.setText(message)
        self.action_label.setText(action)
        self.action_label.setVisible(bool(action))
        lines = list(details[:MAX_DETAIL_LINES])
        if len(details) > MAX_DETAIL_LINES:
            lines[-1] = "…"
        self.details_label.setText("\n".join(lines))
        self.details_label.setVisible(bool(lines))
        self.code_label.setText(code)
        self.setAccessibleName(f"{message} {action}".strip())
        self._paint(level)

    def _paint(self, level: str) -> None:
        background, text = COLOURS.get(level, COLOURS[PROMPT])
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        self.setPalette(palette)
        self.update()
