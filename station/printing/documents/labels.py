"""Product labels (40x30, 50x30 mm) and location labels (100x50 mm, 4x6 in), one per page.

A product label carries the product's name (shrunk to two lines at most), colour and
size, SKU, and a barcode: EAN-13 when the code is a valid GTIN-13, Code128 for anything
else. Modules stay at 0.25 mm or more (2 dots at 203 dpi) with 10-module quiet zones,
so a Code128 value only fits a label so wide:

    40x30 mm: any value of at most 8 characters (all digits: up to 14), e.g. "NB-001"
    50x30 mm: any value of at most 12 characters (all digits: up to 22), e.g. "TS01-RD-M"

A longer value raises LayoutError naming it (print it on 50x30, or give the product a
GTIN). A location label is the bin's code in the biggest type that fits, its zone, and
a Code128 barcode as wide as the label allows.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from station.printing.barcodes import (
    code128_size,
    draw_code128,
    draw_ean13,
    ean13_size,
    is_valid_gtin13,
)
from station.printing.ink import draw_block, draw_text
from station.printing.pdf import new_canvas
from station.printing.shapes import rule
from station.printing.text import ascent_mm, descent_mm, fit_block, fit_size, single_line
from station.printing.units import (
    LABEL_4x6IN,
    LABEL_40x30,
    LABEL_50x30,
    Box,
    LayoutError,
    PageLayout,
    PageSize,
)

LABEL_100x50 = PageSize("label 100x50", 100, 50)

PRODUCT_SIZES = (LABEL_40x30, LABEL_50x30)
LOCATION_SIZES = (LABEL_100x50, LABEL_4x6IN)

# The widest Code128 value each product label takes (see the module docstring; a test
# keeps these true).
MAX_CODE128_CHARS = {LABEL_40x30.name: 8, LABEL_50x30.name: 12}


@dataclass(frozen=True)
class ProductLabel:
    """One product's label. `code` is what the barcode carries: the product's GTIN-13
    when it has one (printed as EAN-13), otherwise usually the SKU (Code128)."""

    sku: str
    name: str
    code: str
    colour: str = ""
    size: str = ""


@dataclass(frozen=True)
class LocationLabel:
    """A bin or shelf: its code (what the scanner reads) and where it is."""

    code: str
    zone: str = ""  # "A区 服装 Zone A · Apparel"
    note: str = ""  # "拣货位 Pick face", "退货暂存 Returns"


# ---------------------------------------------------------------- product labels

_SIDE = 1.0  # mm between the label edge and a barcode's quiet zone (printer registration)
_MARGIN = 1.5  # mm round the text
_PRODUCT_TEXT = 5.5  # pt, digits under the barcode
_NAME_SIZE, _NAME_MIN = 8.0, 5.0
_INFO_SIZE, _INFO_MIN = 7.0, 5.0


def render_product_label(label: ProductLabel, *, size: PageSize = LABEL_50x30) -> bytes:
    """One product label as a one-page PDF."""
    return render_product_labels([label], size=size)


def render_product_labels(
    labels: Sequence[ProductLabel], size: PageSize = LABEL_50x30
) -> bytes:
    """Many product labels, one per page (one label per page is how label rolls print).

    Raises LayoutError naming the code when a barcode does not fit the label, and for a
    size that is not a product label size.
    """
    if size.name not in MAX_CODE128_CHARS:
        raise LayoutError(
            f"no product-label layout for {size.name}; product labels print on "
            + ", ".join(s.name for s in PRODUCT_SIZES)
        )
    plans = [_plan_product(label, size) for label in labels]  # refuse before drawing
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"商品标签 Product labels ({len(labels)})")
    for plan in plans:
        plan.draw(canvas)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass(frozen=True)
class _ProductPlan:
    label: ProductLabel
    page: PageSize
    symbology: str
    module: float
    bar_h: float
    barcode_w: float

    def draw(self, canvas: Canvas) -> None:
        label, page = self.label, self.page
        body = PageLayout(page, _MARGIN).content
        top = body.top
        name = fit_block(label.name, body.width, 6.6, _NAME_SIZE, _NAME_MIN,
                         what=f"name of {label.sku}")
        top = draw_block(canvas, name, body.x, top, body.width, bold=True) - 0.5
        info = " ".join(part for part in (label.colour, label.size) if part)
        if info:
            draw_text(canvas, info, body.x, top - ascent_mm(_INFO_SIZE), body.width,
                      _INFO_SIZE, _INFO_MIN, bold=True)
            top -= _line(_INFO_SIZE)
        if label.sku != label.code:
            draw_text(canvas, f"SKU {label.sku}", body.x, top - ascent_mm(_INFO_SIZE),
                      body.width, _INFO_SIZE, _INFO_MIN)
        x = (page.width - self.barcode_w) / 2
        if self.symbology == "ean13":
            draw_ean13(canvas, label.code, x, _SIDE, module_mm=self.module,
                       bar_height_mm=self.bar_h, max_width_mm=page.width - 2 * _SIDE,
                       text_size=_PRODUCT_TEXT)
        else:
            draw_code128(canvas, label.code, x, _SIDE, module_mm=self.module,
                         bar_height_mm=self.bar_h, max_width_mm=page.width - 2 * _SIDE,
                         text_size=_PRODUCT_TEXT)


def _line(size: float) -> float:
    return ascent_mm(size) + descent_mm(size) + 0.3


def _plan_product(label: ProductLabel, page: PageSize) -> _ProductPlan:
    available = page.width - 2 * _SIDE
    info_lines = bool(label.colour or label.size) + (label.sku != label.code)
    text_h = 6.6 + 0.5 + info_lines * _line(_INFO_SIZE) + 0.6
    bar_h = page.height - _MARGIN - text_h - _SIDE - code128_size(
        "0", bar_height_mm=0, text_size=_PRODUCT_TEXT).height
    if is_valid_gtin13(label.code):
        symbology, measure = "ean13", ean13_size
    else:
        symbology, measure = "code128", code128_size
    for module in (0.375, 0.25):
        width = measure(label.code, module_mm=module, bar_height_mm=bar_h,
                        text_size=_PRODUCT_TEXT).width
        if width <= available:
            return _ProductPlan(label, page, symbology, module, bar_h, width)
    raise LayoutError(
        f"the barcode for {label.sku} ({label.code!r}) needs {width:.1f} mm at 0.25 mm "
        f"modules with quiet zones; a {page.name} label has {available:.1f} mm "
        f"(Code128 fits {MAX_CODE128_CHARS[page.name]} characters there)"
    )


# ---------------------------------------------------------------- location labels


@dataclass(frozen=True)
class _LocationSpec:
    margin: float
    zone_size: float
    code_size: float  # pt, the largest the code may be set
    code_h: float  # mm for the code's line
    bar_h: float
    gap: float  # mm between the code and its bars
    note_size: float


_LOCATION_SPECS = {
    LABEL_100x50.name: _LocationSpec(margin=3, zone_size=10, code_size=48, code_h=17,
                                     bar_h=17, gap=1.0, note_size=8),
    LABEL_4x6IN.name: _LocationSpec(margin=4, zone_size=16, code_size=80, code_h=30,
                                    bar_h=70, gap=6.0, note_size=14),
}


def render_location_label(label: LocationLabel, *, size: PageSize = LABEL_100x50) -> bytes:
    """One location label as a one-page PDF."""
    return render_location_labels([label], size=size)


def render_location_labels(
    labels: Sequence[LocationLabel], size: PageSize = LABEL_100x50
) -> bytes:
    """Location labels, one per page, 100x50 mm or 4x6 in.

    The code is set as big as the label's width allows (at least 18 pt) and its barcode
    with the widest module (0.5, 0.375 or 0.25 mm) that fits: bin labels are scanned
    from arm's length and read from across the aisle. Raises LayoutError naming the
    code when even 0.25 mm modules or 18 pt type do not fit.
    """
    try:
        spec = _LOCATION_SPECS[size.name]
    except KeyError:
        raise LayoutError(
            f"no location-label layout for {size.name}; location labels print on "
            + ", ".join(s.name for s in LOCATION_SIZES)
        ) from None
    layout = PageLayout(size, spec.margin)
    plans = [_plan_location(label, layout, spec) for label in labels]
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"库位标签 Location labels ({len(labels)})")
    for label, (code_size, module) in zip(labels, plans):
        _draw_location(canvas, label, layout, spec, code_size, module)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _plan_location(label: LocationLabel, layout: PageLayout, spec: _LocationSpec):
    body = layout.content
    height_cap = spec.code_size * spec.code_h / (ascent_mm(spec.code_size)
                                                  + descent_mm(spec.code_size))
    try:
        code_size = fit_size(single_line(label.code), body.width,
                             min(spec.code_size, height_cap), 18)
    except LayoutError as error:
        raise LayoutError(f"location {label.code!r}: {error}") from None
    for module in (0.5, 0.375, 0.25):
        width = code128_size(label.code, module_mm=module, bar_height_mm=spec.bar_h,
                             human_readable=False).width
        if width <= layout.page.width - 2 * _SIDE:
            return code_size, module
    raise LayoutError(
        f"the barcode for location {label.code!r} needs {width:.1f} mm at 0.25 mm modules; "
        f"a {layout.page.name} label has {layout.page.width - 2 * _SIDE:.1f} mm"
    )


def _draw_location(canvas: Canvas, label: LocationLabel, layout: PageLayout,
                   spec: _LocationSpec, code_size: float, module: float) -> None:
    body, page = layout.content, layout.page
    top = body.top
    if label.zone:
        draw_text(canvas, label.zone, body.x, top - ascent_mm(spec.zone_size), body.width,
                  spec.zone_size, 6, bold=True)
        top -= _line(spec.zone_size) + 0.5
        rule(canvas, body.x, top, body.right, top, width=0.4)
        top -= 0.8
    code_box = Box(body.x, top - spec.code_h, body.width, spec.code_h)
    baseline = code_box.y + (code_box.height - ascent_mm(code_size) + descent_mm(code_size)) / 2
    draw_text(canvas, label.code, body.x + body.width / 2, baseline, body.width, code_size,
              align="center", bold=True)
    size = code128_size(label.code, module_mm=module, bar_height_mm=spec.bar_h,
                        human_readable=False)
    bars_top = code_box.y - spec.gap
    room = bars_top - body.y - (_line(spec.note_size) + 2.0 if label.note else 0.0)
    bar_h = min(spec.bar_h, room)
    if bar_h < 8:
        raise LayoutError(f"location {label.code!r}: only {bar_h:.1f} mm left for the bars")
    draw_code128(canvas, label.code, (page.width - size.width) / 2, bars_top - bar_h,
                 module_mm=module, bar_height_mm=bar_h, max_width_mm=page.width - 2 * _SIDE,
                 human_readable=False)
    if label.note:
        baseline = bars_top - bar_h - 2.0 - ascent_mm(spec.note_size)
        draw_text(canvas, label.note, body.x + body.width / 2, baseline, body.width,
                  spec.note_size, 6, align="center")
