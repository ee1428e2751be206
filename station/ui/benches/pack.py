"""The pack bench screen: the order, what the buyer and the seller wrote, and every line to scan.

Top to bottom: the banner (what the last scan did); the order number, big, with the parcel
being filled once there is more than one; an amber box with the buyer's message, the
seller's memo and the gifts; the lines table (scanned against ordered, green when complete,
the line just scanned highlighted, the stock bins that hold each line), and beside it the
picture of the item to look for (the line just scanned, else the first still to scan, when the
products file gave one: catalog.images; fetched on a thread), this
order's scans, newest first, and where its last waybill went (job and printer, from the
bench's printing thread; F10 prints it again). The order's courier is in the header. The
screen draws the bench's state as the runner returns it after each scan and never asks the
database anything.

An error the packer must acknowledge (``state.error``: the screen reads the outcome's state typed,
``PackState``) stays in the banner, red, with
"Scan CONFIRM to continue", whatever is scanned meanwhile and however long it takes: an error
that fades by itself is an error nobody saw, and a mis-shipped parcel. Only CONFIRM (or
CANCEL, which puts the order back) clears it.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListWidget, QVBoxLayout

from station.i18n import N_, _, render
from station.ui.benches.base import BenchScreen, sized_label as _label
from station.ui.widgets.notice_box import NoticeBox
from station.ui.widgets.pack_lines import PackLinesModel, PackLinesTable
from station.workflows import Outcome
from station.workflows.messages import HeldError
from station.workflows.pack import PackState

ORDER_PT = 28
PARCEL_PT = 24
PROGRESS_PT = 18
SIDE_PT = 13  # the order's scans and where the waybill went: read when needed, not from a metre
HISTORY_ROWS = 40  # the order's last scans kept on screen
PICTURE_PX = 200  # the product picture beside the lines

log = logging.getLogger(__name__)
# The workflow's progress lines ("✓ TS01-RD-M  2/2"): the table shows them, the banner need not.
PROGRESS_MARKS = ("✓ ", "□ ")


class PackScreen(BenchScreen):
    next_step = N_("Scan the packing slip")

    # (document, reference, job id, status, printer, error), from the bench's printing thread
    _sent = Signal(str, str, int, str, str, str)
    _picture = Signal(str, bytes)  # (sku, JPEG), from a picture-fetching thread

    def build_body(self) -> None:
        self.state = PackState.from_dict(self.runner.bench.snapshot())  # where the bench was before a restart
        self._error_details: tuple[str, ...] = ()  # the details the error came with, kept while it stays

        self.order_label = _label(ORDER_PT, bold=True, name="packOrder")
        self.last_order_label = _label(PROGRESS_PT, name="packLastOrder")
        self.parcel_label = _label(PARCEL_PT, bold=True, name="packParcel")
        self.progress_label = _label(PROGRESS_PT, bold=True, name="packProgress")
        header = QHBoxLayout()
        header.setSpacing(24)
        header.addWidget(self.order_label)
        header.addWidget(self.last_order_label)
        header.addStretch(1)
        header.addWidget(self.parcel_label)
        header.addWidget(self.progress_label)
        self.courier_label = _label(PROGRESS_PT, bold=True, name="packCourier")
        header.insertWidget(1, self.courier_label)
        self.notes = NoticeBox()
        self.lines_model = PackLinesModel(self)
        self.lines_table = PackLinesTable(self.lines_model)
        # Beside the lines: this order's scans, newest first, and where its waybill went.
        self.history_title = _label(SIDE_PT, bold=True, name="packHistoryTitle")
        self.history = QListWidget()
        self.history.setObjectName("packHistory")
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # scans go to the bench, never into a list
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        font = QFont(self.history.font())
        font.setPointSize(SIDE_PT)
        self.history.setFont(font)
        self.history.setWordWrap(True)
        self.history.setMaximumWidth(420)
        self.history.setMinimumWidth(260)
        self.printed_label = _label(SIDE_PT, name="packPrinted")
        self.printed_label.setWordWrap(True)
        self.printed_label.setMaximumWidth(420)
        self.printed_label.setMinimumWidth(260)
        self.picture = QLabel()
        self.picture.setObjectName("packPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(PICTURE_PX, PICTURE_PX)
        self.picture.setVisible(False)
        self._pictures: dict[str, QPixmap] = {}  # sku -> picture, fetched once
        self._fetching: set[str] = set()
        self._picture_sku: str | None = None
        self._picture.connect(self._picture_fetched)  # queued: emitted on the fetching thread
        side = QVBoxLayout()
        side.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.history_title)
        side.addWidget(self.history, 1)
        side.addWidget(self.printed_label)
        middle = QHBoxLayout()
        middle.addWidget(self.lines_table, 1)
        middle.addLayout(side)
        self.body.addLayout(header)
        self.body.addWidget(self.notes)
        self.body.addLayout(middle, 1)
        self._history_order: str | None = None
        self._printed: tuple[str, str, int, str, str, str] | None = None  # the last waybill job sent
        self._sent.connect(self._job_sent)  # queued: emitted on the printing thread
        self.runner.on_sent = lambda document, reference, result: self._sent.emit(
            document, reference, int(result.id), str(result.status), result.printer or "", result.error or "")

    # --- an outcome -----------------------------------------------------------------
    def show_outcome(self, outcome: Outcome, raw: str | None = None) -> None:
        # Outcomes the runner made without the bench (no database) carry no state: keep what the bench holds.
        # The outcome's state is the saved form (it crosses from the scan to the screen as plain data): read it typed.
        self.state = PackState.from_dict(outcome.state if outcome.state else self.runner.bench.snapshot())
        super().show_outcome(self._shown(outcome), raw)

    def _shown(self, outcome: Outcome) -> Outcome:
        """The outcome as the banner shows it: what the table and the amber box show is not repeated."""
        elsewhere = set(self.note_lines()) | {self._gift_line(with_variant=False)}
        details = tuple(d for d in outcome.details if not d.startswith(PROGRESS_MARKS) and d not in elsewhere)
        return replace(outcome, details=details)

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        self._remember_scan(outcome, raw)
        error = self.error
        if error is None:
            self._error_details = ()
        elif outcome.code == error.code and outcome.message == error.message:
            self._error_details = outcome.details  # the error itself, just now
            self._show_error()
        else:  # anything else while the error stands: the error stays in front
            self._show_error(() if outcome.code == "acknowledge_first" else (outcome.message,))
        self._render()

    @property
    def error(self) -> HeldError | None:
        """The error waiting for CONFIRM, if any: while an order is open and someone is logged in to confirm it
        (logged out, "Scan your badge" comes first; the error is back with the badge)."""
        error = self.state.error
        return error if self.state.order and error and self.runner.user is not None else None

    def _show_error(self, extra: tuple[str, ...] = ()) -> None:
        error = self.error
        details = []
        refused = error.refused or ()  # every scan refused while it waits (the bench keeps them)
        if refused:
            details.append(_("Not counted: {scan}", scan=", ".join(r.replace("\x1d", "<GS>") for r in refused)))
        details += [*extra, *self._error_details]
        self.banner.show_outcome(Outcome.error(error.code, error.message, *details),
                                 action=_("Scan CONFIRM to continue"))

    # --- beside the lines: the order's scans, where its waybill went ---------------------------
    def _remember_scan(self, outcome: Outcome, raw: str | None) -> None:
        """The scan in this order's history (a new order starts a new one; the close ends it listed)."""
        order = self.state.order or (self.state.last_order if outcome.code == "order_packed" else None)
        if order != self._history_order and self.state.order:
            self.history.clear()
            self._history_order = order
        if raw is None or order is None:
            return
        mark = {"ok": "✓", "warn": "!", "error": "✗"}.get(str(outcome.level), "·")
        self.history.insertItem(0, f"{datetime.now():%H:%M:%S}  {mark} {raw.replace(chr(29), '<GS>')}\n"
                                   f"    {render(outcome.message)}")
        while self.history.count() > HISTORY_ROWS:
            self.history.takeItem(self.history.count() - 1)

    def _job_sent(self, document: str, reference: str, job_id: int, status: str, printer: str, error: str) -> None:
        """A job this bench queued was sent: a waybill's destination stays on screen until the next one."""
        if document != "waybill":
            return
        self._printed = (document, reference, job_id, status, printer, error)
        self._show_printed()

    def _show_printed(self) -> None:
        if self._printed is None:
            self.printed_label.setText("")
            return
        _document, reference, job_id, status, printer, error = self._printed
        if status == "printed":
            text = _("Waybill of {order}: job {job} to {printer}", order=reference, job=job_id, printer=printer)
            colour = "#1b5e20"
        else:
            text = _("Waybill of {order} NOT printed (job {job}): {error}", order=reference, job=job_id,
                     error=error or status)
            colour = "#b71c1c"
        self.printed_label.setStyleSheet(f"color: {colour};")
        self.printed_label.setText(text + "\n" + _("F10 prints it again"))

    # --- the picture of the item to look for -----------------------------------------------------
    def _show_picture(self) -> None:
        """The picture of the line just scanned, else of the first line still to scan, when its
        product has one (products file, column image); fetched off the GUI thread, once per SKU."""
        rows = self.lines_model.rows
        highlighted = [rows[i] for i in sorted(self.lines_model.highlighted) if i < len(rows)]
        waiting = [r for r in rows if not r.complete]
        row = (highlighted or waiting or [None])[0]
        sku = row.sku if row is not None and row.image else None
        self._picture_sku = sku
        if sku is None:
            self.picture.setVisible(False)
            return
        pixmap = self._pictures.get(sku)
        if pixmap is not None:
            self.picture.setPixmap(pixmap)
            self.picture.setVisible(True)
            return
        if sku not in self._fetching:
            self._fetching.add(sku)
            threading.Thread(target=self._fetch_picture, args=(sku,), name="pack-picture", daemon=True).start()

    def _fetch_picture(self, sku: str) -> None:
        try:
            data = self.runner.product_image(sku) or b""
        except Exception:  # a database gone away: no picture, the packing goes on
            log.warning("the picture of %s could not be read", sku, exc_info=True)
            data = b""
        self._picture.emit(sku, data)

    def _picture_fetched(self, sku: str, data: bytes) -> None:
        self._fetching.discard(sku)
        pixmap = QPixmap()
        if not data or not pixmap.loadFromData(data):
            return
        self._pictures[sku] = pixmap.scaled(PICTURE_PX, PICTURE_PX, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)
        if sku == self._picture_sku:
            self._show_picture()

    # --- the order ----------------------------------------------------------------------
    def _render(self) -> None:
        state = self.state
        order = state.order
        self.lines_model.set_state(state.to_dict())
        self.order_label.setText(_("Order {order}", order=order) if order else _("No order open"))
        last = state.last_order
        self.last_order_label.setText(_("Last order: {order}", order=last) if last and not order else "")
        self.last_order_label.setVisible(bool(last and not order))
        parcels = state.parcels if order else ()
        self.parcel_label.setText(_("Parcel {n}", n=len(parcels)))
        self.parcel_label.setVisible(bool(order) and len(parcels) > 1)
        rows = self.lines_model.rows
        self.progress_label.setText(_("Scanned {scanned} of {total}", scanned=sum(r.scanned for r in rows),
                                      total=sum(r.ordered for r in rows)))
        self.progress_label.setVisible(bool(order))
        self.courier_label.setText(_("Courier: {courier}", courier=state.courier) if order and state.courier else "")
        self.courier_label.setVisible(bool(order and state.courier))
        self.notes.set_lines(self.note_lines() if order else [])
        self.history_title.setText(_("Scans of order {order}", order=self._history_order)
                                   if self._history_order else _("Scans of the order"))
        self._show_picture()

    def note_lines(self) -> list[str]:
        """The buyer's message, the seller's memo and the gifts, in words."""
        texts = {"buyer_message": N_("Buyer message: {text}"), "seller_memo": N_("Seller memo: {text}")}
        lines = [_(texts[kind], text=text) for kind, text in self.state.notes if kind in texts]
        gift = self._gift_line()
        return lines + [gift] if gift else lines

    def _gift_line(self, with_variant: bool = True) -> str:
        """The gifts of the order, or ""; without colour and size it is the line the workflow gives."""
        gifts = [line for line in self.state.lines if line.gift]
        if not gifts:
            return ""
        fields = ("name", "colour", "size") if with_variant else ("name",)
        items = ", ".join(" ".join(getattr(g, f) for f in fields if getattr(g, f)) + f" ×{g.qty}" for g in gifts)
        return _("Gift: {items}", items=items)

    # --- texts --------------------------------------------------------------------------
    def next_step_text(self) -> str:
        if self.runner.user is None:
            return _("Scan your badge")
        if self.error is not None:
            return _("Scan CONFIRM to continue")
        if self.state.order and self.state.awaiting_waybill:
            return _("Scan the waybill on the parcel")
        if self.state.order:
            return _("Scan the next item")
        return _(self.next_step)

    def show_next_step(self) -> None:
        """The resting state; an error waiting for CONFIRM is never replaced by it."""
        if self.error is not None:
            self._show_error()
            self._update_next_label()
            return
        if self.runner.user is None:
            super().show_next_step()
            return
        self.banner.show_prompt(self.next_step_text(), _("Logged in: {name}", name=self.runner.user))
        self._update_next_label()

    def retranslate(self) -> None:
        self.lines_model.retranslate()
        self._render()
        self._show_printed()
        super().retranslate()
        if self.banner.level == "error" and self.error is not None:
            self._show_error()
