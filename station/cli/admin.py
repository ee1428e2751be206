"""The database and the station itself: init, demo, audit, bench, and replay (a bench fed from stdin)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from station.cli.common import _dt_local, _open, _print_json, _url, db_option, station_name


@click.command()
@db_option
@click.pass_context
def init(ctx, db_url):
    """Create or upgrade the database, with the built-in couriers."""
    from station.db import describe, resolve_url
    from station.catalog.couriers import seed_couriers

    _engine, sessions = _open(_url(ctx, db_url))
    added = seed_couriers(sessions)
    _print_json({"database": describe(resolve_url(_url(ctx, db_url))), "couriers_added": added})


@click.command()
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


@click.command()
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


@click.command()
@click.option("--quick", is_flag=True, help="Smaller data sets (for a smoke test).")
@click.option("--only", type=click.Choice(["foundation", "printing", "pack", "counts", "returns", "inbound", "video"]), default=None)
@click.option("--pg", "pg_url", default=None, metavar="URL",
              help="Also measure the pack bench on this (empty) PostgreSQL database.")
def bench(quick, only, pg_url):
    """Print the benchmark figures, one JSON line each."""
    from station.perf.suite import run_all

    for figure in run_all(quick=quick, only=only, pg_url=pg_url):
        _print_json(figure)
        sys.stdout.flush()


@click.command()
@db_option
@click.argument("bench")
@click.option("--user", required=True, help="Who scans (a user name).")
@click.option("--station", "station", default=None, help="Station name (default: $STATION_NAME or host name).")
@click.option("--scale", "scale", default="none", metavar="SPEC",
              help="The pack bench's scale: none, serial:PATH[:BAUD][:continuous|mt-sics], hid:VID:PID, or script "
                   "(the readings are the script's WEIGHT lines). See docs/replay.md.")
@click.pass_context
def replay(ctx, db_url, bench, user, station, scale):
    """Feed scans from standard input to a bench; one JSON outcome per input line."""
    from station.weighing.spec import ScaleSpecError, parse_scale_spec
    from station.workflows.runner import BenchRunner, UnknownBench, outcome_json

    try:
        scale_spec = parse_scale_spec(scale)
    except ScaleSpecError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)

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
    runner.attach_scale(scale_spec.attached)
    reader = None
    if scale_spec.attached and scale_spec.kind != "script":
        from station.weighing.reader import open_reader

        reader = open_reader(scale_spec).start()
    # A scanner may send bytes that are not UTF-8: they reach the runner as lone surrogates
    # (which it escapes and answers with unreadable_scan) instead of ending the process, and
    # nothing written out can fail to encode: every line on stdout is valid UTF-8.
    for stream, errors in ((sys.stdin, "surrogateescape"), (sys.stdout, "backslashreplace")):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=errors)
    for line in sys.stdin:
        raw = line.rstrip("\r\n")
        scan, outcome, source = runner.process_line(raw)  # `TYPED:` in front: typed, not scanned
        _print_json(outcome_json(scan, outcome, source))
        sys.stdout.flush()
        if reader is not None and runner.waiting_for_weight():
            # the bench waits for the scale: its settled reading is the bench's next input event
            settled = reader.stable_weight(REPLAY_WEIGH_TIMEOUT_S)
            scan, outcome = runner.weigh(settled.reading.grams if settled.reading else None, settled.reason)
            _print_json(outcome_json(scan, outcome, "scale"))
            sys.stdout.flush()
        runner.print_in_background()  # a hung printer delays the printing, never the next scan
    if reader is not None:
        reader.stop()
    runner.wait_printing()  # what the scans queued is printed (or failed, in the outbox) before the end


@click.command()
@db_option
@click.option("--packaging-g", type=int, default=None, help="Grams of packaging added to the products' weights.")
@click.option("--tolerance-pct", type=int, default=None, help="How many percent a parcel may weigh off (at least 10 g).")
@click.option("--user", default=None, help="Who changes them (supervisor or admin); not needed to show them.")
@click.pass_context
def weighing(ctx, db_url, packaging_g, tolerance_pct, user):
    """The pack bench scale's packaging weight and tolerance (every station): show, or set them."""
    from station.cli.common import _permit
    from station.i18n import _
    from station.fulfilment.weighing import set_weighing, weighing_settings

    _engine, sessions = _open(_url(ctx, db_url))
    if packaging_g is not None or tolerance_pct is not None:
        if packaging_g is not None and not 0 <= packaging_g <= 99999 or tolerance_pct is not None and not \
                1 <= tolerance_pct <= 100:
            raise click.BadParameter(_("packaging 0-99999 g, tolerance 1-100 %"))
        _permit(sessions, "weighing.settings", user)
        now = set_weighing(sessions, user, packaging_g=packaging_g, tolerance_pct=tolerance_pct,
                           station=station_name())
    else:
        now = weighing_settings(sessions)
    _print_json({"packaging_g": now[0], "tolerance_pct": now[1]})


REPLAY_WEIGH_TIMEOUT_S = 5.0  # how long replay waits for the scale to settle before `weight_unstable`

COMMANDS = (init, demo, audit, bench, replay, weighing)  # added to ``station`` by station/cli/__init__.py
