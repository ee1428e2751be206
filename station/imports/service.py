"""Import products, locations, opening stock and users from the generic files in docs/formats.md.

Every row is checked first; if any row is bad the file is rejected whole, every bad
row listed with its line number, and nothing is written. Otherwise all rows are
written in one transaction. Opening stock becomes ledger movements (reason ``opening``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import FLAGS, ROLES, Barcode, Product, ProductImage, User
from station.db import one_at_a_time, unit_of_work
from station.files import fields
from station.files.reader import FileRejected, RowError, Table, parse_int, read_table
from station.files.report import ImportReport
from station.i18n import _
from station.inventory import ledger
from station.inventory.models import PHYSICAL_KINDS, Location, Movement
from station.scanning import is_valid_product_barcode

Progress = Callable[[int, int], None]


#: The longest text each product column holds (the database's column widths).
TEXT_LENGTHS = {"name": 200, "name_en": 200, "style": 64, "colour": 64, "size": 32, "category": 64,
                "supplier": 100, "unit": 16}

COLUMNS = {
    "products": (("sku", "name", "barcodes"),
                 ("style", "name_en", "colour", "size", "category", "flags", "weight_g",
                  "reorder_point", "supplier", "unit", "unit_cost", "image")),
    "locations": (("code", "kind"), ("zone",)),
    "stock": (("sku", "location", "qty"), ()),
    "users": (("name", "badge", "roles"), ()),
}


def import_file(sessions: sessionmaker[Session], kind: str, path: str | Path, *,
                user: str | None = None, station: str | None = None,
                progress: Progress | None = None, encoding: str | None = None) -> ImportReport:
    """Check every row, then write all of them or none. See the module docstring.
    ``encoding``: the CSV's encoding when the person gave it (see ``reader.decode``)."""
    report = ImportReport(kind, str(path))
    try:
        table = read_table(path, *COLUMNS[kind], encoding=encoding)
    except FileRejected as exc:
        report.rejected = exc.errors
        return report
    report.encoding, report.rows = table.encoding, len(table.rows)
    if kind == "products":  # pictures: files named in column image, or placed in an XLSX's rows
        table.pictures = _pictures(Path(path), table, report)
    checker = {"products": _products, "locations": _locations, "stock": _stock, "users": _users}[kind]
    with unit_of_work(sessions) as s:
        one_at_a_time(s, f"import.{kind}")  # two desks importing one file: the second sees the first's rows
        writes = checker(s, table, report)
        if report.rejected:
            return report
        total = len(writes)
        for i, write in enumerate(writes, start=1):
            write(s, user, station)
            if progress and (i % 200 == 0 or i == total):
                progress(i, total)
        s.commit()
    return report


def _pictures(path: Path, table: Table, report: ImportReport) -> dict[int, bytes]:
    """Each row's picture, made small (catalog.images), read before the transaction opens; a
    picture that cannot be used is a problem of its row. An XLSX picture in a row with an empty
    ``image`` cell is that row's."""
    from station.catalog.images import ImageError, read_image_file, thumbnail, xlsx_pictures
    from station.files.reader import is_xlsx

    placed = xlsx_pictures(path) if is_xlsx(path) else {}
    pictures: dict[int, bytes] = {}
    for line, row in table.rows:
        try:
            if row.get("image"):
                pictures[line] = read_image_file(row["image"], path.parent)
            elif line in placed:
                pictures[line] = thumbnail(placed[line])
        except ImageError as exc:
            report.rejected.append(RowError(line, _("image: {error}", error=str(exc))))
    return pictures


