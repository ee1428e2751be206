"""Every character prints: CJK Extension B names and emoji in the fallback fonts, read back out."""
from __future__ import annotations

from dataclasses import replace

from station.printing import fonts
from station.printing.documents.waybill import render_waybill
from station.printing.text import escape_markup, text_width
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, pdf_text
from tests.support.render_docs import sample_waybill

EXT_B_NAME = "王𠈌"  # U+2020C: not in Micro Hei
NO_FONT = "\U000F0001"  # supplementary private use: in no shipped font


def test_a_name_in_cjk_extension_b_prints_and_extracts_back_from_the_pdf():
    waybill = sample_waybill()
    waybill = replace(waybill, recipient=replace(waybill.recipient, name=EXT_B_NAME),
                      item_summary="T恤 😀👍 ×2")
    pdf = render_waybill(waybill)
    (text,) = pdf_text(pdf)
    assert EXT_B_NAME in text  # not "王\x00" nor "王†" (reportlab's 4-digit ToUnicode)
    assert "😀👍" in text
    embedded = fonts_embedded(pdf)
    assert all(embedded.values())
    assert any("HanaMinB" in name for name in embedded)
    assert any("Symbola" in name for name in embedded)
    assert decode_barcodes(pdf) == [[waybill.tracking_no, waybill.tracking_no]]


def test_runs_put_each_character_in_the_first_font_that_has_it():
    assert fonts.runs("张伟 Tom") == ((fonts.CJK_FONT, "张伟 Tom"),)
    assert fonts.runs("王𠈌😀") == ((fonts.CJK_FONT, "王"), (fonts.EXT_B_FONT, "𠈌"),
                                   (fonts.SYMBOL_FONT, "😀"))
    # A character no font has is drawn as a visible mark, never a blank.
    assert fonts.runs("a" + NO_FONT) == ((fonts.CJK_FONT, "a" + fonts.MISSING_MARK),)
    # The 𠈌 has a width: wrapping measures it in its own font.
    assert text_width("𠈌", 10) > 2.5


def test_unprintable_names_the_characters_no_shipped_font_has():
    assert fonts.unprintable("欧阳𠈌 😀 👍🏽 ❤️") == []  # selectors and modifiers included
    assert fonts.unprintable(f"张{NO_FONT}三{NO_FONT}") == [NO_FONT]


def test_paragraph_text_puts_the_fallback_font_around_what_micro_hei_lacks():
    assert escape_markup("A&𠈌") == f'A&amp;<font name="{fonts.EXT_B_FONT}">𠈌</font>'


def test_the_packing_slip_prints_the_name_and_the_buyers_emoji_too():
    from station.printing.documents.packing_slip import render_packing_slip
    from tests.support.render_docs import sample_packing_slip

    slip = sample_packing_slip()
    slip = replace(slip, recipient=replace(slip.recipient, name=EXT_B_NAME), buyer_message="快点发货😀👍谢谢")
    text = "".join(pdf_text(render_packing_slip(slip)))
    assert EXT_B_NAME in text and "快点发货😀👍谢谢" in text
