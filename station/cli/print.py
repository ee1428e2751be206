"""``station print DOCUMENT ID...``: one document to a PDF file or through the outbox."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from station.cli.common import _open, _permit, _print_json, _url, db_option, station_name
from station.i18n import _


@click.command("print")
@db_option
@click.argument("document")
@click.argument("ids", nargs=-1)
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="Write the PDF here.")
@click.option("--printer", default=None, metavar="DEST",
              help="Send it through the outbox instead: pdf:FOLDER, qt:PRINTER or cups:QUEUE.")
@click.option("--size", default=None, help="A4, A5, 100x180, 100x150, 100x210, 76x130, 4x6, 40x30, 50x30 (where the document has it).")
@click.option("--user", default=None, help="Who prints (required with --printer: the job is recorded).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "tspl", "zpl"]), default="pdf", show_default=True,
              help="The printer's language: tspl or zpl for a thermal printer (the file, or with --printer "
                   "cups:QUEUE the job sent raw to that queue).")
@click.pass_context
def print_(ctx, db_url, document, ids, out, printer, size, user, fmt):
    """Print a document: packing-slip, waybill (ORDER...), product-label (SKU...), location-label (CODE...),
    pick-list (BATCH), handover (HANDOVER), receiving-note (RECEIPT), count-sheet, variance-report,
    write-off (COUNT), return-receipt, return-refusal (RECEIPT), requisition (all or SUPPLIER...),
    monthly-summary (YYYY-MM), command-sheet (none, all or BENCH...: the bench command barcodes)."""
    from station.db import read_only, unit_of_work
    from station.documents.registry import DocumentError, build, print_document
    from station import outbox

    if not out and not printer:
        click.echo(_("Give --out FILE.pdf or --printer DEST"), err=True)
        sys.exit(2)
    if printer and not user:
        click.echo(_("Give --user: a job sent to a printer is recorded with who sent it"), err=True)
        sys.exit(2)
    if printer and fmt != "pdf":
        scheme, _sep, queue = printer.partition(":")
        if scheme not in ("cups", fmt):
            click.echo(_("--format {format} prints to a CUPS queue: give --printer cups:QUEUE", format=fmt), err=True)
            sys.exit(2)
        printer = f"{fmt}:{queue}"
    _engine, sessions = _open(_url(ctx, db_url))
    if printer:
        _permit(sessions, "print", user, f"{document} {' '.join(ids)}"[:200])
    if printer and not out:  # the office windows' print actions take this same path
        try:
            sent, size_bytes = print_document(sessions, document, list(ids), user=user,
                                              station=station_name(), printer=printer, size=size)
        except (DocumentError, ValueError) as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        _print_json({"document": document, "ids": list(ids), "bytes": size_bytes, "out": None, "format": fmt,
                     "job": sent.id, "status": sent.status, "error": sent.error})
        return
    with read_only(sessions) as s:  # a document is drawn without holding the write lock
        try:
            pdf = build(s, document, list(ids), size)
        except (DocumentError, ValueError) as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    data = pdf
    if out and fmt != "pdf":  # drawn as a bitmap with no transaction open
        from station.printing.raw import convert

        data = convert(pdf, fmt)
    result = {"document": document, "ids": list(ids), "bytes": len(data), "out": out, "format": fmt}
    if printer:
        with unit_of_work(sessions) as s:
            job = outbox.submit(s, document, " ".join(ids)[:200], pdf, user=user, printer=printer,
                                station=station_name())
            s.commit()
            job_id = job.id
    if out:  # written once the transaction is over: no file I/O holding the database
        Path(out).write_bytes(data)
    if printer:  # sent after the commit: no printer I/O inside a transaction
        sent = outbox.send(sessions, job_id, states=("queued",))
        result.update(job=sent.id, status=sent.status, error=sent.error)
    _print_json(result)


COMMANDS = (print_,)  # added to ``station`` by station/cli/__init__.py
