"""The ``station`` command. Every subcommand goes through the same services as the GUI."""
from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import click

from station.i18n import _, set_language

DB_HELP = "Database URL (default: $STATION_DB, else the SQLite file in the user data folder)."


def station_name() -> str:
    return os.environ.get("STATION_NAME") or socket.gethostname()


def db_option(f):
    return click.option("--db", "db_url", metavar="URL", help=DB_HELP, default=None)(f)


def _url(ctx: click.Context, db_url: str | None) -> str | None:
    return db_url or (ctx.obj or {}).get("db_url")


def _open(url: str | None):
    from station.db import DatabaseError, open_database

    try:
        return open_database(url)
    except DatabaseError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _dt_local(text: str | None):
    """A date or date-time typed by a person, in this computer's zone."""
    from datetime import datetime as _dt

    if not text:
        return None
    try:
        value = _dt.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(_("{value} is not a date like 2026-11-11 or 2026-11-11T08:00", value=text))
    return value if value.tzinfo else value.astimezone()


def _print_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


REFUSED_EXIT = 3  # the user is unknown or lacks the role (docs/roles.md)


def _permit(sessions, action: str, user: str | None, target: str | None = None) -> str:
    """The role check shared with the office windows; a refusal is recorded, then we exit."""
    from station.catalog.roles import NotPermitted, authorize

    try:
        return authorize(sessions, action, user, target=target, station=station_name())
    except NotPermitted as exc:
        click.echo(exc.message, err=True)
        sys.exit(REFUSED_EXIT)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.option("--lang", type=click.Choice(["en", "zh_CN"]), default=None, help="Language (default: system).")
@click.pass_context
def main(ctx: click.Context, db_url: str | None, lang: str | None) -> None:
    """Station: warehouse and shipping bench. Without a command, opens the GUI."""
    set_language(lang)
    ctx.ensure_object(dict)
    ctx.obj["db_url"] = db_url
    if ctx.invoked_subcommand is None:
        from station.ui.app import run

        sys.exit(run(db_url, lang))


@main.command()
@db_option
@click.pass_context
def init(ctx, db_url):
    """Create or upgrade the database, with the built-in couriers."""
    from station.db import describe, resolve_url
    from station.setup import seed_couriers

    _engine, sessions = _open(_url(ctx, db_url))
    added = seed_couriers(sessions)
    _print_json({"database": describe(resolve_url(_url(ctx, db_url))), "couriers_added": added})


@main.command()
@db_option
@click.option("--sheet", type=click.Path(dir_okay=False), default=None,
              help="Where to write the PDF sheet of badges, commands and sample barcodes.")
@click.pass_context
def demo(ctx, db_url, sheet):
    """Build the bilingual demo warehouse and print its scanner sheet."""
    from station.demo import build_demo

    _engine, sessions = _open(_url(ctx, db_url))
    result = build_demo(sessions, sheet=Path(sheet) if sheet else None, station=station_name(),
                        progress=lambda msg: click.echo(msg, err=True))
    _print_json(result)


@main.command("import")
@db_option
@click.argument("kind", type=click.Choice(["products", "locations", "stock", "users", "orders", "po", "returns", "counts"]))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["generic", "shopify", "taobao"]), default="generic",
              show_default=True, help="File format (shopify and taobao: orders only).")
@click.option("--items", "item_report", type=click.Path(dir_okay=False), default=None,
              help="Taobao: the item report (ExportOrderDetailList*.csv), if not beside the order report.")
@click.option("--user", required=True, help="Who imports (role checked; recorded on stock movements).")
@click.option("--count", "count_no", default=None, help="counts: the open count the file belongs to "
              "(default: a new count of the bins in the file).")
@click.option("--encoding", default=None, metavar="NAME",
              help="The CSV's encoding (utf-8, utf-16, gb18030, cp1252, shift_jis, ...) when Station "
                   "cannot tell it for sure.")
@click.pass_context
def import_(ctx, db_url, kind, file, fmt, item_report, user, count_no=None, encoding=None):
    """Import a file; all or nothing. Prints a JSON summary; exits 1 if rows were rejected."""
    import codecs

    from station.imports.reader import MAX_REJECTED_SHOWN

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
    if not report.ok:
        click.echo(_("Rejected: nothing was imported. Fix these rows and import the file again:"), err=True)
        for err in report.rejected[:MAX_REJECTED_SHOWN]:
            where = getattr(err, "file", None)
            line = _("line {line}: {reason}", line=err.line, reason=err.reason)
            click.echo(f"{where} {line}" if where else line, err=True)
        if len(report.rejected) > MAX_REJECTED_SHOWN:
            click.echo(_("... and {n} more reasons", n=len(report.rejected) - MAX_REJECTED_SHOWN), err=True)
        sys.exit(1)


