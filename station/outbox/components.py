"""A waybill sent to a platform's print component (``cainiao:PRINTER``, ``pdd:PRINTER``,
``doudian:PRINTER``): the component prints the e-waybill service's own print data, not our PDF.

The print data of the job's parcels (by order numbers, or by batch number for a batch's
waybills) is read in a short unit of work of its own, and sent after it has closed. The tables
are named here, not imported: the outbox sits below the warehouse packages (pyproject.toml).
A waybill without print data from the component's service cannot go there: the job fails with
a message saying to print it on a PDF or CUPS printer.
"""
from __future__ import annotations

import os

from sqlalchemy import column, or_, select, table

from station.i18n import _
from station.outbox.errors import PrinterError

SCHEMES = ("cainiao", "pdd", "doudian")

_parcel = table("parcel", column("id"), column("order_id"), column("seq"), column("status"),
                column("tracking_no"), column("waybill_provider"), column("print_data"))
_order = table("shop_order", column("id"), column("order_no"), column("batch_id"))
_batch = table("pick_batch", column("id"), column("batch_no"))
_WAYBILLS = (select(_parcel.c.tracking_no, _parcel.c.print_data, _parcel.c.waybill_provider)
             .select_from(_parcel.join(_order, _order.c.id == _parcel.c.order_id)
                          .outerjoin(_batch, _batch.c.id == _order.c.batch_id))
             .where(_parcel.c.status.in_(("printed", "closed", "shipped")), _parcel.c.tracking_no.is_not(None)))


def waybills_for(sessions, document: str, reference: str, scheme: str) -> list[tuple[str, str]]:
    """(tracking number, print data) of the parcels behind a waybill job; PrinterError if any lacks them."""
    from station.db import unit_of_work

    if document != "waybill":
        raise PrinterError(_("Only waybills print on a {scheme} print component", scheme=scheme))
    keys = reference.split()  # ``station print waybill A B`` files one job under "A B"
    with unit_of_work(sessions) as s:
        rows = s.execute(_WAYBILLS.where(or_(_order.c.order_no.in_(keys), _batch.c.batch_no.in_(keys)))
                         .order_by(_order.c.id, _parcel.c.seq)).all()
    if not rows:
        raise PrinterError(_("No waybill numbers for {reference}", reference=reference))
    missing = [number for number, data, provider in rows if not data or provider != scheme]
    if missing:
        raise PrinterError(_("Waybill {numbers} has no print data from {scheme}: print it on a PDF or CUPS printer",
                             numbers=", ".join(missing[:5]), scheme=scheme))
    return [(number, data) for number, data, _provider in rows]


def send(sessions, document: str, reference: str, destination: str, title: str) -> None:
    """Print a waybill job on a print component; raises PrinterError. No transaction is open here."""
    from station.couriers import ServiceError
    from station.couriers.print_component import print_documents

    scheme, _sep, printer = destination.partition(":")
    waybills = waybills_for(sessions, document, reference, scheme)
    # STATION_PRINT_COMPONENT_<SCHEME>: another address for the component (a test's, or another port)
    url = os.environ.get(f"STATION_PRINT_COMPONENT_{scheme.upper()}")
    try:
        print_documents(scheme, printer, waybills, title, url=url)
    except ServiceError as exc:
        raise PrinterError(str(exc)) from None
