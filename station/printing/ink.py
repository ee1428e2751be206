"""Text onto the page: lines and planned blocks written into a few PDF text objects.

`text` decides sizes and line breaks; this module writes the result. reportlab's
drawString opens a text object and saves and restores the graphics state for every
line; a waybill has about fifty lines and a batch a thousand waybills, so lines are
gathered per page (`TextWriter`) and written together. Positions in mm, sizes in pt.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from station.printing.fonts import CJK_FONT, runs
from station.printing.text import (
    TextBlock,
    width_units,
    ascent_mm,
    fit_size,
    line_pitch_mm,
    single_line,
)
from station.printing.units import mm

# Micro Hei has no bold face; bold is drawn as fill + a thin outline (PDF text render
# mode 2), this fraction of the type size wide.
_BOLD_STROKE = 0.035
_TEXT_FILL_STROKE = 2


def _show(obj, code: list, text: str) -> None:
    """The PDF operators that show `text` at the text object's origin: what reportlab's
    textOut writes for a TrueType font, without measuring the advance (every line here
    sets its own origin) and with each text's subset bytes remembered per document.

    reportlab assigns a character its code in a font subset the first time a document
    shows it, and never changes it after: the bytes of a text stay valid for the whole
    document, so a batch encodes the shop's address and the form's labels once.
    """
    doc = obj._canvas._doc
    shown = getattr(doc, "_station_shown", None)
    if shown is None:
        shown = doc._station_shown = {}
    parts = shown.get(text)
    if parts is None:
        escape = obj._canvas._escape
        # A piece our font lacks (𠈌, an emoji) is shown in the fallback font that has it.
        parts = shown[text] = tuple(
            ((name, subset), f"({escape(chunk)}) Tj")
            for name, piece in runs(text)
            for subset, chunk in pdfmetrics.getFont(name).splitString(piece, doc))
    for subset, op in parts:
        # `_curSubset` holds (font, subset) here; setFont resets it to -1 as reportlab does.
        if subset != obj._curSubset:
            key = (subset, obj._fontsize, obj._leading)
            select = shown.get(key)
            if select is None:
                name = pdfmetrics.getFont(subset[0]).getSubsetInternalName(subset[1], doc)
                select = shown[key] = f"{name} {fp_str(obj._fontsize)} Tf {fp_str(obj._leading)} TL"
            code.append(select)
            obj._curSubset = subset
        code.append(op)


class TextWriter:
    """A page's text gathered into a few PDF text objects, drawn together by `flush()`.

    reportlab's drawString opens a text object and saves and restores the graphics
    state for every line; a waybill has about fifty lines and a batch a thousand
    waybills. Everything written here lands on top of whatever the canvas drew before
    `flush()` (white marks on black boxes included), so flush once, last.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        # One text object per outline width: 0 for regular text, else bold text.
        self._objects: dict[float, list] = {}

    def line(
        self, text: str, x: float, y: float, size: float, *,
        align: str = "left", bold: bool = False, white: bool = False,
    ) -> None:
        stroke = round(size * _BOLD_STROKE, 2) if bold else 0.0
        entry = self._objects.get(stroke)
        if entry is None:
            obj = self.canvas.beginText()
            if bold:
                obj.setTextRenderMode(_TEXT_FILL_STROKE)
            entry = self._objects[stroke] = [obj, None, None]  # object, size, gray
        obj, current_size, current_gray = entry
        if size != current_size:
            obj.setFont(CJK_FONT, size)
            entry[1] = size
        gray = 1 if white else 0
        if gray != current_gray:
            obj.setFillGray(gray)
            if bold:
                obj.setStrokeGray(gray)
            entry[2] = gray
        if align == "left":
            left = mm(x)
        elif align in ("center", "right"):
            width = width_units(text) * size / 1000
            left = mm(x) - (width / 2 if align == "center" else width)
        else:
            raise ValueError(f"align must be 'left', 'center' or 'right', not {align!r}")
        code = obj._code
        # Three decimals of a point (0.35 µm) is far finer than any printer's dot, and
        # formats several times faster than fp_str's significant digits.
        code.append(f"1 0 0 1 {left:.3f} {mm(y):.3f} Tm")
        _show(obj, code, text)

    def flush(self) -> None:
        code = self.canvas._code
        for stroke, (obj, _, _) in self._objects.items():
            # Colours and the outline width set here outlive the text object in PDF:
            # keep them inside q/Q. Written as operators, not saveState/setLineWidth:
            # the canvas's own state does not change, so it has nothing to restore.
            code.append(f"q {stroke:.3f} w {obj.getCode()} Q" if stroke
                        else f"q {obj.getCode()} Q")
        self._objects.clear()


Ink = Canvas | TextWriter  # where text goes: straight onto the canvas, or gathered first


def draw_text(
    ink: Ink,
    text: str,
    x: float,
    y: float,
    max_width: float,
    size: float,
    min_size: float | None = None,
    *,
    align: str = "left",
    bold: bool = False,
    white: bool = False,
) -> float:
    """One line with its baseline at y mm, shrunk from `size` towards `min_size` to fit.

    `align` says what x is: the left edge, the "center" or the "right" edge. Returns
    the size used; raises LayoutError if the text does not fit even at `min_size`.
    """
    text = single_line(text)
    used = fit_size(text, max_width, size, size if min_size is None else min_size)
    draw_line(ink, text, x, y, used, align=align, bold=bold, white=white)
    return used


def draw_line(
    ink: Ink,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    align: str = "left",
    bold: bool = False,
    white: bool = False,
) -> None:
    """One line at exactly `size` pt (already fitted), its baseline at y mm."""
    if isinstance(ink, TextWriter):
        ink.line(text, x, y, size, align=align, bold=bold, white=white)
        return
    writer = TextWriter(ink)
    writer.line(text, x, y, size, align=align, bold=bold, white=white)
    writer.flush()



def draw_block(
    ink: Ink,
    block: TextBlock,
    x: float,
    top: float,
    width: float,
    *,
    align: str = "left",
    bold: bool = False,
    white: bool = False,
) -> float:
    """Draw a planned block with its first ascender at `top`; returns the y of its bottom."""
    anchor = {"left": x, "center": x + width / 2, "right": x + width}[align]
    baseline = top - ascent_mm(block.size)
    pitch = line_pitch_mm(block.size, block.leading)
    writer = ink if isinstance(ink, TextWriter) else TextWriter(ink)
    for line in block.lines:
        writer.line(line, anchor, baseline, block.size, align=align, bold=bold, white=white)
        baseline -= pitch
    if writer is not ink:
        writer.flush()
    return top - block.height