@main.group()
def orders():
    """List orders, and release, hold or cancel them."""


@orders.command("list")
@db_option
@click.option("--status", type=click.Choice(["ready", "on_hold", "packed", "shipped", "delivered", "cancelled"]))
@click.pass_context
def orders_list(ctx, db_url, status):
    """One JSON object per order, with its open holds."""
    from station.fulfilment.orders import hold_text, list_orders

    _engine, sessions = _open(_url(ctx, db_url))
    for o in list_orders(sessions, status):
        _print_json({"order_no": o.order_no, "status": o.status, "recipient": o.recipient, "courier": o.courier,
                     "items": o.items, "paid_at": o.paid_at.isoformat() if o.paid_at else None,
                     "holds": [{"code": c, "reason": hold_text(c), "detail": d} for c, d in o.holds]})


def _order_action(ctx, db_url, action, order_no, user, **kw):
    from station.fulfilment.orders import OrderError

    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, f"orders.{ctx.command.name}", user, order_no)
    try:
        order = action(sessions, order_no, user=user, **kw)
    except OrderError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    _print_json({"order_no": order.order_no, "status": order.status})


@orders.command("release")
@db_option
@click.argument("order_no")
@click.option("--user", required=True, help="Who releases the hold (recorded).")
@click.pass_context
def orders_release(ctx, db_url, order_no, user):
    """A person has read the message or fixed the problem: the order may be packed."""
    from station.fulfilment.orders import release_order

    _order_action(ctx, db_url, release_order, order_no, user)


@orders.command("hold")
@db_option
@click.argument("order_no")
@click.option("--user", required=True)
@click.option("--reason", default=None)
@click.pass_context
def orders_hold(ctx, db_url, order_no, user, reason):
    """Hold an order by hand (customer service asked to wait)."""
    from station.fulfilment.orders import hold_order

    _order_action(ctx, db_url, hold_order, order_no, user, detail=reason)


@orders.command("cancel")
@db_option
@click.argument("order_no")
@click.option("--user", required=True)
@click.pass_context
def orders_cancel(ctx, db_url, order_no, user):
    """Cancel an order that has not shipped; its printed waybills become void."""
    from station.fulfilment.orders import cancel_order

    _order_action(ctx, db_url, cancel_order, order_no, user)


@main.group()
def waybills():
    """Waybill numbers issued by couriers (the number pool)."""


@waybills.command("add")
@db_option
@click.argument("courier")
@click.option("--file", "file", type=click.Path(dir_okay=False), help="A text file, one number per line.")
@click.option("--range", "rng", nargs=4, type=(str, int, int, int), default=None,
              metavar="PREFIX START COUNT WIDTH", help="e.g. SF 100000000000 500 13 for SF0100000000000…")
@click.option("--user", required=True, help="Who adds the numbers (role checked, recorded).")
@click.pass_context
def waybills_add(ctx, db_url, courier, file, rng, user):
    """Add issued numbers to the pool; all or nothing (every number must fit the courier's pattern)."""
    from station.db import unit_of_work
    from station.fulfilment.waybills import WaybillError, add_numbers, number_range

    if bool(file) == bool(rng):
        click.echo(_("Give either --file or --range"), err=True)
        sys.exit(2)
    numbers = ([n.strip() for n in Path(file).read_text(encoding="utf-8-sig").splitlines() if n.strip()]
               if file else number_range(*rng))
    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "waybills.add", user, courier)
    with unit_of_work(sessions) as s:
        try:
            report = add_numbers(s, courier, numbers)
        except WaybillError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        s.commit()
    _print_json({"courier": courier, "added": report.added, "invalid": report.invalid[:50],
                 "duplicates": report.duplicates[:50]})
    if report.invalid or report.duplicates:
        click.echo(_("Rejected: nothing was added"), err=True)
        sys.exit(1)


@main.group()
def returns():
    """Match a return parcel to its order; rebuild the matching index."""


@returns.command("match")
@db_option
@click.option("--note", "note_file", required=True, type=click.Path(dir_okay=False, exists=True),
              help="The return note as JSON (fields in docs/returns-matching.md).")
@click.option("--days", default=None, type=click.IntRange(1, 3650),
              help="Look at orders shipped in the last N days (default 60).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Candidates shown.")
