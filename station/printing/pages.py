"""Pages: a flow that plans every page before one is drawn, the one loop that draws
the planned pages, and what office documents put on every page (a header with a
barcode and "page n of N") and on their last (signature lines).

Sizes of type in points, everything else in mm, positions from the bottom-left corner
(as in `units`). Nothing is cut off: a piece taller than a page raises LayoutError.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas

from station.printing import barcodes
from station.printing.ink import draw_text
from station.printing.shapes import frame, rule
from station.printing.text import ascent_mm, descent_mm, line_pitch_mm, text_width
from station.printing.units import Box, LayoutError


# ---------------------------------------------------------------- page flow


@dataclass(frozen=True, eq=False)
class Piece:
    """Something to place on a page: its height in mm and how to draw it at (x, top).

    A table row names its table `header`: the header is drawn above the row whenever
    the row opens a page or follows something else. `keep_with_next` keeps a heading
    on the page of what follows it; `at_bottom` pins a piece to the foot of its page
    (a tear-off slip, signature lines) instead of right under the piece before it.
    """

    height: float
    draw: Callable[[Canvas, float], None]  # (canvas, top)
    header: Piece | None = None
    keep_with_next: bool = False
    at_bottom: bool = False
    what: str = "content"


@dataclass
class FlowPage:
    placed: list[tuple[Piece, float]] = field(default_factory=list)  # (piece, top)


def flow(pieces: Sequence[Piece], first_top: float, top: float, bottom: float) -> list[FlowPage]:
    """Place `pieces` top-down on as many pages as it takes; nothing is drawn yet.

    The first page's body starts at `first_top`, later pages' at `top`; every body ends
    at `bottom` (y in mm). Raises LayoutError for a piece taller than a whole page.
    """
    pages = [FlowPage()]
    cursor = first_top
    page_top = first_top
    last_header: Piece | None = None

    def needs_header(piece: Piece) -> float:
        if piece.header is None or piece.header is last_header:
            return 0.0
        return piece.header.height

    index = 0
    while index < len(pieces):
        piece = pieces[index]
        need = needs_header(piece) + piece.height
        if piece.keep_with_next and index + 1 < len(pieces):
            following = pieces[index + 1]
            extra = following.header.height if following.header is not None else 0.0
            need += extra + following.height
        if cursor - need < bottom - 1e-6:
            if not pages[-1].placed:
                available = page_top - bottom
                raise LayoutError(
                    f"{piece.what} needs {need:.1f} mm but a page has only {available:.1f} mm"
                )
            pages.append(FlowPage())
            cursor = page_top = top
            last_header = None
            continue
        if needs_header(piece):
            pages[-1].placed.append((piece.header, cursor))
            cursor -= piece.header.height
            last_header = piece.header
        elif piece.header is None:
            last_header = None
        if piece.at_bottom:
            pages[-1].placed.append((piece, bottom + piece.height))
        else:
            pages[-1].placed.append((piece, cursor))
        cursor -= piece.height
        index += 1
    return pages


# ---------------------------------------------------------------- office page headers


@dataclass(frozen=True)
class PageHeader:
    """The top of an office document's every page: a title, lines of facts, a barcode.

    Planned once (`plan_page_header`) so the flow knows its height before any page is
    drawn; `draw` adds the page number, which only the flow knows.
    """

    title: str
    lines: tuple[str, ...]
    barcode: str
    module: float
    bar_h: float
    barcode_width: float
    barcode_height: float
    height: float
    title_size: float
    size: float


def plan_page_header(
    body: Box,
    title: str,
    lines: Sequence[str],
    barcode: str,
    *,
    title_size: float = 18.0,
    size: float = 9.5,
    bar_h: float = 13.0,
    modules: Sequence[float] = (0.375, 0.25),
    barcode_share: float = 0.45,
) -> PageHeader:
    """Choose the widest module (from `modules`) whose barcode takes at most
    `barcode_share` of the width; raises LayoutError naming the value if none does."""
    for module in modules:
        measured = barcodes.code128_size(barcode, module_mm=module, bar_height_mm=bar_h)
        if measured.width <= body.width * barcode_share:
            break
    else:
        raise LayoutError(
            f"the barcode {barcode!r} needs {measured.width:.1f} mm; the page header has "
            f"{body.width * barcode_share:.1f} mm for it"
        )
    text_h = (ascent_mm(title_size) + descent_mm(title_size) + 1.0
              + (len(lines) + 1) * line_pitch_mm(size, 1.25))
    height = max(measured.height, text_h) + 3.0
    return PageHeader(title, tuple(lines), barcode, module, bar_h, measured.width,
                      measured.height, height, title_size, size)


def draw_page_header(canvas: Canvas, header: PageHeader, body: Box, number: int,
                     count: int) -> None:
    """The header at the top of `body`, with "第 n/N 页 · Page n of N" as its last line."""
    y = draw_page_top(canvas, header, body)
    draw_text(canvas, page_line(number, count), body.x, y, page_line_width(header, body),
              header.size, 5.5)


def draw_page_top(canvas: Canvas, header: PageHeader, body: Box) -> float:
    """The header without its page line (what a long report draws once, as a form);
    returns the baseline of the page line."""
    left = body.right - header.barcode_width
    barcodes.draw_code128(canvas, header.barcode, left, body.top - header.barcode_height,
                          module_mm=header.module, bar_height_mm=header.bar_h,
                          max_width_mm=header.barcode_width + 1e-6)
    width = page_line_width(header, body)
    y = body.top - ascent_mm(header.title_size)
    draw_text(canvas, header.title, body.x, y, width, header.title_size, 8, bold=True)
    y -= descent_mm(header.title_size) + 1.0 + ascent_mm(header.size)
    pitch = line_pitch_mm(header.size, 1.25)
    for line in header.lines:
        if line:
            draw_text(canvas, line, body.x, y, width, header.size, 5.5)
        y -= pitch
    bottom = body.top - header.height + 1.0
    rule(canvas, body.x, bottom, body.right, bottom, width=0.5)
    return y


def page_line(number: int, count: int) -> str:
    return f"第 {number}/{count} 页 · Page {number} of {count}"


def page_line_width(header: PageHeader, body: Box) -> float:
    """How wide the header's lines of text may run: up to the barcode, less a gap."""
    return body.right - header.barcode_width - body.x - 3.0


