"""Orders packed per hour, one bar per packer (QtCharts).

Imported only through `station.ui.office.kpi_window.make_chart`, which shows the tables
alone when this module cannot be imported (a PySide6 build without QtCharts).
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from station.fulfilment.kpi import PackerHour
from station.i18n import _
from station.ui.office.common import font

BAR_COLOURS = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64")
MOST_TICKS = 6


def chart_series(rows: Sequence[PackerHour]) -> tuple[list[str], dict[str, list[int]]]:
    """(hour labels, oldest first; per packer, the orders packed in each of those hours)."""
    hours = sorted({r.hour for r in rows})
    packers = sorted({r.packer for r in rows})
    orders = {(r.packer, r.hour): r.orders for r in rows}
    return [h.strftime("%H:00") for h in hours], {p: [orders.get((p, h), 0) for h in hours] for p in packers}


class OrdersPerHourChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersPerHourChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.legend().setFont(font(11))
        chart.setTitleFont(font(13, bold=True))
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        self.setChart(chart)
        self.setMinimumHeight(240)
        self.categories: list[str] = []
        self.values: dict[str, list[int]] = {}

    def set_rows(self, rows: Sequence[PackerHour]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.categories, self.values = chart_series(rows)
        if not self.categories:
            chart.setTitle(_("Orders packed per hour: nothing packed in this time"))
            return
        chart.setTitle(_("Orders packed per hour"))
        series = QBarSeries()
        series.setBarWidth(0.4)
        for i, (packer, values) in enumerate(self.values.items()):
            bars = QBarSet(packer)
            bars.append([float(v) for v in values])
            bars.setColor(BAR_COLOURS[i % len(BAR_COLOURS)])
            series.append(bars)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(self.categories)
        x.setLabelsFont(font(10))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        top = max(1, max((v for values in self.values.values() for v in values), default=0))
        step = -(-top // (MOST_TICKS - 1))  # whole orders between grid lines
        upper = step * -(-top // step)
        y = QValueAxis()
        y.setRange(0, upper)
        y.setLabelFormat("%d")
        y.setTickCount(upper // step + 1)
        y.setLabelsFont(font(10))
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)

    def retranslate(self) -> None:
        if self.categories:
            self.chart().setTitle(_("Orders packed per hour"))
        else:
            self.chart().setTitle(_("Orders packed per hour: nothing packed in this time"))
