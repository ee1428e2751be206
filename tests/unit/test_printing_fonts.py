"""One embedded CJK font, registered on first use and never at import."""
from __future__ import annotations

import subprocess
import sys

from reportlab.pdfbase import pdfmetrics

from station.printing import fonts


def test_the_bundled_font_and_its_licence_ship_with_station():
    assert fonts.CJK_FONT_FILE.is_file()
    assert (fonts.FONTS_DIR / "LICENSE-wqy-microhei.txt").is_file()


def test_registering_twice_registers_once():
    fonts.register_fonts()
    fonts.register_fonts()
    assert pdfmetrics.getRegisteredFontNames().count(fonts.CJK_FONT) == 1


def test_chinese_names_and_latin_text_have_glyphs():
    assert fonts.missing_glyphs("张伟 (打包员) 完成 DONE 入库单 报损单 ¥12.50 №") == set()


def test_a_character_outside_the_font_is_reported_not_printed_as_a_box():
    assert fonts.missing_glyphs("𠀀") == {"𠀀"}


def test_importing_the_printing_layer_registers_no_font_and_loads_no_qt_or_database():
    code = (
        "import sys\n"
        "import station.printing.units, station.printing.fonts, station.printing.text\n"
        "import station.printing.barcodes, station.printing.documents.scanner_sheet\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "assert 'StationCJK' not in pdfmetrics.getRegisteredFontNames()\n"
        "loaded = [m for m in ('PySide6', 'sqlalchemy', 'station.db') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
