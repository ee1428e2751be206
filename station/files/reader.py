"""Read a CSV (UTF-8 with or without BOM, UTF-16 with BOM, GB18030, cp1252, Shift-JIS) or XLSX
table into rows with line numbers, and why a row or the whole file cannot be taken.

Two ways in, one way of reading: ``read_table`` for Station's own formats (the columns are
known, any other is refused) and ``read_csv`` for a shop's export (every header name kept as
written, the caller picks its columns). Both decode, split and check rows the same way."""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from station.files import fields
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
    pictures: dict[int, bytes] = field(default_factory=dict)  # line -> picture (products: catalog.images)


@dataclass
class CsvTable:
    """A CSV read with every header name kept (unknown ones tolerated), rows by physical line."""

    path: Path
    encoding: str
    header_line: int
    columns: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, values) or (line, [error])
    bad: dict[int, str] = field(default_factory=dict)  # line -> reason, for rows of the wrong width

    def index(self, normalise: Callable[[str], str] = str.strip) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, name in enumerate(self.columns):
            out.setdefault(normalise(name), i)
        return out


#: The encodings Station tells apart by itself (docs/formats.md, "Encodings").
GUESSED = ("gb18030", "cp1252", "shift_jis")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "utf-8"), (b"\xff\xfe", "utf-16", "utf-16"),
         (b"\xfe\xff", "utf-16", "utf-16"))
#: Letters and signs a cp1252 text uses beyond ASCII (Western European words, prices, quotes).
_CP1252_TEXT = set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸƒ"
                   "€‚„…†‡‘’“”•–—™°±²³µ·¼½¾«»¡¿£¥§©®¢¤\xa0×")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the name of its encoding.

    ``encoding`` given: exactly that, strictly. Otherwise a byte order mark decides (UTF-8,
    UTF-16); then text that is valid UTF-8 is UTF-8; otherwise the file must read as exactly one
    of GB18030, cp1252 and Shift-JIS (charset-normalizer ranks them, and each must look like the
    text that encoding is used for). When that is not sure, the file is refused with "give
    --encoding" rather than stored garbled."""
    if encoding:
        try:
            codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
            return data.decode(codec), encoding
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise FileRejected([RowError(line, _("The file is not valid {encoding} text (byte {offset})",
                                                 encoding=encoding, offset=exc.start))]) from None
        except LookupError:
            raise FileRejected([RowError(0, _("Unknown encoding {encoding}", encoding=encoding))]) from None
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise FileRejected([RowError(0, _("The file starts like {encoding} but is not (byte {offset})",
                                                  encoding=name, offset=exc.start))]) from None
    if data[:4096].count(0) > len(data[:4096]) // 4:
        raise FileRejected([RowError(1, _("The file looks like UTF-16 without a byte order mark: "
                                          "give --encoding utf-16-le or utf-16-be"))])
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    fits = _plausible(data)
    if len(fits) == 1:
        name, text = fits[0]
        return text, name
    line = _first_non_ascii_line(data)
    if not fits:
        reason = _("Cannot tell the file's encoding (not UTF-8, GB18030, cp1252 or Shift-JIS): "
                   "give --encoding")
    else:
        reason = _("The file could be {encodings}: give --encoding", encodings=" or ".join(n for n, _t in fits))
    raise FileRejected([RowError(line, reason)])


def _first_non_ascii_line(data: bytes) -> int:
    for i, b in enumerate(data):
        if b >= 0x80:
            return data[:i].count(b"\n") + 1
    return 1


def _plausible(data: bytes) -> list[tuple[str, str]]:
    """The encodings of GUESSED the bytes read as without doubt: decodes strictly, charset-normalizer
    finds it coherent enough (chaos under its threshold), and the text looks like what that
    encoding is used for."""
    from charset_normalizer import from_bytes

    ranked = {m.encoding for m in from_bytes(data, cp_isolation=list(GUESSED), preemptive_behaviour=False)}
    out = []
    for name in GUESSED:
        if name not in ranked:
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _LOOKS[name](text):
            out.append((name, text))
    return out


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")


def _non_ascii(text: str) -> Counter:
    """How often each character beyond ASCII occurs (a big export has few distinct ones: each is
    then looked at once, not once per occurrence)."""
    return Counter(_NON_ASCII.findall(text))


def _looks_chinese(text: str) -> bool:
    """Most characters beyond ASCII are in GB2312 (the common simplified Chinese set; Latin or
    Japanese bytes read as GB18030 give rare GBK characters instead)."""
    chars = _non_ascii(text)
    total = sum(chars.values())
    if not total:
        return False
    common = 0
    for ch, n in chars.items():
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += n
    return common >= 0.9 * total


def _looks_western(text: str) -> bool:
    """Accented letters and typographic signs among ASCII words, never three in a row (Chinese or
    Japanese bytes read as cp1252 give long runs of accented letters and symbols)."""
    if any(ch not in _CP1252_TEXT for ch in _non_ascii(text)):
        return False
    return _NON_ASCII_RUN.search(text) is None


def _looks_japanese(text: str) -> bool:
    """Japanese writes kana: some hiragana or full-width katakana, and few half-width katakana
    (which is what GB18030 bytes read as Shift-JIS mostly become)."""
    chars = _non_ascii(text)
    kana = sum(n for ch, n in chars.items() if "\u3041" <= ch <= "\u30ff")
    half = sum(n for ch, n in chars.items() if "\uff61" <= ch <= "\uff9f")
    return kana > 0 and half <= 0.1 * sum(chars.values())


_LOOKS = {"gb18030": _looks_chinese, "cp1252": _looks_western, "shift_jis": _looks_japanese}