@click.pass_context
def returns_match(ctx, db_url, note_file, days, limit):
    """Print the ranked candidate orders of a return note, with their evidence, as JSON."""
    from station.db import unit_of_work
    from station.returns.index import index_missing, reindex_all
    from station.returns.matching import DEFAULT_DAYS, match_note
    from station.returns.note import NoteError, ReturnNote

    try:
        note = ReturnNote.from_dict(json.loads(Path(note_file).read_text(encoding="utf-8-sig")))
    except (ValueError, UnicodeDecodeError) as exc:
        problems = exc.problems if isinstance(exc, NoteError) else [str(exc)]
        click.echo(_("The note cannot be read:"), err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(2)
    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        if index_missing(s):  # shipped orders from before the matching index: key them once
            click.echo(_("Indexing {n} keys of shipped orders for matching (once)", n=reindex_all(s)), err=True)
            s.commit()
        result = match_note(s, note, days=days or DEFAULT_DAYS)
    _print_json(result.as_dict(limit))


@returns.command("reindex")
@db_option
@click.option("--user", required=True, help="Who rebuilds it (role checked, recorded).")
@click.pass_context
def returns_reindex(ctx, db_url, user):
    """Rebuild the matching keys of every packed or shipped order (after an upgrade)."""
    from station.db import unit_of_work
    from station.returns.index import reindex_all

    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "returns.reindex", user)
    with unit_of_work(sessions) as s:
        rows = reindex_all(s)
        s.commit()
    _print_json({"keys": rows})


@returns.command("trail")
@db_option
@click.argument("key")
@click.pass_context
def returns_trail(ctx, db_url, key):
    """The packing scan trail of a parcel (ORDER_NO or tracking number): what was scanned, by whom, when, where."""
    from station.db import unit_of_work
    from station.returns.handoff import packing_trail

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        order, events = packing_trail(s, key)
    if order is None:
        click.echo(_("No order {order}", order=key), err=True)
        sys.exit(1)
    _print_json({"order_no": order.order_no, "events": [e.as_dict() for e in events]})


@returns.command("register")
@db_option
@click.option("--shop", default=None, help="Only this shop's returns.")
@click.option("--since", default=None, help="Received from this date (YYYY-MM-DD).")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True)
@click.pass_context
def returns_register(ctx, db_url, shop, since, out):
    """The return register (CSV): shop, receipt, order, return tracking, SKU, model, quantity, problem, place."""
    from station.db import unit_of_work
    from station.returns.handoff import register, register_csv

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        rows = register(s, shop, _dt_local(since))
    Path(out).write_text(register_csv(rows), encoding="utf-8")
    _print_json({"file": out, "rows": len(rows), "units": sum(r.qty for r in rows)})


@returns.command("handoff")
@db_option
@click.option("--since", default=None, help="Received from this date (YYYY-MM-DD).")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="Also write it as CSV.")
@click.pass_context
def returns_handoff(ctx, db_url, since, out):
    """Refunds and exchanges for customer service: amounts and who pays the return postage (JSON lines)."""
    from station.db import unit_of_work
    from station.returns.handoff import handoff, handoff_csv

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        rows = handoff(s, _dt_local(since))
    if out:
        Path(out).write_text(handoff_csv(rows), encoding="utf-8")
    for row in rows:
        _print_json(row.as_dict())


@returns.command("unidentified")
@db_option
@click.option("--search", default=None, help="Words of the note (name, phone, account...) or the tracking number.")
@click.pass_context
def returns_unidentified(ctx, db_url, search):
    """Parcels on the unidentified-returns shelf, with their tag and note (JSON lines)."""
    from station.db import unit_of_work
    from station.returns.receiving import search_unidentified

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        for r in search_unidentified(s, search):
            _print_json({"tag": r.receipt_no, "location": r.location, "tracking": r.return_tracking,
                         "received_at": r.opened_at.isoformat(), "note": r.note})


@main.command("batch")
@db_option
@click.option("--courier", default=None)
@click.option("--shop", default=None)
@click.option("--items", type=click.Choice(["single", "multi"]), default=None,
              help="single: orders of one unit; multi: the others.")
