"""Millimetres in, points out, and no box allowed off the page."""
from __future__ import annotations

import pytest

from station.printing.units import (
    A4,
    LABEL_4x6IN,
    LABEL_40x30,
    PAGE_SIZES,
    WAYBILL_76x130,
    WAYBILL_100x180,
    Box,
    LayoutError,
    PageLayout,
    mm,
    to_mm,
)


def test_twenty_five_point_four_millimetres_make_an_inch_of_72_points():
    assert mm(25.4) == pytest.approx(72)
    assert to_mm(mm(37.5)) == pytest.approx(37.5)


@pytest.mark.parametrize(
    ("page", "width", "height"),
    [(A4, 210, 297), (WAYBILL_100x180, 100, 180), (WAYBILL_76x130, 76, 130),
     (LABEL_4x6IN, 101.6, 152.4), (LABEL_40x30, 40, 30)],
)
def test_named_page_sizes_are_what_the_roll_says(page, width, height):
    assert (page.width, page.height) == (width, height)
    assert page.points == pytest.approx((mm(width), mm(height)))


def test_every_size_the_design_names_is_listed():
    assert len(PAGE_SIZES) == 10  # with the 100x150 二联 and 100x210 三联 waybills (issue 16)


def test_a_box_inside_the_margins_is_accepted():
    layout = PageLayout(LABEL_40x30, margin=2)
    assert layout.box(2, 2, 36, 26) == Box(2, 2, 36, 26)


def test_a_box_running_past_the_right_margin_is_refused_with_its_size_and_the_room():
    layout = PageLayout(LABEL_40x30, margin=2)
    with pytest.raises(LayoutError, match=r"tracking barcode \(45\.0 x 10\.0 mm.*label 40x30"):
        layout.box(2, 5, 45, 10, what="tracking barcode")


def test_a_margin_wider_than_the_label_is_refused():
    with pytest.raises(LayoutError, match="no room on label 40x30"):
        PageLayout(LABEL_40x30, margin=16)


def test_columns_split_the_width_minus_the_gutters():
    columns = Box(0, 0, 186, 30).columns(3, gutter=6)
    assert [c.width for c in columns] == pytest.approx([58, 58, 58])
    assert columns[2].right == pytest.approx(186)
