"""Text shrinks or wraps to fit its box, and never runs out of it unannounced."""
from __future__ import annotations

import io

import pytest
from reportlab.lib.styles import ParagraphStyle

from station.printing.ink import draw_text
from station.printing.pdf import new_canvas
from station.printing.text import (
    escape_markup,
    fit_block,
    fit_size,
    text_width,
    user_paragraph,
    wrap_lines,
)
from station.printing.units import LABEL_50x30, LayoutError
from tests.support.pdfcheck import pdf_text


def _label_canvas():
    out = io.BytesIO()
    return out, new_canvas(out, LABEL_50x30, title="test")


def test_fitted_text_that_fits_keeps_its_size():
    out, canvas = _label_canvas()
    assert draw_text(canvas, "A-01", 2, 10, 46, 12, 6) == 12


def test_fitted_text_too_long_for_the_label_shrinks_until_it_fits():
    name = "上海市浦东新区张江高科技园区 祖冲之路 88 号"
    out, canvas = _label_canvas()
    size = draw_text(canvas, name, 2, 10, 46, 12, 5)
    assert 5 <= size < 12
    assert text_width(name, size) <= 46
    canvas.showPage()
    canvas.save()
    assert name in pdf_text(out.getvalue())[0]


def test_text_that_will_not_fit_at_the_smallest_size_is_refused_not_cut_off():
    with pytest.raises(LayoutError, match="needs .* mm at 8 pt"):
        fit_size("收件人：欧阳娜娜 北京市朝阳区建国路 93 号万达广场", 20, 12, 8)


def test_chinese_wraps_between_characters_and_keeps_closing_punctuation_on_the_line():
    lines = wrap_lines("请在七天内退货，保持吊牌完整。谢谢！", 20, 10)
    assert len(lines) > 1
    assert "".join(lines) == "请在七天内退货，保持吊牌完整。谢谢！"
    assert all(text_width(line, 10) <= 20 for line in lines)
    assert not any(line.startswith(("，", "。", "！")) for line in lines)


def test_latin_wraps_at_spaces_and_breaks_only_a_word_longer_than_the_line():
    lines = wrap_lines("Ship to Flat 5 Supercalifragilisticexpialidocious Road", 25, 10)
    assert lines[0] == "Ship to Flat 5"
    assert all(text_width(line, 10) <= 25 for line in lines)
    assert "".join(lines).replace(" ", "") == "ShiptoFlat5SupercalifragilisticexpialidociousRoad"


def test_wrapped_text_too_long_for_its_box_is_refused():
    with pytest.raises(LayoutError, match="lines"):
        fit_block("退货原因：" + "尺码不合适" * 20, 46, 8, 10, 7)


def test_user_text_cannot_inject_paragraph_markup():
    assert escape_markup('<b>A&B</b>\n"x"') == '&lt;b&gt;A&amp;B&lt;/b&gt;<br/>"x"'
    paragraph = user_paragraph("Tom & Jerry <3 张伟", ParagraphStyle("note"))
    assert paragraph.getPlainText() == "Tom & Jerry <3 张伟"
