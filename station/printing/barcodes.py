"""Barcodes drawn as vectors onto a reportlab canvas, sized for thermal printers.

python-barcode computes the symbols: which modules of an EAN-13 are bars (guards
included) and its check digit, and the Code128 symbol characters of a value, code-set
switching and checksum included. Station draws those modules here, once for every
symbology, because where the bars fall matters more than python-barcode's writers know:

Positions and sizes are in mm. The module (narrowest bar) is a whole number of printer
dots: a 203 dpi thermal head prints 8 dots per mm, so a bar 0.2 mm wide comes out as
one or two dots depending on where it falls, and the code stops decoding. Bars are
therefore drawn with widths that are exact multiples of a dot, from a left edge on the
dot grid, a hair narrower than that (BAR_WIDTH_REDUCTION_DOTS, so rounding never adds a
dot), with 10-module quiet zones either side. Each bar is its own filled rectangle (what
reportlab's canvas.rect writes; renderers snap a lone rectangle to the pixel grid), written
as PDF operators directly: a batch of a thousand waybills draws two barcodes each, and
going through canvas.rect was half a waybill's drawing time. The human-readable line is
in our embedded font.
Checked by rendering at 200-600 dpi and decoding with zxing-cpp; at 150 dpi 0.25 mm
modules do not survive, as expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from barcode.charsets import code128 as code128_charset
from barcode.codex import Code128
from barcode.ean import EAN13
from reportlab.pdfgen.canvas import Canvas

from station.printing.ink import Ink, draw_text
from station.printing.text import descent_mm, line_height_mm
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

_DOTS = DOTS_PER_MM_203DPI
_BAR_INSET_MM = BAR_WIDTH_REDUCTION_DOTS / _DOTS / 2


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


class _Code128(Code128):
    """python-barcode's Code128 encoder with two of its choices corrected (0.16.1):

    - it folds "start C, switch to X" into "start X" by testing for any switch code, and
      a leading digit pair "99" has the number of "switch to C": "9912…" lost its "99"
      (python-barcode issue #251). Only a switch to A or B is folded here.
    - it enters code set C at the first of four or more digits, so an odd run ends with a
      switch back for its last digit ("SF123…" one symbol character longer than need
      be). Here an odd run keeps its first digit in A/B and enters C after it.
    """

    _SWITCHES_TO_A_OR_B = (code128_charset.C["TO_A"], code128_charset.C["TO_B"])

    def _maybe_switch_charset(self, pos: int) -> list[int]:
        if self._charset != "C" and _digit_run(self.code, pos) % 2:
            return []
        return super()._maybe_switch_charset(pos)

    def _try_to_optimize(self, encoded: list[int]) -> list[int]:
        if encoded[1] in self._SWITCHES_TO_A_OR_B:
            encoded[:2] = [code128_charset.TO[encoded[1]]]
        return encoded


def _digit_run(value: str, start: int) -> int:
    end = start
    while end < len(value) and value[end].isdigit():
        end += 1
    return end - start


@lru_cache(maxsize=256)  # a layout sizes a barcode before it draws it
def code128_runs(value: str) -> tuple[int, ...]:
    """Bar/space widths in modules, starting with a bar, for `value` (start to stop)."""
    _check_code128_value(value)
    modules = _Code128(value, writer=_NO_WRITER).build()[0]
    return tuple(len(list(run)) for _, run in groupby(modules))


_NO_WRITER = object()  # we draw the modules ourselves; python-barcode need not build its SVG writer


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
) -> BarcodeSize:
    """The size `draw_code128` will draw, without drawing it."""
    module = snap_module_mm(module_mm)
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
    ink: Ink | None = None,
) -> float:
    """Draw `value` as Code128 with its bottom-left corner (quiet zone, text line) at (x, y) mm.

    Returns the drawn width in mm, quiet zones included. Raises LayoutError if that
    is wider than `max_width_mm` (a cut-off barcode does not scan), and
    BarcodeValueError for values Code128 cannot carry (anything but printable ASCII).
    With a TextWriter as `ink`, the human-readable line goes with the page's other text.
    """
    size = code128_size(value, module_mm=module_mm, bar_height_mm=bar_height_mm,
                        human_readable=human_readable, text_size=text_size)
    _check_fits(f"Code128 {value!r}", size, max_width_mm, size.module)
    module_dots = round(size.module * _DOTS)
    start = round(x * _DOTS) + QUIET_ZONE_MODULES * module_dots  # on the dot grid
    band = _text_band_mm(text_size) if human_readable else 0.0
    bottom, height = f"{mm(y + band):.4f}", f"{mm(bar_height_mm):.4f}"
    bars, cursor = [], start
    for index, run in enumerate(code128_runs(value)):
        if index % 2 == 0:  # even runs are bars
            bars.append(f"{_bar_left(cursor)} {bottom} {_bar_width(run * module_dots)} {height} re")
        cursor += run * module_dots
    # One path, one fill: a rasteriser that resamples the page (a PDF rendered at the printer's
    # 600 dpi, read back at 203) keeps the bars' shared edges as one shape, as the bulk drawer did.
    # Marked as content of its own (PDF 1.3 marked content, BDC/EMC) with its value, place and
    # module: a thermal printer's own language redraws it as a native barcode (`printing.raw`).
    # Only when drawn upright in page space: a rotated or moved barcode stays in the bitmap.
    if getattr(canvas, "_currentMatrix", _IDENTITY) == _IDENTITY:
        mark = native_mark("code128", value, start / _DOTS, y + band, (cursor - start) / _DOTS,
                           bar_height_mm, module_dots)
        _fill(canvas, [mark, "n " + " ".join(bars) + " f", "EMC"])
    else:
        _fill(canvas, ["n " + " ".join(bars) + " f"])
    if human_readable:
        _draw_human_readable(canvas if ink is None else ink, value, start / _DOTS, y,
                             (cursor - start) / _DOTS, text_size)
    return size.width


# ---------------------------------------------------------------- EAN-13


def is_valid_gtin13(value: str) -> bool:
    """13 ASCII digits whose last digit is the GS1 check digit of the first 12."""
    return (len(value) == 13 and value.isascii() and value.isdigit()
            and EAN13(value, writer=_NO_WRITER).ean == value)


def _check_gtin13(value: str) -> None:
    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise BarcodeValueError(f"EAN-13 needs exactly 13 digits; got {value!r}")
    if not is_valid_gtin13(value):
        expected = EAN13(value, writer=_NO_WRITER).ean[-1]
        raise BarcodeValueError(
            f"{value} is not a valid GTIN-13: its check digit should be {expected}, "
            f"not {value[-1]} (a mistyped number would scan as a different product)"
        )


def ean13_modules(value: str) -> str:
    """The 95-module EAN-13 symbol as '1' (bar) / '0' (space), guards included."""
    return _ean13_pattern(value).replace("G", "1")


def _ean13_pattern(value: str) -> str:
    """ean13_modules with the guard bars marked 'G' (they reach down into the digits)."""
    _check_gtin13(value)
    return EAN13(value, writer=_NO_WRITER, guardbar=True).build()[0]


def ean13_size(
    value: str,
    *,
    module_mm: float = DEFAULT_MODULE_MM,
    bar_height_mm: float = 12.0,
    human_readable: bool = True,
    text_size: float = DEFAULT_TEXT_SIZE,
) -> BarcodeSize:
    """The size `draw_ean13` will draw, without drawing it."""
    _check_gtin13(value)
    module = snap_module_mm(module_mm)
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
) -> float:
    """Draw a GTIN-13 as EAN-13 with its bottom-left corner at (x, y) mm; returns the width in mm.

    The digits sit in the retail layout: the first digit in the left light margin, two
    groups of six under the bars, guard bars reaching down between them. 0.25 mm
    modules are 76% of GS1's nominal 0.33 mm — fine for warehouse scanners; pass
    0.375 (3 dots) where room allows. Raises BarcodeValueError for a wrong check digit
    and LayoutError if wider than `max_width_mm`.
    """
    size = ean13_size(value, module_mm=module_mm, bar_height_mm=bar_height_mm,
                      human_readable=human_readable, text_size=text_size)
    _check_fits(f"EAN-13 {value}", size, max_width_mm, size.module)
    module = size.module
    module_dots = round(module * _DOTS)
    left = round(x * _DOTS)  # on the dot grid
    start = left + _EAN_LEFT_QUIET * module_dots
    band = _text_band_mm(text_size) if human_readable else 0.0
    top = y + band + bar_height_mm
    # Guard bars run down into the text band; data bars stop above it.
    guard_bottom = y + band / 2 if human_readable else y + band
    bars, index = [], 0
    for kind, run in groupby(_ean13_pattern(value)):
        width = len(list(run))
        if kind != "0":
            bottom = guard_bottom if kind == "G" else y + band
            bars.append(f"n {_bar_left(start + index * module_dots)} {mm(bottom):.4f} "
                        f"{_bar_width(width * module_dots)} {mm(top - bottom):.4f} re f*")
        index += width
    _fill(canvas, bars)
    if human_readable:
        # The first digit in the left light margin; six digits centred under each half.
        x, bars_x = left / _DOTS, start / _DOTS
        _draw_human_readable(canvas, value[0], x, y, (_EAN_LEFT_QUIET - 1) * module, text_size)
        _draw_human_readable(canvas, value[1:7], bars_x + 3 * module, y, 42 * module, text_size)
        _draw_human_readable(canvas, value[7:], bars_x + 50 * module, y, 42 * module, text_size)
    return size.width


# ---------------------------------------------------------------- shared


NATIVE_TAG = "StationBarcode"
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def native_mark(kind: str, value: str, x: float, y: float, width: float, height: float,
                module_dots: int) -> str:
    """The BDC operator opening a barcode's marked content: what it is and where its bars are
    (x, y of the bars' bottom-left corner, width and height, all mm; value as hex)."""
    return (f"/{NATIVE_TAG} <</K /{kind} /V <{value.encode().hex()}> /X {x:.3f} /Y {y:.3f} "
            f"/W {width:.3f} /H {height:.3f} /M {module_dots}>> BDC")


def _fill(canvas: Canvas, bars: list[str]) -> None:
    """The bars (PDF operators filling one rectangle each) in black."""
    canvas.addLiteral("\n".join(["q 0 g", *bars, "Q"]))


@lru_cache(maxsize=4096)  # a page is at most a few thousand dots wide
def _bar_left(dot: int) -> str:
    """The left edge of a bar starting at printer dot `dot`, in points, as PDF text."""
    return f"{mm(dot / _DOTS + _BAR_INSET_MM):.4f}"


@lru_cache(maxsize=256)
def _bar_width(dots: int) -> str:
    """The width of a bar `dots` printer dots wide (less the reduction), as PDF text."""
    return f"{mm(dots / _DOTS - 2 * _BAR_INSET_MM):.4f}"


def _text_band_mm(text_size: float) -> float:
    return TEXT_GAP_MM + line_height_mm(text_size)


def _draw_human_readable(
    ink: Ink, text: str, x: float, y: float, width: float, text_size: float
) -> None:
    """Text centred over [x, x+width] with its descenders at y; shrinks, never runs past."""
    draw_text(ink, text, x + width / 2, y + descent_mm(text_size), width,
              text_size, min(MIN_TEXT_SIZE, text_size), align="center")


def _check_fits(what: str, size: BarcodeSize, max_width_mm: float | None, module: float) -> None:
    if max_width_mm is not None and size.width > max_width_mm + 1e-6:
        raise LayoutError(
            f"{what} needs {size.width:.1f} mm (with {QUIET_ZONE_MODULES}-module quiet zones "
            f"at {module:.3f} mm per module) but only {max_width_mm:.1f} mm is available"
        )
