"""The receive bench screen: the PO being received, its lines (expected, received, outstanding),
and, once the receipt is closed, the quality check of each line.

An error stays red in the banner, with what to scan next, until CONFIRM (or, for ``not_on_po``,
``over_tolerance``, ``unknown_barcode`` and a barcode being linked, the supervisor's badge)
deals with it. The quality-check form (SKU, units failed, reason; Enter records) calls the same
service as ``station receive qc``: failed units go to quarantine through the ledger.
"""
from __future__ import annotations

import dataclasses


from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox

from station.i18n import N_, _
from station.inbound.receiving import InboundError, record_quality_check
from station.ui.benches.base import BenchScreen
from station.ui.widgets.receipt_lines import ReceiptLinesModel, ReceiptLinesTable
from station.workflows import Outcome
from station.ui.widgets.code_field import code_field
from station.workflows.receive import APPROVAL, Pending, ReceiveState

HEADER_PT = 24
PROGRESS_MARKS = ("✓ ", "□ ")


def _label(point_size: int, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    font = QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


class ReceiveScreen(BenchScreen):
    next_step = N_("Scan the PO number on the delivery note")

    def build_body(self) -> None:
        self.state = ReceiveState.from_dict(self.runner.bench.snapshot())
        self.receipt_label = _label(HEADER_PT, bold=True, name="receiveReceipt")
        self.progress_label = _label(18, bold=True, name="receiveProgress")
        header = QHBoxLayout()
        header.addWidget(self.receipt_label)
        header.addStretch(1)
        header.addWidget(self.progress_label)
        self.lines_model = ReceiptLinesModel(self)
        self.lines_table = ReceiptLinesTable(self.lines_model)
        self.qc_box = QGroupBox()
        self.qc_sku = code_field()
        self.qc_failed = QSpinBox()
        self.qc_failed.setRange(0, 1_000_000)
        self.qc_reason = QLineEdit()
        self.qc_result = QLabel()
        self.qc_result.setObjectName("qcResult")
        self.qc_reason.returnPressed.connect(self.record_qc)
        self.qc_sku_label, self.qc_failed_label, self.qc_reason_label = QLabel(), QLabel(), QLabel()
        row = QHBoxLayout(self.qc_box)
        for label, field in ((self.qc_sku_label, self.qc_sku), (self.qc_failed_label, self.qc_failed),
                             (self.qc_reason_label, self.qc_reason)):
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field, 1 if field is self.qc_reason else 0)
        row.addWidget(self.qc_result)
        self.body.addLayout(header)
        self.body.addWidget(self.lines_table, 1)
        self.body.addWidget(self.qc_box)

    # --- an outcome -----------------------------------------------------------------
    def show_outcome(self, outcome: Outcome, raw: str | None = None) -> None:
        # The outcome's state is the saved form (plain data from the scan to the screen): read it typed.
        self.state = ReceiveState.from_dict(outcome.state if outcome.state else self.runner.bench.snapshot())
        details = tuple(d for d in outcome.details if not d.startswith(PROGRESS_MARKS))
        super().show_outcome(Outcome(outcome.level, outcome.code, outcome.message, details, outcome.state,
                                     outcome.changes, outcome.kind), raw)

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        pending = self.pending
        if pending is not None and outcome.code != pending.code and outcome.code not in (*APPROVAL, "link_scan_sku"):
            self._show_pending(outcome.message)
        elif pending is not None:
            self.banner.show_outcome(Outcome.error(pending.code, pending.message) if pending.code != "link"
                                     else outcome, action=self._pending_action())
        self._render()

    @property
    def pending(self) -> Pending | None:
        pending = self.state.pending
        return pending if self.state.receipt and pending and self.runner.user is not None else None

    def _pending_action(self) -> str:
        code = self.pending.code if self.pending else None
        if code == "link":
            return _("Scan the SKU label, or CONFIRM to set the item aside")
        if code in APPROVAL:
            return _("Supervisor: scan your badge · CONFIRM: set the item aside")
        return _("Scan CONFIRM to continue")

    def _show_pending(self, extra: str = "") -> None:
        pending = self.pending
        self.banner.show_outcome(Outcome.error(pending.code if pending.code != "link" else "unknown_barcode",
                                               pending.message, *([extra] if extra else [])),
                                 action=self._pending_action())

    # --- the receipt ------------------------------------------------------------------
    def _render(self) -> None:
        state = self.state
        self.lines_model.set_state(state.to_dict())
        receipt = state.receipt
        if receipt:
            po = state.po
            title = (_("PO {po} · {supplier}", po=po, supplier=state.supplier or "") if po else
                     _("Blind receipt · {supplier}", supplier=state.supplier or ""))
            self.receipt_label.setText(f"{title} · {receipt}")
        elif state.last_receipt:
            self.receipt_label.setText(_("Receipt {receipt} closed: quality check", receipt=state.last_receipt))
        else:
            self.receipt_label.setText(_("No receipt open"))
        rows = self.lines_model.rows
        self.progress_label.setText(_("Received {received} of {expected}",
                                      received=sum(int(r.get("received", 0)) for r in rows),
                                      expected=sum(int(r.get("expected", 0)) for r in rows)))
        self.progress_label.setVisible(bool(rows))
        self.qc_box.setVisible(not receipt and bool(state.last_lines))

    # --- the quality check --------------------------------------------------------------
    def record_qc(self) -> Outcome | None:
        """Record the form's line: failed units to quarantine. Shown in the banner like a scan's
        outcome. The database work runs on the main window's scan worker, in turn with the scans
        (None is returned then; a screen on its own does it at once and returns the outcome)."""
        receipt = self.state.last_receipt or ""
        sku = self.qc_sku.text().strip()
        failed = self.qc_failed.value()
        reason = self.qc_reason.text()
        sessions, user, station = self.runner.sessions, self.runner.user, self.runner.station

        def call():
            try:
                return record_quality_check(sessions, receipt, sku, failed, reason, user=user, station=station)
            except InboundError as exc:
                return exc

        return self.run_off_gui(f"QC {sku}", call, lambda result: self._qc_recorded(sku, result))

    def _qc_recorded(self, sku: str, result) -> Outcome:
        if isinstance(result, InboundError):
            outcome = Outcome.error(result.code, str(result))
        else:
            line = result
            self.lines_model.update_line(sku, quarantined=line.quarantined)
            self.state = self.state.put(last_lines=tuple(
                dataclasses.replace(row, quarantined=line.quarantined) if row.sku == sku else row
                for row in self.state.last_lines))
            if line.quarantined:
                outcome = Outcome.warn("quality_failed", _("{sku}: {failed} to quarantine, {accepted} accepted",
                                                           sku=sku, failed=line.quarantined,
                                                           accepted=line.received - line.quarantined))
            else:
                outcome = Outcome.ok("quality_passed", _("{sku}: passed, {accepted} accepted", sku=sku,
                                                         accepted=line.received))
            self.qc_sku.clear()
            self.qc_failed.setValue(0)
            self.qc_reason.clear()
        self.qc_result.setText(outcome.message)
        self.last_outcome = outcome
        self.banner.show_outcome(outcome)
        self.outcome_shown.emit(outcome)
        return outcome

    # --- texts --------------------------------------------------------------------------
    def next_step_text(self) -> str:
        if self.runner.user is None:
            return _("Scan your badge")
        if self.pending is not None:
            return self._pending_action()
        if self.state.qc_reason:
            return _("Scan each failed unit; DONE ends the check")
        if self.state.receipt:
            return _("Scan the goods; DONE closes the receipt")
        return _(self.next_step)

    def show_next_step(self) -> None:
        if self.pending is not None:
            self._show_pending()
            self._update_next_label()
            return
        super().show_next_step()

    def retranslate(self) -> None:
        self.qc_box.setTitle(_("Quality check"))
        self.qc_sku_label.setText(_("S&KU"))
        self.qc_failed_label.setText(_("&Failed"))
        self.qc_reason_label.setText(_("&Reason (Enter records)"))
        self.lines_model.retranslate()
        self._render()
        super().retranslate()