def _row_problem(row: dict[str, str], required: tuple[str, ...]) -> str | None:
    if "__error__" in row:
        return row["__error__"]
    missing = [c for c in required if not row.get(c)]
    if missing:
        return _("Missing {columns}", columns=", ".join(missing))
    return None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _products(s: Session, table: Table, report: ImportReport) -> list:
    required = COLUMNS["products"][0]
    existing_products = {p.sku: p for p in s.scalars(select(Product))}
    owner_of_code = {code: sku for code, sku in s.execute(
        select(Barcode.code, Product.sku).join(Product, Product.id == Barcode.product_id))}
    seen_sku: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    writes = []
    for line, row in table.rows:
        problems = []
        problem = _row_problem(row, required)
        if problem:
            report.rejected.append(RowError(line, problem))
            continue
        sku = row["sku"]
        try:
            fields.code(sku, "sku")
        except ValueError as exc:
            problems.append(str(exc))
        for col, longest in TEXT_LENGTHS.items():
            if len(row.get(col) or "") > longest:
                problems.append(_("{column}: longer than {n} characters", column=col, n=longest))
        if sku in seen_sku:
            problems.append(_("SKU {sku} already on line {line}", sku=sku, line=seen_sku[sku]))
        seen_sku[sku] = line
        flags = _split(row.get("flags", ""))
        bad_flags = [f for f in flags if f not in FLAGS]
        if bad_flags:
            problems.append(_("Unknown flag {flags}; allowed: {allowed}",
                              flags=", ".join(bad_flags), allowed=", ".join(FLAGS)))
        numbers = {}
        for col in ("weight_g", "reorder_point"):
            if row.get(col):
                try:
                    numbers[col] = parse_int(row[col], minimum=0)
                except ValueError as exc:
                    problems.append(f"{col}: {exc}")
        if row.get("unit_cost"):
            try:
                numbers["unit_cost"] = _money(row["unit_cost"])
            except ValueError as exc:
                problems.append(f"unit_cost: {exc}")
        codes = []
        for item in _split(row["barcodes"]):
            code, _star, pack = item.partition("*")
            pack_qty = 1
            if _star:
                try:
                    pack_qty = parse_int(pack, minimum=1)
                except ValueError as exc:
                    problems.append(_("Barcode {code}: pack quantity {error}", code=code, error=str(exc)))
                    continue
            damage = fields.damaged_number(code, "barcodes")
            if damage:
                problems.append(damage)
                continue
            padded = fields.lost_leading_zero(code)
            if padded:
                problems.append(_("Barcode {code} looks like {gtin} without its leading zero (a spreadsheet drops "
                                  "it): write the barcodes as text", code=code, gtin=padded))
                continue
            valid, reason = is_valid_product_barcode(code)
            if not valid:
                problems.append(_barcode_problem(code, reason))
                continue
            if code in seen_code:
                problems.append(_("Barcode {code} already on line {line}", code=code, line=seen_code[code]))
            elif owner_of_code.get(code, sku) != sku:
                problems.append(_("Barcode {code} already belongs to {sku}", code=code, sku=owner_of_code[code]))
            seen_code[code] = line
            codes.append((code, pack_qty))
        if not codes and not problems:
            problems.append(_("No barcode"))
        if problems:
            report.rejected.extend(RowError(line, p) for p in problems)
            continue
        existing = existing_products.get(sku)
        if existing is None:
            report.created += 1
        else:
            report.updated += 1
        writes.append(_product_write(existing, row, flags, numbers, codes, table.pictures.get(line),
                                     line))
    return writes


def _money(value: str):
    """A unit cost such as 12.5 or 12.50: plain digits, at most two decimals, below 100,000,000."""
    return fields.amount(value, places=2)


def _barcode_problem(code: str, reason: str | None) -> str:
    if reason == "bad_check_digit":
        return _("Barcode {code}: check digit is wrong", code=code)
    if reason == "reserved_prefix":
        return _("Barcode {code} starts with a prefix Station reserves (CMD-, PS:, RS:)", code=code)
    if reason == "too_long":
        return _("Barcode {code} is longer than 48 characters", code=code)
    return _("Barcode {code} is not printable as a barcode", code=code)


def _product_write(existing, row, flags, numbers, codes, picture: bytes | None = None, line: int = 0):
    def write(s: Session, _user, _station) -> None:
        product = existing or Product(sku=row["sku"])
        product.name = row["name"]
        for col in ("style", "name_en", "colour", "size", "category", "supplier"):
            setattr(product, col, row.get(col) or None)
        product.unit = row.get("unit") or product.unit or "pcs"
        product.flags = ";".join(flags)
        product.weight_g = numbers.get("weight_g")
        product.reorder_point = numbers.get("reorder_point")
        if "unit_cost" in row:  # a file without the column keeps the cost a product has
            product.unit_cost = numbers.get("unit_cost")
        if existing is None:
            s.add(product)
            s.flush()
        for code, pack_qty in codes:
            barcode = s.get(Barcode, code)
            if barcode is None:
                s.add(Barcode(code=code, product_id=product.id, pack_qty=pack_qty))
            else:
                barcode.pack_qty = pack_qty
        if picture is not None:  # a file without a picture for the row keeps the one the product has
            image = s.get(ProductImage, product.id) or ProductImage(product_id=product.id)
            image.data = picture
            image.source = (row.get("image") or f"xlsx row {line}")[:300]
            s.add(image)
    return write


