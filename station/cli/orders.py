"""Orders and their shipping: orders, batch, waybills, export of shipments, packer KPIs."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click

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
    """Cancel an order that has not shipped; its printed waybills become void."""
    from station.fulfilment.orders import cancel_order

    _order_action(ctx, db_url, cancel_order, order_no, user)


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
                 "print_jobs": list(result.jobs), "held": list(result.held)})


@click.command("export")
@db_option
@click.argument("what", type=click.Choice(["shipments"]))
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True)
@click.option("--since", default=None, help="Only shipments from this date (YYYY-MM-DD).")
@click.pass_context
def export(ctx, db_url, what, out, since):
    """Shipment confirmations for the shop: order_no, courier, tracking_no, shipped_at (CSV)."""
    from station.db import unit_of_work
    from station.fulfilment.handovers import shipments, shipments_csv

    _engine, sessions = _open(_url(ctx, db_url))
    start = datetime.fromisoformat(since).replace(tzinfo=timezone.utc) if since else None
    with unit_of_work(sessions) as s:
        rows = shipments(s, start)
    Path(out).write_text(shipments_csv(rows), encoding="utf-8")
    _print_json({"file": out, "shipments": len(rows)})


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


@click.group()
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


COMMANDS = (orders, batch, export, kpi, waybills)  # added to ``station`` by station/cli/__init__.py
