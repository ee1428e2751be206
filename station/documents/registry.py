"""Every document's builder, by the one list of documents (``station.outbox.registry``).

A family module (``station.documents.<family>``) reads the database and returns what the layout
draws; it declares ``BUILDERS`` (``station print``: the session, the IDs and the page size -> PDF
bytes, or a call that draws them) and ``DEFERRED`` (the outbox: the session, a job's reference and
whether it is a reprint -> the same). A family is imported when one of its documents is made.

The outbox sits below the warehouse and never imports a family: `install` hands it this module's
`deferred_renderer` at start (the CLI's ``main``, the GUI's ``build``), and `print_document` draws
a document here and gives the outbox the PDF. The list itself (names, IDs, sizes, ``page_size``,
``DocumentError``) is re-exported from ``station.outbox.registry``.
"""
from __future__ import annotations

from types import ModuleType
from typing import Callable

from sqlalchemy.orm import Session

from station import outbox
from station.outbox.registry import (DOCUMENTS, NAMES, PAPER, SIZES, Document, DocumentError, page_size,
                                     paper_for)
from station.i18n import _
from station.printing import units

__all__ = ["DOCUMENTS", "NAMES", "PAPER", "SIZES", "Document", "DocumentError", "build", "builder",
           "deferred_renderer", "install", "page_size", "paper_for", "print_document"]

Made = "bytes | Callable[[], bytes]"  # a PDF, or a call that draws it once the transaction is over
Builder = Callable[[Session, list, "units.PageSize | None"], Made]
Renderer = Callable[[Session, str, bool], Made]


def _family(document: str) -> ModuleType:
    family = DOCUMENTS[document].family
    if family == "orders":
        from station.documents import orders as module
    elif family == "inbound":
        from station.documents import inbound as module
    elif family == "counts":
        from station.documents import counts as module
    elif family == "returns":
        from station.documents import returns as module
    elif family == "commands":
        from station.documents import commands as module
    else:
        raise LookupError(f"{document}: no family {family!r} in station.documents")
    return module


def builder(document: str) -> Builder:
    """How ``station print`` makes `document` from its IDs; DocumentError for an unknown name."""
    if document not in DOCUMENTS:
        raise DocumentError(_("Unknown document {document}; documents: {documents}", document=document,
                              documents=", ".join(NAMES)))
    return _family(document).BUILDERS[document]


def deferred_renderer(document: str) -> Renderer | None:
    """How the outbox makes a deferred job of `document` from its reference; None if it has no such path."""
    if document not in DOCUMENTS:
        return None
    return _family(document).DEFERRED.get(document)


def install() -> None:
    """Give the outbox the families' renderers (by name, imported when first asked for); called at
    start by the CLI and the GUI, and again harmlessly."""
    outbox.install_renderers(deferred_renderer)


def build(session: Session, document: str, ids: list[str], size: str | None = None) -> bytes:
    """`document` for `ids` as PDF bytes (``station print``); DocumentError names an unknown ID."""
    if not ids and document in DOCUMENTS and DOCUMENTS[document].needs_ids:
        raise DocumentError(_("Give the IDs of the {document} to print: {ids}", document=document,
                              ids=DOCUMENTS[document].ids))
    page = page_size(session, document, size)
    made = builder(document)(session, ids, page)
    return made() if callable(made) else made


def print_document(sessions, document: str, ids: list[str], *, user: str | None, station: str | None,
                   printer: str | None = None, size: str | None = None) -> tuple[outbox.SendResult, int]:
    """``station print DOCUMENT ID... --printer`` and the office windows' print actions, one path:
    draw the document from a read-only unit of work (no write lock), queue it (one short write),
    then send it with no transaction open. ``printer`` None: the document's printer setting.
    Returns the send's result and the PDF's size. Raises DocumentError (or ValueError) when it
    cannot be made."""
    from station.db import read_only

    with read_only(sessions) as s:
        pdf = build(s, document, list(ids), size)
    return outbox.print_pdf(sessions, document, " ".join(ids)[:200], pdf, user=user, station=station,
                            printer=printer), len(pdf)
