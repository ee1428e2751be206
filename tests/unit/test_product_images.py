"""Product pictures (issue 17): from the products file (a path in column image, or a picture placed
in an XLSX row) into the database, small, for the pack bench; a file that is no picture refuses the
import with its line. On SQLite and on the real PostgreSQL server."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from station.catalog.images import SIDE
from station.catalog.models import Product, ProductImage
from station.db import open_database, unit_of_work
from station.fulfilment.packing import product_image
from station.imports.service import import_file

HEADER = "sku,name,barcodes,image"


def photo(path, size=(1600, 1200), colour=(200, 30, 30), kind="PNG") -> bytes:
    picture = Image.new("RGB", size, colour)
    out = io.BytesIO()
    picture.save(out, kind)
    path.write_bytes(out.getvalue())
    return out.getvalue()


@pytest.fixture
def sessions(any_url):
    engine, sessions = open_database(any_url)
    yield sessions
    engine.dispose()


def pictures(sessions) -> dict[str, tuple[int, int]]:
    with unit_of_work(sessions) as s:
        rows = s.execute(select(Product.sku, ProductImage.data).join(ProductImage)).all()
    return {sku: Image.open(io.BytesIO(data)).size for sku, data in rows}


def test_a_picture_named_in_the_image_column_is_stored_small(sessions, tmp_path):
    (tmp_path / "img").mkdir()
    photo(tmp_path / "img" / "red.png")
    photo(tmp_path / "blue.jpg", (300, 500), (20, 20, 200), "JPEG")
    products = tmp_path / "products.csv"
    products.write_text(f"{HEADER}\nTS01-RD-M,圆领T恤,6901234567892,img/red.png\n"
                        f"TS01-BL-M,圆领T恤,6901234567908,{tmp_path / 'blue.jpg'}\nNB-001,笔记本,6901234567915,\n",
                        encoding="utf-8")
    report = import_file(sessions, "products", products)
    assert report.ok and report.created == 3, report.as_dict()
    assert pictures(sessions) == {"TS01-RD-M": (SIDE, SIDE * 3 // 4), "TS01-BL-M": (288, SIDE)}
    with unit_of_work(sessions) as s:
        data = product_image(s, "TS01-RD-M")
        assert data[:3] == b"\xff\xd8\xff" and len(data) < 60_000  # a JPEG, small
        assert product_image(s, "NB-001") is None
    # the same file again without the column keeps the pictures
    products.write_text("sku,name,barcodes\nTS01-RD-M,圆领T恤,6901234567892\n", encoding="utf-8")
    assert import_file(sessions, "products", products).ok
    assert set(pictures(sessions)) == {"TS01-RD-M", "TS01-BL-M"}


def test_a_missing_or_broken_picture_refuses_the_whole_file_with_its_line(sessions, tmp_path):
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    products = tmp_path / "products.csv"
    products.write_text(f"{HEADER}\nA-1,甲,6901234567892,\nB-1,乙,6901234567908,broken.png\n"
                        f"C-1,丙,6901234567915,nowhere.jpg\n", encoding="utf-8")
    report = import_file(sessions, "products", products)
    assert not report.ok
    problems = {e.line: e.reason for e in report.rejected}
    assert set(problems) == {3, 4}
    assert "not a picture" in str(problems[3]) and "nowhere.jpg" in str(problems[4])
    with unit_of_work(sessions) as s:
        assert s.scalars(select(Product)).all() == []  # all or nothing


def test_a_picture_placed_in_an_xlsx_row_is_that_rows_product(sessions, tmp_path):
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage

    photo(tmp_path / "green.png", (800, 800), (20, 160, 20))
    book = Workbook()
    sheet = book.active
    sheet.append(["sku", "name", "barcodes"])
    sheet.append(["A-1", "甲", "6901234567892"])
    sheet.append(["B-1", "乙", "6901234567908"])
    sheet.add_image(SheetImage(str(tmp_path / "green.png")), "D3")  # beside B-1, on sheet row 3
    book.save(tmp_path / "products.xlsx")
    report = import_file(sessions, "products", tmp_path / "products.xlsx")
    assert report.ok, report.as_dict()
    assert pictures(sessions) == {"B-1": (SIDE, SIDE)}
    with unit_of_work(sessions) as s:
        assert s.scalar(select(ProductImage.source)) == "xlsx row 3"
