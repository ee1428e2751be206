"""The outcome banner: the level's colour, a message readable from a metre away, the code in small."""
from __future__ import annotations

import pytest

from station.ui.widgets.banner import CODE_PT, COLOURS, MESSAGE_PT, OutcomeBanner
from station.workflows import Level, Outcome
from station.workflows.outcomes import OUTCOMES, OutcomeCode


@pytest.fixture
def banner(qtbot):
    banner = OutcomeBanner()
    qtbot.addWidget(banner)
    banner.resize(900, 300)
    banner.show()
    qtbot.waitExposed(banner)
    return banner


@pytest.mark.parametrize("level, background, text", [
    (Level.OK, "#1e7d32", "#ffffff"),
    (Level.WARN, "#ffb300", "#1b1b1b"),
    (Level.ERROR, "#c62828", "#ffffff"),
])
def test_the_banner_takes_the_colour_of_the_outcome_level(banner, level, background, text, monkeypatch):
    monkeypatch.setitem(OUTCOMES, "some_code", OutcomeCode("some_code", level, "a code at this level"))
    banner.show_outcome(Outcome(level, "some_code", "A message", ("a detail",)))
    assert banner.level == str(level)
    assert banner.background().name() == background
    assert banner.foreground().name() == text
    painted = banner.grab().toImage().pixelColor(3, 3)  # what is on screen, not only the palette
    assert painted.name() == background


def test_a_prompt_is_dark_so_it_never_looks_like_a_result(banner):
    banner.show_prompt("Scan your badge")
    assert banner.level == "prompt"
    assert banner.background().name() == COLOURS["prompt"][0]
    assert banner.code == ""


def test_the_message_is_big_and_bold_and_the_code_small(banner):
    banner.show_outcome(Outcome.error("wrong_item", "Wrong item: 纯棉圆领T恤 红色 M", "Expected 牛仔裤 蓝色 32"))
    assert MESSAGE_PT >= 28
    assert banner.message_label.font().pointSize() >= 28
    assert banner.message_label.font().bold()
    assert banner.details_label.font().pointSize() < banner.message_label.font().pointSize()
    assert banner.code_label.text() == "wrong_item"
    assert banner.code_label.font().pointSize() == CODE_PT
    assert banner.details == ("Expected 牛仔裤 蓝色 32",)


def test_a_long_list_of_details_is_cut_short(banner):
    banner.show_outcome(Outcome.ok("location_found", "Location A-01", *[f"SKU-{i} ×1" for i in range(30)]))
    assert len(banner.details) == 14
    assert banner.details[-1] == "…"


def test_product_names_are_shown_as_text_never_as_markup(banner):
    banner.show_outcome(Outcome.ok("product_found", "<b>bold</b> socks"))
    assert banner.message == "<b>bold</b> socks"
    assert banner.message_label.textFormat().name == "PlainText"
