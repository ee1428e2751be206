"""What a scan shows when the bench is not in front, and the warning that scans are going nowhere.

`ScanOverlay`: a scan made while a dialog or an office window is in front still goes to the
active bench (the scan capture sees every key of the application); its outcome is shown in
a banner laid over the window in front, on top, without taking the focus. Green and amber
go after a few seconds; red stays until the bench's error is acknowledged (the next outcome
is no error) or the bench comes back to the front.

`KeyboardLostWarning`: when another application has the keyboard, a keyboard-wedge
scanner types into it and Station hears nothing. A red strip across the top of the screen,
on top of every window, says so until Station has the keyboard again; a click on it (or
Alt+Tab) brings Station back.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from station.i18n import _
from station.ui.widgets.banner import COLOURS, OutcomeBanner

OVERLAY_HIDE_MS = 4000
OVERLAY_HEIGHT = 230
WARNING_PT = 26

_ON_TOP = (Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
           | Qt.WindowType.WindowDoesNotAcceptFocus)


class ScanOverlay(QWidget):
    """The outcome of a scan, over whatever window is in front of the bench."""

    def __init__(self) -> None:
        super().__init__(None, _ON_TOP)
        self.setObjectName("scanOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.banner = OutcomeBanner(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def show_over(self, window: QWidget, outcome, action: str = "") -> None:
        self.banner.show_outcome(outcome, action)
        frame = window.frameGeometry()
        self.setGeometry(frame.x(), frame.y(), max(frame.width(), 640),
                         max(OVERLAY_HEIGHT, self.banner.sizeHint().height()))
        self.show()
        self.raise_()
        if str(outcome.level) == "error":
            self._timer.stop()  # red stays until acknowledged
        else:
            self._timer.start(OVERLAY_HIDE_MS)

    def clear(self) -> None:
        self._timer.stop()
        self.hide()


class KeyboardLostWarning(QWidget):
    """A full-width red strip on top of every window: scans are not reaching Station."""

    clicked = Signal()

    def __init__(self) -> None:
        super().__init__(None, _ON_TOP)
        self.setObjectName("keyboardLostWarning")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAutoFillBackground(True)
        background, foreground = COLOURS["error"]
        self.setStyleSheet(f"QWidget#keyboardLostWarning {{ background: {background}; }}"
                           f" QLabel {{ color: {foreground}; }}")
        self.label = QLabel()
        font = QFont(self.label.font())
        font.setPointSize(WARNING_PT)
        font.setBold(True)
        self.label.setFont(font)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(_("Station does not have the keyboard: scans are going to another program. "
                             "Click here to go back to Station."))

    def show_on_screen(self, screen=None) -> None:
        screen = screen or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        self.setGeometry(area.x(), area.y(), area.width(), max(110, self.sizeHint().height()))
        self.show()
        self.raise_()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.clicked.emit()
        super().mousePressEvent(event)
