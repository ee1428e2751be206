"""Barcodes drawn as vectors onto a reportlab canvas, sized for thermal printers.

Positions and sizes are in mm. The module (narrowest bar) is a whole number of printer
dots: a 203 dpi thermal head prints 8 dots per mm, so a bar 0.2 mm wide comes out as
one or two dots depending on where it falls, and the code stops decoding. Bars are
therefore drawn with widths that are exact multiples of a dot, from a left edge on the
dot grid, a hair narrower than that (BAR_WIDTH_REDUCTION_DOTS, so rounding never adds a
dot), with 10-module quiet zones either side. Checked by rendering at 200-600 dpi and
decoding with zxing-cpp; at 150 dpi 0.25 mm modules do not survive, as expected.

Code128 uses reportlab's encoder (it switches to code set C for digit runs) but draws
the bars here, with our embedded font for the human-readable line (reportlab's default
Courier/Helvetica are not embedded).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.pdfgen.canvas import Canvas

from station.printing.fonts import CJK_FONT
from station.printing.text import draw_fitted_text, font_descent_mm, font_line_height_mm
from station.printing.units import LayoutError, mm

DOTS_PER_MM_203DPI = 8  # 203 dpi thermal heads: 8 dots/mm, one dot = 0.125 mm
DEFAULT_MODULE_MM = 0.25  # 2 dots at 203 dpi
QUIET_ZONE_MODULES = 10
MIN_MODULE_DOTS = 2  # single-dot bars smear on thermal paper
# Each bar is drawn this many dots narrower, half off each edge. Rasterizers paint any
# dot a shape touches, so a bar edge lying exactly on a dot boundary (where we put them)
# spills into the next dot at the slightest rounding; thermal dots also bleed. Pulling
# the edges inside the dot keeps a 2-dot bar 2 dots wide (bar width reduction).
BAR_WIDTH_REDUCTION_DOTS = 0.3
TEXT_GAP_MM = 0.8  # between the bars and the human-readable line
DEFAULT_TEXT_SIZE = 8.0  # pt
MIN_TEXT_SIZE = 5.0  # pt

# EAN-13: standard light margins are 11 modules left, 7 right; we keep at least 10.
_EAN_LEFT_QUIET = 11
_EAN_RIGHT_QUIET = 10
_EAN_SYMBOL_MODULES = 95


class BarcodeValueError(ValueError):
    """The value cannot be carried by this symbology (the message says why)."""


@dataclass(frozen=True)
class BarcodeSize:
    """What a barcode will take up, in mm, quiet zones and human-readable line included."""

    width: float
    height: float
    module: float  # the module actually used, after snapping to whole dots


def snap_module_mm(module_mm: float, dots_per_mm: float = DOTS_PER_MM_203DPI) -> float:
    """The module width rounded to whole printer dots; refuses anything under 2 dots."""
    dots = round(module_mm * dots_per_mm)
    if dots < MIN_MODULE_DOTS:
        raise BarcodeValueError(
            f"a {module_mm} mm module is {dots} dot(s) on a {dots_per_mm * 25.4:.0f} dpi "
            f"printer; barcodes need at least {MIN_MODULE_DOTS} dots per module to scan"
        )
    return dots / dots_per_mm


# ---------------------------------------------------------------- Code128


def code128_runs(value: str) -> list[int]:
    """Bar/space widths in modules, starting with a bar, for `value` (start to stop)."""
    _check_code128_value(value)
    symbol = Code128(value, quiet=0)
    symbol.validate()
    symbol.encode()
    pattern = symbol.decompose()
    # reportlab writes bars as upper-case and spaces as lower-case letters: A/a = 1 module.
    return list(pattern.upper().encode("ascii").translate(_MODULES))


# "A" -> 1, "B" -> 2, ...: a pattern letter as its width in modules.
_MODULES = bytes((code - ord("A") + 1) % 256 for code in range(256))


def _check_code128_value(value: str) -> None:
    if not value:
        raise BarcodeValueError("a barcode needs a value; this one is empty")
    bad = sorted({ch for ch in value if not " " <= ch <= "~"})
    if bad:
        raise BarcodeValueError(
            f"Code128 carries printable ASCII only; {value!r} contains {''.join(bad)!r}"
        )


def code128_size(
    value: str,
    *,
    module_mm: float = DEFAULT_MODULE_MM,
    bar_height_mm: float = 12.0,
    human_readable: bool = True,
    text_size: float = DEFAULT_TEXT_SIZE,
    dots_per_mm: float = DOTS_PER_MM_203DPI,
) -> BarcodeSize:
    """The size `draw_code128` will draw, without drawing it."""
    module = snap_module_mm(module_mm, dots_per_mm)
    modules = sum(code128_runs(value)) + 2 * QUIET_ZONE_MODULES
    return BarcodeSize(
        width=modules * module,
        height=bar_height_mm + (_text_band_mm(text_size) if human_readable else 0.0),
        module=module,
    )


def draw_code128(
    canvas: Canvas,
    value: str,
    x: float,
    y: float,
    *,
    module_mm: float = DEFAULT_MODULE_MM,
    bar_height_mm: float = 12.0,
    max_width_mm: float | None = None,
    human_readable: bool = True,
    text_size: float = DEFAULT_TEXT_SIZE,
    dots_per_mm: float = DOTS_PER_MM_203DPI,
) -> float:
    """Draw `value` as Code128 with its bottom-left corner (quiet zone, text line) at (x, y) mm.

    Returns the drawn width in mm, quiet zones included. Raises LayoutError if that
    is wider than `max_width_mm` (a cut-off barcode does not scan), and
    BarcodeValueError for values Code128 cannot carry (anything but printable ASCII).
    """
    size = code128_size(
        value,
        module_mm=module_mm,
        bar_height_mm=bar_height_mm,
        human_readable=human_readable,
        text_size=text_size,
        dots_per_mm=dots_per_mm,
    )
    _check_fits(f"Code128 {value!r}", size, max_width_mm, size.module)
    x = _snap_to_dots(x, dots_per_mm)
    runs = code128_runs(value)
    bars_y = y + (_text_band_mm(text_size) if human_readable else 0.0)
    bars_x = x + QUIET_ZONE_MODULES * size.module
    cursor = bars_x
    canvas.saveState()
    canvas.setFillGray(0)
    for index, run in enumerate(runs):
        width = run * size.module
        if index % 2 == 0:  # even runs are bars
            _bar(canvas, cursor, bars_y, width, bar_height_mm, dots_per_mm)
        cursor += width
    if human_readable:
        _draw_human_readable(canvas, value, bars_x, y, cursor - bars_x, text_size)
    canvas.restoreState()
    return size.width


# ---------------------------------------------------------------- EAN-13


def is_valid_gtin13(value: str) -> bool:
    """13 ASCII digits whose last digit is the GS1 check digit of the first 12."""
    return (
        len(value) == 13
        and value.isascii()
        and value.isdigit()
        and value[-1] == Ean13BarcodeWidget._checkdigit(value[:12])
    )


def _check_gtin13(value: str) -> None:
    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise BarcodeValueError(f"EAN-13 needs exactly 13 digits; got {value!r}")
    if not is_valid_gtin13(value):
        expected = Ean13BarcodeWidget._checkdigit(value[:12])
        raise BarcodeValueError(
            f"{value} is not a valid GTIN-13: its check digit should be {expected}, "
            f"not {value[-1]} (a mistyped number would scan as a different product)"
        )


def ean13_modules(value: str) -> str:
    """The 95-module EAN-13 symbol as '1' (bar) / '0' (space), guards included."""
    _check_gtin13(value)
    table = Ean13BarcodeWidget
    parity = table._lhconvert[value[0]]
    left = "".join(table._left[parity[i]][int(d)] for i, d in enumerate(value[1:7]))
    right = "".join(table._right[int(d)] for d in value[7:])
    return table._tail + left + table._sep + right + table._tail


def ean13_size(
    value: str,
    *,
    module_mm: float = DEFAULT_MODULE_MM,
    bar_height_mm: float = 12.0,
    human_readable: bool = True,
    text_size: float = DEFAULT_TEXT_SIZE,
    dots_per_mm: float = DOTS_PER_MM_203DPI,
) -> BarcodeSize:
    """The size `draw_ean13` will draw, without drawing it."""
    _check_gtin13(value)
    module = snap_module_mm(module_mm, dots_per_mm)
    modules = _EAN_LEFT_QUIET + _EAN_SYMBOL_MODULES + _EAN_RIGHT_QUIET
    return BarcodeSize(
        width=modules * module,
        height=bar_height_mm + (_text_band_mm(text_size) if human_readable else 0.0),
        module=module,
    )


def draw_ean13(
    canvas: Canvas,
    value: str,
    x: float,
    y: float,
    *,
    module_mm: float = DEFAULT_MODULE_MM,
    bar_height_mm: float = 12.0,
    max_width_mm: float | None = None,
    human_readable: bool = True,
    text_size: float = DEFAULT_TEXT_SIZE,
    dots_per_mm: float = DOTS_PER_MM_203DPI,
) -> float:
    """Draw a GTIN-13 as EAN-13 with its bottom-left corner at (x, y) mm; returns the width in mm.

    The digits sit in the retail layout: the first digit in the left light margin, two
    groups of six under the bars, guard bars reaching down between them. 0.25 mm
    modules are 76% of GS1's nominal 0.33 mm — fine for warehouse scanners; pass
    0.375 (3 dots) where room allows. Raises BarcodeValueError for a wrong check digit
    and LayoutError if wider than `max_width_mm`.
    """
    size = ean13_size(
        value,
        module_mm=module_mm,
        bar_height_mm=bar_height_mm,
        human_readable=human_readable,
        text_size=text_size,
        dots_per_mm=dots_per_mm,
    )
    _check_fits(f"EAN-13 {value}", size, max_width_mm, size.module)
    x = _snap_to_dots(x, dots_per_mm)
    module = size.module
    band = _text_band_mm(text_size) if human_readable else 0.0
    bars_x = x + _EAN_LEFT_QUIET * module
    pattern = ean13_modules(value)
    guards = _ean13_guard_modules()
    canvas.saveState()
    canvas.setFillGray(0)
    start = None
    for index, bit in enumerate(pattern + "0"):
        if bit == "1" and start is None:
            start = index
        elif bit == "0" and start is not None:
            # Guard bars run down into the text band; data bars stop above it.
            bottom = y + band / 2 if human_readable and start in guards else y + band
            height = y + band + bar_height_mm - bottom
            left, width = bars_x + start * module, (index - start) * module
            _bar(canvas, left, bottom, width, height, dots_per_mm)
            start = None
    if human_readable:
        # The first digit in the left light margin; six digits centred under each half.
        _draw_human_readable(canvas, value[0], x, y, (_EAN_LEFT_QUIET - 1) * module, text_size)
        _draw_human_readable(canvas, value[1:7], bars_x + 3 * module, y, 42 * module, text_size)
        _draw_human_readable(canvas, value[7:], bars_x + 50 * module, y, 42 * module, text_size)
    canvas.restoreState()
    return size.width


def _ean13_guard_modules() -> set[int]:
    """Module indexes where guard bars start (start, centre, end guards)."""
    return {0, 2, 46, 48, 92, 94}


# ---------------------------------------------------------------- shared


def _bar(
    canvas: Canvas, x: float, y: float, width: float, height: float, dots_per_mm: float
) -> None:
    inset = BAR_WIDTH_REDUCTION_DOTS / dots_per_mm / 2
    canvas.rect(mm(x + inset), mm(y), mm(width - 2 * inset), mm(height), stroke=0, fill=1)


def _text_band_mm(text_size: float) -> float:
    return TEXT_GAP_MM + font_line_height_mm(text_size)


def _draw_human_readable(
    canvas: Canvas, text: str, x: float, y: float, width: float, text_size: float
) -> None:
    """Text centred over [x, x+width] with its descenders at y; shrinks, never runs past."""
    draw_fitted_text(
        canvas, text, x + width / 2, y + font_descent_mm(text_size), width,
        text_size, min(MIN_TEXT_SIZE, text_size), font_name=CJK_FONT, align="center",
    )


def _check_fits(what: str, size: BarcodeSize, max_width_mm: float | None, module: float) -> None:
    if max_width_mm is not None and size.width > max_width_mm + 1e-6:
        raise LayoutError(
            f"{what} needs {size.width:.1f} mm (with {QUIET_ZONE_MODULES}-module quiet zones "
            f"at {module:.3f} mm per module) but only {max_width_mm:.1f} mm is available"
        )


def _snap_to_dots(position_mm: float, dots_per_mm: float) -> float:
    # On a label the page origin is the first dot, so edges on the dot grid print true.
    return round(position_mm * dots_per_mm) / dots_per_mm
