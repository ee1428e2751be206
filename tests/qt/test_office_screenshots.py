"""The office windows in Chinese: nothing cut off, no boxes for missing glyphs, and screenshots.

``STATION_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/qt/test_office_screenshots.py``
writes docs/screenshots/office-orders-zh.png and office-kpi-zh.png.

`PROPOSED_ZH` holds the Chinese proposed for the office windows' new msgids until they are in
zh_CN.po; a msgid the catalog already translates keeps the catalog's words.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from station.i18n import catalog, set_language
from station.ui.office.kpi_window import KpiWindow
from station.ui.office.orders_model import DETAILS, REASONS, STATUS
from station.ui.office.orders_window import OrdersWindow
from tests.qt.conftest import BADGE, PACKER
from tests.qt.test_office_kpi import pack
from tests.qt.test_office_orders import CODE, SECOND_BADGE, build_shop

PROPOSED_ZH = {
    "&Office": "办公(&O)",
    "&Orders…": "订单(&O)…",
    "Supervisor &numbers…": "主管数据(&N)…",
    "Pick list": "拣货单",
    "Packing slips": "发货单",
    "Waybills": "快递单",
    "Any number of items": "件数不限",
    "One item": "单件",
    "Several items": "多件",
    "No ready orders match": "没有符合条件的待发货订单",
    "Allocating waybill numbers and printing…": "正在分配快递单号并打印…",
    "Batch {batch_no} printed: {orders} orders, {waybills} waybills":
        "批次 {batch_no} 已打印：{orders} 个订单，{waybills} 张快递单",
    "Nothing was printed: {error}": "未打印任何内容：{error}",
    "Print a batch": "批量打单",
    "No limit": "不限",
    "&Print batch": "打印批次(&P)",
    "Close": "关闭",
    "Any courier": "全部快递公司",
    "Any shop": "全部店铺",
    "Matching ready orders: {n}; this batch takes the {k} paid first":
        "符合条件的待发货订单：{n} 个；本批次取最早付款的 {k} 个",
    "Matching ready orders: {n}": "符合条件的待发货订单：{n} 个",
    "Making the pick list, packing slips and waybills…": "正在生成拣货单、发货单和快递单…",
    "Order {done} of {total}": "第 {done} / {total} 个订单",
    "{document}: print job {id}": "{document}：打印任务 {id}",
    "&Courier:": "快递公司(&C)：",
    "S&hop:": "店铺(&H)：",
    "&Items per order:": "每单件数(&I)：",
    "&Limit (orders):": "订单上限(&L)：",
    "Ready": "待发货",
    "On hold": "已挂起",
    "Packing": "打包中",
    "Packed": "已打包",
    "Shipped": "已发货",
    "Delivered": "已签收",
    "Cancelled": "已取消",
    "Order exports (*.csv *.xlsx);;All files (*)": "订单导出文件 (*.csv *.xlsx);;所有文件 (*)",
    "Nobody is logged in": "没有人登录",
    "Scan your badge at the bench first: Station records who released, held or cancelled each order.":
        "请先在工作台扫描工牌：Station 会记录每个订单由谁放行、挂起或取消。",
    "Station's generic CSV or XLSX": "Station 通用 CSV 或 XLSX",
    "Shopify order export": "Shopify 订单导出",
    "Taobao / Tmall order report": "淘宝 / 天猫订单报表",
    "Choose an order export": "选择订单导出文件",
    "Reading {file}…": "正在读取 {file}…",
    "The import stopped: {error}. Nothing was imported.": "导入中止：{error}。没有导入任何订单。",
    "Import orders": "导入订单",
    "&File:": "文件(&F)：",
    "F&ormat:": "格式(&O)：",
    "&Browse…": "浏览(&B)…",
    "&Import": "导入(&I)",
    "Checking and saving {n} rows…": "正在检查并保存 {n} 行…",
    "Reading rows: {done} of {total}": "正在读取：第 {done} / {total} 行",
    "Imported {orders} orders from {rows} rows of {file}: {created} new, {updated} updated, "
    "{unchanged} unchanged; {on_hold} on hold, {cancelled} cancelled.":
        "已从 {file} 的 {rows} 行导入 {orders} 个订单：新增 {created}，更新 {updated}，未变 {unchanged}；"
        "挂起 {on_hold}，取消 {cancelled}。",
    "Choose a file (Alt+B), check its format, then press Enter.": "选择文件（Alt+B），确认格式，然后按回车。",
    "Orders packed per hour": "每小时打包订单数",
    "Orders packed per hour: nothing packed in this time": "每小时打包订单数：这段时间没有打包",
    "Hour": "时段",
    "Packer": "打包员",
    "Orders packed": "打包订单数",
    "Items packed": "打包件数",
    "Items": "件数",
    "Scans": "扫描次数",
    "Errors": "错误扫描",
    "Error rate": "错误率",
    "Order no.": "订单号",
    "Status": "状态",
    "Paid": "付款时间",
    "Hours since payment": "付款后小时数",
    "Past 48 h": "超过 48 小时",
    "Overdue": "已超时",
    "Last 8 hours": "最近 8 小时",
    "Last 24 hours": "最近 24 小时",
    "Last 3 days": "最近 3 天",
    "Last 7 days": "最近 7 天",
    "Late: {n}, past 48 h: {m}": "超时未发：{n} 个，超过 48 小时：{m} 个",
    "Updated {time} · F5 reloads": "更新于 {time} · F5 刷新",
    "Supervisor numbers — Station": "主管数据 — Station",
    "&Period:": "时间范围(&P)：",
    "Packers, hour by hour": "打包员每小时数据",
    "Not shipped within 24 h of payment": "付款后 24 小时未发货",
    "&Numbers": "数据(&N)",
    "Re&load": "刷新(&L)",
    "C&lose": "关闭(&L)",
    "Recipient": "收货人",
    "Courier": "快递",
    "Why held": "挂起原因",
    "Details": "详情",
    "All orders": "全部订单",
    "Release order {order_no} for {recipient}? It can then be printed and packed.":
        "放行订单 {order_no}（收货人 {recipient}）？放行后即可打单和打包。",
    "Orders — Station": "订单 — Station",
    "&Status:": "状态(&S)：",
    "R release · H hold · Del cancel · F5 reload · Ctrl+I import · Ctrl+B batch":
        "R 放行 · H 挂起 · Del 取消 · F5 刷新 · Ctrl+I 导入 · Ctrl+B 批量打单",
    "&Orders": "订单(&O)",
    "&View": "查看(&V)",
    "&Release hold": "放行(&R)",
    "&Hold": "挂起(&H)",
    "&Cancel order…": "取消订单(&C)…",
    "&Import orders…": "导入订单(&I)…",
    "Print a &batch…": "批量打单(&B)…",
    "The first {n} orders by payment time": "按付款时间显示前 {n} 个订单",
    "Orders: {n}": "订单：{n} 个",
    "No order selected": "未选择订单",
    "Choose an order first": "请先选择一个订单",
    "Release order": "放行订单",
    "Order {order_no} released by {name}": "订单 {order_no} 已由 {name} 放行",
    "Order {order_no} put on hold by {name}": "订单 {order_no} 已由 {name} 挂起",
    "Cancel order": "取消订单",
    "Cancel order {order_no} for {recipient}? Its printed slip and waybill become void. This cannot be undone.":
        "取消订单 {order_no}（收货人 {recipient}）？已打印的发货单和快递单将作废。此操作无法撤销。",
    "Order {order_no} not cancelled": "订单 {order_no} 未取消",
    "Order {order_no} cancelled by {name}": "订单 {order_no} 已由 {name} 取消",
    "Order {order_no}: nothing holds it": "订单 {order_no}：没有挂起原因",
    "Order not changed": "订单未更改",
    "Held because:": "挂起原因：",
    "Order {order_no} is held because:": "订单 {order_no} 的挂起原因：",
}


@pytest.fixture
def chinese(monkeypatch):
    """Chinese with the app's CJK font; the proposed words fill what zh_CN.po does not have yet."""
    from station.ui.app import application

    app = application()
    zh = catalog("zh_CN")
    for msgid, text in PROPOSED_ZH.items():
        if msgid not in zh:
            monkeypatch.setitem(zh, msgid, text)
    set_language("zh_CN")
    return app


