"""Fields for codes take no input method, fields for names keep it (issue 13: a pinyin input method
read a scanner's keys: `YT7000000000098` arrived as `YT`, `CMD-CONFIRM` as `CMDCONFIRM`)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from station.ui.widgets.code_field import code_field

IME = Qt.WidgetAttribute.WA_InputMethodEnabled


def test_a_code_field_turns_the_input_method_off(qtbot):
    field = code_field()
    qtbot.addWidget(field)
    assert not field.testAttribute(IME)
    assert field.inputMethodQuery(Qt.InputMethodQuery.ImEnabled) is False  # what ibus asks before it takes a key
    assert field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly


def test_the_returns_bench_and_the_quality_check_read_codes_without_an_input_method(qtbot, make_window):
    window = make_window()
    window.switch_to("returns")
    returns = window.screen
    assert {name for name, edit in returns.fields.items()
            if not edit.inputMethodQuery(Qt.InputMethodQuery.ImEnabled)} == {"phone", "order_no"}
    assert returns.fields["name"].testAttribute(IME) and returns.fields["text"].testAttribute(IME)
    assert not returns.trail_key.testAttribute(IME) and not returns.exchange_sku.testAttribute(IME)
    window.switch_to("receive")
    assert not window.screen.qc_sku.testAttribute(IME) and window.screen.qc_reason.testAttribute(IME)
