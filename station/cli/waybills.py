"""Waybill numbers: the pool (``add``), the e-waybill services (``providers``, ``credentials``,
``test``, ``issue``) and giving void numbers back (``cancel-void``). docs/couriers.md."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from station.cli.common import _open, _permit, _print_json, _url, db_option
from station.i18n import _


@click.group()
def waybills():
    """Waybill numbers: a courier's pool, and the platforms' e-waybill services."""


def read_pool_file(path: str):
    """Numbers, one a line; or CSV lines ``number,routing_code,hub_name,hub_code`` (the courier's
    routing data per number, any of the three may be empty). Raises click.UsageError naming the line."""
    from station.fulfilment.waybills import PoolRouting

    numbers, routing = [], {}
    text = Path(path).read_text(encoding="utf-8-sig")
    for line_no, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) > 4:
            raise click.UsageError(_("Line {line}: at most 4 columns (number, routing code, hub name, hub code)",
                                     line=line_no))
        number = cells[0]
        if not number:
            raise click.UsageError(_("Line {line}: the waybill number is missing", line=line_no))
        numbers.append(number)
        if any(cells[1:]):
            routing[number] = PoolRouting(*(cells[1:] + ["", "", ""])[:3])
    return numbers, routing


@waybills.command("add")
@db_option
@click.argument("courier")
@click.option("--file", "file", type=click.Path(dir_okay=False),
              help="A text file, one number per line, or CSV: number,routing code,hub name,hub code.")
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
    numbers, routing = read_pool_file(file) if file else (number_range(*rng), {})
    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "waybills.add", user, courier)
    with unit_of_work(sessions) as s:
        try:
            report = add_numbers(s, courier, numbers, routing)
        except WaybillError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        s.commit()
    _print_json({"courier": courier, "added": report.added, "invalid": report.invalid[:50],
                 "duplicates": report.duplicates[:50]})
    if report.invalid or report.duplicates:
        click.echo(_("Rejected: nothing was added"), err=True)
        sys.exit(1)


@waybills.command("providers")
def waybills_providers():
    """One JSON object per adapter: its name, what it is, and the credentials it needs."""
    from station.couriers import PROVIDERS

    for name, cls in PROVIDERS.items():
        _print_json({"provider": name, "title": _(cls.title), "online": cls.online,
                     "needs": [{"field": f.name, "label": _(f.label), "secret": f.secret, "required": f.required,
                                **({"default": f.default} if f.default else {})} for f in cls.fields]})


@waybills.command("credentials")
@db_option
@click.argument("shop")
@click.argument("provider")
@click.option("--user", required=True, help="Who stores them (role checked, recorded).")
@click.pass_context
def waybills_credentials(ctx, db_url, shop, provider, user):
    """Store SHOP's credentials for PROVIDER in the system keyring (asked for; secrets not echoed)
    and make PROVIDER the shop's e-waybill service."""
    from station import settings
    from station.couriers import ServiceError, credentials, provider as provider_class
    from station.db import unit_of_work

    try:
        cls = provider_class(provider)
    except ServiceError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "waybills.credentials", user, f"{shop}/{provider}")
    if cls.online:
        old = credentials.load(shop, provider) or {}
        values = {}
        for f in cls.fields:
            default = old.get(f.name) or f.default or None
            if f.secret:  # a stored secret is kept when the prompt is left empty
                typed = click.prompt(_(f.label), hide_input=True, default="", show_default=False)
                values[f.name] = typed or old.get(f.name, "")
            else:
                values[f.name] = click.prompt(_(f.label), default=default or ("" if not f.required else None),
                                              show_default=bool(default))
            if not values[f.name] and f.required:
                click.echo(_("{field} is needed: nothing was stored", field=_(f.label)), err=True)
                sys.exit(1)
        try:
            credentials.store(shop, provider, values)
        except ServiceError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    with unit_of_work(sessions) as s:
        settings.WAYBILL_SERVICE.write(s, shop, provider)
        s.commit()
    _print_json({"shop": shop, "provider": provider, "stored": cls.online})


