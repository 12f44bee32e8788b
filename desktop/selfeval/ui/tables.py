"""A read-only list of rows with a heading, as the report list and the receiving desk show them."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QWidget

from .i18n import tr


def row_table(columns: tuple[str, ...], parent: QWidget, stretch: int | tuple[int, ...] = 0) -> QTableWidget:
    """Whole rows selected one at a time, not editable; the column(s) ``stretch`` take the spare width
    (several of them share it, as :class:`SharedWidth` says)."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels([tr(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    for column in range(len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    if isinstance(stretch, int):
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        table.shared_width = SharedWidth(table, stretch)
    return table


class SharedWidth(QObject):
    """Long texts (a unit, a report, a signer) in columns that share what the other columns leave of
    the table's width: each as wide as its longest text when there is room, else in proportion to it,
    its texts wrapping onto more lines — never pushing the last columns out of the window."""

    def __init__(self, table: QTableWidget, columns: tuple[int, ...]):
        super().__init__(table)
        self.table, self.columns = table, columns
        header = table.horizontalHeader()
        for column in columns:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.share)
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self.timer.start)
        header.sectionResized.connect(self._resized)  # the other columns fitted to their texts

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column not in self.columns:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:  # at once: a scroll bar came or went
            self.share()
        return False

    def share(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(table.columnCount()) if c not in self.columns)
        spare = table.viewport().width() - others
        wanted = {c: max(header.sectionSizeHint(c), table.sizeHintForColumn(c)) for c in self.columns}
        total = sum(wanted.values()) or 1
        least = header.minimumSectionSize()
        for column, want in wanted.items():  # the room left over, or what is missing, in proportion
            header.resizeSection(column, max(least, spare * want // total))
