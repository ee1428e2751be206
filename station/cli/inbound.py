"""Goods in: receive (blind receipts, quality check), the reorder requisition, the monthly summary."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from station.cli.common import _open, _permit, _print_json, _url, db_option, station_name
from station.i18n import _


@click.group()
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


@click.command("reorder")
@db_option
@click.option("--supplier", "suppliers", multiple=True, help="Only this supplier (repeat for more).")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), default=None, help="Write the CSV here.")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False), default=None, help="Write the PDF here.")
@click.option("--user", default="", help="Who prepares it (printed on the requisition).")
@click.pass_context
def reorder(ctx, db_url, suppliers, csv_out, pdf_out, user):
    """The purchase requisition: products at or below their reorder point, by supplier (JSON, CSV, PDF)."""
    from station.db import unit_of_work
    from station.inbound.reorder import render_requisition, requisition, requisition_csv, requisition_number

    _engine, sessions = _open(_url(ctx, db_url))
    now = datetime.now().astimezone()
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


@click.command("summary")
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


COMMANDS = (receive, reorder, summary)  # added to ``station`` by station/cli/__init__.py
