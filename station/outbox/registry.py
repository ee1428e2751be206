"""The one list of Station's documents: name, IDs, paper sizes, and the family that builds each.

It sits in the outbox, below the warehouse, because the outbox and the printer settings need
the names and sizes while the warehouse contexts queue documents here. The families
(``station.documents.<family>``) read the warehouse and sit above it: the outbox never imports
them. ``station.documents.registry`` holds their builders and installs their renderers into the
outbox at start (``install``, called by the CLI and the GUI), so the outbox renders a deferred job
of any document here without naming a document package.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from station import settings
from station.i18n import _
from station.printing import units
from station.printing.documents.labels import LABEL_100x50


@dataclass(frozen=True)
class Document:
    name: str  # what ``station print`` takes and the outbox records
    ids: str  # what its IDs are, as ``station print --help`` says
    family: str  # the module of station.documents that builds it
    sizes: tuple[str, ...] = ()  # the paper sizes it has a layout for, the default first; () one size
    needs_ids: bool = True  # False: ``station print`` may be given none (then the builder gets [])


# In the order the printer settings list them.
DOCUMENTS: dict[str, Document] = {d.name: d for d in (
    Document("waybill", "ORDER...", "orders", ("100x180", "100x150", "100x210", "76x130", "4x6")),
    Document("packing-slip", "ORDER...", "orders", ("A4", "A5", "100x180")),
    Document("pick-list", "BATCH", "orders"),
    Document("handover", "HANDOVER", "orders"),
    Document("product-label", "SKU...", "inbound", ("50x30", "40x30")),
    Document("location-label", "CODE...", "inbound", ("100x50", "4x6")),
    Document("receiving-note", "RECEIPT", "inbound"),
    Document("count-sheet", "COUNT", "counts"),
    Document("variance-report", "COUNT", "counts"),
    Document("write-off", "COUNT", "counts"),
    Document("return-receipt", "RECEIPT", "returns"),
    Document("requisition", "all or SUPPLIER...", "inbound"),
    Document("monthly-summary", "YYYY-MM", "inbound"),
    Document("return-refusal", "RECEIPT", "returns"),
    Document("command-sheet", "[all | BENCH...]", "commands", ("A4", "100x150"), needs_ids=False),
)}
NAMES = tuple(DOCUMENTS)
PAPER = {d.name: d.sizes for d in DOCUMENTS.values() if d.sizes}  # the sizes of documents with several

SIZES = {"A4": units.A4, "A5": units.A5, "100x180": units.WAYBILL_100x180, "76x130": units.WAYBILL_76x130,
         "4x6": units.LABEL_4x6IN, "40x30": units.LABEL_40x30, "50x30": units.LABEL_50x30,
         "100x50": LABEL_100x50, "100x150": units.LABEL_100x150, "100x210": units.WAYBILL_100x210,
         }  # every size name ``--size`` and the paper settings take


class DocumentError(ValueError):
    code = "document_error"


def paper_for(session: Session, document: str) -> str | None:
    """The paper size chosen for `document` (one of its sizes), or None for a one-size document."""
    sizes = PAPER.get(document)
    if not sizes:
        return None
    chosen = settings.PAPER.read(session, document)
    return chosen if chosen in sizes else sizes[0]


def page_size(session: Session, document: str, size: str | None = None) -> units.PageSize | None:
    """The size asked for, else the one set for the document in the printer settings."""
    name = size or paper_for(session, document)
    if name is None:
        return None
    if name not in SIZES:
        raise DocumentError(_("Unknown size {size}; sizes: {sizes}", size=name, sizes=", ".join(SIZES)))
    return SIZES[name]