@click.option("--limit", type=int, default=None, help="At most this many orders (oldest payment first).")
@click.option("--paid-from", default=None, help="Paid at or after (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time).")
@click.option("--paid-to", default=None, help="Paid before (same format).")
@click.option("--user", required=True, help="Who prints the batch (role checked, recorded).")
@click.pass_context
def batch(ctx, db_url, courier, shop, items, limit, paid_from, paid_to, user):
    """Print a batch: ready orders get waybill numbers; pick list, packing slips and waybills go to the printer."""
    from station.fulfilment.batches import BatchCriteria, BatchError, create_batch

    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "batch", user)
    try:
        when = [_dt_local(v) for v in (paid_from, paid_to)]
        result = create_batch(sessions, BatchCriteria(courier, shop, items, when[0], when[1], limit=limit),
                              user=user, station=station_name())
    except (BatchError, ValueError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    _print_json({"batch_no": result.batch_no, "orders": len(result.orders), "waybills": result.waybills,
                 "print_jobs": list(result.jobs)})


@main.command("export")
@db_option
@click.argument("what", type=click.Choice(["shipments"]))
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True)
@click.option("--since", default=None, help="Only shipments from this date (YYYY-MM-DD).")
@click.pass_context
def export(ctx, db_url, what, out, since):
    """Shipment confirmations for the shop: order_no, courier, tracking_no, shipped_at (CSV)."""
    from datetime import datetime as _dt, timezone as _tz

    from station.db import unit_of_work
    from station.fulfilment.handovers import shipments, shipments_csv

    _engine, sessions = _open(_url(ctx, db_url))
    start = _dt.fromisoformat(since).replace(tzinfo=_tz.utc) if since else None
    with unit_of_work(sessions) as s:
        rows = shipments(s, start)
    Path(out).write_text(shipments_csv(rows), encoding="utf-8")
    _print_json({"file": out, "shipments": len(rows)})


@main.command("kpi")
@db_option
@click.option("--hours", type=int, default=24, show_default=True, help="Look back this many hours.")
@click.pass_context
def kpi(ctx, db_url, hours):
    """Per packer and hour: orders, items, scans, errors; then orders not shipped within 24 h of payment."""
    from datetime import datetime as _dt, timedelta as _td, timezone as _tz

    from station.db import unit_of_work
    from station.fulfilment.kpi import late_orders, packer_hours

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        for r in packer_hours(s, _dt.now(_tz.utc) - _td(hours=hours)):
            _print_json({"packer": r.packer, "hour": r.hour.isoformat(), "orders": r.orders, "items": r.items,
                         "scans": r.scans, "errors": r.errors, "error_rate": round(r.error_rate, 4)})
        for o in late_orders(s):
            _print_json({"late_order": o.order_no, "status": o.status, "paid_at": o.paid_at.isoformat(),
                         "hours_since_payment": o.hours, "overdue": o.overdue})


@main.group()
def receive():
    """Receiving outside the bench: blind receipts, the quality check, a receipt's lines."""


def _receipt_json(s, receipt) -> dict:
    from station.inbound.receiving import summary

    return {"receipt_no": receipt.receipt_no, "po_no": receipt.po.po_no if receipt.po else None,
            "supplier": receipt.supplier, "status": receipt.status, "blind_reason": receipt.blind_reason,
            "lines": [{"sku": l.sku, "expected": l.expected, "received": l.received, "quarantined": l.quarantined,
                       "accepted": l.received - l.quarantined, "short": l.short, "over": l.over, "on_po": l.on_po}
                      for l in summary(s, receipt)]}


def _receive_action(ctx, db_url, action, check=None):
    """``check``: (action, user, target) of the role check, or None for a read."""
    from station.db import unit_of_work
    from station.inbound.receiving import InboundError

    _engine, sessions = _open(_url(ctx, db_url))
    if check is not None:
        _permit(sessions, *check)
    with unit_of_work(sessions) as s:
        try:
            receipt = action(s)
        except (InboundError, ValueError) as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        s.commit()
        _print_json(_receipt_json(s, receipt))


@receive.command("blind")
@db_option
@click.option("--supplier", required=True)
@click.option("--reason", required=True, help="Why there is no PO (kept on the receipt and its note).")
@click.option("--user", required=True)
@click.pass_context
def receive_blind(ctx, db_url, supplier, reason, user):
    """Open a receipt without a PO; scan its number at the receive bench to count the goods."""
    from station.inbound.receiving import open_blind_receipt

    _receive_action(ctx, db_url, lambda s: open_blind_receipt(s, supplier, reason, user=user,
                                                              station=station_name()),
                    ("receive.blind", user, supplier))


@receive.command("qc")
@db_option
@click.argument("receipt_no")
@click.argument("sku")
@click.option("--failed", type=click.IntRange(0), default=0, show_default=True,
              help="Units of the line that failed (0: the line passes).")
