"""Alt-key letters (mnemonics) are unique in what is on screen at once (issue 17): the menu bar and
the bench in front, in English and in Chinese. Two widgets with one letter make Alt+letter go to
the first, or cycle: 退货原因(C) and 到付(C) did, and the receive bench's SKU(S) opened the Station menu."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

from station.i18n import set_language
from station.ui.benches import SCREENS

_LETTER = re.compile(r"&([^&\s])")


def _letters(text: str) -> list[str]:
    return [m.upper() for m in _LETTER.findall(text.replace("&&", ""))]


def on_screen(window) -> dict[str, list[str]]:
    """Alt letter -> the texts that use it: the menu bar's menus and every widget of the bench in front
    (shown or waiting to be: a form that opens mid-receipt counts too)."""
    found: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        for letter in _letters(action.text()):
            found.setdefault(letter, []).append(action.text())
    widgets = [w for kind in (QLabel, QAbstractButton, QGroupBox) for w in window.screen.findChildren(kind)]
    for widget in widgets:
        text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
        for letter in _letters(text):
            found.setdefault(letter, []).append(text)
    return found


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_bench_and_the_menu_bar_use_each_alt_letter_once(qtbot, make_window, lang):
    set_language(lang)
    window = make_window()
    clashes = {}
    for name in SCREENS:
        window.switch_to(name)
        qtbot.wait(10)
        twice = {letter: texts for letter, texts in on_screen(window).items() if len(texts) > 1}
        if twice:
            clashes[name] = twice
    assert clashes == {}
