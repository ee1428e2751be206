"""``station import KIND FILE``: every kind of file in, all or nothing, with a JSON report."""
from __future__ import annotations

import codecs
import sys
from pathlib import Path

import click

from station.cli.common import _open, _permit, _print_json, _url, db_option, station_name
from station.fulfilment.parsers import FORMATS as ORDER_FORMATS
from station.i18n import _


@click.command("import")
@db_option
@click.argument("kind", type=click.Choice(["products", "locations", "stock", "users", "orders", "po", "returns", "counts",
                                             "mappings"]))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(list(ORDER_FORMATS)), default="generic",
              show_default=True, help="File format (all but generic: orders only).")
@click.option("--items", "item_report", type=click.Path(dir_okay=False), default=None,
              help="Taobao: the item report (ExportOrderDetailList*.csv), if not beside the order report.")
@click.option("--user", required=True, help="Who imports (role checked; recorded on stock movements).")
@click.option("--count", "count_no", default=None, help="counts: the open count the file belongs to "
              "(default: a new count of the bins in the file).")
@click.option("--encoding", default=None, metavar="NAME",
              help="The CSV's encoding (utf-8, utf-16, gb18030, cp1252, shift_jis, ...) when Station "
                   "cannot tell it for sure.")
@click.option("--unmapped-out", "unmapped_out", type=click.Path(dir_okay=False), default=None,
              help="orders: when listings are not mapped, write them here as a mappings file to fill in "
                   "(the sku column empty), for station import mappings.")
@click.pass_context
def import_(ctx, db_url, kind, file, fmt, item_report, user, count_no=None, encoding=None, unmapped_out=None):
    """Import a file; all or nothing. Prints a JSON summary; exits 1 if rows were rejected."""
    from station.files.report import MAX_REJECTED_SHOWN

    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise click.BadParameter(_("Unknown encoding {encoding}", encoding=encoding),
                                     param_hint="--encoding") from None
    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, f"import.{kind}", user, Path(file).name)
    if kind == "counts":
        from station.imports.counts import import_counts

        report = import_counts(sessions, file, count_no=count_no, user=user, encoding=encoding)
    elif kind == "orders":
        from station.fulfilment.orders import import_orders

        report = import_orders(sessions, file, fmt, item_report=item_report, user=user, encoding=encoding)
    elif kind == "mappings":
        from station.imports.mappings import import_mappings

        report = import_mappings(sessions, file, user=user, encoding=encoding)
    elif kind == "returns":
        from station.returns.expected import import_returns

        report = import_returns(sessions, file, user=user, encoding=encoding)
    elif kind == "po":
        from station.inbound.purchasing import import_po

        if fmt != "generic":
            click.echo(_("Only orders come in the {format} format", format=fmt), err=True)
            sys.exit(2)
        report = import_po(sessions, file, user=user, encoding=encoding)
    else:
        from station.imports.service import import_file

        if fmt != "generic":
            click.echo(_("Only orders come in the {format} format", format=fmt), err=True)
            sys.exit(2)
        report = import_file(sessions, kind, file, user=user, station=station_name(), encoding=encoding)
    _print_json(report.as_dict())
    if unmapped_out and report.unmapped:
        from station.files.writer import excel_csv, safe_cell

        Path(unmapped_out).write_text(excel_csv(
            ["shop", "listing", "variant", "shop_sku", "sku"],
            ([safe_cell(u["shop"]), safe_cell(u["listing"]), safe_cell(u["variant"]), safe_cell(u["shop_sku"]), ""]
             for u in report.unmapped)), encoding="utf-8")
        click.echo(_("The unmapped listings are in {file}: fill in the sku column, then station import "
                     "mappings {file}", file=unmapped_out), err=True)
    if not report.ok:
        click.echo(_("Rejected: nothing was imported. Fix these rows and import the file again:"), err=True)
        for err in report.rejected[:MAX_REJECTED_SHOWN]:
            where = getattr(err, "file", None)
            line = _("line {line}: {reason}", line=err.line, reason=err.reason)
            click.echo(f"{where} {line}" if where else line, err=True)
        if len(report.rejected) > MAX_REJECTED_SHOWN:
            click.echo(_("... and {n} more reasons", n=len(report.rejected) - MAX_REJECTED_SHOWN), err=True)
        sys.exit(1)


COMMANDS = (import_,)  # added to ``station`` by station/cli/__init__.py