@click.option("--reason", default="", help="Why they failed (required when --failed > 0).")
@click.option("--user", required=True)
@click.pass_context
def receive_qc(ctx, db_url, receipt_no, sku, failed, reason, user):
    """Record a line's quality check; failed units move to quarantine."""
    from station.inbound.receiving import InboundError, find_receipt, quality_check

    def action(s):
        receipt = find_receipt(s, receipt_no)
        if receipt is None:
            raise InboundError("unknown_receipt", _("No receipt {receipt}", receipt=receipt_no))
        quality_check(s, receipt, sku, failed, reason, user=user, station=station_name())
        return receipt

    _receive_action(ctx, db_url, action, ("receive.qc", user, f"{receipt_no} {sku}"))


@receive.command("show")
@db_option
@click.argument("receipt_no")
@click.pass_context
def receive_show(ctx, db_url, receipt_no):
    """A receipt's lines: expected, received, quarantined, accepted, short, over."""
    from station.inbound.receiving import InboundError, find_receipt

    def action(s):
        receipt = find_receipt(s, receipt_no)
        if receipt is None:
            raise InboundError("unknown_receipt", _("No receipt {receipt}", receipt=receipt_no))
        return receipt

    _receive_action(ctx, db_url, action)


@main.command("reorder")
@db_option
@click.option("--supplier", "suppliers", multiple=True, help="Only this supplier (repeat for more).")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), default=None, help="Write the CSV here.")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False), default=None, help="Write the PDF here.")
@click.option("--user", default="", help="Who prepares it (printed on the requisition).")
@click.pass_context
def reorder(ctx, db_url, suppliers, csv_out, pdf_out, user):
    """The purchase requisition: products at or below their reorder point, by supplier (JSON, CSV, PDF)."""
    from datetime import datetime as _dt

    from station.db import unit_of_work
    from station.inbound.reorder import render_requisition, requisition, requisition_csv, requisition_number

    _engine, sessions = _open(_url(ctx, db_url))
    now = _dt.now().astimezone()
    with unit_of_work(sessions) as s:
        groups = requisition(s, list(suppliers) or None)
    if csv_out:
        Path(csv_out).write_text(requisition_csv(groups), encoding="utf-8")
    if pdf_out and groups:
        Path(pdf_out).write_bytes(render_requisition(groups, now, user))
    _print_json({"requisition": requisition_number(now), "suppliers": [
        {"supplier": g.supplier, "suggested": g.suggested,
         "lines": [{"sku": l.sku, "on_hand": l.on_hand, "reorder_point": l.reorder_point, "on_order": l.on_order,
                    "suggested": l.suggested} for l in g.lines]} for g in groups]})


@main.command("summary")
@db_option
@click.argument("month")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), default=None, help="Write the CSV here.")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False), default=None, help="Write the PDF here.")
@click.option("--user", default="", help="Who prepares it (printed on the summary).")
@click.pass_context
def summary(ctx, db_url, month, csv_out, pdf_out, user):
    """The month's in/out/stock summary (进销存) per SKU from the ledger: MONTH like 2026-11 (local time)."""
    from station.db import unit_of_work
    from station.inbound.monthly import monthly_summary, render_summary, summary_csv

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        try:
            result = monthly_summary(s, month)
        except ValueError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
    if csv_out:
        Path(csv_out).write_text(summary_csv(result), encoding="utf-8")
    if pdf_out:
        Path(pdf_out).write_bytes(render_summary(result, user))
    _print_json({"month": month, "skus": len(result.rows), "opening": sum(r.opening for r in result.rows),
                 "in": sum(r.total_in for r in result.rows), "out": sum(r.total_out for r in result.rows),
                 "closing": sum(r.closing for r in result.rows)})


@main.command("print")
@db_option
@click.argument("document")
@click.argument("ids", nargs=-1, required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="Write the PDF here.")
@click.option("--printer", default=None, metavar="DEST",
              help="Send it through the outbox instead: pdf:FOLDER, qt:PRINTER or cups:QUEUE.")
