"""Register an expected return (customer service; Ctrl+R in the orders window).

Order number (the selected order's, to start with), the return parcel's tracking number,
refund or exchange, the reason; Enter registers it through the same service as
``station import returns``. A refused registration says why in red and changes nothing.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from station.db import unit_of_work
from station.i18n import N_, _
from station.returns.expected import ReturnError, ReturnRequest, register_return
from station.ui.office.common import RED, WhoIsLoggedIn, not_logged_in_text, refusal
from station.ui.widgets.code_field import code_field

TYPES = (("refund", N_("Refund")), ("exchange", N_("Exchange")))


class RegisterReturnDialog(QDialog):
    registered = Signal(str)  # the order number

    def __init__(self, sessions, *, who: WhoIsLoggedIn, order_no: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sessions, self.who = sessions, who
        self.order_no = code_field(order_no)
        self.tracking = code_field()
        self.type = QComboBox()
        for code, _text in TYPES:
            self.type.addItem("", code)
        self.reason = QLineEdit()
        self.result = QLabel()
        self.result.setObjectName("registerResult")
        self.result.setWordWrap(True)
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.order_no, self.tracking, self.type, self.reason)):
            label.setBuddy(field)
            form.addRow(label, field)
            if isinstance(field, QLineEdit):
                field.returnPressed.connect(self.register)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        self.retranslate()

    def register(self) -> bool:
        """Register what the form says; True when it was registered (or was already)."""
        user = self.who()
        if user is None:
            self._say(" ".join(not_logged_in_text()), error=True)
            return False
        request = ReturnRequest(self.order_no.text().strip(), self.tracking.text().strip() or None,
                                self.type.currentData(), self.reason.text().strip() or None)
        refused = refusal(self.sessions, "import.returns", user, target=request.order_no)
        if refused:
            self._say(refused, error=True)
            return False
        try:
            with unit_of_work(self.sessions) as s:
                _row, created = register_return(s, request, user=user)
                s.commit()
        except ReturnError as exc:
            self._say(str(exc), error=True)
            return False
        self._say(_("Return of order {order} registered", order=request.order_no) if created
                  else _("Return of order {order} was registered already", order=request.order_no))
        self.tracking.clear()
        self.reason.clear()
        self.registered.emit(request.order_no)
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {RED};" if error else "")

    def retranslate(self) -> None:
        self.setWindowTitle(_("Register a return"))
        for label, text in zip(self.labels, (N_("&Order number"), N_("Return &tracking number"), N_("T&ype"),
                                             N_("&Reason"))):
            label.setText(_(text))
        for i, (_code, text) in enumerate(TYPES):
            self.type.setItemText(i, _(text))
