"""What goes in the box: one row per order line, scanned against ordered, readable from a metre.

The model reads the pack bench's saved state (its snapshot: ``lines``, ``parcels``) and
nothing else. A complete line turns green; the line the last scan changed is highlighted
(bold; dark green if that scan completed it), so the packer sees at a glance where the item
went. Rows keep the order of the packing slip: a table that reshuffles while you scan makes
you search. The parcel column says which box holds a line's units; the view shows it only
once there is more than one box.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from station.i18n import N_, _

ROW_PT = 18  # readable from a metre away; the house minimum is 16 pt
HEADER_PT = 14

SKU, BIN, NAME, COLOUR, SIZE, SCANNED, GIFT, PARCEL = range(8)
HEADERS = (N_("SKU"), N_("Bin"), N_("Name"), N_("Colour"), N_("Size"), N_("Scanned / ordered"), N_("Gift"),
           N_("Parcel"))

# (background, text). Light fills with dark text; the just-completed line is strong green with white text.
COMPLETE = ("#c8e6c9", "#1b5e20")
JUST_COMPLETED = ("#2e7d32", "#ffffff")
JUST_SCANNED = ("#bbdefb", "#0d2a4a")
GIFT_TEXT = "#8a5a00"  # dark amber: the gift mark stands out on white


@dataclass(frozen=True)
class PackRow:
    """One order line as the packer sees it."""

    sku: str
    name: str
    colour: str
    size: str
    ordered: int
    scanned: int
    gift: bool
    parcels: tuple[int, ...]  # the boxes (1-based) holding this line's scanned units
    bins: tuple[str, ...] = ()  # the stock bins that hold it: where to fetch one more
    image: bool = False  # the product has a picture

    @property
    def complete(self) -> bool:
        return self.scanned >= self.ordered


def pack_rows(state: dict[str, Any]) -> list[PackRow]:
    """The rows for a pack bench snapshot; units of one SKU fill its lines in slip order."""
    if not state.get("order"):
        return []
    # Per SKU, the scanned units box by box: [[parcel_no, qty], ...], consumed line by line.
    boxes: dict[str, list[list[int]]] = {}
    for number, parcel in enumerate(state.get("parcels") or [], start=1):
        for sku, qty in parcel.items():
            if qty > 0:
                boxes.setdefault(sku, []).append([number, qty])
    rows = []
    for line in state.get("lines") or []:
        sku, ordered = line["sku"], int(line["qty"])
        scanned, used = 0, []
        queue = boxes.get(sku, [])
        while queue and scanned < ordered:
            number, qty = queue[0]
            take = min(qty, ordered - scanned)
            scanned += take
            used.append(number)
            if take == qty:
                queue.pop(0)
            else:
                queue[0][1] -= take
        rows.append(PackRow(sku, line.get("name") or sku, line.get("colour") or "", line.get("size") or "",
                            ordered, scanned, bool(line.get("gift")), tuple(used), tuple(line.get("bins") or ()),
                            bool(line.get("image"))))
    return rows


class PackLinesModel(QAbstractTableModel):
    """Read-only rows of the open order; call `set_state` with each new bench snapshot."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PackRow] = []
        self._order: str | None = None
        self._parcel_count = 0
        self._highlighted: frozenset[int] = frozenset()

    # --- what the screen asks --------------------------------------------------------
    def set_state(self, state: dict[str, Any]) -> None:
        """Show a new snapshot; highlight the lines whose count the last scan changed."""
        rows = pack_rows(state)
        order = state.get("order")
        if order and order == self._order and len(rows) == len(self._rows):
            changed = frozenset(i for i, (old, new) in enumerate(zip(self._rows, rows)) if old.scanned != new.scanned)
            highlighted = changed or self._highlighted  # an error or a command keeps the last highlight
        else:
            highlighted = frozenset()
        self.beginResetModel()
        self._rows, self._order, self._highlighted = rows, order, highlighted
        self._parcel_count = len(state.get("parcels") or []) if order else 0
        self.endResetModel()

    @property
    def rows(self) -> list[PackRow]:
        return list(self._rows)

    @property
    def highlighted(self) -> frozenset[int]:
        """Row numbers the last counting scan changed."""
        return self._highlighted

    @property
    def parcel_count(self) -> int:
        return self._parcel_count

    def row_of(self, sku: str, gift: bool | None = None) -> int:
        """The first row of ``sku`` (the gift line or the other, if asked), or -1."""
        return next((i for i, r in enumerate(self._rows) if r.sku == sku and (gift is None or r.gift == gift)), -1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1))

    # --- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(HEADERS[section])
            if role == Qt.ItemDataRole.FontRole:
                return _font(HEADER_PT, bold=True)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled  # nothing to select or edit: the scanner does the work

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, column = self._rows[index.row()], index.column()
        just = index.row() in self._highlighted
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.FontRole:
            return _font(ROW_PT, bold=just or column in (SCANNED, GIFT))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (SCANNED, GIFT, PARCEL, SIZE):
                return Qt.AlignmentFlag.AlignCenter
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        colours = self._colours(row, just)
        if role == Qt.ItemDataRole.BackgroundRole and colours:
            return QBrush(QColor(colours[0]))
        if role == Qt.ItemDataRole.ForegroundRole:
            if colours:
                return QBrush(QColor(colours[1]))
            if column == GIFT:
                return QBrush(QColor(GIFT_TEXT))
        return None

    @staticmethod
    def _text(row: PackRow, column: int) -> str:
        if column == SKU:
            return row.sku
        if column == BIN:  # the first bin in walking order; "+n" more hold it too
            return "" if not row.bins else row.bins[0] + (f" +{len(row.bins) - 1}" if len(row.bins) > 1 else "")
        if column == NAME:
            return row.name
        if column == COLOUR:
            return row.colour
        if column == SIZE:
            return row.size
        if column == SCANNED:
            return f"{row.scanned}/{row.ordered}"
        if column == GIFT:
            return _("GIFT") if row.gift else ""
        if column == PARCEL:
            return ", ".join(str(n) for n in row.parcels)
        return ""

    @staticmethod
    def _colours(row: PackRow, just: bool) -> tuple[str, str] | None:
        if row.complete:
            return JUST_COMPLETED if just else COMPLETE
        return JUST_SCANNED if just else None


def _font(point_size: int, bold: bool = False) -> QFont:
    font = QFont()  # the application font (with its CJK family), at our size
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


class PackLinesTable(QTableView):
    """The lines table: big rows, no focus, no selection, the parcel column only when it matters."""

    def __init__(self, model: PackLinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packLines")
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # scans go to the bench, never into a table
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(False)  # the colours mean something here
        self.setWordWrap(False)
        self.setStyleSheet("QTableView#packLines::item { padding: 0px 10px; }")  # text off the grid lines
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        font = _font(ROW_PT)
        self.setFont(font)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(int(QFontMetrics(font).height() * 1.6))
        header = self.horizontalHeader()
        header.setFont(_font(HEADER_PT, bold=True))
        header.setHighlightSections(False)
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        model.modelReset.connect(self._follow_model)
        self._follow_model()

    def model(self) -> PackLinesModel:  # typed
        return super().model()  # type: ignore[return-value]

    def _follow_model(self) -> None:
        model = self.model()
        self.setColumnHidden(PARCEL, model.parcel_count <= 1)
        self.setColumnHidden(BIN, not any(row.bins for row in model.rows))
        last = max(model.highlighted, default=None)
        if last is not None:
            self.scrollTo(model.index(last, SKU))
