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
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from station.ui.widgets.fit import WORD_JOINER, is_compact, unbreakable_codes

from station.i18n import render

PROMPT = "prompt"
MESSAGE_PT = 34  # bold: about 45 px high at 96 dpi, readable from a metre and more
DETAIL_PT = 18
ACTION_PT = 26
CODE_PT = 10
MAX_DETAIL_LINES = 14
# On a small screen (1366x768, 1280x720: `fit.is_compact`): still readable from a metre.
COMPACT_PT = {"message": 28, "action": 22, "details": 15}
FULL_PT = {"message": MESSAGE_PT, "action": ACTION_PT, "details": DETAIL_PT}
MIN_DETAIL_LINES = 2  # the details scroll when the window is too low for all of them

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
        # Maximum: as high as its text when there is room, lower (the details scroll) when not
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
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
        # The details may be many lines: on a low screen they scroll rather than push the
        # bench (and the status bar) off the screen.
        self.details_area = QScrollArea()
        self.details_area.setObjectName("bannerDetailsArea")
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setWidgetResizable(True)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details_area.setWidget(self.details_label)
        self.details_area.viewport().setAutoFillBackground(False)
        self.details_area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.details_area.setVisible(False)
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
        layout.addWidget(self.details_area)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.code_label)
        layout.addLayout(bottom)
        self._layout = layout
        self.compact: bool | None = None
        self.set_compact(is_compact())
        self._paint(PROMPT)

    def set_compact(self, compact: bool) -> None:
        """Smaller type and margins for a small screen (the message stays readable from a metre)."""
        if compact == self.compact:
            return
        self.compact = compact
        sizes = COMPACT_PT if compact else FULL_PT
        for key, label in (("message", self.message_label), ("action", self.action_label),
                           ("details", self.details_label)):
            font = QFont(label.font())
            font.setPointSize(sizes[key])
            label.setFont(font)
        if compact:
            self._layout.setContentsMargins(20, 12, 20, 6)
            self._layout.setSpacing(6)
        else:
            self._layout.setContentsMargins(28, 22, 28, 12)
            self._layout.setSpacing(10)
        self._fit_details()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.set_compact(is_compact(self))  # the screen it shows on
        super().showEvent(event)

    def _fit_details(self) -> None:
        """The details area wants all its lines, and may shrink to MIN_DETAIL_LINES."""
        metrics = self.details_label.fontMetrics()
        self.details_area.setMinimumHeight(min(self.details_label.text().count("\n") + 1, MIN_DETAIL_LINES)
                                           * metrics.lineSpacing() + 4)
        # ... and never more than its lines at the width it has (no blank band below them)
        width = self.details_area.viewport().width() if self.details_area.isVisible() else 0
        needed = self.details_label.heightForWidth(width) if width > 50 else -1
        if needed < 0:
            needed = (self.details_label.text().count("\n") + 1) * metrics.lineSpacing()
        self.details_area.setMaximumHeight(max(needed + 4, self.details_area.minimumHeight()))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_details()

    # --- what it shows -------------------------------------------------------------
    def show_outcome(self, outcome, action: str = "") -> None:
        """Show a workflow `Outcome` (level, code, message, details), and what to do about it if given."""
        self._set(str(outcome.level), outcome.message, tuple(outcome.details), outcome.code, action)

    def show_prompt(self, message: str, *details: str) -> None:
        """What to do next, before anything was scanned (dark, not a result)."""
        self._set(PROMPT, message, details, "")

    @property
    def message(self) -> str:
        return self.message_label.text().replace(WORD_JOINER, "")

    @property
    def action(self) -> str:
        return self.action_label.text().replace(WORD_JOINER, "")

    @property
    def details(self) -> tuple[str, ...]:
        text = self.details_label.text().replace(WORD_JOINER, "")
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
        self.message_label.setText(unbreakable_codes(message))
        self.action_label.setText(unbreakable_codes(action))
        self.action_label.setVisible(bool(action))
        lines = list(details[:MAX_DETAIL_LINES])
        if len(details) > MAX_DETAIL_LINES:
            lines[-1] = "…"
        self.details_label.setText(unbreakable_codes("\n".join(lines)))
        self.details_area.setVisible(bool(lines))
        self._fit_details()
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
