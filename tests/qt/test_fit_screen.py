"""Every bench and office window fits a 1280x720 screen, and the status bar is always on screen (issue 17).

The window is built on the demo warehouse, as a new user sees it; every bench is visited (the
benches share one stack, so the window's minimum is the largest bench's) in its fullest state:
logged in, and a red error with a long message and details. The screen the window thinks it is on
is a 1280x720 (or 1366x768) one, whatever the offscreen platform's screen is.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize

from station.ui.widgets import fit
from station.workflows import BENCHES, Outcome

TITLE_BAR = fit.TITLE_BAR
LONG_ERROR = ("Wrong item: 纯棉圆领T恤 红色 M (TS03-RD-M) is not in order SO-20261111-000123",
              *[f"Expected TS0{i}-BK-XL 牛仔裤 蓝色 32 ×{i}" for i in range(6)])


@pytest.fixture
def demo_window(qtbot, sessions, sqlite_url, settings, dialogs, tmp_path, monkeypatch):
    """A function (screen width, height) -> the main window on the demo warehouse, on such a screen."""
    from station.demo import build_demo
    from station.ui.feedback import Feedback
    from station.ui.main_window import MainWindow

    build_demo(sessions, folder=tmp_path / "demo", sheet=tmp_path / "sheet.pdf")

    def make(width: int, height: int) -> MainWindow:
        monkeypatch.setattr(fit, "available_size", lambda widget=None: QSize(width, height))
        window = MainWindow(sessions, db_label=sqlite_url, settings=settings, dialogs=dialogs,
                            feedback=Feedback(enabled=False))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def fill(window, bench: str) -> None:
    """The bench at its fullest: logged in, then an error with a long message and details."""
    window.switch_to(bench)
    window.handle_scan("U-1004")
    window.screen.banner.show_outcome(Outcome.error("wrong_item", LONG_ERROR[0], *LONG_ERROR[1:]),
                                      action="Scan CONFIRM to continue")


def test_every_bench_fits_1280x720_and_the_window_starts_inside_the_screen(demo_window, qtbot):
    window = demo_window(1280, 720)
    assert window.width() <= 1280 and window.height() <= 720 - TITLE_BAR
    sizes = {}
    for bench in BENCHES:
        fill(window, bench)
        qtbot.wait(1)
        hint = window.minimumSizeHint()
        sizes[bench] = (hint.width(), hint.height())
    too_big = {b: s for b, s in sizes.items() if s[0] > 1280 or s[1] > 720 - TITLE_BAR}
    assert not too_big, f"minimum sizes over 1280x{720 - TITLE_BAR}: {too_big} (all: {sizes})"
    assert all(window.screen_for(b).banner.compact for b in BENCHES)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_at_1366x768_the_status_bar_is_inside_the_window_on_every_bench(demo_window, qtbot, lang):
    from station.i18n import set_language

    set_language(lang)
    try:
        window = demo_window(1366, 768)
        window.resize(1366, 768 - TITLE_BAR)
        for bench in BENCHES:
            fill(window, bench)
            qtbot.wait(1)
            assert window.size() == QSize(1366, 768 - TITLE_BAR), bench  # no bench pushes the window taller
            bar = window.statusBar()
            assert bar.isVisible()
            top_left = bar.mapTo(window, QPoint(0, 0))
            assert top_left.y() >= 0 and top_left.y() + bar.height() <= window.height(), bench
            screen = window.screen
            assert screen.height() >= screen.minimumSizeHint().height() - 1, bench  # nothing squeezed
            assert window.user_label.text()  # the logged-in user shows in it
    finally:
        set_language("en")


def test_office_windows_fit_1280x720(demo_window, qtbot):
    window = demo_window(1280, 720)
    window.handle_scan("U-1004")  # a supervisor
    office = window.office
    for name, opener in (("orders", office.open_orders), ("kpi", office.open_kpi), ("po", office.open_po),
                         ("counts", office.open_counts)):
        win = opener()
        qtbot.wait(1)
        hint = win.minimumSizeHint()
        assert hint.width() <= 1280 and hint.height() <= 720 - TITLE_BAR, (name, hint)
        assert win.width() <= 1280 and win.height() <= 720 - TITLE_BAR, (name, win.size())


def test_a_code_in_the_banner_never_breaks_at_its_hyphens():
    assert fit.unbreakable_codes("TS03-RD-M 纯棉-T恤") == "TS03-\u2060RD-\u2060M 纯棉-T恤"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_alt_letters_are_unique_in_the_main_window_at_every_bench(demo_window, lang):
    """订单号(O) and 办公(O), 退货原因(C) and 到付(C) once shared a letter (issue 17)."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    from station.i18n import set_language

    def letter(text: str) -> str | None:
        found = re.search(r"&([^&\s])", text.replace("&&", ""))
        return found.group(1).lower() if found else None

    set_language(lang)
    try:
        window = demo_window(1366, 768)
        window.retranslate()
        menus = [letter(a.text()) for a in window.menuBar().actions()]
        for bench in BENCHES:
            window.switch_to(bench)
            widgets = [w for cls in (QLabel, QAbstractButton) for w in window.screen.findChildren(cls)
                       if w.isVisibleTo(window)]
            texts = [w.text() for w in widgets] + [g.title() for g in window.screen.findChildren(QGroupBox)]
            letters = [x for x in menus + [letter(t) for t in texts] if x]
            clashes = sorted({x for x in letters if letters.count(x) > 1})
            assert not clashes, (bench, clashes, [t for t in texts if letter(t) in clashes], menus)
    finally:
        set_language("en")