@click.option("--size", default=None, help="A4, A5, 100x180, 76x130, 4x6, 40x30, 50x30 (where the document has it).")
@click.option("--user", default=None, help="Who prints (required with --printer: the job is recorded).")
@click.pass_context
def print_(ctx, db_url, document, ids, out, printer, size, user):
    """Print a document: packing-slip, waybill (ORDER...), product-label (SKU...), location-label (CODE...),
    pick-list (BATCH), handover (HANDOVER), receiving-note (RECEIPT), count-sheet, variance-report,
    write-off (COUNT), return-receipt, return-refusal (RECEIPT), requisition (all or SUPPLIER...),
    monthly-summary (YYYY-MM)."""
    from station.db import read_only, unit_of_work
    from station.fulfilment.documents import DocumentError, build
    from station.printing import outbox

    if not out and not printer:
        click.echo(_("Give --out FILE.pdf or --printer DEST"), err=True)
        sys.exit(2)
    if printer and not user:
        click.echo(_("Give --user: a job sent to a printer is recorded with who sent it"), err=True)
        sys.exit(2)
    _engine, sessions = _open(_url(ctx, db_url))
    if printer:
        _permit(sessions, "print", user, f"{document} {' '.join(ids)}"[:200])
    with read_only(sessions) as s:  # a document is drawn without holding the write lock
        try:
            pdf = build(s, document, list(ids), size)
        except (DocumentError, ValueError) as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    result = {"document": document, "ids": list(ids), "bytes": len(pdf), "out": out}
    if printer:
        with unit_of_work(sessions) as s:
            job = outbox.submit(s, document, " ".join(ids)[:200], pdf, user=user, printer=printer,
                                station=station_name())
            s.commit()
            job_id = job.id
    if out:  # written once the transaction is over: no file I/O holding the database
        Path(out).write_bytes(pdf)
    if printer:  # sent after the commit: no printer I/O inside a transaction
        sent = outbox.send(sessions, job_id, states=("queued",))
        result.update(job=sent.id, status=sent.status, error=sent.error)
    _print_json(result)


@main.command()
@db_option
@click.argument("sku", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per row.")
@click.pass_context
def stock(ctx, db_url, sku, as_json):
    """Stock on hand by SKU and location (physical locations only)."""
    from station.db import unit_of_work
    from station.inventory.ledger import stock_rows

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        rows = stock_rows(s, sku)
    if sku and not rows:
        click.echo(_("No stock of {sku}", sku=sku), err=True)
    for r in rows:
        if as_json:
            _print_json({"sku": r.sku, "name": r.name, "colour": r.colour, "size": r.size,
                         "location": r.location, "kind": r.kind, "qty": r.qty})
        else:
            extra = " ".join(x for x in (r.colour, r.size) if x)
            click.echo(f"{r.sku}\t{r.name} {extra}\t{r.location}\t{r.qty}")


@main.command()
@db_option
@click.pass_context
def verify(ctx, db_url):
    """Prove every balance equals the sum of its ledger and none is negative; exit 1 otherwise."""
    from station.db import unit_of_work
    from station.inventory.ledger import verify as verify_ledger

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        problems = verify_ledger(s)
    for p in problems:
        if p.problem == "mismatch":
            click.echo(_("{sku} in {location}: balance {balance} but ledger sums to {ledger}",
                         sku=p.sku, location=p.location, balance=p.balance, ledger=p.ledger))
        else:
            click.echo(_("{sku} in {location}: negative balance {balance}",
                         sku=p.sku, location=p.location, balance=p.balance))
    if problems:
        click.echo(_("Ledger check failed: {n} problems", n=len(problems)), err=True)
        sys.exit(1)
    click.echo(_("Ledger check passed: every balance equals its ledger, none negative"))


@main.command()
@db_option
@click.argument("bench")
@click.option("--user", required=True, help="Who scans (a user name).")
@click.option("--station", "station", default=None, help="Station name (default: $STATION_NAME or host name).")
@click.pass_context
def replay(ctx, db_url, bench, user, station):
    """Feed scans from standard input to a bench; one JSON outcome per input line."""
    from station.workflows.runner import BenchRunner, UnknownBench, outcome_json

    _engine, sessions = _open(_url(ctx, db_url))
    try:
        runner = BenchRunner(sessions, bench, station or station_name())
    except UnknownBench as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    welcome = runner.login(user)
    if welcome.code == "unknown_user":
        click.echo(welcome.message, err=True)
        sys.exit(2)
    # A scanner may send bytes that are not UTF-8: they reach the runner as lone surrogates
    # (which it escapes and answers with unreadable_scan) instead of ending the process, and
    # nothing written out can fail to encode: every line on stdout is valid UTF-8.
    for stream, errors in ((sys.stdin, "surrogateescape"), (sys.stdout, "backslashreplace")):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=errors)
    for line in sys.stdin:
        raw = line.rstrip("\r\n")
        scan, outcome = runner.process(raw)
        _print_json(outcome_json(scan, outcome))
        sys.stdout.flush()
        runner.finish_printing()  # never raises: with the database gone the jobs wait in the outbox


