"""Starting a PDF the same way for every document."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from station.printing.fonts import CJK_FONT, register_fonts
from station.printing.units import PageSize


def new_canvas(out: BinaryIO, page: PageSize, *, title: str) -> Canvas:
    """A canvas on `page` writing to `out`, in our embedded font from the first character.

    reportlab would otherwise start every page in Helvetica, a font it does not embed.
    Output is byte-for-byte reproducible (`invariant`): the same document, the same bytes.
    """
    register_fonts()
    canvas = Canvas(
        out,
        pagesize=page.points,
        invariant=1,
        pageCompression=1,
        initialFontName=CJK_FONT,
        initialFontSize=10,
    )
    canvas.setTitle(title)
    canvas.setAuthor("Station")
    canvas.setCreator("Station")
    return canvas
