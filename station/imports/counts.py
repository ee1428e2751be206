"""``station import counts FILE``: counts made on paper or a handheld (columns location, sku, qty).

A counted quantity *sets* the count of that SKU in that bin; it never adds to the book, and
importing the same file twice gives the same count. Every bin in the file counts as counted
whole: a SKU the books hold there but the file does not list was counted 0. The book
quantity is read when the file is imported, the variances then wait for the supervisor
like any other count. All or nothing: every bad row is listed with its line number.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import Product
from station.db import unit_of_work
from station.files.reader import FileRejected, RowError, parse_int, read_table
from station.files.report import ImportReport
from station.i18n import _
from station.inventory import counts
from station.inventory.count_models import CountBin, CountLine
from station.inventory.models import Location

COLUMNS = (("location", "sku", "qty"), ())


def import_counts(sessions: sessionmaker[Session], path: str | Path, *, count_no: str | None = None,
                  user: str | None = None, encoding: str | None = None) -> ImportReport:
    """Check every row, then set the counts of every bin in the file, or of none.
    ``encoding``: the CSV's encoding when the person gave it (see ``reader.decode``)."""
    report = ImportReport("counts", str(path), bins=0)
    try:
        table = read_table(path, *COLUMNS, encoding=encoding)
    except FileRejected as exc:
        report.rejected = exc.errors
        return report
    report.encoding, report.rows = table.encoding, len(table.rows)
    with unit_of_work(sessions) as s:
        count = None
        if count_no:
            try:
                count = counts.find_count(s, count_no, open_only=True)
            except counts.CountError as exc:
                report.rejected.append(RowError(0, str(exc)))
                return report
        by_bin = _check(s, table, count, report)
        if report.rejected:
            return report
        try:
            if count is None:
                ids = {lid for lid, _c in by_bin.values()}
                bins = list(s.scalars(select(Location).where(Location.id.in_(ids)).order_by(Location.code)))
                count = counts.create_count(s, "file", user=user, bins=bins)
            results = counts.record_bins(s, count, {lid: found for lid, found in by_bin.values()}, user=user)
        except counts.CountError as exc:
            report.rejected.append(RowError(0, str(exc)))
            return report
        report.created = sum(r.skus for r in results)
        report.bins = len(results)
        report.count_no = count.count_no
        s.commit()
    return report


def _check(s: Session, table, count, report: ImportReport) -> dict[str, tuple[int, dict[str, int]]]:
    codes = {row.get("location", "") for _l, row in table.rows}
    skus = {row.get("sku", "") for _l, row in table.rows}
    locations = {code: (lid, kind) for code, lid, kind in s.execute(
        select(Location.code, Location.id, Location.kind).where(Location.code.in_(codes)))} if codes else {}
    known_skus = set(s.scalars(select(Product.sku).where(Product.sku.in_(skus)))) if skus else set()
    in_count: set[int] = set()
    decided: set[int] = set()
    if count is not None:
        in_count = set(s.scalars(select(CountBin.location_id).where(CountBin.count_id == count.id)))
        decided = set(s.scalars(select(CountLine.location_id).where(
            CountLine.count_id == count.id, CountLine.status.in_(("approved", "rejected")))))
    only = count.sku_set if count is not None else frozenset()
    seen: dict[tuple[str, str], int] = {}
    by_bin: dict[str, tuple[int, dict[str, int]]] = {}
    for line, row in table.rows:
        if "__error__" in row:
            report.rejected.append(RowError(line, row["__error__"]))
            continue
        problems = []
        code, sku, qty_text = row.get("location", ""), row.get("sku", ""), row.get("qty", "")
        for column in COLUMNS[0]:
            if not row.get(column):
                problems.append(_("{column} is empty", column=column))
        where = locations.get(code)
        if code and where is None:
            problems.append(_("Unknown location {code}", code=code))
        elif where is not None and where[1] != "stock":
            problems.append(_("{code} is not a stock bin", code=code))
        elif where is not None and count is not None and where[0] not in in_count:
            problems.append(_("Bin {bin} is not in count {count}", bin=code, count=count.count_no))
        elif where is not None and where[0] in decided:
            problems.append(_("A supervisor has already decided lines of this bin"))
        if sku and sku not in known_skus:
            problems.append(_("Unknown SKU {sku}", sku=sku))
        elif sku and only and sku not in only:
            problems.append(_("{sku} is not counted in {count}", sku=sku, count=count.count_no))
        qty = None
        if qty_text:
            try:
                qty = parse_int(qty_text, minimum=0)
            except ValueError as exc:
                problems.append(f"qty: {exc}")
        if code and sku:
            first = seen.setdefault((code, sku), line)
            if first != line:
                problems.append(_("{sku} in {code} is already counted on line {line}", sku=sku, code=code,
                                  line=first))
        if problems:
            report.rejected.append(RowError(line, "; ".join(problems)))
            continue
        found = by_bin.setdefault(code, (where[0], {}))[1]
        found[sku] = qty
    return by_bin
