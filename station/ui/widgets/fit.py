"""Fitting Station to the screen it is on: from 1280x720 to 4K, nothing cut off.

Bench PCs often have 1366x768 or 1280x720 screens. Below `COMPACT_BELOW` pixels of
available height the benches use their compact sizes (the banner's message 28 pt instead of
34 pt: still readable from a metre), and every window starts at a size that fits the
screen's available geometry (the work area without the task bar), leaving room for the title
bar a window manager adds.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

COMPACT_BELOW = 1000  # px of available height: 1366x768, 1280x720, 1600x900 are compact
TITLE_BAR = 40  # px a window manager's title bar and frame may take


def available_size(widget: QWidget | None = None) -> QSize:
    """The work area of the widget's screen (or the primary screen)."""
    screen = QWidget.screen(widget) if widget is not None else None  # MainWindow.screen is its bench
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1920, 1080)
    return screen.availableGeometry().size()


def is_compact(widget: QWidget | None = None) -> bool:
    return available_size(widget).height() < COMPACT_BELOW


def fit_to_screen(window: QWidget, width: int, height: int) -> QSize:
    """Resize a top-level window to width x height, or less so that it fits the screen."""
    area = available_size(window)
    size = QSize(max(min(width, area.width()), 200), max(min(height, area.height() - TITLE_BAR), 200))
    window.resize(size)
    return size


_CODE_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])([-/])(?=[A-Za-z0-9])")
WORD_JOINER = "\u2060"  # invisible; no line break next to it


def unbreakable_codes(text: str) -> str:
    """A wrapped label never breaks a code such as TS03-RD-M or A-01-01-01 at its hyphens.

    Qt breaks lines after a hyphen; a word joiner after each hyphen (or slash) between
    letters and digits keeps the code on one line, and draws nothing.
    """
    return _CODE_HYPHEN.sub(r"\1" + WORD_JOINER, text)
