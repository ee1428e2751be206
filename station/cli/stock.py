"""The stock ledger: stock on hand and its proof (verify)."""
from __future__ import annotations

import sys

import click

from station.cli.common import _open, _print_json, _url, db_option
from station.i18n import _


@click.command()
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


@click.command()
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


COMMANDS = (stock, verify)  # added to ``station`` by station/cli/__init__.py
