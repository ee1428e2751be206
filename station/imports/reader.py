"""Read a CSV (UTF-8 with or without BOM, or GB18030) or XLSX table into rows with line numbers."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from station.i18n import _


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "reason": self.reason}


class FileRejected(Exception):
    """The file cannot be read at all (wrong header, unreadable encoding)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(f"{e.line}: {e.reason}" for e in errors))
        self.errors = errors


@dataclass
class Table:
    path: str
    encoding: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line number, row)


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (BOM or not) when it decodes cleanly, otherwise GB18030 (a superset of GBK)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise FileRejected([RowError(1, _("The file is neither UTF-8 nor GB18030 text"))]) from exc


def _normalise_header(name: str) -> str:
    return name.strip().lower()


def read_table(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Table:
    path = Path(path)
    if not path.exists():
        raise FileRejected([RowError(0, _("No such file: {path}", path=str(path)))])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw_rows, encoding = _xlsx_rows(path), "xlsx"
    else:
        text, encoding = decode(path.read_bytes())
        raw_rows = _csv_rows(text)
    try:
        header_line, header = next(raw_rows)
    except StopIteration:
        raise FileRejected([RowError(1, _("The file is empty: a header row is needed"))]) from None
    columns = [_normalise_header(h) for h in header]
    errors = []
    known = set(required) | set(optional)
    for name in columns:
        if name and name not in known:
            errors.append(RowError(header_line, _("Unknown column {column}; allowed: {allowed}",
                                                  column=name, allowed=", ".join(required + optional))))
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            errors.append(RowError(header_line, _("Column {column} appears twice", column=name)))
        seen.add(name)
    for name in required:
        if name not in columns:
            errors.append(RowError(header_line, _("Required column {column} is missing", column=name)))
    if errors:
        raise FileRejected(errors)
    table = Table(str(path), encoding, columns)
    for line, values in raw_rows:
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) > len(columns) and not any(v.strip() for v in values[len(columns):]):
            values = values[: len(columns)]
        if len(values) != len(columns):
            table.rows.append((line, {"__error__": _("{n} fields where the header has {m}",
                                                       n=len(values), m=len(columns))}))
            continue
        table.rows.append((line, {c: v.strip() for c, v in zip(columns, values) if c}))
    return table


def _csv_rows(text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for values in reader:
        yield start, values
        start = reader.line_num + 1


def _xlsx_rows(path: Path):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds
        raise FileRejected([RowError(0, _("Cannot read the spreadsheet: {error}", error=str(exc)))]) from exc
    sheet = wb.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                       for v in row]
    wb.close()


def parse_int(value: str, *, minimum: int | None = None) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(_("{value!r} is not a whole number", value=value)) from None
    if minimum is not None and number < minimum:
        raise ValueError(_("{value} is below {minimum}", value=number, minimum=minimum))
    return number
