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
