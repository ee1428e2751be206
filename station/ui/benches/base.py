"""What every bench screen shares: a title, the runner it drives, and how it shows an outcome.

A screen is thin: it hands the raw scan to its `BenchRunner` and shows the `Outcome`
(banner colour, big message, details). It never opens a session or queries the database.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from station.i18n import N_, _
from station.ui.dialogs import DialogService
from station.ui.widgets.banner import OutcomeBanner
from station.workflows import BENCHES, Outcome
from station.workflows.runner import BenchRunner

HEADING_PT = 20
NEXT_STEP_PT = 16


def sized_label(point_size: int, bold: bool = False, name: str = "") -> QLabel:
    """A label in the application font at `point_size` (bold if asked), named for tests and styles."""
    label = QLabel()
    label.setObjectName(name)
    font = QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


class BenchScreen(QWidget):
    """One bench's screen. Subclass per bench and register it in `station.ui.benches.SCREENS`."""

    #: what to scan next once someone is logged in; an English msgid, translated when shown
    next_step = N_("Scan a barcode")

    outcome_shown = Signal(object)  # the Outcome, after the banner shows it

    def __init__(self, runner: BenchRunner, dialogs: DialogService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.dialogs = dialogs or DialogService()
        self.last_outcome: Outcome | None = None
        # set by the main window: (screen, raw, source, then) -> None, its scan worker's way in
        self.submitter: Callable[["BenchScreen", str, str, Callable | None], None] | None = None
        # likewise for a form's own database work: (screen, label, call, then) -> None
        self.off_gui: Callable[["BenchScreen", str, Callable, Callable], None] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keeps the focus (and so the input method) off text fields

        self.heading = QLabel()
        self.heading.setObjectName("benchHeading")
        font = QFont(self.heading.font())
        font.setPointSize(HEADING_PT)
        font.setBold(True)
        self.heading.setFont(font)
        self.next_label = QLabel()
        self.next_label.setObjectName("nextStep")
        font = QFont(self.next_label.font())
        font.setPointSize(NEXT_STEP_PT)
        self.next_label.setFont(font)
        self.next_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.banner = OutcomeBanner()

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.next_label)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(self.body, 1)
        self.build_body()
        if self.body.count() == 0:  # a bench with nothing below the banner: the banner stays at the top
            self.body.addStretch(1)
        self.retranslate()
        self.show_next_step()

    # --- the contract ---------------------------------------------------------------
    @property
    def bench_name(self) -> str:
        return self.runner.bench_name

    @property
    def title(self) -> str:
        return _(BENCHES[self.runner.bench_name].title)

    def submit_scan(self, raw: str, source: str = "scan",
                    then: Callable[[Outcome], object] | None = None) -> Outcome | None:
        """A line the screen itself sends to its bench (a form, a list, keyed digits): in a main
        window through its scan worker (off the GUI thread, in turn with the scans; ``then`` runs
        once the outcome is shown, and None is returned), else (a screen on its own) at once."""
        if self.submitter is not None:
            self.submitter(self, raw, source, then)
            return None
        outcome = self.handle_scan(raw, source)
        if then is not None:
            then(outcome)
        return outcome

    def run_off_gui(self, label: str, call: Callable[[], object], then: Callable[[object], object]):
        """Database work of the screen's own (a form): ``call`` on the main window's scan worker, in
        turn with the scans, then ``then(result)`` here on the GUI thread; returns None. A screen on
        its own (no main window) does both at once and returns what ``then`` returned."""
        if self.off_gui is not None:
            self.off_gui(self, label, call, then)
            return None
        return then(call())

    def handle_scan(self, raw: str, source: str = "scan") -> Outcome:
        """Give the scan to the runner and show what it did, here and now (a screen without a main
        window; the main window hands scans to its worker and calls `finish_scan`). A typed scan
        (`source` ``"typed"``: the F9 field, the acknowledge key) is handled and shown exactly as a
        scan of the same text."""
        _scan, outcome = self.runner.process(raw, source=source)
        self.finish_scan(outcome, raw)
        return outcome

    def finish_scan(self, outcome: Outcome, raw: str | None) -> None:
        """On the GUI thread, after the runner handled a scan: show the outcome and print."""
        self.show_outcome(outcome, raw)
        # Documents the scan queued (a waybill) render and print on the bench's printing thread:
        # the GUI never waits for a PDF or a printer.
        self.runner.print_in_background()

    def show_outcome(self, outcome: Outcome, raw: str | None = None) -> None:
        self.last_outcome = outcome
        self.banner.show_outcome(outcome)
        self.outcome_shown_hook(outcome, raw)
        self._update_next_label()
        self.outcome_shown.emit(outcome)

    # --- for subclasses ---------------------------------------------------------------
    def build_body(self) -> None:
        """Add the bench's own widgets to ``self.body`` (below the banner)."""

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        """Update the bench's own widgets after an outcome."""

    # --- texts --------------------------------------------------------------------------
    def next_step_text(self) -> str:
        if self.runner.user is None:
            return _("Scan your badge")
        return _(self.next_step)

    def show_next_step(self) -> None:
        """The banner's resting state: what to scan now."""
        if self.runner.user is None:
            self.banner.show_prompt(_("Scan your badge"),
                                    _("Scan the barcode on your staff card to log in at this bench"))
        else:
            self.banner.show_prompt(_(self.next_step), _("Logged in: {name}", name=self.runner.user))
        self._update_next_label()

    def _update_next_label(self) -> None:
        self.next_label.setText(_("Next: {step}", step=self.next_step_text()))

    def retranslate(self) -> None:
        self.heading.setText(self.title)
        self._update_next_label()
        if self.banner.level == "prompt":
            self.show_next_step()
        else:  # the last outcome, in the new language
            self.banner.retranslate()
