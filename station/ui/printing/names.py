"""What the printing dialogs call documents and job states, in the person's language."""
from __future__ import annotations

from station.i18n import N_, _
from station.outbox import DEFAULT

DOCUMENT_LABELS = {
    DEFAULT: N_("Default printer"),
    "waybill": N_("Waybill"),
    "packing-slip": N_("Packing slip"),
    "pick-list": N_("Pick list"),
    "handover": N_("Courier handover list"),
    "product-label": N_("Product label"),
    "location-label": N_("Location label"),
    "receiving-note": N_("Receiving note"),
    "count-sheet": N_("Blind count sheet"),
    "variance-report": N_("Variance report"),
    "write-off": N_("Write-off report"),
    "return-receipt": N_("Return receipt"),
    "return-refusal": N_("Freight-collect refusal note"),
    "requisition": N_("Purchase requisition"),
    "monthly-summary": N_("Monthly in/out/stock summary"),
}

STATUS_LABELS = {
    "rendering": N_("Being made"),
    "queued": N_("Queued"),
    "sending": N_("Sending"),
    "printed": N_("Printed"),
    "failed": N_("Failed"),
}


def document_label(document: str) -> str:
    label = DOCUMENT_LABELS.get(document)
    return _(label) if label else document


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return _(label) if label else status
