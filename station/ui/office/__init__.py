"""The office windows: orders (review holds, import, batches) and the supervisor's numbers.

`OfficeMenu` adds them to the main window's menu bar: Ctrl+O opens the orders window,
Ctrl+K the supervisor numbers, Ctrl+U the purchase orders. Each opens once and comes to the front when asked again;
they close with the main window. Who releases, holds or cancels an order is the person
logged in at the current bench.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from station.i18n import _

if TYPE_CHECKING:
    from station.ui.main_window import MainWindow
    from station.ui.office.counts_window import CountsWindow
    from station.ui.office.kpi_window import KpiWindow
    from station.ui.office.orders_window import OrdersWindow
    from station.ui.office.po_window import PoWindow

__all__ = ["OfficeMenu"]


class OfficeMenu(QObject):
    def __init__(self, window: "MainWindow", *, choose_file=None) -> None:
        super().__init__(window)
        self.window = window
        self.choose_file = choose_file  # the file-dialog seam; None: the real dialog
        self.orders_window: OrdersWindow | None = None
        self.kpi_window: KpiWindow | None = None
        self.po_window: PoWindow | None = None
        self.counts_window: CountsWindow | None = None
        self.menu = window.menuBar().addMenu("")
        self.orders_action = QAction(window)
        self.orders_action.setShortcut(QKeySequence("Ctrl+O"))
        self.orders_action.triggered.connect(lambda _checked=False: self.open_orders())
        self.kpi_action = QAction(window)
        self.kpi_action.setShortcut(QKeySequence("Ctrl+K"))
        self.kpi_action.triggered.connect(lambda _checked=False: self.open_kpi())
        self.po_action = QAction(window)
        self.po_action.setShortcut(QKeySequence("Ctrl+U"))
        self.po_action.triggered.connect(lambda _checked=False: self.open_po())
        self.menu.addAction(self.orders_action)
        self.menu.addAction(self.kpi_action)
        self.menu.addAction(self.po_action)
        self.counts_action = QAction(window)  # stock counts (盘点): Ctrl+T
        self.counts_action.setShortcut(QKeySequence("Ctrl+T"))
        self.counts_action.triggered.connect(lambda _checked=False: self.open_counts())
        self.menu.addAction(self.counts_action)
        window.addAction(self.counts_action)
        window.addActions([self.orders_action, self.kpi_action, self.po_action])
        window.language_changed.connect(lambda _lang: self.retranslate())
        window.installEventFilter(self)  # our windows close with the main window
        self.retranslate()

    def who(self) -> str | None:
        """The person logged in at the current bench of this station."""
        window = self.window
        return window.screens[window.current].runner.user if window.current in window.screens else None

    def open_orders(self) -> "OrdersWindow":
        from station.ui.office.orders_window import OrdersWindow

        if self.orders_window is None:
            self.orders_window = OrdersWindow(self.window.sessions, who=self.who, dialogs=self.window.dialogs,
                                              station=self.window.station, choose_file=self.choose_file,
                                              parent=self.window)
            self.orders_window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        else:
            self.orders_window.refresh()
        self._bring_up(self.orders_window)
        return self.orders_window

    def open_kpi(self) -> "KpiWindow":
        from station.ui.office.kpi_window import KpiWindow

        if self.kpi_window is None:
            self.kpi_window = KpiWindow(self.window.sessions, parent=self.window)
            self.kpi_window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        else:
            self.kpi_window.refresh()
        self._bring_up(self.kpi_window)
        return self.kpi_window

    def open_po(self) -> "PoWindow":
        from station.ui.office.po_window import PoWindow

        if self.po_window is None:
            self.po_window = PoWindow(self.window.sessions, who=self.who, station=self.window.station,
                                      choose_file=self.choose_file, parent=self.window)
            self.po_window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        else:
            self.po_window.refresh()
        self._bring_up(self.po_window)
        return self.po_window

    def open_counts(self) -> "CountsWindow":
        from station.ui.office.counts_window import CountsWindow

        if self.counts_window is None:
            self.counts_window = CountsWindow(self.window.sessions, who=self.who, station=self.window.station,
                                              parent=self.window)
            self.counts_window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        else:
            self.counts_window.refresh()
        self._bring_up(self.counts_window)
        return self.counts_window

    @staticmethod
    def _bring_up(window) -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Close:
            for window in (self.orders_window, self.kpi_window, self.po_window, self.counts_window):
                if window is not None:
                    window.close()
        return False

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Office"))
        self.orders_action.setText(_("&Orders…"))
        self.kpi_action.setText(_("Supervisor &numbers…"))
        self.po_action.setText(_("P&urchase orders…"))
        self.counts_action.setText(_("S&tock counts…"))
        for window in (self.orders_window, self.kpi_window, self.po_window, self.counts_window):
            if window is not None:
                window.retranslate()
