"""``station returns``: match a note, the matching index, packing trail, register, handoff, unidentified."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from station.cli.common import _dt_local, _open, _permit, _print_json, _url, db_option
from station.i18n import _


@click.group()
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
    from station.fulfilment.shipped_index import index_missing, reindex_all
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
    from station.fulfilment.shipped_index import reindex_all

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




@click.command("evidence")
@db_option
@click.argument("key")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="The zip to write: pack video, scans, weights, waybill and slip as printed, a one-page summary.")
@click.option("--release", is_flag=True, help="The dispute is over: the order's clips may be pruned again.")
@click.option("--show", is_flag=True, help="Only print what the pack would hold (clips, weights, scans) as JSON.")
@click.option("--user", default=None, help="Who makes the pack (office, supervisor or returns).")
@click.pass_context
def evidence(ctx, db_url, key, out, release, show, user):
    """The dispute pack of a parcel (TRACKING or ORDER_NO); keeps its pack video until --release."""
    from station.video.evidence import EvidenceError, make_pack, release as release_clips

    if not release and not out and not show:
        raise click.UsageError(_("Give --out FILE.zip, --show or --release"))
    _engine, sessions = _open(_url(ctx, db_url))
    _permit(sessions, "evidence", user, target=key)
    if show:  # the same gathering as the zip and the returns bench's missing-item lookup; nothing marked
        from station.db import read_only
        from station.video.evidence import gather, summary

        try:
            with read_only(sessions) as s:
                pack = gather(s, key)
        except EvidenceError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        _print_json(summary(pack))
        return
    if release:
        _print_json({"key": key, "clips_released": release_clips(sessions, key)})
        return
    try:
        report = make_pack(sessions, key, Path(out))
    except EvidenceError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    _print_json(report)


COMMANDS = (returns, evidence)  # added to ``station`` by station/cli/__init__.py