@main.group()
def counts():
    """Stock counts: plan, list, show variances, approve or reject, ask for a recount."""


@counts.command("plan")
@db_option
@click.argument("kind", type=click.Choice(["full", "zone", "range", "skus", "cycle", "stale"]))
@click.option("--zone", default=None, help="zone: the zone to count.")
@click.option("--from", "first", default=None, help="range: the first bin.")
@click.option("--to", "last", default=None, help="range: the last bin.")
@click.option("--sku", "skus", multiple=True, help="skus: a SKU to count (repeat).")
@click.option("--class", "movement_class", type=click.Choice(["A", "B", "C"]), default=None,
              help="cycle: only bins whose fastest SKU is of this movement class (default: every class due).")
@click.option("--days", type=int, default=None, help="stale: bins not counted for this many days.")
@click.option("--tolerance-qty", type=int, default=None, help="Units a line may differ without a recount.")
@click.option("--tolerance-value", default=None, help="Value a line may differ without a recount.")
@click.option("--user", required=True, help="The supervisor who plans the count (role checked, recorded).")
@click.pass_context
def counts_plan(ctx, db_url, kind, zone, first, last, skus, movement_class, days, tolerance_qty, tolerance_value,
                user):
    """Open a count over the bins of a plan; prints its number and bins."""
    from decimal import Decimal, InvalidOperation

    from station.db import unit_of_work
    from station.inventory import counts as count_service

    kw = {}
    if tolerance_qty is not None:
        kw["tolerance_qty"] = tolerance_qty
    if tolerance_value is not None:
        try:
            kw["tolerance_value"] = Decimal(tolerance_value)
        except InvalidOperation:
            raise click.BadParameter(_("{value} is not a number", value=tolerance_value))
    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "counts.plan", user, kind)
    with unit_of_work(sessions) as s:
        try:
            count = count_service.create_count(s, kind, user=user, zone=zone, first=first, last=last,
                                               skus=tuple(skus), movement_class=movement_class, days=days, **kw)
        except count_service.CountError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        bins = count_service.bins_to_count(s, count, limit=100_000)
        s.commit()
    _print_json({"count_no": count.count_no, "kind": kind, "scope": count.scope, "bins": len(bins),
                 "first_bins": bins[:20]})


@counts.command("list")
@db_option
@click.option("--status", type=click.Choice(["open", "closed", "rejected"]), default=None)
@click.pass_context
def counts_list(ctx, db_url, status):
    """One JSON object per count, with its progress."""
    from station.db import unit_of_work
    from station.inventory.counts import list_counts

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        for c, p in list_counts(s, status):
            _print_json({"count_no": c.count_no, "kind": c.kind, "scope": c.scope, "status": c.status,
                         "bins": p.bins, "counted": p.counted, "recount": p.recount, "pending": p.pending,
                         "lines": p.lines, "variances": p.variances})


@counts.command("show")
@db_option
@click.argument("count_no")
@click.option("--all", "all_lines", is_flag=True, help="Every line, not only those with a variance.")
@click.option("--bins", "with_bins", is_flag=True, help="Also every bin of the plan with its status.")
@click.pass_context
def counts_show(ctx, db_url, count_no, all_lines, with_bins):
    """The supervisor's view: progress, variance lines (book, counted, value), events, SKUs to delist."""
    from station.db import unit_of_work
    from station.inventory import count_review
    from station.inventory.counts import CountError, find_count, progress

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        try:
            count = find_count(s, count_no)
        except CountError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        p = progress(s, count)
        rows = count_review.variance_rows(s, count, only_variances=not all_lines)
        bins = count_review.plan_bins_status(s, count) if with_bins else None
        _print_json({
            "count_no": count.count_no, "kind": count.kind, "scope": count.scope, "status": count.status,
            "tolerance_qty": count.tolerance_qty, "tolerance_value": str(count.tolerance_value),
            "bins": p.bins, "counted": p.counted, "recount": p.recount, "pending": p.pending,
            "lines": [{"location": r.location, "sku": r.sku, "book": r.book, "counted": r.counted,
                       "variance": r.variance, "value": None if r.value is None else str(r.value),
                       "status": r.status, "recount_reason": r.recount_reason, "counted_by": r.counted_by,
                       "first_qty": r.first_qty, "first_counted_by": r.first_counted_by, "round": r.round,
                       "decided_by": r.decided_by or None} for r in rows],
            "events": [{"at": e.at.isoformat(), "user": e.user, "action": e.action, "outcome": e.outcome,
                        "detail": e.detail} for e in count_review.events(s, count)],
            "delist": count_review.delisting(s, count),
            **({"bin_list": [{"location": code, "status": status, "rounds": rounds, "counted_by": by,
                              "counted_at": at.isoformat() if at else None}
                             for code, status, rounds, by, at in bins]} if bins is not None else {}),
        })


