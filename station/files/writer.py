"""Write tables for spreadsheets: the exports, registers and hand-offs Station gives to shops,
customer service and finance. Excel opens them as they are (UTF-8 with a byte order mark), and
no cell that came from outside (a buyer's name, a SKU, a shop's order number) runs as a formula."""
from __future__ import annotations

import csv
import io
from typing import Iterable

#: What a spreadsheet reads as the start of a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def excel_csv(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """The text of a CSV file for Excel: UTF-8 with a byte order mark, a header row, then the rows.

    Cells are written as given: pass text from outside through ``safe_cell``; numbers, and
    dates Station wrote itself, go as they are."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return "\ufeff" + out.getvalue()


def excel_xlsx(header: Iterable[str], rows: Iterable[Iterable], *, text_columns: Iterable[int] = ()) -> bytes:
    """An XLSX workbook of one sheet: a bold header, then the rows. The cells of ``text_columns``
    are stored as text with the text format (``@``), so a 17-digit order number or a waybill
    with a leading zero stays as it is when the sheet is opened, edited and saved again.
    Cells that came from outside are made formula-safe (``safe_cell``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    text = set(text_columns)
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
        if text:
            for i in text:
                ws.cell(row=ws.max_row, column=i + 1).number_format = "@"
    for i in text:
        ws.column_dimensions[chr(ord("A") + i)].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