def screenshot_folder(tmp_path) -> Path:
    return Path(os.environ.get("STATION_SCREENSHOTS") or tmp_path)


def assert_no_boxes(app, texts) -> None:
    metrics = QFontMetrics(app.font())
    assert [ch for ch in "".join(texts) if not ch.isspace() and not metrics.inFontUcs4(ord(ch))] == []


def model_texts(model) -> list[str]:
    texts = [str(model.headerData(c, 1) or "") for c in range(model.columnCount())]  # 1: horizontal
    return texts + [str(model.index(r, c).data() or "") for r in range(model.rowCount())
                    for c in range(model.columnCount())]


def assert_labels_fit(window) -> None:
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), label.text()


def test_the_chinese_orders_window_shows_held_orders_with_their_reasons_and_nothing_cut_off(
        qtbot, chinese, sessions, tmp_path, dialogs):
    build_shop(sessions, tmp_path)
    window = OrdersWindow(sessions, who=lambda: PACKER, dialogs=dialogs)
    qtbot.addWidget(window)
    window.resize(1280, 640)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.loading)  # the list loads on a thread
    qtbot.wait(50)  # let the layouts settle

    assert window.windowTitle() == "订单 — Station"
    assert window.model.index(0, STATUS).data() == "已挂起"
    assert window.model.index(0, REASONS).data() == "有买家留言：请阅读 · 有卖家备注：请阅读"
    assert_no_boxes(chinese, model_texts(window.model) + [window.holds_label.text(), window.keys_label.text(),
                                                           window.count_label.text(), window.status_label.text()])
    assert_labels_fit(window)
    table = window.table
    assert table.horizontalScrollBar().maximum() == 0 and table.verticalScrollBar().maximum() == 0
    for column in range(window.model.columnCount()):
        if column != DETAILS:
            assert table.columnWidth(column) >= table.sizeHintForColumn(column), column
    holds = window.holds_label
    assert holds.height() >= holds.heightForWidth(holds.width())
    assert window.grab().save(str(screenshot_folder(tmp_path) / "office-orders-zh.png"))


