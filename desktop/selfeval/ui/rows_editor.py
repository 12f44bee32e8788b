"""The wizard's table page editor: a table field (type rows) as rows the clerk adds,
deletes and reorders.

Each row is one line of the table: choice columns are drop-downs (a dependent one offers
only the options under its parent's choice), a column with suggestions (a 定性 row's three
bands) becomes a drop-down that still takes typing, the rest are typed.  After every change
the rows are parsed and scored here, with the same core functions the engine uses, so each
row shows its live score and what is wrong with it (a missing 偏差原因, a score outside its
band) on its own line.  Ctrl+Enter adds a row; rows copied from Excel or Word (cells separated
by tabs) paste as new rows.  The whole table is handed to the session as a JSON list.
"""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from .. import rows as table_rows
from ..engine import row_findings
from ..form import Column, Field, Form
from ..parsing import NO, YES, ParseError
from .field_widgets import FieldEditor

SCORE, NOTES = "本行得分", "提示"
ERROR_COLOUR = QColor("#fde2e1")


class RowsEditor(FieldEditor):
    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(form, field, parent)
        self.spec = field.rows
        self.columns: tuple[Column, ...] = self.spec.columns
        self.raw: list[dict[str, Any]] = []  # each row's cells as typed (yes/no as bool)
        self.read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加一行（Ctrl+Enter）", self)
        self.delete_button = QPushButton("删除本行", self)
        self.up_button = QPushButton("上移", self)
        self.down_button = QPushButton("下移", self)
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.summary = QLabel(self)
        buttons.addWidget(self.summary)
        layout.addLayout(buttons)
        self.table = _Table(self)
        headers = [c.label for c in self.columns] + [SCORE, NOTES]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        metrics = self.fontMetrics().horizontalAdvance("中")
        for index, column in enumerate(self.columns):
            self.table.setColumnWidth(index, max(3, column.width or 6) * metrics + 12)
        self.table.setColumnWidth(len(self.columns), 4 * metrics + 16)
        self.table.setColumnWidth(len(self.columns) + 1, 16 * metrics)
        self.table.horizontalHeader().setStretchLastSection(True)
        # the live score stands right after the columns it is worked out from (分值 and a typed
        # 得分), before the wide text columns, so that it is in view without scrolling sideways
        sources = [n for n, c in enumerate(self.columns) if c.id == self.spec.weight or c.type == "score"]
        after = max(sources, default=len(self.columns) - 1)
        self.table.horizontalHeader().moveSection(len(self.columns), after + 1)
        self.table.setMinimumHeight(420)
        self.table.itemChanged.connect(self._item_changed)
        layout.addWidget(self.table)
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda: self.add_row(focus=True))

    # -- FieldEditor

    def text(self) -> str:
        return json.dumps([{k: v for k, v in row.items() if v not in ("", None)} for row in self.raw],
                          ensure_ascii=False) if self.raw else ""

    def _show(self, value: Any) -> None:
        self.raw = []
        for row in value or []:
            raw = {}
            for column in self.columns:
                cell = row.get(column.id)
                raw[column.id] = cell if column.type == "yesno" else table_rows.display_cell(column, cell)
            self.raw.append(raw)
        self._rebuild()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            button.setEnabled(not read_only)
        self._rebuild()

    # -- rows

    def blank(self) -> dict[str, Any]:
        return {c.id: (c.default if c.type == "yesno" else "") for c in self.columns
                if c.default is not None or c.type != "yesno"}

    def add_row(self, *, focus: bool = False, at: int | None = None) -> None:
        if self.read_only:
            return
        at = len(self.raw) if at is None else at
        self.raw.insert(at, self.blank())
        self._changed()
        if focus:
            self.table.setCurrentCell(at, 0)
            widget = self.table.cellWidget(at, 0)
            (widget or self.table).setFocus()

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()}
                      or ({self.table.currentRow()} if self.table.currentRow() >= 0 else set()))

    def delete_selected(self) -> None:
        if self.read_only:
            return
        for index in reversed(self.selected_rows()):
            del self.raw[index]
        self._changed()

    def move_selected(self, step: int) -> None:
        rows = self.selected_rows()
        if self.read_only or len(rows) != 1 or not 0 <= rows[0] + step < len(self.raw):
            return
        here = rows[0]
        self.raw[here], self.raw[here + step] = self.raw[here + step], self.raw[here]
        self._changed()
        self.table.selectRow(here + step)

    def paste_text(self, text: str) -> int:
        """Rows copied from Excel or Word (tab-separated cells, one row a line) become rows
        after the current one; returns how many."""
        lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
        if self.read_only or not lines:
            return 0
        at = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else len(self.raw)
        pasted = []
        for line in lines:
            row = self.blank()
            for column, cell in zip(self.columns, line.split("\t")):
                cell = cell.strip()
                if column.type == "yesno":
                    row[column.id] = cell in ("", "是", "适用") if column.default is not False else cell == "是"
                else:
                    row[column.id] = cell
            pasted.append(row)
        self.raw[at:at] = pasted
        self._changed()
        return len(pasted)

    # -- showing

    def _changed(self) -> None:
        self._rebuild()
        self._emit_edited()
        self._emit_left()

    def _rebuild(self) -> None:
        table = self.table
        table.blockSignals(True)
        for r in range(len(self.raw), table.rowCount()):  # rows about to go
            for c in range(len(self.columns)):
                if (old := table.cellWidget(r, c)) is not None:
                    old.hide()
        table.setRowCount(len(self.raw))
        for r, row in enumerate(self.raw):
            for c, column in enumerate(self.columns):
                if (old := table.cellWidget(r, c)) is not None:
                    old.hide()  # deleted later; hidden now so it never shows over its new neighbour
                    table.removeCellWidget(r, c)
                widget = self._cell_widget(r, column, row)
                if widget is not None:
                    table.setItem(r, c, QTableWidgetItem(""))
                    table.setCellWidget(r, c, widget)
                else:
                    item = QTableWidgetItem(str(row.get(column.id, "")))
                    if self.read_only:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    table.setItem(r, c, item)
            for c in (len(self.columns), len(self.columns) + 1):
                item = QTableWidgetItem("")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(r, c, item)
        table.blockSignals(False)
        self._score()
        table.resizeRowsToContents()

    def _cell_widget(self, r: int, column: Column, row: dict) -> QWidget | None:
        value = row.get(column.id, "")
        if column.type == "yesno":
            combo = self._combo([YES, NO], YES if value is not False else NO, editable=False)
            combo.currentTextChanged.connect(lambda text, r=r, cid=column.id: self._set(r, cid, text == YES))
            return combo
        options = (column.options(row) if column.depends else column.choices) if column.type == "choice" \
            else column.suggestions(row)
        if column.type != "choice" and not options:
            return None
        combo = self._combo(["", *options], str(value), editable=column.type != "choice")
        combo.currentTextChanged.connect(lambda text, r=r, cid=column.id: self._set(r, cid, text))
        return combo

    def _combo(self, options: list[str], current: str, *, editable: bool) -> QComboBox:
        combo = QComboBox(self.table)
        combo.setEditable(editable)
        combo.addItems(options)
        if current not in options:
            combo.addItem(current)
        combo.setCurrentText(current)
        combo.setEnabled(not self.read_only)
        return combo

    def _set(self, r: int, cid: str, value: Any) -> None:
        if r >= len(self.raw) or self.raw[r].get(cid) == value:
            return
        self.raw[r][cid] = value
        for column in self.columns:  # a dependent choice no longer offered is cleared
            if column.depends == cid and self.raw[r].get(column.id) not in column.options(self.raw[r]):
                self.raw[r][column.id] = ""
        self._changed()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() < len(self.columns) and item.row() < len(self.raw):
            column = self.columns[item.column()]
            if self.raw[item.row()].get(column.id, "") != item.text():
                self.raw[item.row()][column.id] = item.text()
                self._emit_edited()
                self._emit_left()
                self._score()

    def _score(self) -> None:
        """Each row's live score and its problems, from the rows as they stand."""
        typed, problems = [], {}
        for number, raw in enumerate(self.raw, 1):
            try:
                typed.append(table_rows.row_from_json(self.field, {k: v for k, v in raw.items()
                                                                   if v not in ("", None)}, number))
            except ParseError as error:
                typed.append({})
                problems.setdefault(number, []).append(error.message)
        envs = table_rows.row_envs(self.field, typed, {})
        results = table_rows.row_results(self.field, envs)
        for finding in row_findings(self.form, {self.field.id: envs}):
            if finding.row is not None:
                problems.setdefault(finding.row, []).append(finding.message)
        self.table.blockSignals(True)
        for result in results:
            r = result.number - 1
            score = "不适用" if not result.applicable else ("" if result.score is None else f"{result.score:.2f}")
            self.table.item(r, len(self.columns)).setText(score)
            notes = problems.get(result.number, [])
            self.table.item(r, len(self.columns) + 1).setText("\n".join(notes))
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(ERROR_COLOUR if notes else QColor(Qt.GlobalColor.white))
        self.table.blockSignals(False)
        self.summary.setText(table_rows.rows_summary(self.form, self.field, envs, results))


class _Table(QTableWidget):
    """Paste of several rows becomes rows; Delete clears nothing but the typed cell."""

    def __init__(self, editor: RowsEditor):
        super().__init__(editor)
        self.editor = editor

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            text = QGuiApplication.clipboard().text()
            if "\t" in text or "\n" in text.strip():
                self.editor.paste_text(text)
                return
        super().keyPressEvent(event)
