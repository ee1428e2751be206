"""The three documents of a stock count (盘点), A4: the blind count sheet, the variance report
and the write-off report (报损单).

- **Count sheet** (盘点表): the count number and its barcode (scanned at the count bench to
  open the count), then one row per bin in walking order with empty columns to write what
  was found. Blind: no book quantity appears on it anywhere.
- **Variance report** (盘点差异表): per bin and SKU, book at the bin's count, counted, the
  variance in units and value, status and counters; totals of gains and losses.
- **Write-off report** (报损单): the approved losses with quantity, unit cost and value, the
  total for finance, SKUs counted to zero to delist in the shop, and three signatures.

Every total is the caller's; a layout only draws.

A little over 400 lines: the variance report of tens of thousands of lines has its own fast
path (`_render_single_lines`, a page's cells in one text object), next to the three layouts
it must look exactly like.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from station.printing.fonts import CJK_FONT, runs
from station.printing.ink import draw_line, draw_text
from station.printing.pages import (
    Piece,
    draw_office_pages,
    draw_page_top,
    draw_signature_line,
    page_line,
    page_line_width,
    plan_page_header,
)
from station.printing.pdf import new_canvas
from station.printing.shapes import frame
from station.printing.tables import (
    Column,
    TableStyle,
    draw_header,
    draw_row,
    header_height,
    plan_row,
)
from station.printing.text import (
    descent_mm,
    fit_size,
    line_pitch_mm,
    single_line,
    text_block_height_mm,
    width_units,
)
from station.printing.units import mm
from station.printing.units import A4, Box, LayoutError, PageLayout, PageSize

MARGIN = 12.0
STYLE = TableStyle(size=9, header_size=8, min_size=6, pad_y=0.8)
SHEET_STYLE = TableStyle(size=11, header_size=9, min_size=7, pad_y=2.6)
SIGN_SIZE = 10.0


# ---------------------------------------------------------------- data

@dataclass(frozen=True)
class SheetBin:
    code: str
    zone: str = ""
    recount: bool = False


@dataclass(frozen=True)
class CountSheet:
    count_no: str
    scope: str
    created_at: datetime  # local time
    bins: tuple[SheetBin, ...]
    warehouse: str = ""
    skus: tuple[str, ...] = ()  # a count of these SKUs only


@dataclass(frozen=True)
class VarianceLine:
    location: str
    sku: str
    name: str
    book: int
    counted: int
    value: Decimal | None
    status: str  # open, recount, approved, rejected
    counted_by: str = ""

    @property
    def variance(self) -> int:
        return self.counted - self.book


@dataclass(frozen=True)
class VarianceReport:
    count_no: str
    scope: str
    status: str
    printed_at: datetime
    lines: tuple[VarianceLine, ...]
    gain_units: int
    gain_value: Decimal
    loss_units: int
    loss_value: Decimal
    bins: int
    counted_lines: int
    warehouse: str = ""


@dataclass(frozen=True)
class WriteOffLine:
    location: str
    sku: str
    name: str
    qty: int  # units lost, positive
    unit_cost: Decimal | None
    value: Decimal | None


@dataclass(frozen=True)
class WriteOff:
    count_no: str
    approved_by: str
    approved_at: datetime | None
    lines: tuple[WriteOffLine, ...]
    total_qty: int
    total_value: Decimal
    delist: tuple[str, ...] = ()
    unvalued: int = 0  # lines without a unit cost (not in the total value)
    warehouse: str = ""


# ---------------------------------------------------------------- shared

def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _signed(n: int) -> str:
    return f"{n:+d}" if n else "0"


def _columns(body: Box, spec: list[Column]) -> tuple[Column, ...]:
    rest = body.width - sum(c.width for c in spec)
    if rest < 15:
        raise LayoutError("the columns do not fit on the page")
    return tuple(Column(c.title, c.width or rest, c.align, c.wrap) for c in spec)


def _render(size: PageSize, title: str, facts: list[str], barcode: str, columns, rows, style: TableStyle,
            tail: list[Piece], doc_title: str) -> bytes:
    if size.name != A4.name:
        raise LayoutError(f"count documents print on A4, not {size.name}")
    body = PageLayout(size, MARGIN).content
    header = plan_page_header(body, title, facts, barcode)
    x = body.x
    heading = Piece(header_height(columns, style) + 1.0,
                    lambda canvas, top: draw_header(canvas, columns, x, top - 1.0, style), what="table heading")
    pieces = []
    for number, cells in enumerate(rows, start=1):
        row = plan_row(columns, cells, style, shade=number % 2 == 0)
        pieces.append(Piece(row.height, _row_drawer(columns, x, row, style), header=heading, what=cells[0]))
    pieces += tail
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=doc_title)
    draw_office_pages(canvas, header, body, pieces)
    canvas.save()
    return out.getvalue()


def _render_single_lines(size: PageSize, title: str, facts: list[str], barcode: str, columns, rows,
                         style: TableStyle, tail: Piece, doc_title: str, free_text: frozenset[int]) -> bytes:
    """`_render` for tables of one-line cells and tens of thousands of rows (a variance report of
    50,000 lines): every row has the same height, a page's text goes into one text object and its
    rules and shading into one path each."""
    if size.name != A4.name:
        raise LayoutError(f"count documents print on A4, not {size.name}")
    body = PageLayout(size, MARGIN).content
    header = plan_page_header(body, title, facts, barcode)
    x = body.x
    row_h = text_block_height_mm(1, style.size, style.leading) + 2 * style.pad_y
    head_h = header_height(columns, style) + 1.0
    top = body.top - header.height
    per_page = int((top - body.y - head_h) // row_h)
    if per_page < 1:
        raise LayoutError("no row fits under the page header")
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    last_bottom = top - head_h - len(chunks[-1]) * row_h
    tail_on_own_page = last_bottom - tail.height < body.y
    pages = len(chunks) + tail_on_own_page
    lefts, width = [], 0.0
    for c in columns:
        lefts.append(x + width)
        width += c.width
    baseline_drop = style.pad_y + (row_h - 2 * style.pad_y) - descent_mm(style.size) - (
        (style.leading - 1) * style.size * 25.4 / 72 / 2)
    widths: dict[str, float] = {}
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=doc_title)
    # What every page repeats (title, facts, barcode, table heading) is drawn once, as a form.
    canvas.beginForm("pageTop")
    page_line_y = draw_page_top(canvas, header, body)
    canvas.endForm()
    canvas.beginForm("tableHeading")
    draw_header(canvas, columns, x, top - 1.0, style)
    canvas.endForm()
    width_for_page_line = page_line_width(header, body)
    for number in range(1, pages + 1):
        canvas.doForm("pageTop")
        draw_text(canvas, page_line(number, pages), body.x, page_line_y, width_for_page_line,
                  header.size, 5.5)
        if number <= len(chunks):
            canvas.doForm("tableHeading")
            chunk = chunks[number - 1]
            y0 = top - head_h
            shade = canvas.beginPath()
            lines = canvas.beginPath()
            left_pt, right_pt, width_pt, height_pt = mm(x), mm(x + width), mm(width), mm(row_h)
            for i in range(len(chunk)):
                bottom = mm(y0 - (i + 1) * row_h)
                if i % 2:  # path operators written straight, as the rows' text is
                    shade._code.append("%.2f %.2f %.2f %.2f re" % (left_pt, bottom, width_pt, height_pt))
                lines._code.append("%.2f %.2f m %.2f %.2f l" % (left_pt, bottom, right_pt, bottom))
            canvas.saveState()
            canvas.setFillGray(style.shade_gray)
            canvas.drawPath(shade, stroke=0, fill=1)
            canvas.setStrokeGray(style.rule_gray)
            canvas.setLineWidth(mm(0.15))
            canvas.drawPath(lines, stroke=1, fill=0)
            canvas.restoreState()
            _text_rows(canvas, columns, lefts, chunk, y0, row_h, baseline_drop, style, free_text, widths)
        if number == pages:
            tail.draw(canvas, body.y + tail.height)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _text_rows(canvas: Canvas, columns, lefts, chunk, y0: float, row_h: float, drop: float, style: TableStyle,
               free_text: frozenset[int], widths: dict[str, float]) -> None:
    """Every cell of a page's rows in one text object per type size: one Tm and Tj per cell, a cell
    shrunk to fit when it must (as `draw_text` does), with the subset bytes of each text cached the
    way `ink._show` caches them for the document. Written flat: it runs once per cell."""
    doc = canvas._doc
    shown = getattr(doc, "_station_shown", None)
    if shown is None:
        shown = doc._station_shown = {}
    font = pdfmetrics.getFont(CJK_FONT)
    size = style.size
    objects: dict[float, tuple] = {}
    # Printable ASCII, most cells: widths summed in C from a table, and (when the font keeps ASCII
    # readable, codes 32-126 as themselves in subset 0) shown without reportlab's per-character split.
    face = font.face
    ascii_widths = [float(face.charWidths.get(code, face.defaultWidth)) for code in range(128)]
    font.splitString(" ", doc)  # makes the document's font state
    assigned = font.state[doc].assignments
    ascii_as_is = all(assigned.get(code) == code for code in range(32, 127))

    def text_object(used: float):
        entry = objects.get(used)
        if entry is None:
            obj = canvas.beginText()
            obj.setFont(CJK_FONT, used)
            entry = objects[used] = (obj, obj._code)
        return entry

    spans = []
    for index, (column, left) in enumerate(zip(columns, lefts)):
        inner = column.width - 2 * style.pad_x
        anchor = (left + style.pad_x if column.align == "left" else
                  left + column.width - style.pad_x if column.align == "right" else left + column.width / 2)
        spans.append((column, inner, mm(inner) * 1000 / size, mm(anchor),
                      {"left": 0.0, "right": 1.0, "center": 0.5}[column.align], index in free_text, anchor))
    main, main_code = text_object(size)
    widths_get, shown_get, escape = widths.get, shown.get, canvas._escape
    elsewhere = []  # cells with a character our font lacks (𠈌, an emoji): drawn by draw_line, with fallbacks
    for i, cells in enumerate(chunk):
        y = " %.2f Tm" % mm(y0 - i * row_h - drop)
        for (column, inner, limit, anchor, shift, free, anchor_mm), text in zip(spans, cells):
            if not text:
                continue
            if free:
                text = single_line(text)
            units = widths_get(text)
            if units is None:
                plain = text.isascii()
                units = widths[text] = (sum(map(ascii_widths.__getitem__, text.encode("ascii"))) if plain
                                        else width_units(text))
            if units <= limit:
                used, obj, code = size, main, main_code
            else:
                try:
                    used = fit_size(text, inner, size, style.min_size)
                except LayoutError as error:
                    raise LayoutError(f"column {column.title!r}: {error}") from None
                obj, code = text_object(used)
            if not text.isascii() and any(name != CJK_FONT for name, _piece in runs(text)):
                elsewhere.append((text, anchor_mm, y0 - i * row_h - drop, used, column.align))
                continue
            code.append("1 0 0 1 %.2f" % (anchor - units * used * shift / 1000) + y)
            parts = shown_get(text)
            if parts is None:
                if ascii_as_is and text.isascii() and text.isprintable():
                    parts = shown[text] = ((0, f"({escape(text.encode('ascii'))}) Tj"),)
                else:
                    parts = shown[text] = tuple((subset, f"({escape(piece)}) Tj")
                                                for subset, piece in font.splitString(text, doc))
            for subset, op in parts:
                if subset != obj._curSubset:
                    key = (subset, obj._fontsize, obj._leading)
                    select = shown_get(key)
                    if select is None:
                        name = font.getSubsetInternalName(subset, doc)
                        select = shown[key] = f"{name} {fp_str(obj._fontsize)} Tf {fp_str(obj._leading)} TL"
                    code.append(select)
                    obj._curSubset = subset
                code.append(op)
    for obj, _code in objects.values():
        canvas.drawText(obj)
    for text, x, y_mm, used, align in elsewhere:
        draw_line(canvas, text, x, y_mm, used, align=align)


def _row_drawer(columns, x, row, style):
    def draw(canvas: Canvas, top: float) -> None:
        draw_row(canvas, columns, x, top, row, style)
    return draw


def _box(body_x: float, width: float, lines: list[tuple[str, bool]], signatures: list[tuple[str, str]],
         what: str) -> Piece:
    pitch = line_pitch_mm(SIGN_SIZE) + 7.0
    height = 6.0 + len(lines) * line_pitch_mm(SIGN_SIZE) + len(signatures) * pitch + 4.0

    def draw(canvas: Canvas, top: float) -> None:
        box = Box(body_x, top - height + 1.0, width, height - 3.0)
        frame(canvas, box, width=0.4)
        x, y = box.x + 3.0, box.top - 6.0
        for text, bold in lines:
            draw_text(canvas, text, x, y, box.width - 6.0, SIGN_SIZE, 6, bold=bold)
            y -= line_pitch_mm(SIGN_SIZE)
        half = (box.width - 9.0) / 2
        for left, right in signatures:
            y -= pitch - line_pitch_mm(SIGN_SIZE)
            draw_signature_line(canvas, left, x, y, half + 25, SIGN_SIZE)
            draw_signature_line(canvas, right, x + half + 31, y, half - 28, SIGN_SIZE)
            y -= line_pitch_mm(SIGN_SIZE)

    return Piece(height, draw, at_bottom=True, what=what)


# ---------------------------------------------------------------- count sheet

def render_count_sheet(data: CountSheet, *, size: PageSize = A4) -> bytes:
    """The blind count sheet: bins to count, room to write; never a book quantity."""
    body = PageLayout(A4, MARGIN).content
    facts = [f"盘点单号 Count No. {data.count_no}", f"范围 Scope {data.scope}",
             f"开单时间 Opened {data.created_at:%Y-%m-%d %H:%M} · 库位 Bins {len(data.bins)}"]
    if data.skus:
        facts.append("只盘 Only these SKUs: " + ", ".join(data.skus))
    if data.warehouse:
        facts.insert(0, f"仓库 Warehouse {data.warehouse}")
    columns = _columns(body, [
        Column("序号 No.", 14, "right", False), Column("库位 Bin", 46, "left", False),
        Column("区 Zone", 16, "left", False), Column("商品/SKU Item", 0, "left", True),
        Column("数量 Qty", 22, "right", False), Column("空 Empty", 16, "center", False),
        Column("盘点人 Counter", 26, "left", False)])
    rows = [[str(n), b.code + (" 复盘 recount" if b.recount else ""), b.zone, "", "", "□", ""]
            for n, b in enumerate(data.bins, start=1)]
    tail = [_box(body.x, body.width,
                 [("盲盘：按实际清点填写，不看账面数 · Blind count: write what you find, not what the books say", True)],
                 [("盘点人 Counted by", "日期 Date"), ("复盘人 Recounted by", "日期 Date")], "signatures")]
    return _render(size, "盘点表 Count sheet", facts, data.count_no, columns, rows, SHEET_STYLE, tail,
                   f"盘点表 Count sheet {data.count_no}")


# ---------------------------------------------------------------- variance report

def render_variance_report(data: VarianceReport, *, size: PageSize = A4) -> bytes:
    """Every line with a variance, and the totals the caller computed."""
    body = PageLayout(A4, MARGIN).content
    facts = [f"盘点单号 Count No. {data.count_no} · 状态 Status {data.status}", f"范围 Scope {data.scope}",
             f"打印时间 Printed {data.printed_at:%Y-%m-%d %H:%M} · 库位 Bins {data.bins} · "
             f"盘点行 Lines counted {data.counted_lines} · 差异行 Variance lines {len(data.lines)}"]
    if data.warehouse:
        facts.insert(0, f"仓库 Warehouse {data.warehouse}")
    columns = _columns(body, [
        Column("库位 Bin", 25, "left", False), Column("SKU", 27, "left", False), Column("品名 Name", 0, "left", False),
        Column("账面 Book", 15, "right", False), Column("实盘 Counted", 17, "right", False),
        Column("差异 Var.", 14, "right", False), Column("金额 Value", 21, "right", False),
        Column("状态 Status", 17, "left", False), Column("盘点人 Counter", 17, "left", False)])
    rows = [[l.location, l.sku, l.name, str(l.book), str(l.counted), _signed(l.variance), _money(l.value),
             l.status, l.counted_by] for l in data.lines]
    tail = _box(body.x, body.width, [
        (f"盘盈 Gains {data.gain_units} 件 units · {_money(data.gain_value)}", True),
        (f"盘亏 Losses {data.loss_units} 件 units · {_money(data.loss_value)}", True),
        (f"净差异 Net {_signed(data.gain_units - data.loss_units)} 件 units · "
         f"{_money(data.gain_value - data.loss_value)}", False)],
        [("仓库主管 Supervisor", "日期 Date")], "totals")
    return _render_single_lines(size, "盘点差异表 Variance report", facts, data.count_no, columns, rows, STYLE, tail,
                                f"盘点差异表 Variance report {data.count_no}", frozenset({2, 8}))


# ---------------------------------------------------------------- write-off

def render_write_off(data: WriteOff, *, size: PageSize = A4) -> bytes:
    """The write-off report (报损单) for finance: losses with value, delisting, signatures."""
    body = PageLayout(A4, MARGIN).content
    approved = f"{data.approved_at:%Y-%m-%d %H:%M}" if data.approved_at else "—"
    facts = [f"盘点单号 Count No. {data.count_no}",
             f"批准 Approved by {data.approved_by or '—'} · {approved}",
             f"报损行 Lines {len(data.lines)} · 数量 Units {data.total_qty} · 金额 Value {_money(data.total_value)}"]
    if data.warehouse:
        facts.insert(0, f"仓库 Warehouse {data.warehouse}")
    columns = _columns(body, [
        Column("序号 No.", 12, "right", False), Column("库位 Bin", 25, "left", False),
        Column("SKU", 28, "left", False), Column("品名 Name", 0, "left", True),
        Column("报损数量 Qty", 22, "right", False), Column("单价 Unit cost", 22, "right", False),
        Column("金额 Value", 24, "right", False)])
    rows = [[str(n), l.location, l.sku, l.name, str(l.qty), _money(l.unit_cost), _money(l.value)]
            for n, l in enumerate(data.lines, start=1)]
    lines = [(f"合计 Total {data.total_qty} 件 units · 金额 Value {_money(data.total_value)}", True)]
    if data.unvalued:
        lines.append((f"{data.unvalued} 行无单价，未计入金额 · {data.unvalued} lines without a unit cost are "
                      f"not in the value", False))
    if data.delist:
        lines.append(("盘点为零，请在店铺下架 · Counted to zero, delist in the shop:", True))
        for start in range(0, len(data.delist), 6):
            lines.append(("    " + ", ".join(data.delist[start:start + 6]), False))
    tail = [_box(body.x, body.width, lines,
                 [("制表 Prepared by", "仓库主管 Supervisor"), ("财务 Finance", "日期 Date")], "signatures")]
    return _render(size, "报损单 Write-off report", facts, data.count_no, columns, rows, STYLE, tail,
                   f"报损单 Write-off {data.count_no}")
