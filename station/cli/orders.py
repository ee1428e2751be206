"""Orders and their shipping: orders, batch, export of shipments, packer KPIs (waybills: cli/waybills.py)."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click

from station.fulfilment.shipment_files import PLATFORMS
from station.cli.common import _dt_local, _open, _permit, _print_json, _url, db_option, station_name
from station.i18n import _


@click.group()
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
    """Cancel an order that has not shipped; its printed waybills become void, and a number an
    e-waybill service gave goes back to it (if the service cannot be reached now: `station waybills
    cancel-void` later)."""
    from station.fulfilment.orders import cancel_order
    from station.fulfilment.waybills import cancel_voided

    _order_action(ctx, db_url, cancel_order, order_no, user)
    _engine, sessions = _open(_url(ctx, db_url))
    for outcome in cancel_voided(sessions):
        if not outcome.cancelled:
            click.echo(_("Waybill {number} is void but {provider} did not take it back: {reason}",
                         number=outcome.tracking_no, provider=outcome.provider, reason=outcome.reason), err=True)


@click.command("batch")
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
    """Print a batch: ready orders get waybill numbers (from their shop's e-waybill service, else the
    courier's pool); pick list, packing slips and waybills go to the printer."""
    from station.fulfilment.batch_printing import ServiceNumbersMissing, print_batch
    from station.fulfilment.batches import BatchCriteria, BatchError

    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "batch", user)
    try:
        when = [_dt_local(v) for v in (paid_from, paid_to)]
        criteria = BatchCriteria(courier, shop, items, when[0], when[1], limit=limit)
        # Numbers from the e-waybill services first, each with no transaction open; all or no batch.
        result = print_batch(sessions, criteria, user=user, station=station_name())
    except ServiceNumbersMissing as exc:
        for order_no, why in exc.failed:
            click.echo(f"{order_no}: {why}", err=True)
        click.echo(str(exc), err=True)
        sys.exit(1)
    except (BatchError, ValueError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    _print_json({"batch_no": result.batch_no, "orders": len(result.orders), "waybills": result.waybills,
                 "print_jobs": list(result.jobs), "held": list(result.held)})


@click.command("export")
@db_option
@click.argument("what", type=click.Choice(["shipments"]))
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True,
              help="The file to write; .xlsx, .csv or .tsv/.txt decides its kind (else the platform's own).")
@click.option("--format", "fmt", type=click.Choice(list(PLATFORMS)), default="generic", show_default=True,
              help="The platform whose bulk-shipping upload takes the file.")
@click.option("--since", default=None, help="Only shipments from this date (YYYY-MM-DD, local time).")
@click.option("--shop", default=None, help="Only the orders of this shop (as imported).")
@click.pass_context
def export(ctx, db_url, what, out, fmt, since, shop):
    """Shipment confirmations for the shop: the file its bulk-shipping upload takes (docs/formats.md)."""
    from station.db import read_only
    from station.fulfilment.handovers import shipments
    from station.fulfilment.models import Order
    from station.fulfilment.shipment_files import ShipmentRow, file_kind, shipment_file

    start = _dt_local(since)  # the warehouse's day, as every --since: this computer's zone
    _engine, sessions = _open(_url(ctx, db_url))
    with read_only(sessions) as s:
        rows = shipments(s, start)
        if shop:
            from sqlalchemy import select

            mine = set(s.scalars(select(Order.order_no).where(Order.shop == shop)))
            rows = [r for r in rows if r.order_no in mine]
    kind = file_kind(fmt, out)
    data = shipment_file(fmt, [ShipmentRow(r.order_no, r.courier, r.tracking_no, r.shipped_at) for r in rows], kind)
    Path(out).write_bytes(data)  # after the transaction: no I/O inside it
    _print_json({"file": out, "format": fmt, "kind": kind, "shipments": len(rows)})


@click.command("kpi")
@db_option
@click.option("--hours", type=int, default=24, show_default=True, help="Look back this many hours.")
@click.pass_context
def kpi(ctx, db_url, hours):
    """Per packer and hour: orders, items, scans, errors; then orders not shipped within 24 h of payment."""
    from station.db import unit_of_work
    from station.fulfilment.kpi import late_orders, packer_hours

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        for r in packer_hours(s, datetime.now(timezone.utc) - timedelta(hours=hours)):
            _print_json({"packer": r.packer, "hour": r.hour.isoformat(), "orders": r.orders, "items": r.items,
                         "scans": r.scans, "errors": r.errors, "error_rate": round(r.error_rate, 4)})
        for o in late_orders(s):
            _print_json({"late_order": o.order_no, "status": o.status, "paid_at": o.paid_at.isoformat(),
                         "hours_since_payment": o.hours, "overdue": o.overdue})


COMMANDS = (orders, batch, export, kpi)  # added to ``station`` by station/cli/__init__.py
