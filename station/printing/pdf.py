"""Starting a PDF the same way for every document."""

from __future__ import annotations

from typing import BinaryIO

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from station.printing.fonts import CJK_FONT, register_fonts
from station.printing.units import PageSize


# reportlab wraps every compressed stream in ASCII85 by default (for 7-bit mail
# transports): a quarter more bytes, and encoding it was a tenth of a waybill batch's
# time. Printers, CUPS and every PDF reader take binary streams.
rl_config.useA85 = 0


class _Canvas(Canvas):
    """reportlab's canvas, writing one resource dictionary for all pages that use the
    same resources instead of a copy inside every page.

    A batch of a thousand waybills otherwise formats a thousand identical dictionaries
    (fonts, procedure sets, the template forms) when it saves. Pages refer to the shared
    one, as PDF allows (an indirect object); what each page uses is unchanged.
    """

    def save(self) -> None:
        doc = self._doc
        shared: dict[tuple, pdfdoc.PDFObjectReference] = {}
        for page in doc.Pages.pages:
            # No transition effect: no empty /Trans dictionary. Upright: no /Rotate 0.
            if isinstance(page.Trans, pdfdoc.PDFDictionary) and not page.Trans.dict:
                page.Trans = None
            if not page.Rotate:
                page.Rotate = None
            if page.Resources or getattr(page, "ExtGState", None):
                continue  # set up by hand, or graphics states: leave it to reportlab
            forms = tuple(sorted(page.XObjects.dict)) if page.XObjects else ()
            key = (forms, bool(page.hasImages), tuple(page._colorsUsed.items()),
                   tuple(getattr(page, "_shadingUsed", {}).items()))
            reference = shared.get(key)
            if reference is None:
                resources = pdfdoc.PDFResourceDictionary()
                resources.basicFonts()
                if page.hasImages:
                    resources.allProcs()
                if page.XObjects:
                    resources.XObject = page.XObjects
                resources.setShading(getattr(page, "_shadingUsed", {}))
                resources.setColorSpace(page._colorsUsed)
                reference = shared[key] = doc.Reference(resources)
            page.Resources = reference
        super().save()


def new_canvas(out: BinaryIO, page: PageSize, *, title: str) -> Canvas:
    """A canvas on `page` writing to `out`, in our embedded font from the first character.

    reportlab would otherwise start every page in Helvetica, a font it does not embed.
    Output is byte-for-byte reproducible (`invariant`): the same document, the same bytes.
    """
    register_fonts()
    canvas = _Canvas(
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
