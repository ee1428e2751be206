"""The settings dialog (Ctrl+,): language, station name, scanner timing, sound, the scanner, the F12 key,
the pack bench's scale (with "weigh to test") and, with a database, the packaging weight and tolerance.

Language, scanner timing and sound apply at once; a new station name from the next
start (the benches' saved state and the scan log are kept per station name).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QKeySequenceEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from station.i18n import N_, _
from station.ui.pack_scale import ScaleChooser
from station.ui.scanners.chooser import ScannerChooser
from station.ui.settings import Settings

# Each language is named in its own words, so a person who cannot read the other one finds theirs.
LANGUAGE_CHOICES = (("", N_("Follow the system")), ("en", "English"), ("zh_CN", "简体中文"))


class AcknowledgeKeyField(QWidget):
    """The key that acknowledges an error like scanning CONFIRM (F12 by default): press it in the field.

    One key, no chord. ``reserved`` are keys the window already uses (F1…F8 pick a bench, F9 types a
    barcode): such a key is refused with a line saying so, and the previous one stays.
    """

    def __init__(self, key: str, reserved: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reserved = reserved
        self.edit = QKeySequenceEdit(QKeySequence(key))
        self.edit.setMaximumSequenceLength(1)
        self.edit.setClearButtonEnabled(False)
        self.default = QPushButton(_("F12 (default)"))
        self.default.setAutoDefault(False)
        self.default.clicked.connect(lambda: self.set_key("F12"))
        self.problem = QLabel()
        self.problem.setObjectName("keyProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        self._key = QKeySequence(key).toString() or "F12"
        self.edit.editingFinished.connect(self._edited)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.default)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.problem)

    def key(self) -> str:
        return self._key

    def set_key(self, key: str) -> None:
        self.edit.setKeySequence(QKeySequence(key))
        self._edited()

    def _edited(self) -> None:
        text = self.edit.keySequence().toString()
        if not text:
            self.edit.setKeySequence(QKeySequence(self._key))
            return
        if text in self.reserved:
            self.problem.setText(_("{key} is taken: {use}. Choose another key.", key=text, use=self.reserved[text]))
            self.problem.show()
            self.edit.setKeySequence(QKeySequence(self._key))
            return
        self.problem.hide()
        self._key = text


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 reserved_keys: dict[str, str] | None = None, sessions=None, user: str | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Settings"))
        self.setModal(True)

        self.language = QComboBox()
        for value, label in LANGUAGE_CHOICES:
            self.language.addItem(_(label) if value == "" else label, value)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.station_name = QLineEdit(settings.station_name)
        self.station_name.setPlaceholderText(settings.station)
        self.max_gap = QSpinBox()
        self.max_gap.setRange(5, 500)
        self.max_gap.setSuffix(" ms")
        self.max_gap.setValue(settings.max_gap_ms)
        self.min_chars = QSpinBox()
        self.min_chars.setRange(1, 64)
        self.min_chars.setValue(settings.min_chars)
        self.sound = QCheckBox(_("Play a sound for every scan"))
        self.sound.setChecked(settings.sound)
        self.scanner = ScannerChooser(settings.scanner, self, max_gap_ms=settings.max_gap_ms,
                                      min_chars=settings.min_chars)

        self.acknowledge_key = AcknowledgeKeyField(settings.acknowledge_key.strip() or "F12", reserved_keys or {})
        self.scale = ScaleChooser(settings.scale, self)
        # Station-wide (the database): the packaging weight and tolerance every bench's scale checks with
        self.sessions = sessions
        self.user = user
        self.packaging = QSpinBox()
        self.packaging.setRange(0, 99999)
        self.packaging.setSuffix(" g")
        self.tolerance = QSpinBox()
        self.tolerance.setRange(1, 100)
        self.tolerance.setSuffix(" %")
        self._weighing = None
        if sessions is not None:
            from station.fulfilment.weighing import weighing_settings

            from station.catalog.roles import roles_for

            self._weighing = weighing_settings(sessions)
            self.packaging.setValue(self._weighing[0])
            self.tolerance.setValue(self._weighing[1])
            allowed = bool(user) and bool(roles_for("weighing.settings") & _roles_of(sessions, user))
            for field in (self.packaging, self.tolerance):  # a supervisor or admin changes them
                field.setEnabled(allowed)
                field.setToolTip("" if allowed else _("Only a supervisor or admin logged in at a bench changes this"))

        form = QFormLayout()
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("&Station name:"), self.station_name)
        form.addRow(_("Longest pause between a scanner's keys:"), self.max_gap)
        form.addRow(_("Fewest characters in a scan:"), self.min_chars)
        form.addRow("", self.sound)
        form.addRow(_("Scanner:"), self.scanner)
        form.addRow(_("Key that acknowledges an error (like CONFIRM):"), self.acknowledge_key)
        form.addRow(_("Scale at the pack bench:"), self.scale)
        if sessions is not None:
            form.addRow(_("Packaging weight (every station):"), self.packaging)
            form.addRow(_("Weight tolerance (every station):"), self.tolerance)
        note = QLabel(_("Language, scanner timing and sound change at once. "
                        "A new station name is used from the next start of Station."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.language.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        if self.scanner.validate() and self.scale.validate():  # a serial port or device must be named
            super().accept()

    def done(self, result: int) -> None:
        self.scanner.stop_test()  # let go of the device before the main window opens it again
        super().done(result)

    def save(self) -> dict[str, tuple]:
        """Write the choices to the settings; returns {name: (old, new)} for what changed."""
        new = {
            "language": self.language.currentData() or "",
            "station_name": self.station_name.text().strip(),
            "max_gap_ms": self.max_gap.value(),
            "min_chars": self.min_chars.value(),
            "sound": self.sound.isChecked(),
            "scanner": str(self.scanner.spec()),
            "acknowledge_key": self.acknowledge_key.key(),
            "scale": str(self.scale.spec()),
        }
        changed = {}
        for name, value in new.items():
            old = getattr(self.settings, name)
            if old != value:
                setattr(self.settings, name, value)
                changed[name] = (old, value)
        self.settings.sync()
        if self.sessions is not None:
            weighing = (self.packaging.value(), self.tolerance.value())
            if weighing != self._weighing:
                from station.fulfilment.weighing import set_weighing

                set_weighing(self.sessions, self.user, packaging_g=weighing[0], tolerance_pct=weighing[1],
                             station=self.settings.station)
                changed["weighing"] = (self._weighing, weighing)
        return changed


def _roles_of(sessions, user: str) -> frozenset[str]:
    from sqlalchemy import select

    from station.catalog.models import User
    from station.db import read_only

    with read_only(sessions) as s:
        person = s.scalar(select(User).where(User.name == user))
        return person.role_set if person is not None else frozenset()
