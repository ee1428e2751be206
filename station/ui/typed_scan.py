"""F9: a field to type a barcode the scanner cannot read (damaged, creased, badly printed).

What is typed goes to the bench on screen as a typed scan: handled exactly as a scan of the
same text (the runner's ``process(raw, source="typed")``), and recorded in the scan log as
typed. The field takes plain Latin text: an input method (pinyin) is switched off in it, so
``CMD-CONFIRM`` or a waybill number arrive as typed, never turned into Chinese.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from station.i18n import _

FIELD_PT = 20  # readable at arm's length, like the banner
MAX_LENGTH = 200  # longer than any barcode Station reads (a GS1 string with several elements)


class TypedScanDialog(QDialog):
    """One line to type a barcode into; Enter hands it to the bench, Esc cancels."""

    def __init__(self, bench_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("typedScanDialog")
        self.setWindowTitle(_("Type a barcode"))
        self.setModal(True)
        self.prompt = QLabel(_("Type the number under the bars, then press Enter. "
                               "It goes to the {bench} bench as a scan of it.", bench=bench_title))
        self.prompt.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setObjectName("typedScanField")
        self.field.setMaxLength(MAX_LENGTH)
        self.field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # no pinyin in a barcode
        self.field.setInputMethodHints(Qt.InputMethodHint.ImhPreferLatin | Qt.InputMethodHint.ImhNoPredictiveText
                                       | Qt.InputMethodHint.ImhNoAutoUppercase)
        font = QFont(self.field.font())
        font.setPointSize(FIELD_PT)
        self.field.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Scan it"))
        self.ok_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.field.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.field)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        """What was typed, without the spaces around it (a scanner sends none either)."""
        return self.field.text().strip()

    def accept(self) -> None:
        if self.text():  # Enter in an empty field does nothing
            super().accept()
