"""Lines, frames, tick boxes and white-on-black marks, in mm (as in `units`)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from station.printing.ink import Ink, draw_line
from station.printing.text import ascent_mm, descent_mm, fit_size, single_line
from station.printing.units import Box, mm


def rule(
    canvas: Canvas,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    *,
    width: float = 0.25,
    gray: float = 0.0,
    dash: tuple[float, float] | None = None,
) -> None:
    """A straight line from (x1, y1) to (x2, y2); `width` and `dash` (on, off) in mm."""
    canvas.saveState()
    canvas.setLineWidth(mm(width))
    canvas.setStrokeGray(gray)
    if dash:
        canvas.setDash(mm(dash[0]), mm(dash[1]))
    canvas.line(mm(x1), mm(y1), mm(x2), mm(y2))
    canvas.restoreState()


def frame(
    canvas: Canvas,
    box: Box,
    *,
    width: float = 0.25,
    fill_gray: float | None = None,
    stroke: bool = True,
    radius: float = 0.0,
) -> None:
    """Outline (and optionally fill) `box`; line `width` and corner `radius` in mm."""
    canvas.saveState()
    canvas.setLineWidth(mm(width))
    canvas.setStrokeGray(0)
    if fill_gray is not None:
        canvas.setFillGray(fill_gray)
    args = (mm(box.x), mm(box.y), mm(box.width), mm(box.height))
    fill = 1 if fill_gray is not None else 0
    if radius:
        canvas.roundRect(*args, mm(radius), stroke=1 if stroke else 0, fill=fill)
    else:
        canvas.rect(*args, stroke=1 if stroke else 0, fill=fill)
    canvas.restoreState()


def inverted_text(
    canvas: Canvas,
    text: str,
    box: Box,
    size: float,
    min_size: float,
    *,
    pad: float = 1.0,
    ink: Ink | None = None,
) -> float:
    """White bold text centred on a black `box` (marks that must catch the eye).

    With a TextWriter as `ink` the text is drawn when the writer is flushed, which
    must come after this box.
    """
    frame(canvas, box, fill_gray=0, stroke=False, radius=0.6)
    text = single_line(text)
    used = fit_size(text, box.width - 2 * pad, size, min_size)
    y = box.y + (box.height - ascent_mm(used) + descent_mm(used)) / 2
    draw_line(canvas if ink is None else ink, text, box.x + box.width / 2, y, used,
               align="center", bold=True, white=True)
    return used


def checkbox(canvas: Canvas, x: float, y: float, side: float = 3.5) -> None:
    """An empty square to tick by hand, bottom-left corner at (x, y)."""
    frame(canvas, Box(x, y, side, side), width=0.3)


