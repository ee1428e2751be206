"""The put-away bench screen: what is being carried, the bin to put it in, big; a quarantine
release in amber while it lasts.

The screen draws the bench's state (``carrying``, ``suggested``, ``other_bin``, ``release_by``)
as the runner returns it and asks the database nothing.
"""
from __future__ import annotations


from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from station.i18n import N_, _
from station.ui.benches.base import BenchScreen
from station.ui.widgets.notice_box import NoticeBox
from station.workflows import Outcome
from station.workflows.messages import WaitingError
from station.workflows.putaway import PutawayState

BIN_PT = 40
ITEM_PT = 22


def _label(point_size: int, bold: bool, name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    font = QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


class PutawayScreen(BenchScreen):
    next_step = N_("Scan an item to put away")

    def build_body(self) -> None:
        self.state = PutawayState.from_dict(self.runner.bench.snapshot())
        self.release_box = NoticeBox()
        self.item_label = _label(ITEM_PT, True, "putawayItem")
        self.bin_label = _label(BIN_PT, True, "putawayBin")
        self.last_label = _label(16, False, "putawayLast")
        self.body.addWidget(self.release_box)
        self.body.addWidget(self.item_label)
        self.body.addWidget(self.bin_label)
        self.body.addWidget(self.last_label)
        self.body.addStretch(1)

    def show_outcome(self, outcome: Outcome, raw: str | None = None) -> None:
        # The outcome's state is the saved form (plain data from the scan to the screen): read it typed.
        self.state = PutawayState.from_dict(outcome.state if outcome.state else self.runner.bench.snapshot())
        super().show_outcome(outcome, raw)

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        error = self.error
        if error is not None:  # the error stays in front, whatever came since
            extra = () if outcome.code in (error.code, "acknowledge_first") else (outcome.message,)
            self.banner.show_outcome(Outcome.error(error.code, error.message, *extra),
                                     action=_("Scan CONFIRM to continue"))
        self._render()

    @property
    def error(self) -> WaitingError | None:
        error = self.state.error
        return error if error and self.runner.user is not None else None

    def show_next_step(self) -> None:
        if self.error is not None:
            self.banner.show_outcome(Outcome.error(self.error.code, self.error.message),
                                     action=_("Scan CONFIRM to continue"))
            self._update_next_label()
            return
        super().show_next_step()

    def _render(self) -> None:
        state = self.state
        carrying = state.carrying
        if carrying:
            self.item_label.setText(_("{sku} ×{qty}  {name}", sku=carrying.sku, qty=carrying.qty,
                                      name=carrying.name))
            bin_code = state.other_bin or state.suggested
            self.bin_label.setText(_("→ {bin}", bin=bin_code) if bin_code else _("→ any empty bin"))
        else:
            self.item_label.setText(_("Nothing carried"))
            self.bin_label.setText("")
        last = state.last
        self.last_label.setText(_("Last: {sku} ×{qty} in {bin}", sku=last[0], qty=last[1], bin=last[2])
                                if last else "")
        release = state.release_by
        self.release_box.set_lines([_("Quarantine release by {name}", name=release)] if release else [])

    def next_step_text(self) -> str:
        if self.runner.user is None:
            return _("Scan your badge")
        if self.error is not None:
            return _("Scan CONFIRM to continue")
        if self.state.awaiting_supervisor:
            return _("Supervisor: scan your badge")
        if self.state.other_bin:
            return _("Scan {bin} again to confirm", bin=self.state.other_bin)
        if self.state.carrying:
            return _("Scan the bin")
        return _(self.next_step)

    def retranslate(self) -> None:
        self._render()
        super().retranslate()