def draw_signature_line(canvas: Canvas, label: str, x: float, y: float, width: float,
                        size: float = 9.5) -> None:
    """A label and a line to sign or write on, the baseline at y."""
    draw_text(canvas, label, x, y, width * 0.7, size, 6)
    start = x + min(width * 0.7, text_width(label, size)) + 1.5
    rule(canvas, start, y - 0.8, x + width, y - 0.8, width=0.25)


def signature_box(body: Box, summary: str, rows: Sequence[tuple[str, str]], size: float = 10.0) -> "Piece":
    """The framed box at the foot of a document's last page: a bold summary line, then per row
    a line to sign on the left and a shorter one (date, exceptions) on the right."""
    pitch = line_pitch_mm(size) + 7.0
    height = 6.0 + (len(rows) + 1) * pitch + 3.0

    def draw(canvas: Canvas, top: float) -> None:
        box = Box(body.x, top - height + 1.0, body.width, height - 3.0)
        frame(canvas, box, width=0.4)
        x, y = box.x + 3.0, box.top - 6.0
        if summary:
            draw_text(canvas, summary, x, y, box.width - 6.0, size, 7, bold=True)
        half = (box.width - 9.0) / 2
        for left, right in rows:
            y -= pitch
            draw_signature_line(canvas, left, x, y, half + 25, size)
            if right:
                draw_signature_line(canvas, right, x + half + 31, y, half - 28, size)

    return Piece(height, draw, at_bottom=True, what="signatures")


def draw_pages(
    canvas: Canvas, pages: Sequence[FlowPage], page_top: Callable[[Canvas, int, int], None]
) -> None:
    """Draw planned pages, a sheet each: first `page_top(canvas, number, count)` (what
    every page repeats, with "page n of N"), then each piece where the flow put it."""
    for number, page in enumerate(pages, start=1):
        page_top(canvas, number, len(pages))
        for piece, top in page.placed:
            piece.draw(canvas, top)
        canvas.showPage()


def draw_office_pages(
    canvas: Canvas, header: PageHeader, body: Box, pieces: Sequence[Piece]
) -> None:
    """`pieces` flowed under `header` inside `body`, as many pages as they take; each page
    opens with the header. Raises LayoutError for a piece taller than a page."""
    top = body.top - header.height
    pages = flow(pieces, top, top, body.y)
    draw_pages(canvas, pages,
               lambda canvas, number, count: draw_page_header(canvas, header, body, number, count))