def _count_decision(ctx, db_url, action, count_no, user, lines, **kw):
    from station.db import unit_of_work
    from station.inventory.counts import CountError

    parsed = []
    for text in lines:
        bin_code, sep, sku = text.partition("/")
        if not sep or not bin_code or not sku:
            raise click.BadParameter(_("{value}: a line is BIN/SKU", value=text))
        parsed.append((bin_code, sku))
    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        try:
            decision = action(s, count_no, user, lines=parsed or None, **kw)
        except CountError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        s.commit()  # a refusal is recorded too
    _print_json({"ok": decision.ok, "code": decision.code, "message": decision.message,
                 "count_no": decision.count_no, "lines": decision.lines, "adjustments": decision.adjustments,
                 "closed": decision.closed, "problems": decision.problems})
    if not decision.ok:
        sys.exit(REFUSED_EXIT if decision.code == "not_permitted" else 1)


@counts.command("approve")
@db_option
@click.argument("count_no")
@click.option("--user", required=True, help="The supervisor who approves (recorded on the adjustments).")
@click.option("--line", "lines", multiple=True, metavar="BIN/SKU", help="Approve only these lines (repeat).")
@click.pass_context
def counts_approve(ctx, db_url, count_no, user, lines):
    """Approve a count (or lines of it) and post the adjustments; only a supervisor may."""
    from station.inventory.count_review import approve

    _count_decision(ctx, db_url, approve, count_no, user, lines)


@counts.command("reject")
@db_option
@click.argument("count_no")
@click.option("--user", required=True)
@click.option("--line", "lines", multiple=True, metavar="BIN/SKU", help="Reject only these lines (repeat).")
@click.option("--reason", default=None)
@click.pass_context
def counts_reject(ctx, db_url, count_no, user, lines, reason):
    """Reject a count (or lines of it): nothing is posted; only a supervisor may."""
    from station.inventory.count_review import reject

    _count_decision(ctx, db_url, reject, count_no, user, lines, reason=reason)


@counts.command("recount")
@db_option
@click.argument("count_no")
@click.argument("bin_code")
@click.option("--user", required=True)
@click.pass_context
def counts_recount(ctx, db_url, count_no, bin_code, user):
    """The supervisor doubts a bin: its lines wait for a recount (only a supervisor may ask)."""
    from station.inventory.count_review import decide
    from station.inventory.counts import CountError

    _engine, sessions = _open(_url(ctx, db_url))
    try:
        decision = decide(sessions, "recount", count_no, user, bin_code=bin_code)
    except CountError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    _print_json({"ok": decision.ok, "code": decision.code, "message": decision.message, "count_no": count_no,
                 "bin": bin_code, "lines": decision.lines})
    if not decision.ok:
        sys.exit(REFUSED_EXIT if decision.code == "not_permitted" else 1)


@main.command()
@db_option
@click.option("--since", default=None, help="Only entries from this date (YYYY-MM-DD, local time).")
@click.option("--refusals", is_flag=True, help="Only refusals (unknown user, missing role).")
@click.pass_context
def audit(ctx, db_url, since, refusals):
    """Who was refused and which office actions were permitted: one JSON object per entry, oldest first."""
    from station.catalog.roles import audit_rows
    from station.db import unit_of_work

    start = _dt_local(since)
    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        for e in audit_rows(s, start):
            if refusals and e.outcome == "permitted":
                continue
            _print_json({"at": e.at.isoformat(), "user": e.user, "action": e.action, "outcome": e.outcome,
                         "target": e.target, "station": e.station, "detail": e.detail})


@main.command()
@click.option("--quick", is_flag=True, help="Smaller data sets (for a smoke test).")
@click.option("--only", type=click.Choice(["foundation", "printing", "pack", "counts", "returns", "inbound"]), default=None)
@click.option("--pg", "pg_url", default=None, metavar="URL",
              help="Also measure the pack bench on this (empty) PostgreSQL database.")
def bench(quick, only, pg_url):
    """Print the benchmark figures, one JSON line each."""
    from station.benchmarks import run_all

    for figure in run_all(quick=quick, only=only, pg_url=pg_url):
        _print_json(figure)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