def is_xlsx(path: Path) -> bool:
    """An XLSX workbook: by its name, or by its content (a zip) when a seller tool named it .csv."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _normalise_header(name: str) -> str:
    return name.strip().lower()


def read_table(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...], *,
               encoding: str | None = None) -> Table:
    """The file's rows by physical line; a row that cannot be taken is ``{"__error__": reason}``.
    ``encoding``: the CSV's encoding when the person gave it (see ``decode``)."""
    path = Path(path)
    if not path.exists():
        raise FileRejected([RowError(0, _("No such file: {path}", path=str(path)))])
    if is_xlsx(path):
        raw_rows, encoding, controls = _xlsx_rows(path), "xlsx", True
    else:
        text, encoding = decode(path.read_bytes(), encoding)
        raw_rows = _csv_rows(text)
        controls = fields.CONTROL.search(text) is not None  # one pass over the text, not one per cell
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
        values, problem = _fit_row(values, columns, controls)
        if problem:
            table.rows.append((line, {"__error__": problem}))
            continue
        table.rows.append((line, {c: v.strip() for c, v in zip(columns, values) if c}))
    return table


def read_csv(path: Path, encoding: str | None = None, *, delimiter: str | None = None) -> CsvTable:
    """Read any CSV the shops write; header names are kept raw (caller normalises). Blank lines
    before the header are skipped; a row that cannot be taken is kept and its reason put in ``bad``.
    ``encoding``: the file's encoding when the person gave it (see ``decode``). ``delimiter``:
    None tells comma from tab by the header line (Excel's "Unicode text" and Amazon's reports are
    tab-separated)."""
    if not path.exists():
        raise FileRejected([RowError(0, _("No such file: {path}", path=str(path)))])
    if is_xlsx(path):  # the seller tools export XLSX too: the same rows, cells as text
        rows, encoding, controls = _xlsx_rows(path), "xlsx", True
    else:
        text, encoding = decode(path.read_bytes(), encoding)
        controls = fields.CONTROL.search(text) is not None  # one pass over the text, not one per cell
        rows = _csv_rows(text, delimiter or sniff_delimiter(text))
    table: CsvTable | None = None
    for line, values in rows:
        if not any(v.strip() for v in values):
            continue  # blank line
        if table is None:
            table = CsvTable(path, encoding, line, values)
            continue
        values, problem = _fit_row(values, table.columns, controls)
        if problem:
            table.bad[line] = problem
        table.rows.append((line, values))
    if table is None:
        raise FileRejected([RowError(1, _("The file is empty: a header row is needed"))])
    return table


def sniff_delimiter(text: str) -> str:
    """Tab when the first non-blank line has more tabs than commas, else comma."""
    for line in text.lstrip("\ufeff").splitlines()[:20]:
        if line.strip():
            return "\t" if line.count("\t") > line.count(",") else ","
    return ","


def _fit_row(values: list[str], columns: list[str], controls: bool) -> tuple[list[str], str | None]:
    """The row's cells, cut to the header's width when only empty cells stick out (trailing
    commas: Taobao's item report ends every row with one), and why they cannot be taken (None:
    they can)."""
    width = len(columns)
    if len(values) > width and not any(v.strip() for v in values[width:]):
        values = values[:width]
    if len(values) != width:
        return values, _("{n} fields where the header has {m}", n=len(values), m=width)
    return values, cell_problem(values, columns, controls)


def cell_problem(values: list[str], columns: list[str], controls: bool = True) -> str | None:
    """Why a row's cells cannot be taken: one longer than MAX_CELL, or a control character
    (NUL and the like; tab and line ends are fine). None when they can.
    ``controls``: False when the whole text is known to hold none (then only lengths are checked)."""
    if max(map(len, values), default=0) > fields.MAX_CELL:
        for name, value in zip(columns, values):
            if len(value) > fields.MAX_CELL:
                return _("{column}: a cell of {n} characters; at most {maximum}", column=name.strip(),
                         n=len(value), maximum=fields.MAX_CELL)
    if not controls:
        return None
    for name, value in zip(columns, values):
        bad = fields.CONTROL.search(value)
        if bad:
            return _("{column}: control character {char} in the cell", column=name.strip(),
                     char=repr(bad.group())[1:-1])
    return None


def csv_reader(text: str, delimiter: str = ","):
    """A csv.reader over the whole text that takes cells of any length (the caller refuses the
    long ones with their line; the csv module's own limit of 131,072 would stop the whole read)."""
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _csv_rows(text: str, delimiter: str = ","):
    reader = csv_reader(text, delimiter)
    start = 1
    try:
        for values in reader:
            yield start, values
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileRejected([RowError(start, _("Cannot read the CSV: {error}", error=str(exc)))]) from exc


def _xlsx_rows(path: Path):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)  # any file name
    except Exception as exc:  # openpyxl raises many kinds
        raise FileRejected([RowError(0, _("Cannot read the spreadsheet: {error}", error=str(exc)))]) from exc
    sheet = wb.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [_xlsx_cell(v) for v in row]
    wb.close()


#: Whole numbers above this are not exact in a spreadsheet's floating point (2**53): a long order
#: number or waybill stored as a number has lost digits already.
_EXACT = 2 ** 53


def _xlsx_cell(v) -> str:
    """A cell as text: whole floats without ``.0``; a number too long to be exact is written in
    scientific notation so that the column's check refuses it (``fields.damaged_number``)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return f"{v:.5E}" if abs(v) >= _EXACT else str(int(v))
    return str(v)


def parse_int(value: str, *, minimum: int | None = None, maximum: int = fields.MAX_QTY) -> int:
    """A whole number in plain ASCII digits, at most ``maximum`` (see ``fields.quantity``)."""
    return fields.quantity(value, minimum=minimum or 0, maximum=maximum)
