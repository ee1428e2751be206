"""The pack bench screen: the order, what the buyer and the seller wrote, and every line to scan.

Top to bottom: the banner (what the last scan did); the order number, big, with the parcel
being filled once there is more than one; an amber box with the buyer's message, the
seller's memo and the gifts; the lines table (scanned against ordered, green when complete,
the line just scanned highlighted). The screen draws the bench's state as the runner returns
it after each scan and never asks the database anything.

An error the packer must acknowledge (``state.error``: the screen reads the outcome's state typed,
``PackState``) stays in the banner, red, with
"Scan CONFIRM to continue", whatever is scanned meanwhile and however long it takes: an error
that fades by itself is an error nobody saw, and a mis-shipped parcel. Only CONFIRM (or
CANCEL, which puts the order back) clears it.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel

from station.i18n import N_, _
from station.ui.benches.base import BenchScreen
from station.ui.widgets.notice_box import NoticeBox
from station.ui.widgets.pack_lines import PackLinesModel, PackLinesTable
from station.workflows import Outcome
from station.workflows.messages import HeldError
from station.workflows.pack import PackState

ORDER_PT = 28
PARCEL_PT = 24
PROGRESS_PT = 18
# The workflow's progress lines ("✓ TS01-RD-M  2/2"): the table shows them, the banner need not.
PROGRESS_MARKS = ("✓ ", "□ ")


def _label(point_size: int, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    font = QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


class PackScreen(BenchScreen):
    next_step = N_("Scan the packing slip")

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
        self.notes = NoticeBox()
        self.lines_model = PackLinesModel(self)
        self.lines_table = PackLinesTable(self.lines_model)
        self.body.addLayout(header)
        self.body.addWidget(self.notes)
        self.body.addWidget(self.lines_table, 1)

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
        self.notes.set_lines(self.note_lines() if order else [])

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
        super().retranslate()
        if self.banner.level == "error" and self.error is not None:
            self._show_error()
