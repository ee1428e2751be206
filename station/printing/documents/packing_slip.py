"""The packing slip (发货单) that goes into the parcel, with a tear-off return slip.

On every page: the shop, the order number and its barcode (`PS:` + order number, what
the packing bench scans), paid time and page count. On the first page the recipient
(phone masked), then the order lines (gifts marked 赠品 GIFT and shaded), the total
quantity, and the buyer's message and seller's memo in a highlighted box. At the foot
of the last page a return slip to cut off and put in a returned parcel: its barcode
(`RS:` + order number) names the order, and the shop's return instructions say what
else to enclose. A long order flows over as many pages as it takes, the table heading
repeated on each. A4, A5 and 100x180 mm (thermal).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfgen.canvas import Canvas

from station.printing.barcodes import code128_size, draw_code128
from station.printing.documents.waybill import Contact, mask_phone
from station.printing.ink import draw_block, draw_text
from station.printing.pages import Piece, draw_pages, flow
from station.printing.pdf import new_canvas
from station.printing.shapes import frame, rule
from station.printing.tables import (
    Column,
    TableStyle,
    draw_header,
    draw_row,
    header_height,
    plan_row,
)
from station.printing.text import TextBlock, ascent_mm, descent_mm, text_width, wrap_block
from station.printing.units import (
    A4,
    A5,
    WAYBILL_100x180,
    Box,
    LayoutError,
    PageLayout,
    PageSize,
)

__all__ = [
    "Contact",
    "PackingSlip",
    "RETURN_INSTRUCTIONS",
    "SIZES",
    "SlipLine",
    "render_packing_slip",
]

RETURN_INSTRUCTIONS = (
    "请在包裹内附纸条，写明您的账号(旺旺号)、姓名、电话和退货原因 / "
    "Put a note in the parcel with your account ID, name, phone and reason",
    "到付件拒收 / Freight-collect parcels are refused",
)


@dataclass(frozen=True)
class SlipLine:
    """One order line as packed: what the packer picks and the buyer checks."""

    sku: str
    name: str
    colour: str = ""
    size: str = ""
    qty: int = 1
    gift: bool = False  # a free gift (赠品): marked, and shaded


@dataclass(frozen=True)
class PackingSlip:
    """Everything the slip prints, decided and totalled before printing.

    `total_qty` is the caller's sum of the lines. Times are shown as given (pass local
    time). The recipient's phone is masked by the layout.
    """

    shop_name: str
    order_no: str
    recipient: Contact
    lines: tuple[SlipLine, ...]
    total_qty: int
    paid_at: datetime | None = None
    buyer_message: str = ""
    seller_memo: str = ""
    return_address: str = ""  # where returns go; printed on the return slip when given
    return_instructions: tuple[str, ...] = RETURN_INSTRUCTIONS


@dataclass(frozen=True)
class _Spec:
    margin: float
    shop_size: float
    info_size: float
    module: float  # preferred barcode module; 0.25 mm when that does not fit
    bar_h: float
    barcode_share: float  # at most this part of the width goes to the header barcode
    recipient_size: float
    table: TableStyle
    columns: tuple[tuple[str, float, str, bool], ...]  # title, width (0 = the rest), align, wrap
    message_size: float
    slip_title: float
    slip_size: float
    slip_bar_h: float
    fill_in: bool  # room for lines to write account, name, phone and reason on


_SPECS = {
    A4.name: _Spec(
        margin=12, shop_size=18, info_size=9.5, module=0.375, bar_h=13, barcode_share=0.45,
        recipient_size=11, table=TableStyle(size=10, header_size=9, min_size=7),
        columns=(("SKU 货号", 44, "left", True), ("品名 Name", 0, "left", True),
                 ("颜色 Colour", 28, "left", True), ("尺码 Size", 20, "left", True),
                 ("数量 Qty", 16, "right", False)),
        message_size=10, slip_title=14, slip_size=9, slip_bar_h=12, fill_in=True,
    ),
    A5.name: _Spec(
        margin=8, shop_size=14, info_size=8.5, module=0.25, bar_h=11, barcode_share=0.45,
        recipient_size=10, table=TableStyle(size=9, header_size=8, min_size=6.5),
        columns=(("SKU 货号", 32, "left", True), ("品名 Name", 0, "left", True),
                 ("颜色 Colour", 20, "left", True), ("尺码 Size", 14, "left", True),
                 ("数量 Qty", 13, "right", False)),
        message_size=9, slip_title=12, slip_size=8, slip_bar_h=10, fill_in=True,
    ),
    WAYBILL_100x180.name: _Spec(
        margin=3, shop_size=11, info_size=7, module=0.25, bar_h=9, barcode_share=0.58,
        recipient_size=8.5,
        table=TableStyle(size=7.5, header_size=6.5, min_size=5.5, pad_x=0.8, pad_y=0.8,
                         note_size=6.5),
        columns=(("SKU 货号", 23, "left", True), ("品名 Name", 0, "left", True),
                 ("颜色 Colour", 14, "left", True), ("尺码 Size", 10, "left", True),
                 ("数量 Qty", 9, "right", False)),
        message_size=7.5, slip_title=10, slip_size=6.5, slip_bar_h=8, fill_in=False,
    ),
}

SIZES = (A4, A5, WAYBILL_100x180)
GIFT_MARK = "赠品 GIFT"
SLIP_LABEL = "发货单 Packing slip"
MIN_SIZE = 5.0


def render_packing_slip(data: PackingSlip, *, size: PageSize = A4) -> bytes:
    """The slip as a PDF of `size` (A4, A5 or 100x180 mm), as many pages as it takes.

    Raises LayoutError for a size without a slip layout, or when one line alone is
    taller than a page (a product name of thousands of characters).
    """
    try:
        spec = _SPECS[size.name]
    except KeyError:
        raise LayoutError(
            f"no packing-slip layout for {size.name}; it prints on "
            + ", ".join(s.name for s in SIZES)
        ) from None
    layout = PageLayout(size, spec.margin)
    drawing = _Slip(data, spec, layout)
    pages = drawing.plan()
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"发货单 Packing slip {data.order_no}")
    draw_pages(canvas, pages, drawing.page_header)
    canvas.save()
    return out.getvalue()


class _Slip:
    def __init__(self, data: PackingSlip, spec: _Spec, layout: PageLayout) -> None:
        self.d = data
        self.s = spec
        self.layout = layout
        self.body = layout.content
        self.columns = self._columns()
        self.barcode_value = f"PS:{data.order_no}"
        self.return_value = f"RS:{data.order_no}"
        self.header_module = self._module_for(self.barcode_value, spec.barcode_share)
        barcode = code128_size(self.barcode_value, module_mm=self.header_module,
                               bar_height_mm=spec.bar_h)
        self.header_h = max(barcode.height, self._header_text_height()) + 3.0

    # -- planning

    def _columns(self) -> tuple[Column, ...]:
        fixed = sum(width for _, width, _, _ in self.s.columns)
        rest = self.body.width - fixed
        if rest < 15:
            raise LayoutError(f"the slip's columns leave {rest:.1f} mm for product names")
        return tuple(Column(title, width or rest, align, wrap)
                     for title, width, align, wrap in self.s.columns)

    def _module_for(self, value: str, share: float) -> float:
        for module in (self.s.module, 0.25):
            if code128_size(value, module_mm=module).width <= self.body.width * share:
                return module
        return 0.25  # draw_code128 raises LayoutError, naming the value, if even this is too wide

    def _header_text_height(self) -> float:
        s = self.s
        return (ascent_mm(s.shop_size) + descent_mm(s.shop_size) + 1.0
                + 4 * _pitch(s.info_size))

    def plan(self):
        s, d = self.s, self.d
        pieces: list[Piece] = [self._recipient_piece()]
        header = Piece(header_height(self.columns, s.table) + 1.0, self._draw_table_header,
                       what="table heading")
        for line in d.lines:
            name = f"{GIFT_MARK} · {line.name}" if line.gift else line.name
            row = plan_row(self.columns, (line.sku, name, line.colour, line.size, str(line.qty)),
                           s.table, shade=line.gift)
            pieces.append(Piece(row.height, self._row_drawer(row), header=header,
                                what=f"line {line.sku}"))
        total = plan_row(self.columns, ("", "合计 Total", "", "", str(d.total_qty)), s.table,
                         bold=True)
        pieces.append(Piece(total.height, self._row_drawer(total), header=header,
                            what="total"))
        message = self._message_piece()
        if message is not None:
            pieces.append(message)
        pieces.append(self._return_slip_piece())
        top = self.body.top - self.header_h
        return flow(pieces, top, top, self.body.y)

    # -- the page header, on every page

    def page_header(self, canvas: Canvas, number: int, count: int) -> None:
        s, d, body = self.s, self.d, self.body
        size = code128_size(self.barcode_value, module_mm=self.header_module,
                            bar_height_mm=s.bar_h)
        barcode_x = body.right - size.width
        draw_code128(canvas, self.barcode_value, barcode_x, body.top - size.height,
                     module_mm=self.header_module, bar_height_mm=s.bar_h,
                     max_width_mm=body.width * s.barcode_share)
        width = barcode_x - body.x - 2
        y = body.top - ascent_mm(s.shop_size)
        draw_text(canvas, d.shop_name, body.x, y, width, s.shop_size, MIN_SIZE, bold=True)
        y -= descent_mm(s.shop_size) + 1.0 + ascent_mm(s.info_size)
        lines = [
            (SLIP_LABEL, True),
            (f"订单号 Order No. {d.order_no}", False),
            (f"付款时间 Paid {d.paid_at:%Y-%m-%d %H:%M}" if d.paid_at else "", False),
            (f"第 {number}/{count} 页 · Page {number} of {count}", False),
        ]
        for text, bold in lines:
            if text:
                draw_text(canvas, text, body.x, y, width, s.info_size, MIN_SIZE, bold=bold)
            y -= _pitch(s.info_size)
        bottom = body.top - self.header_h + 1.0
        rule(canvas, body.x, bottom, body.right, bottom, width=0.5)

    # -- pieces

    def _recipient_piece(self) -> Piece:
        s, r = self.s, self.d.recipient
        label = "收件人 Recipient"
        indent = text_width(label, s.recipient_size * 0.8) + 2.5
        width = self.body.width - indent - 2.0
        name = wrap_block(f"{r.name}  {mask_phone(r.phone)}", width, s.recipient_size)
        address = wrap_block(r.address, width, s.recipient_size)
        height = name.height + 0.8 + address.height + 4.0

        def draw(canvas: Canvas, top: float) -> None:
            x = self.body.x
            frame(canvas, Box(x, top - height + 1.0, self.body.width, height - 1.0), width=0.3)
            inner_top = top - 1.0 - 1.5
            draw_text(canvas, label, x + 1.5, inner_top - ascent_mm(s.recipient_size * 0.8),
                      indent, s.recipient_size * 0.8, MIN_SIZE, bold=True)
            bottom = draw_block(canvas, name, x + indent, inner_top, width, bold=True)
            draw_block(canvas, address, x + indent, bottom - 0.8, width)

        return Piece(height, draw, what="recipient")

    def _draw_table_header(self, canvas: Canvas, top: float) -> None:
        draw_header(canvas, self.columns, self.body.x, top - 1.0, self.s.table)

    def _row_drawer(self, row):
        def draw(canvas: Canvas, top: float) -> None:
            draw_row(canvas, self.columns, self.body.x, top, row, self.s.table)
        return draw

    def _message_piece(self) -> Piece | None:
        s, d = self.s, self.d
        parts = [(zh_en, text) for zh_en, text in (("买家留言 Buyer message", d.buyer_message),
                                                   ("卖家备注 Seller memo", d.seller_memo))
                 if text.strip()]
        if not parts:
            return None
        width = self.body.width - 5.0
        blocks: list[tuple[TextBlock, bool]] = []
        for title, text in parts:
            blocks.append((TextBlock((title,), s.message_size * 0.85), True))
            blocks.append((wrap_block(text, width, s.message_size), False))
        height = sum(block.height + 0.9 for block, _ in blocks) + 3.5 + 2.0

        def draw(canvas: Canvas, top: float) -> None:
            box = Box(self.body.x, top - height + 0.5, self.body.width, height - 2.0)
            frame(canvas, box, width=0.6, fill_gray=0.9, radius=1.0)
            y = box.top - 1.8
            for block, bold in blocks:
                y = draw_block(canvas, block, box.x + 2.5, y, width, bold=bold) - 0.9

        return Piece(height, draw, what="buyer message and seller memo")

    def _return_slip_piece(self) -> Piece:
        s, d, body = self.s, self.d, self.body
        module = self._module_for(self.return_value, 0.5)
        barcode = code128_size(self.return_value, module_mm=module, bar_height_mm=s.slip_bar_h)
        info_w = body.width - barcode.width - 3.0
        if info_w < 30:  # a narrow page: the barcode under the title, not beside it
            info_w = body.width - 2.0
        size = s.slip_size
        info = [
            (TextBlock(("退货单 Return slip",), s.slip_title), True),
            (wrap_block(f"订单号 Order No. {d.order_no}", info_w, size), False),
            (wrap_block(f"店铺 Shop {d.shop_name}", info_w, size), False),
            (wrap_block(f"收件人 Recipient {d.recipient.name}", info_w, size), False),
        ]
        info_h = sum(block.height + 0.7 for block, _ in info)
        beside = info_w < body.width - 2.0
        top_h = max(info_h, barcode.height) if beside else info_h + 1.0 + barcode.height
        text_w = body.width - 2.0
        notes = [wrap_block(f"• {line}", text_w, size) for line in d.return_instructions]
        if d.return_address:
            notes.append(wrap_block(f"退货地址 Return to: {d.return_address}", text_w, size))
        notes_h = sum(block.height + 0.7 for block in notes)
        fields = _FILL_IN if s.fill_in else ()
        field_pitch = _pitch(size) + 3.0
        cut_h = 5.0
        height = cut_h + 2.0 + top_h + 2.0 + notes_h + len(fields) * field_pitch + 1.0

        def draw(canvas: Canvas, top: float) -> None:
            # The cut line runs from edge to edge of the printable area.
            middle = top - cut_h / 2
            label = "沿虚线剪下 Cut along the dashed line"
            gap = text_width(label, size) + 4
            centre = body.x + body.width / 2
            rule(canvas, body.x, middle, centre - gap / 2, middle, width=0.3, dash=(2, 1.2))
            rule(canvas, centre + gap / 2, middle, body.right, middle, width=0.3, dash=(2, 1.2))
            draw_text(canvas, label, centre, middle - (ascent_mm(size) - descent_mm(size)) / 2,
                      gap, size, align="center")
            y = top - cut_h - 2.0
            x = body.x + 1.0
            block_top = y
            for block, bold in info:
                block_top = draw_block(canvas, block, x, block_top, info_w, bold=bold) - 0.7
            if beside:
                barcode_x, barcode_y = body.right - barcode.width, y - barcode.height
            else:
                barcode_x, barcode_y = body.x, block_top - 1.0 - barcode.height
            draw_code128(canvas, self.return_value, barcode_x, barcode_y, module_mm=module,
                         bar_height_mm=s.slip_bar_h, max_width_mm=body.width)
            y -= top_h + 2.0
            for block in notes:
                y = draw_block(canvas, block, x, y, text_w) - 0.7
            for left, right in fields:
                y -= field_pitch
                _fill_in_line(canvas, left, x, y, body.width * 0.5 - 3, size)
                if right:
                    _fill_in_line(canvas, right, body.x + body.width * 0.5, y,
                                  body.width * 0.5 - 1, size)

        return Piece(height, draw, at_bottom=True, what="return slip")


_FILL_IN = (
    ("账号(旺旺号) Account ID", "姓名 Name"),
    ("电话 Phone", "退货原因 Reason"),
)


def _fill_in_line(canvas: Canvas, label: str, x: float, y: float, width: float,
                  size: float) -> None:
    """A label and a line to write on, baseline at y."""
    draw_text(canvas, label, x, y, width * 0.6, size, MIN_SIZE)
    start = x + min(width * 0.6, text_width(label, size)) + 1.5
    rule(canvas, start, y - 0.8, x + width, y - 0.8, width=0.2)


def _pitch(size: float) -> float:
    return size * 1.25 * 25.4 / 72