def test_the_chinese_supervisor_window_shows_packers_a_chart_and_late_orders_with_nothing_cut_off(
        qtbot, chinese, sessions, tmp_path):
    build_shop(sessions, tmp_path)
    assert pack(sessions, BADGE, "PS:R1", CODE["MUG-WH"], "CMD-CONFIRM", CODE["TS01-RD-M"])[-1] == "order_packed"
    assert pack(sessions, BADGE, "PS:L1", CODE["MUG-WH"], CODE["MUG-WH"])[-1] == "order_packed"
    assert pack(sessions, SECOND_BADGE, "PS:R2", CODE["MUG-WH"])[-1] == "order_packed"
    window = KpiWindow(sessions)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)

    assert window.windowTitle() == "主管数据 — Station"
    assert window.chart is not None and window.chart.chart().title() == "每小时打包订单数"
    assert_no_boxes(chinese, model_texts(window.hours_model) + model_texts(window.late_model)
                    + [window.late_count.text(), window.updated_label.text(), window.hours_heading.text(),
                       window.late_heading.text(), window.period_label.text(), window.chart.chart().title()])
    assert_labels_fit(window)
    for table in (window.hours_table, window.late_table):
        assert table.horizontalScrollBar().maximum() == 0, table.objectName()
        for column in range(table.model().columnCount()):
            assert table.columnWidth(column) >= table.sizeHintForColumn(column), (table.objectName(), column)
    assert window.grab().save(str(screenshot_folder(tmp_path) / "office-kpi-zh.png"))


def test_every_new_office_message_has_a_proposed_chinese_translation_with_the_same_fields():
    import string
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from update_catalog import extract

    def fields(text: str) -> set[str]:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}

    ours = {msgid for msgid, places in extract().items()
            if any(p.startswith(("station/ui/office/", "station/fulfilment/review.py")) for p, _line in places)}
    missing = sorted(m for m in ours if not catalog("zh_CN").get(m) and m not in PROPOSED_ZH)
    assert missing == []
    assert [m for m in PROPOSED_ZH if fields(m) != fields(PROPOSED_ZH[m])] == []
    assert sorted(m for m in PROPOSED_ZH if m not in ours) == []  # no proposal for a message no longer used
