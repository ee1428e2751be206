"""The lookup bench: scan anything and see what it is, where it is stocked and how many."""
from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from station.i18n import N_, _
from station.ui.benches.base import BenchScreen
from station.ui.widgets.scan_log import ScanLog
from station.workflows import Outcome


class LookupScreen(BenchScreen):
    next_step = N_("Scan a product, a location, an order or a tracking number")

    def build_body(self) -> None:
        self.log_heading = QLabel()
        font = QFont(self.log_heading.font())
        font.setPointSize(13)
        font.setBold(True)
        self.log_heading.setFont(font)
        self.scan_log = ScanLog()
        self.body.addWidget(self.log_heading)
        self.body.addWidget(self.scan_log, 1)

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        if raw is not None:
            self.scan_log.add(raw, outcome)

    def retranslate(self) -> None:
        self.log_heading.setText(_("Recent scans"))
        super().retranslate()
