"""Map the unmapped listings of a refused order import (商品对应) by scanning the product.

Opened from the import dialog when an import was refused for listings that are none of our
products. One row per listing (shop, listing, variant, how many lines); the person scans the
product's barcode (or types its SKU) and Enter sets it on the current row and moves to the next
one still unmapped. Save (Ctrl+S) checks the role and saves every mapping or none through
``station.imports.mappings.map_listings`` — what ``station import mappings`` does. Then the same
file imports.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from station.i18n import _
from station.imports.mappings import map_listings, product_for_code
from station.ui.office.common import RED, WhoIsLoggedIn, refusal
from station.ui.widgets.fit import fit_to_screen
from station.ui.widgets.code_field import code_field

COLUMNS = ("shop", "listing", "variant", "lines", "sku")


class ListingMapDialog(QDialog):
    def __init__(self, sessions, unmapped: list[dict], *, who: WhoIsLoggedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listingMapDialog")
        self.sessions, self.who = sessions, who
        self.unmapped = list(unmapped)
        self.skus: list[str | None] = [None] * len(self.unmapped)
        self.report = None

        self.table = QTableWidget(len(self.unmapped), len(COLUMNS))
        self.table.setObjectName("unmappedListings")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, u in enumerate(self.unmapped):
            for col, value in enumerate((u["shop"], u["listing"], u["variant"], str(u["lines"]), "")):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.scan_label = QLabel()
        self.scan = code_field()
        self.scan.setObjectName("productScan")
        self.scan_label.setBuddy(self.scan)
        self.scan.returnPressed.connect(self.scanned)
        self.message = QLabel()
        self.message.setObjectName("mappingMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.scan_label)
        layout.addWidget(self.scan)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if self.unmapped:
            self.table.selectRow(0)
        self.retranslate()
        fit_to_screen(self, 760, 420)
        self.scan.setFocus()

    @property
    def current(self) -> int:
        return self.table.currentRow() if self.table.currentRow() >= 0 else 0

    def scanned(self) -> None:
        """The product's barcode or SKU for the current listing; then the next one still unmapped."""
        code = self.scan.text().strip()
        self.scan.clear()
        if not code or not self.unmapped:
            return
        found = product_for_code(self.sessions, code)
        if found is None:
            self._say(_("{code} is no product: scan the product's barcode or type its SKU", code=code), error=True)
            return
        row = self.current
        sku, name = found
        self.skus[row] = sku
        self.table.item(row, 4).setText(f"{sku} {name}")
        left = [i for i, s in enumerate(self.skus) if s is None]
        if left:
            nxt = next((i for i in left if i > row), left[0])
            self.table.selectRow(nxt)
            self._say(_("{listing} is {sku}. Next: scan the product for {next}", listing=self.unmapped[row]["listing"],
                        sku=sku, next=self.unmapped[nxt]["listing"]))
        else:
            self._say(_("Every listing has its product: Ctrl+S saves"))

    def save(self) -> None:
        """Check the role, then save every mapping or none; the rows without a product stay unmapped."""
        rows = [(i + 1, {"shop": u["shop"], "listing": u["listing"], "variant": u["variant"],
                         "shop_sku": u.get("shop_sku") or "", "sku": sku})
                for i, (u, sku) in enumerate(zip(self.unmapped, self.skus)) if sku]
        if not rows:
            self._say(_("Scan a product for at least one listing first"), error=True)
            return
        refused = refusal(self.sessions, "import.mappings", self.who(), target=_("{n} listings", n=len(rows)))
        if refused:
            self._say(refused, error=True)
            return
        report = map_listings(self.sessions, rows, user=self.who())
        self.report = report
        if not report.ok:
            self._say("; ".join(_("row {line}: {reason}", line=e.line, reason=e.reason) for e in report.rejected),
                      error=True)
            return
        self._say(_("Saved {n} mappings: import the file again", n=len(rows)))
        self.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # the scanner's Enter ends a scan; it never saves or closes the dialog
        super().keyPressEvent(event)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {RED}; font-weight: bold;" if error else "")

    def retranslate(self) -> None:
        self.setWindowTitle(_("Map shop listings to products"))
        self.table.setHorizontalHeaderLabels([_("Shop"), _("Listing"), _("Variant"), _("Lines"), _("Product")])
        self.scan_label.setText(_("&Scan the product (barcode or SKU) for the selected listing:"))
        self.save_button.setText(_("&Save"))
        self.close_button.setText(_("Close"))
        if not self.message.text():
            self._say(_("{n} listings are none of our products. Scan each one's product, then Ctrl+S.",
                        n=len(self.unmapped)))
