"""The supervisor's numbers (Ctrl+K): packers hour by hour, a bar chart, and the late orders.

Per packer and hour: orders and items packed, scans, error scans and the error rate. The
chart shows orders per hour, one bar per packer (tables only when QtCharts is missing).
Late orders: paid more than 24 hours ago and not shipped, oldest first; those past the
48-hour promise in red. Alt+P picks the period, F5 reloads, Esc closes.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMainWindow,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from station.fulfilment.review import SupervisorNumbers, supervisor_numbers
from station.i18n import N_, _
from station.ui.office.common import RED, TABLE_PT, TABLE_STYLE, font, heading
from station.ui.office.kpi_models import PACKER, LateOrdersModel, PackerHoursModel
from station.ui.widgets.fit import fit_to_screen

log = logging.getLogger(__name__)
PERIODS = ((8, N_("Last 8 hours")), (24, N_("Last 24 hours")), (72, N_("Last 3 days")), (168, N_("Last 7 days")))
DEFAULT_HOURS = 24


def make_chart(parent: QWidget | None = None):
    """The orders-per-hour chart, or None when QtCharts cannot be imported."""
    try:
        from station.ui.office.kpi_chart import OrdersPerHourChart
    except ImportError as exc:
        log.warning("QtCharts not available (%s): the supervisor window shows its tables only", exc)
        return None
    return OrdersPerHourChart(parent)


def _table(model, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setStyleSheet(TABLE_STYLE)
    table.setFont(font(TABLE_PT))
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(int(table.fontMetrics().height() * 1.5))
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class KpiWindow(QMainWindow):
    def __init__(self, sessions, *, now=None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("kpiWindow")
        self.sessions = sessions
        self._now = now or (lambda: datetime.now(timezone.utc))  # tests may fix the time
        self.numbers = SupervisorNumbers((), ())
        self.updated_at: datetime | None = None

        self.period_label = QLabel()
        self.period_box = QComboBox()
        self.period_box.setObjectName("kpiPeriod")
        for hours, _text in PERIODS:
            self.period_box.addItem("", hours)
        self.period_box.setCurrentIndex([h for h, _t in PERIODS].index(DEFAULT_HOURS))
        self.period_box.currentIndexChanged.connect(self.refresh)
        self.period_label.setBuddy(self.period_box)
        self.updated_label = QLabel()
        self.updated_label.setObjectName("kpiUpdated")
        top = QHBoxLayout()
        top.addWidget(self.period_label)
        top.addWidget(self.period_box)
        top.addStretch(1)
        top.addWidget(self.updated_label)

        self.chart = make_chart()
        self.hours_model = PackerHoursModel(self)
        self.hours_table = _table(self.hours_model, "packerHours")
        self.hours_table.horizontalHeader().setSectionResizeMode(PACKER, QHeaderView.ResizeMode.Stretch)
        self.hours_table.horizontalHeader().setStretchLastSection(False)
        self.late_model = LateOrdersModel(self)
        self.late_table = _table(self.late_model, "lateOrders")
        self.hours_heading = heading("kpiHoursHeading")
        self.late_heading = heading("kpiLateHeading")
        self.late_count = QLabel()
        self.late_count.setObjectName("kpiLateCount")

        left, right = QWidget(), QWidget()
        left_layout, right_layout = QVBoxLayout(left), QVBoxLayout(right)
        left_layout.setContentsMargins(0, 0, 6, 0)
        right_layout.setContentsMargins(6, 0, 0, 0)
        left_layout.addWidget(self.hours_heading)
        left_layout.addWidget(self.hours_table, 1)
        right_heading = QHBoxLayout()
        right_heading.addWidget(self.late_heading)
        right_heading.addStretch(1)
        right_heading.addWidget(self.late_count)
        right_layout.addLayout(right_heading)
        right_layout.addWidget(self.late_table, 1)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(left)
        tables.addWidget(right)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 2)
        tables.setChildrenCollapsible(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        if self.chart is not None:
            splitter = QSplitter(Qt.Orientation.Vertical)
            splitter.addWidget(self.chart)
            splitter.addWidget(tables)
            splitter.setStretchFactor(0, 2)
            splitter.setStretchFactor(1, 3)
            splitter.setChildrenCollapsible(False)
            layout.addWidget(splitter, 1)
        else:
            layout.addWidget(tables, 1)
        self.setCentralWidget(central)

        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(lambda _checked=False: self.refresh())
        self.close_action = QAction(self)
        self.close_action.setShortcuts([QKeySequence("Esc"), QKeySequence("Ctrl+W")])
        self.close_action.triggered.connect(lambda _checked=False: self.close())
        self.addActions([self.refresh_action, self.close_action])
        self.menu = self.menuBar().addMenu("")
        self.menu.addAction(self.refresh_action)
        self.menu.addAction(self.close_action)

        self.retranslate()
        fit_to_screen(self, 1180, 760)  # fits 1280x720 and up
        self.refresh()
        self.hours_table.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def hours(self) -> int:
        return self.period_box.currentData()

    def refresh(self) -> None:
        now = self._now()
        self.numbers = supervisor_numbers(self.sessions, now - timedelta(hours=self.hours), now)
        self.hours_model.set_rows(self.numbers.hours)
        self.late_model.set_rows(self.numbers.late)
        if self.chart is not None:
            self.chart.set_rows(self.numbers.hours)
        self._update_texts(now)

    def _update_texts(self, now: datetime | None = None) -> None:
        late = self.numbers.late
        overdue = sum(o.overdue for o in late)
        self.late_count.setText(_("Late: {n}, past 48 h: {m}", n=len(late), m=overdue))
        self.late_count.setStyleSheet(f"color: {RED}; font-weight: bold;" if overdue else "")
        self.updated_at = now or self.updated_at
        if self.updated_at is not None:
            self.updated_label.setText(_("Updated {time} · F5 reloads",
                                         time=self.updated_at.astimezone().strftime("%H:%M")))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Supervisor numbers — Station"))
        self.period_label.setText(_("&Period:"))
        for i, (_hours, text) in enumerate(PERIODS):
            self.period_box.setItemText(i, _(text))
        self.hours_heading.setText(_("Packers, hour by hour"))
        self.late_heading.setText(_("Not shipped within 24 h of payment"))
        self.menu.setTitle(_("&Numbers"))
        self.refresh_action.setText(_("Re&load"))
        self.close_action.setText(_("C&lose"))
        self.hours_model.retranslate()
        self.late_model.retranslate()
        if self.chart is not None:
            self.chart.retranslate()
        self._update_texts()
