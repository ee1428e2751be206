"""Plan a stock count from the counts window (Ctrl+N): what `station counts plan` does, by keyboard.

Kind first (full, zone, range of bins, SKUs, cycle, stale), then only the fields that kind takes.
Enter plans it: the role check (``counts.plan``, recorded either way), the count opened through
``station.inventory.counts.create_count`` (the CLI's own call), and its count sheet printed
through the outbox. What happened stays in the line at the foot (red when refused).
"""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from station.i18n import N_, _
from station.ui.widgets.code_field import code_field

KINDS = (("full", N_("Full count: every bin")), ("zone", N_("One zone")), ("range", N_("A range of bins")),
         ("skus", N_("Some SKUs, wherever they are")), ("cycle", N_("Cycle count: the bins due")),
         ("stale", N_("Bins not counted for some days")))
CLASSES = (("", N_("every class due")), ("A", "A"), ("B", "B"), ("C", "C"))


class PlanCountDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planCountDialog")
        self.setWindowTitle(_("Plan a count"))
        self.kind = QComboBox()
        for value, label in KINDS:
            self.kind.addItem(_(label), value)
        self.zone = code_field()
        self.first, self.last = code_field(), code_field()
        self.skus = code_field()
        self.skus.setPlaceholderText(_("SKUs, separated by spaces"))
        self.movement_class = QComboBox()
        for value, label in CLASSES:
            self.movement_class.addItem(_(label), value)
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(90)
        self.form = QFormLayout()
        self.form.addRow(_("&Kind:"), self.kind)
        self.form.addRow(_("&Zone:"), self.zone)
        self.form.addRow(_("&From bin:"), self.first)
        self.form.addRow(_("&To bin:"), self.last)
        self.form.addRow(_("&SKUs:"), self.skus)
        self.form.addRow(_("Movement &class:"), self.movement_class)
        self.form.addRow(_("Not counted for (&days):"), self.days)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020; font-weight: bold")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_fields())
        self._show_fields()
        self.kind.setFocus()

    def _show_fields(self) -> None:
        kind = self.kind.currentData()
        wanted = {"zone": [self.zone], "range": [self.first, self.last], "skus": [self.skus],
                  "cycle": [self.movement_class], "stale": [self.days]}.get(kind, [])
        for field in (self.zone, self.first, self.last, self.skus, self.movement_class, self.days):
            self.form.setRowVisible(field, field in wanted)
        self.problem.clear()

    def plan(self) -> dict:
        """The plan as `create_count` takes it."""
        kind = self.kind.currentData()
        return {"kind": kind, "zone": self.zone.text().strip() or None, "first": self.first.text().strip() or None,
                "last": self.last.text().strip() or None, "skus": tuple(self.skus.text().split()),
                "movement_class": self.movement_class.currentData() or None,
                "days": self.days.value() if kind == "stale" else None}

    def accept(self) -> None:
        plan = self.plan()
        missing = {"zone": not plan["zone"], "range": not (plan["first"] and plan["last"]),
                   "skus": not plan["skus"]}.get(plan["kind"], False)
        if missing:
            self.problem.setText(_("Fill in the fields of this kind of count first"))
            return
        super().accept()