@waybills.command("test")
@db_option
@click.argument("shop")
@click.pass_context
def waybills_test(ctx, db_url, shop):
    """Check SHOP's stored credentials against its e-waybill service (takes no number)."""
    from station import settings
    from station.couriers import ServiceError, adapter, credentials
    from station.db import unit_of_work

    _engine, sessions = _open(_url(ctx, db_url))
    with unit_of_work(sessions) as s:
        provider = settings.WAYBILL_SERVICE.read(s, shop)
    if not provider:
        click.echo(_("Shop {shop} has no e-waybill service: run station waybills credentials", shop=shop), err=True)
        sys.exit(1)
    try:
        adapter(provider, credentials.load(shop, provider)).check()
    except ServiceError as exc:
        _print_json({"shop": shop, "provider": provider, "ok": False, "code": exc.code, "reason": str(exc)})
        sys.exit(1)
    _print_json({"shop": shop, "provider": provider, "ok": True})


@waybills.command("privacy")
@db_option
@click.argument("shop")
@click.argument("value", type=click.Choice(["on", "off", "unset"]))
@click.option("--user", required=True, help="Who sets it (role checked, recorded).")
@click.pass_context
def waybills_privacy(ctx, db_url, shop, value, user):
    """Privacy waybills (隐私面单: the recipient's name and street masked) for SHOP's orders: on, off,
    or unset (then on for a platform's shop; SHOP ``default`` sets it for every shop without its own).
    docs/waybills.md."""
    from station import settings
    from station.db import unit_of_work

    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "waybills.privacy", user, f"{shop}={value}")
    with unit_of_work(sessions) as s:
        settings.WAYBILL_PRIVACY.write(s, shop, None if value == "unset" else value)
        s.commit()
        _print_json({"shop": shop, "privacy": settings.waybill_privacy(s, shop)})


@waybills.command("issue")
@db_option
@click.argument("order_nos", nargs=-1, required=True)
@click.option("--user", required=True, help="Who takes the numbers (role checked, recorded).")
@click.pass_context
def waybills_issue(ctx, db_url, order_nos, user):
    """Take each order's waybill number and routing data from its shop's e-waybill service
    (one JSON line per number); the pack bench then packs it as a pre-printed parcel. A packed
    order whose parcels wait for their number gets those (then retry its waybill job)."""
    from station.couriers import ServiceError
    from station.fulfilment.packed_numbers import issue_for_order
    from station.fulfilment.waybills import WaybillError

    _engine, sessions = _open(_url(ctx, db_url))
    failed = False
    for order_no in order_nos:
        _permit(sessions, "waybills.issue", user, order_no)
        try:  # a packed order whose parcels wait for their number (the bench did not wait) gets them too
            issued = issue_for_order(sessions, order_no)
        except (WaybillError, ServiceError) as exc:
            failed = True
            _print_json({"order_no": order_no, "ok": False, "code": exc.code, "reason": str(exc)})
            continue
        for w in issued:
            _print_json({"order_no": order_no, "ok": True, "provider": w.provider, "tracking_no": w.tracking_no,
                         "routing_code": w.routing_code, "hub_name": w.hub_name, "hub_code": w.hub_code})
    if failed:
        sys.exit(1)


@waybills.command("cancel-void")
@db_option
@click.option("--user", required=True, help="Who gives the numbers back (role checked, recorded).")
@click.pass_context
def waybills_cancel_void(ctx, db_url, user):
    """Give the numbers of void parcels back to their e-waybill services (those not yet taken back)."""
    from station.fulfilment.waybills import cancel_voided

    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "waybills.cancel", user)
    outcomes = cancel_voided(sessions)
    for o in outcomes:
        _print_json({"tracking_no": o.tracking_no, "provider": o.provider, "cancelled": o.cancelled,
                     **({"reason": o.reason} if o.reason else {})})
    if any(not o.cancelled for o in outcomes):
        sys.exit(1)


COMMANDS = (waybills,)  # added to ``station`` by station/cli/__init__.py
