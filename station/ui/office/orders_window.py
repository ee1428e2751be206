"""The orders window (Ctrl+O): review the day's orders, release or cancel holds, import, batch.

Keys: R releases the selected held order, H holds it, Delete cancels it (after a
confirmation), F5 reloads, Ctrl+1…Ctrl+6 pick the status shown, Ctrl+I imports a shop
export, Ctrl+B prints a batch, Esc closes. Release and cancel ask first, through the
`DialogService`, and record who did it: the person logged in at the station's bench.
Nobody logged in, nothing changes (Station must know who released an order).
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QMainWindow, QTableView, QVBoxLayout, QWidget)

from station.fulfilment.orders import (OrderError, OrderSummary, cancel_order, hold_order, list_orders,
                                       release_order)
from station.i18n import N_, _
from station.ui.dialogs import DialogService
from station.ui.office.common import (TABLE_PT, TABLE_STYLE, ChooseFile, WhoIsLoggedIn, choose_order_file, font,
                                      not_logged_in_text, refusal)
from station.ui.office.orders_model import DETAILS, HEADERS, OrdersModel, holds_in_full
from station.ui.office.worker import WindowJobs
from station.ui.widgets.fit import fit_to_screen

ORDERS_SHOWN = 500  # a screenful to work through, oldest payment first; filter to see the rest
FILTERS = (("ready", N_("Ready")), ("on_hold", N_("On hold")), ("packed", N_("Packed")),
           ("shipped", N_("Shipped")), ("cancelled", N_("Cancelled")), (None, N_("All orders")))
DEFAULT_FILTER = "on_hold"  # what the order printer works through first
HOLDS_LINES = 5  # the box below the table keeps this height at least, so the table does not jump


class OrdersWindow(QMainWindow):
    changed = Signal()  # an order was released, held, cancelled or imported
    loaded = Signal()  # the list on screen is the one the last refresh asked for

    def __init__(self, sessions, *, who: WhoIsLoggedIn, dialogs: DialogService | None = None,
                 station: str | None = None, choose_file: ChooseFile | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ordersWindow")
        self.sessions = sessions
        self.who = who
        self.dialogs = dialogs or DialogService()
        self.station = station
        self.choose_file = choose_file or choose_order_file
        self.import_dialog = None
        self.batch_dialog = None
        self.jobs = WindowJobs(self)  # the list loads on a thread

        self.status_label = QLabel()
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("orderFilter")
        for status, _text in FILTERS:
            self.filter_box.addItem("", status)
        self.filter_box.setCurrentIndex([s for s, _t in FILTERS].index(DEFAULT_FILTER))
        self.filter_box.currentIndexChanged.connect(self.refresh)
        self.status_label.setBuddy(self.filter_box)
        self.count_label = QLabel()
        self.count_label.setObjectName("orderCount")
        self.keys_label = QLabel()
        self.keys_label.setObjectName("orderKeys")

        self.model = OrdersModel(self)
        self.table = QTableView()
        self.table.setObjectName("ordersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setStyleSheet(TABLE_STYLE)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setFont(font(TABLE_PT))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(int(self.table.fontMetrics().height() * 1.6))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_holds())

        self.holds_label = QLabel()
        self.holds_label.setObjectName("orderHolds")
        self.holds_label.setTextFormat(Qt.TextFormat.PlainText)  # buyers' words are data, never markup
        self.holds_label.setWordWrap(True)
        self.holds_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.holds_label.setFont(font(TABLE_PT))
        self.holds_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.holds_label.setMinimumHeight(self.holds_label.fontMetrics().lineSpacing() * HOLDS_LINES)  # steady
        holds_box = QFrame()
        holds_box.setObjectName("orderHoldsBox")
        holds_box.setFrameShape(QFrame.Shape.StyledPanel)
        box_layout = QVBoxLayout(holds_box)
        box_layout.addWidget(self.holds_label)

        top = QHBoxLayout()
        top.addWidget(self.status_label)
        top.addWidget(self.filter_box)
        top.addSpacing(16)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.keys_label)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(holds_box)
        self.setCentralWidget(central)

        self._build_actions()
        self.retranslate()
        fit_to_screen(self, 1180, 680)  # fits 1280x720 and up
        self.refresh()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions ------------------------------------------------------------------------
    def _action(self, shortcuts: list[str], slot) -> QAction:
        action = QAction(self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # the key works wherever the focus is in this window
        return action

    def _build_actions(self) -> None:
        self.release_action = self._action(["R"], self.release_selected)
        self.hold_action = self._action(["H"], self.hold_selected)
        self.cancel_action = self._action(["Delete"], self.cancel_selected)
        self.refresh_action = self._action(["F5"], self.refresh)
        self.import_action = self._action(["Ctrl+I"], self.open_import)
        self.batch_action = self._action(["Ctrl+B"], self.open_batch)
        self.return_action = self._action(["Ctrl+R"], self.open_register_return)
        self.close_action = self._action(["Esc", "Ctrl+W"], self.close)
        self.orders_menu = self.menuBar().addMenu("")
        for action in (self.release_action, self.hold_action, self.cancel_action):
            self.orders_menu.addAction(action)
        self.orders_menu.addSeparator()
        for action in (self.import_action, self.batch_action, self.return_action):
            self.orders_menu.addAction(action)
        self.orders_menu.addSeparator()
        self.orders_menu.addAction(self.close_action)
        self.view_menu = self.menuBar().addMenu("")
        self.filter_actions = []
        for i, _item in enumerate(FILTERS):
            action = self._action([f"Ctrl+{i + 1}"], lambda i=i: self.filter_box.setCurrentIndex(i))
            self.view_menu.addAction(action)
            self.filter_actions.append(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.refresh_action)

    # --- what is shown ------------------------------------------------------------------
    @property
    def status_filter(self) -> str | None:
        return self.filter_box.currentData()

    def set_filter(self, status: str | None) -> None:
        self.filter_box.setCurrentIndex([s for s, _t in FILTERS].index(status))

    def selected(self) -> OrderSummary | None:
        return self.model.order_at(self.table.currentIndex().row())

    def select(self, order_no: str) -> bool:
        row = self.model.row_of(order_no)
        if row >= 0:
            self._select_row(row)
        return row >= 0

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def refresh(self) -> None:
        """Reload the orders of the chosen status, on a thread: 500 orders with their lines and holds
        take tens of milliseconds, more on a busy PC, and the GUI thread is the scans' too. The list on
        screen stays (and usable) until the new one is drawn; the selection stays on the same order
        (or row). A newer refresh wins over an older one still running."""
        status, sessions = self.status_filter, self.sessions
        self.jobs.run("list", lambda _progress: list_orders(sessions, status, limit=ORDERS_SHOWN), self._loaded,
                      self._load_failed)

    @property
    def loading(self) -> bool:
        return self.jobs.busy("list")

    def _loaded(self, orders: list[OrderSummary]) -> None:
        current = self.selected()
        row = self.table.currentIndex().row()
        self.model.set_orders(orders)
        if self.model.rowCount():
            if not (current and self.select(current.order_no)):
                self._select_row(min(max(row, 0), self.model.rowCount() - 1))
        self._update_count()
        self._show_holds()
        self.loaded.emit()

    def _load_failed(self, exc: Exception) -> None:
        self.count_label.setText(_("The orders could not be read: {error}", error=str(exc) or type(exc).__name__))
        self.loaded.emit()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.jobs.wait()  # a list load is a read of a few tens of ms: let it end
        super().closeEvent(event)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        if n >= ORDERS_SHOWN:
            self.count_label.setText(_("The first {n} orders by payment time", n=n))
        else:
            self.count_label.setText(_("Orders: {n}", n=n))

    def _show_holds(self) -> None:
        order = self.selected()
        if order is None:
            self.holds_label.setText(_("No order selected"))
        elif order.holds:
            self.holds_label.setText(_("Order {order_no} is held because:", order_no=order.order_no) + "\n"
                                     + holds_in_full(order))
        else:
            self.holds_label.setText(_("Order {order_no}: nothing holds it", order_no=order.order_no))

    # --- release, hold, cancel ------------------------------------------------------------
    def _who_and_order(self, action: str) -> tuple[str, OrderSummary] | None:
        """The person logged in and the selected order, when the role matrix lets them do ``action``
        (asked before any confirmation; a refusal is shown and recorded)."""
        order = self.selected()
        if order is None:
            self.statusBar().showMessage(_("Choose an order first"))
            return None
        user = self.who()
        if not user:
            self.dialogs.error(self, *not_logged_in_text())
            return None
        refused = refusal(self.sessions, action, user, target=order.order_no, station=self.station)
        if refused:
            self.dialogs.error(self, _("Order not changed"), refused)
            return None
        return user, order

    def release_selected(self) -> None:
        chosen = self._who_and_order("orders.release")
        if chosen is None:
            return
        user, order = chosen
        text = _("Release order {order_no} for {recipient}? It can then be printed and packed.",
                 order_no=order.order_no, recipient=order.recipient)
        if order.holds:
            text += "\n\n" + _("Held because:") + "\n" + holds_in_full(order)
        if not self.dialogs.confirm(self, _("Release order"), text):
            return
        if self._act(release_order, order, user):
            self.statusBar().showMessage(_("Order {order_no} released by {name}", order_no=order.order_no,
                                           name=user))

    def hold_selected(self) -> None:
        chosen = self._who_and_order("orders.hold")
        if chosen is None:
            return
        user, order = chosen
        if self._act(hold_order, order, user):
            self.statusBar().showMessage(_("Order {order_no} put on hold by {name}", order_no=order.order_no,
                                           name=user))

    def cancel_selected(self) -> None:
        chosen = self._who_and_order("orders.cancel")
        if chosen is None:
            return
        user, order = chosen
        if not self.dialogs.confirm(self, _("Cancel order"), _(
                "Cancel order {order_no} for {recipient}? Its printed slip and waybill become void. "
                "This cannot be undone.", order_no=order.order_no, recipient=order.recipient)):
            self.statusBar().showMessage(_("Order {order_no} not cancelled", order_no=order.order_no))
            return
        if self._act(cancel_order, order, user):
            self.statusBar().showMessage(_("Order {order_no} cancelled by {name}", order_no=order.order_no,
                                           name=user))

    def _act(self, service, order: OrderSummary, user: str) -> bool:
        try:
            service(self.sessions, order.order_no, user=user)
        except OrderError as exc:
            self.dialogs.error(self, _("Order not changed"), str(exc))
            return False
        self.refresh()
        self.changed.emit()
        return True

    # --- import and batch ---------------------------------------------------------------
    def open_import(self):
        from station.ui.office.import_dialog import ImportDialog

        if self.import_dialog is None:
            self.import_dialog = ImportDialog(self.sessions, who=self.who, choose_file=self.choose_file,
                                              parent=self)
            self.import_dialog.imported.connect(self._orders_changed)
        self.import_dialog.open()
        return self.import_dialog

    def open_register_return(self):
        """Customer service registers a return the buyer announced (order preselected)."""
        from station.ui.office.returns_dialog import RegisterReturnDialog

        selected = self.selected()
        dialog = RegisterReturnDialog(self.sessions, who=self.who, order_no=selected.order_no if selected else "",
                                      parent=self)
        dialog.open()
        return dialog

    def _orders_changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def open_batch(self):
        from station.ui.office.batch_dialog import BatchDialog

        if self.batch_dialog is None:
            self.batch_dialog = BatchDialog(self.sessions, who=self.who, station=self.station, parent=self)
            self.batch_dialog.printed.connect(self._orders_changed)
        self.batch_dialog.open()
        return self.batch_dialog

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Orders — Station"))
        self.status_label.setText(_("&Status:"))
        for i, (_status, text) in enumerate(FILTERS):
            self.filter_box.setItemText(i, _(text))
            self.filter_actions[i].setText(_(text))
        self.keys_label.setText(_("R release · H hold · Del cancel · F5 reload · Ctrl+I import · Ctrl+B batch"))
        self.orders_menu.setTitle(_("&Orders"))
        self.view_menu.setTitle(_("&View"))
        self.release_action.setText(_("&Release hold"))
        self.hold_action.setText(_("&Hold"))
        self.cancel_action.setText(_("&Cancel order…"))
        self.refresh_action.setText(_("Re&load"))
        self.import_action.setText(_("&Import orders…"))
        self.batch_action.setText(_("Print a &batch…"))
        self.return_action.setText(_("Register a re&turn…"))
        self.close_action.setText(_("C&lose"))
        self.model.retranslate()
        self._update_count()
        self._show_holds()
        for dialog in (self.import_dialog, self.batch_dialog):
            if dialog is not None:
                dialog.retranslate()
