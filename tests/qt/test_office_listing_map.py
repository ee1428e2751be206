"""Map the listings of a refused import by scanning their products, then the same file imports."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station.db import unit_of_work
from station.fulfilment.orders import list_orders
from station.inventory import ledger
from tests.qt.conftest import BADGE, PACKER
from tests.qt.test_office_import import import_and_wait, open_import
from tests.support import factories as f

EXPORT = Path(__file__).resolve().parents[1] / "data" / "orders" / "shopify_real" / "orders_export_no_skus.csv"


def shop(sessions, packer_roles="packer;office") -> None:
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, PACKER, BADGE, packer_roles)
        f.location(s, "A-01-01-01")
        f.product(s, "BIBS-PAC-SMK-2", "5714582000012", name="Bibs 安抚奶嘴", colour="烟灰", size="2")
        f.product(s, "BIBS-BOT-IVO", "5714582000029", name="Bibs 奶瓶")
        for sku in ("BIBS-PAC-SMK-2", "BIBS-BOT-IVO"):
            ledger.move(s, ledger.Move(sku, 50, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()


def scan(qtbot, dialog, code: str) -> None:
    qtbot.keyClicks(dialog.scan, code)
    qtbot.keyClick(dialog.scan, Qt.Key.Key_Return)


def test_the_listings_of_a_refused_import_are_mapped_by_scanning_and_the_same_file_then_imports(
        qtbot, sessions, dialogs):
    shop(sessions)
    _window, dialog = open_import(qtbot, sessions, dialogs, EXPORT)
    assert dialog.format == "shopify"
    import_and_wait(qtbot, dialog)
    assert not dialog.report.ok and dialog.map_button.isVisible()

    qtbot.mouseClick(dialog.map_button, Qt.MouseButton.LeftButton)
    mapping = dialog.map_dialog
    qtbot.waitUntil(mapping.isVisible)
    mapping.activateWindow()
    qtbot.waitUntil(mapping.isActiveWindow)
    assert [mapping.table.item(r, 1).text() for r in range(mapping.table.rowCount())] == [
        "Bibs Danish Pacifier", "Bibs Baby Bottle"]
    assert [mapping.table.item(r, 3).text() for r in range(mapping.table.rowCount())] == ["3", "3"]

    scan(qtbot, mapping, "0000000")  # not a product: said in red, nothing set
    assert "is no product" in mapping.message.text() and mapping.skus == [None, None]
    scan(qtbot, mapping, "5714582000012")
    assert mapping.skus == ["BIBS-PAC-SMK-2", None] and mapping.table.currentRow() == 1
    scan(qtbot, mapping, "BIBS-BOT-IVO")  # a typed SKU works too
    assert mapping.message.text() == "Every listing has its product: Ctrl+S saves"
    qtbot.keyClick(mapping.scan, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not mapping.isVisible())
    assert mapping.report.ok and mapping.report.created == 2
    assert dialog.map_button.isHidden()

    dialog.report = None
    import_and_wait(qtbot, dialog)  # Enter: the same file again
    assert dialog.report.ok, dialog.report.as_dict()
    assert {o.order_no: o.status for o in list_orders(sessions)}["#5001"] == "ready"


def test_a_person_without_an_office_role_cannot_save_mappings(qtbot, sessions, dialogs):
    from station.ui.office.listing_map_dialog import ListingMapDialog

    shop(sessions, "packer")
    unmapped = [{"shop": "shopify", "listing": "Bibs Baby Bottle", "variant": "Ivory", "shop_sku": None,
                 "lines": 3, "first_line": 3}]
    mapping = ListingMapDialog(sessions, unmapped, who=lambda: PACKER)
    qtbot.addWidget(mapping)
    mapping.show()
    scan(qtbot, mapping, "5714582000029")
    mapping.save()
    assert "needs the role" in mapping.message.text() and mapping.report is None
