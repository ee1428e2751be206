"""What the office windows share: who is logged in, the file-dialog seam, times, colours, words.

The office windows (orders, import, batch, supervisor numbers) are for a desk, not a bench:
normal-sized text, every action on a key. They call services and show plain results; they
never open a database session themselves.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from station.i18n import N_, _

#: Who is logged in at this station (the current bench's person), or None.
WhoIsLoggedIn = Callable[[], "str | None"]
#: The file-dialog seam: (parent, title) -> a path, or None when the person cancelled.
ChooseFile = Callable[[QWidget, str], "str | None"]

RED = "#b71c1c"  # text on white: overdue, refused, rejected
AMBER_TEXT = "#8a5a00"  # text on white: on hold
GREY_TEXT = "#6b6b6b"  # text on white: cancelled
LIGHT_RED = "#ffebee"
TABLE_PT = 12
TABLE_STYLE = ("QTableView::item { padding: 0px 6px; }"  # text off the grid lines
               " QHeaderView::section { padding: 2px 6px; }")
HEADING_PT = 16

STATUS_TEXT = {
    "ready": N_("Ready"),
    "on_hold": N_("On hold"),
    "packing": N_("Packing"),
    "packed": N_("Packed"),
    "shipped": N_("Shipped"),
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
}


def status_text(status: str) -> str:
    return _(STATUS_TEXT.get(status, status))


def choose_order_file(parent: QWidget, title: str) -> str | None:
    """The real file dialog: CSV or Excel order exports."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, "",
                                                _("Order exports (*.csv *.xlsx);;All files (*)"))
    return path or None


def local_time(t: datetime | None) -> str:
    """``2024-05-01 10:15`` in this computer's zone; SQLite hands back naive UTC."""
    if t is None:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone().strftime("%Y-%m-%d %H:%M")


def one_line(text: str | None) -> str:
    """A note with newlines, on one table line."""
    return " / ".join(part.strip() for part in (text or "").splitlines() if part.strip())


def font(point_size: int, bold: bool = False) -> QFont:
    f = QFont()  # the application font (with its CJK family), at our size
    f.setPointSize(point_size)
    f.setBold(bold)
    return f


def heading(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setFont(font(HEADING_PT, bold=True))
    return label


def not_logged_in_text() -> tuple[str, str]:
    return (_("Nobody is logged in"),
            _("Scan your badge at the bench first: Station records who released, held or cancelled each order."))


def refusal(sessions, action: str, user: str | None, *, target: str | None = None,
            station: str | None = None) -> str | None:
    """The role check the CLI makes too (``station.catalog.roles``): None when ``user`` may do
    ``action``, else what to tell the person. Either way it is recorded in the audit log."""
    from station.catalog.roles import NotPermitted, authorize

    try:
        authorize(sessions, action, user, target=target, station=station)
    except NotPermitted as exc:
        return exc.message if user else " ".join(not_logged_in_text())
    return None