def _locations(s: Session, table: Table, report: ImportReport) -> list:
    existing = {l.code: l for l in s.scalars(select(Location))}
    seen: dict[str, int] = {}
    writes = []
    for line, row in table.rows:
        problem = _row_problem(row, COLUMNS["locations"][0])
        code, kind = row.get("code", ""), row.get("kind", "")
        if not problem and kind not in PHYSICAL_KINDS:
            problem = _("Unknown location kind {kind}; allowed: {allowed}", kind=kind, allowed=", ".join(PHYSICAL_KINDS))
        if not problem:
            try:
                fields.code(code, "code", max_length=32)
            except ValueError as exc:
                problem = str(exc)
        if not problem and len(row.get("zone") or "") > 32:
            problem = _("{column}: longer than {n} characters", column="zone", n=32)
        if not problem and code in seen:
            problem = _("Location {code} already on line {line}", code=code, line=seen[code])
        if not problem and code in existing and existing[code].kind != kind:
            if existing[code].is_virtual:
                problem = _("{code} is a reserved location", code=code)
            elif s.scalar(select(Movement.id).where((Movement.from_location_id == existing[code].id)
                                                    | (Movement.to_location_id == existing[code].id)).limit(1)):
                problem = _("Location {code} has stock movements; its kind cannot change", code=code)
        if problem:
            report.rejected.append(RowError(line, problem))
            continue
        seen[code] = line
        if code in existing:
            report.updated += 1
        else:
            report.created += 1

        def write(s, _u, _st, code=code, kind=kind, zone=row.get("zone") or None, loc=existing.get(code)):
            if loc is None:
                s.add(Location(code=code, kind=kind, zone=zone))
            else:
                loc.kind, loc.zone = kind, zone
        writes.append(write)
    return writes


def _stock(s: Session, table: Table, report: ImportReport) -> list:
    products = set(s.scalars(select(Product.sku)))
    locations = {l.code: l for l in s.scalars(select(Location))}
    opened = set(s.execute(
        select(Product.sku, Location.code)
        .join(Movement, Movement.product_id == Product.id)
        .join(Location, Location.id == Movement.to_location_id)
        .where(Movement.reason == "opening")))
    seen: dict[tuple[str, str], int] = {}
    writes = []
    for line, row in table.rows:
        problem = _row_problem(row, COLUMNS["stock"][0])
        sku, code = row.get("sku", ""), row.get("location", "")
        qty = 0
        if not problem:
            try:
                qty = parse_int(row["qty"], minimum=1)
            except ValueError as exc:
                problem = f"qty: {exc}"
        if not problem and sku not in products:
            problem = _("Unknown SKU {sku}", sku=sku)
        if not problem and code not in locations:
            problem = _("Unknown location {code}", code=code)
        if not problem and locations[code].is_virtual:
            problem = _("{code} is a reserved location", code=code)
        if not problem and (sku, code) in seen:
            problem = _("{sku} in {location} already on line {line}", sku=sku, location=code, line=seen[(sku, code)])
        if not problem and (sku, code) in opened:
            problem = _("{sku} in {location} already has an opening balance", sku=sku, location=code)
        if problem:
            report.rejected.append(RowError(line, problem))
            continue
        seen[(sku, code)] = line
        report.created += 1

        def write(s, user, station, sku=sku, code=code, qty=qty):
            ledger.move(s, ledger.Move(sku, qty, "ADJUSTMENT", code, "opening", document=Path(table.path).name,
                                       user=user, station=station))
        writes.append(write)
    return writes


def _users(s: Session, table: Table, report: ImportReport) -> list:
    existing = {u.name: u for u in s.scalars(select(User))}
    badge_owner = {u.badge: u.name for u in existing.values()}
    seen_name: dict[str, int] = {}
    seen_badge: dict[str, int] = {}
    writes = []
    for line, row in table.rows:
        problem = _row_problem(row, COLUMNS["users"][0])
        name, badge = row.get("name", ""), row.get("badge", "")
        roles = _split(row.get("roles", ""))
        if not problem:
            bad = [r for r in roles if r not in ROLES]
            if bad:
                problem = _("Unknown role {roles}; allowed: {allowed}", roles=", ".join(bad), allowed=", ".join(ROLES))
        if not problem and name in seen_name:
            problem = _("User {name} already on line {line}", name=name, line=seen_name[name])
        if not problem and badge in seen_badge:
            problem = _("Badge {badge} already on line {line}", badge=badge, line=seen_badge[badge])
        if not problem and badge_owner.get(badge, name) != name:
            problem = _("Badge {badge} already belongs to {name}", badge=badge, name=badge_owner[badge])
        if not problem:
            try:
                fields.user_name(name, "name")
                fields.code(badge, "badge")
            except ValueError as exc:
                problem = str(exc)
        if problem:
            report.rejected.append(RowError(line, problem))
            continue
        seen_name[name], seen_badge[badge] = line, line
        if name in existing:
            report.updated += 1
        else:
            report.created += 1

        def write(s, _u, _st, name=name, badge=badge, roles=";".join(roles), user=existing.get(name)):
            if user is None:
                s.add(User(name=name, badge=badge, roles=roles))
            else:
                user.badge, user.roles = badge, roles
        writes.append(write)
    return writes
