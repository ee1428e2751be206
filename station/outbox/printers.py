"""Which printer and how many copies each document gets, and its paper: the settings behind the
printer settings dialog and ``submit``. No printing here (``station.outbox`` sends)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from station import settings
from station.i18n import _
from station.outbox import registry
from station.outbox.errors import PrinterError

DOCUMENTS = registry.NAMES  # every document Station prints; each may have its own printer
DEFAULT = "default"  # the printer and copies of every document without its own
MAX_COPIES = 99


def default_pdf_folder(url: str | None = None) -> Path:
    """The database's own PDF folder (``outbox/`` in `db.data_folder`): two databases never share one."""
    from station.db import data_folder

    return data_folder(url) / "outbox"


def _url_of(session: Session) -> str | None:
    bind = session.get_bind()
    return bind.url.render_as_string(hide_password=False) if bind is not None else None


def printer_for(session: Session, document: str) -> str:
    destination = settings.PRINTER.read(session, document)
    if destination is None:
        destination = settings.PRINTER.read(session, DEFAULT)
    return destination if destination is not None else f"pdf:{default_pdf_folder(_url_of(session))}"


@dataclass(frozen=True)
class PrinterSetting:
    document: str  # a document name, or DEFAULT
    destination: str | None  # None: the default printer (for DEFAULT: the PDF folder)
    copies: int
    paper: str | None = None  # for documents with several layouts (PAPER)


def _copies_value(session: Session, document: str) -> int | None:
    copies = settings.COPIES.read(session, document)
    return None if copies is None else min(max(copies, 1), MAX_COPIES)


def copies_for(session: Session, document: str) -> int:
    """How many copies of `document` to print: its own setting, else the default's, else 1."""
    return _copies_value(session, document) or _copies_value(session, DEFAULT) or 1


def set_printer(session: Session, document: str, destination: str | None, copies: int = 1) -> None:
    """Where `document` (or DEFAULT) prints and how many copies; destination None: the default printer.

    A destination is ``pdf:/folder``, ``qt:<printer name>`` (GUI), ``cups:<queue>``, a thermal
    printer's CUPS queue spoken to in its own language: ``tspl:<queue>``, ``zpl:<queue>``, or a
    platform's print component for e-waybills: ``cainiao:<printer>``, ``pdd:<printer>``,
    ``doudian:<printer>`` (docs/couriers.md). The caller commits.
    """
    if not document or len(document) > 90:
        raise PrinterError(_("Not a document name: {document}", document=document))
    if not 1 <= int(copies) <= MAX_COPIES:
        raise PrinterError(_("Copies must be between 1 and {most}", most=MAX_COPIES))
    destination = (destination or "").strip() or None
    if destination is not None and ":" not in destination:
        raise PrinterError(_("Not a printer: {printer} (use pdf:FOLDER, qt:PRINTER, cups:QUEUE, tspl:QUEUE "
                             "or zpl:QUEUE)", printer=destination))
    settings.PRINTER.write(session, document, destination)
    settings.COPIES.write(session, document, int(copies))
    session.flush()


PAPER = registry.PAPER  # the sizes each document has a layout for; the first is the default


paper_for = registry.paper_for


def set_paper(session: Session, document: str, size: str) -> None:
    sizes = PAPER.get(document, ())
    if size not in sizes:
        raise PrinterError(_("Unknown size {size}; sizes: {sizes}", size=size, sizes=", ".join(sizes)))
    settings.PAPER.write(session, document, size)


def printer_settings(session: Session) -> dict[str, PrinterSetting]:
    """DEFAULT, every document of DOCUMENTS and any other document with a setting, in that order."""
    rows = {**{settings.PRINTER.key(name): value for name, value in settings.PRINTER.all(session).items()},
            **{settings.COPIES.key(name): value for name, value in settings.COPIES.all(session).items()}}
    names = [DEFAULT, *DOCUMENTS]
    for key in sorted(rows):
        name = key.partition(".")[2]
        if name not in names:
            names.append(name)
    return {name: PrinterSetting(name, rows.get(f"printer.{name}"), copies_for(session, name),
                                 paper_for(session, name)) for name in names}
