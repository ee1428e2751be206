"""Many packing slips in one PDF (a batch), each slip starting on its own page."""
from __future__ import annotations

import io
from typing import Sequence

from station.printing.documents.packing_slip import _SPECS, SIZES, PackingSlip, _Slip
from station.printing.pages import draw_pages
from station.printing.pdf import new_canvas
from station.printing.units import A4, LayoutError, PageLayout, PageSize


def render_packing_slips(slips: Sequence[PackingSlip], *, size: PageSize = A4) -> bytes:
    """Like ``render_packing_slip`` for each slip, on one canvas (one file to print per batch)."""
    try:
        spec = _SPECS[size.name]
    except KeyError:
        raise LayoutError(f"no packing-slip layout for {size.name}; it prints on "
                          + ", ".join(s.name for s in SIZES)) from None
    layout = PageLayout(size, spec.margin)
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"发货单 Packing slips ×{len(slips)}")
    for data in slips:
        drawing = _Slip(data, spec, layout)
        draw_pages(canvas, drawing.plan(), drawing.page_header)
    canvas.save()
    return out.getvalue()
