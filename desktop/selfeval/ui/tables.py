"""A read-only list of rows with a heading, as the report list and the receiving desk show them."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QWidget

from .i18n import tr


def row_table(columns: tuple[str, ...], parent: QWidget, stretch: int = 0) -> QTableWidget:
    """Whole rows selected one at a time, not editable; column ``stretch`` takes the spare width."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels([tr(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    for column in range(len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
