"""``station import mappings FILE``: the listing map (商品对应) from a file, all or nothing.

Columns: **shop**, **listing**, variant, shop_sku, **sku** (docs/formats.md, "mappings").
``listing`` is the listing's title or id as the shop's export writes it, ``variant`` its
variant title or id (empty for none), ``sku`` one of our products. A row that names a listing
already mapped updates it; two rows of one file that map one listing to different SKUs are
both refused. The office's mapping dialog saves through ``save_mappings`` the same way.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import Barcode, Product
from station.db import one_at_a_time, unit_of_work
from station.files import fields
from station.files.reader import FileRejected, RowError, read_table
from station.files.report import ImportReport
from station.fulfilment.listings import Mapping, key, save_mappings
from station.i18n import _

REQUIRED = ("shop", "listing", "sku")
OPTIONAL = ("variant", "shop_sku")
LENGTHS = {"shop": 64, "listing": 200, "variant": 200}


def check_mapping(shop: str, listing: str, variant: str, shop_sku: str, sku: str) -> tuple[Mapping, list[str]]:
    """The mapping as stored (titles with spaces collapsed) and what is wrong with it (SKU format,
    lengths); whether ``sku`` is a product is the caller's check."""
    problems = []
    shop, listing, variant = shop.strip(), key(listing), key(variant)
    for column, value in (("shop", shop), ("listing", listing), ("variant", variant)):
        if len(value) > LENGTHS[column]:
            problems.append(_("{column}: {value!r} is longer than {n} characters", column=column,
                              value=fields.shown(value), n=LENGTHS[column]))
    if not listing:
        problems.append(_("Missing {columns}", columns="listing"))
    shop_sku = shop_sku.strip() or None
    if shop_sku and len(shop_sku) > 64:
        problems.append(_("{column}: {value!r} is longer than {n} characters", column="shop_sku",
                          value=fields.shown(shop_sku), n=64))
    try:
        fields.code(sku.strip(), "sku")
    except ValueError as exc:
        problems.append(str(exc))
    return Mapping(shop, listing, variant, shop_sku, sku.strip()), problems


def import_mappings(sessions: sessionmaker[Session], path: str | Path, *, user: str | None = None,
                    encoding: str | None = None) -> ImportReport:
    """Check every row, then save all the mappings or none (see the module docstring)."""
    report = ImportReport("mappings", str(path))
    try:
        table = read_table(path, REQUIRED, OPTIONAL, encoding=encoding)
    except FileRejected as exc:
        report.rejected = exc.errors
        return report
    report.encoding = table.encoding
    return map_listings(sessions, table.rows, user=user, report=report)


def map_listings(sessions: sessionmaker[Session], rows: list[tuple[int, dict[str, str]]], *,
                 user: str | None = None, report: ImportReport | None = None) -> ImportReport:
    """Save the mappings of ``rows`` — (line, {shop, listing, variant, shop_sku, sku}) — all or none.
    The file import and the office's mapping dialog both come here; a bad row is named by its line
    (the dialog's row number) with the reason, and nothing is saved."""
    report = report or ImportReport("mappings", "")
    report.rows = len(rows)
    found: dict[tuple[str, str, str], tuple[int, Mapping]] = {}
    with unit_of_work(sessions) as s:
        one_at_a_time(s, "import.mappings")
        products = set(s.scalars(select(Product.sku)))
        for line, row in rows:
            if "__error__" in row:
                report.rejected.append(RowError(line, row["__error__"]))
                continue
            missing = [c for c in REQUIRED if not (row.get(c) or "").strip()]
            if missing and missing != ["shop"]:  # an empty shop is the orders that name none
                report.rejected.append(RowError(line, _("Missing {columns}", columns=", ".join(missing))))
                continue
            mapping, problems = check_mapping(row.get("shop") or "", row["listing"], row.get("variant") or "",
                                              row.get("shop_sku") or "", row["sku"])
            if not problems and mapping.sku not in products:
                problems.append(_("sku {sku} is not a product", sku=mapping.sku))
            seen = found.get((mapping.shop, mapping.listing, mapping.variant))
            if not problems and seen and seen[1] != mapping:
                problems.append(_("This listing is mapped to {sku} on line {line}", sku=seen[1].sku, line=seen[0]))
            for reason in problems:
                report.rejected.append(RowError(line, reason))
            if not problems and not seen:
                found[(mapping.shop, mapping.listing, mapping.variant)] = (line, mapping)
        if report.rejected:
            return report
        report.created, report.updated = save_mappings(s, [m for _line, m in found.values()], user)
        s.commit()
    return report


def product_for_code(sessions: sessionmaker[Session], code: str) -> tuple[str, str] | None:
    """(sku, name) of the product a scanned barcode or a typed SKU is; None when it is none."""
    code = code.strip()
    if not code:
        return None
    with unit_of_work(sessions) as s:
        row = s.execute(select(Product.sku, Product.name).join(Barcode, Barcode.product_id == Product.id)
                        .where(Barcode.code == code)).first()
        if row is None:
            row = s.execute(select(Product.sku, Product.name).where(Product.sku == code)).first()
        return (row[0], row[1]) if row else None
