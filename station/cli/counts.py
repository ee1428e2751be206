"""``station counts``: plan, list, show, approve, reject, recount."""
from __future__ import annotations

import sys

import click

from station.cli.common import REFUSED_EXIT, _open, _permit, _print_json, _url, db_option
from station.i18n import _


@click.group()
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


COMMANDS = (counts,)  # added to ``station`` by station/cli/__init__.py
