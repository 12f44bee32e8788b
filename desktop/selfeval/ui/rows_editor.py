"""The wizard's table page editor: a table field (type rows) as rows the clerk adds,
deletes and reorders, worked like a small spreadsheet.

Every cell is a plain table cell; an editor opens only while a cell is edited (typing into
the selected cell, Enter, F2 or a double-click).  Choice columns (and yes/no, and a column
with suggestions such as a 定性 row's three bands) show a ▾ and open their list on a click
of the ▾, a click on the selected cell, Enter, F4 or Alt+↓; a dependent one offers only the
options under its parent's choice.  Tab goes to the next column in order (then the next
row; after the last cell it leaves the table), Enter ends editing where it is, Ctrl+Enter
adds a row, Ctrl+Delete deletes the selected rows, Delete clears the selected cells.

Ctrl+V pastes at the selected cell, also into a cell being edited and into an open list:
cells copied from Excel or Word (tab-separated, one row a line) fill that row from that
column on and go on into the following rows, adding rows only when they run out; one value
goes into the selected cell (or into every selected cell).  A value a choice column does not
offer is not written, and the status line under the table says which column takes what.

After every change the rows are parsed and scored here, with the same core functions the
engine uses, so each row shows its live score; its problems (cells still to fill, a missing
偏差原因, a score outside its band) are counted in the 提示 column, listed in the cell's
tooltip and, for the selected row, in the status line.  Rows stay one or two lines high.
The whole table is handed to the session as a JSON list.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field as dataclass_field
from typing import Any

from PySide6.QtCore import (QEvent, QItemSelectionModel, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt,
                            QTimer, Signal)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QApplication, QComboBox, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QTableWidget, QTableWidgetItem, QTableWidgetSelectionRange, QToolTip, QVBoxLayout,
                               QWidget)

from .. import rows as table_rows
from ..engine import row_findings
from ..form import Column, Field, Form
from ..parsing import NO, YES, ParseError, fold_marks, normalize, parse_yesno
from ..scoring import NOT_APPLICABLE
from . import dialogs
from .field_widgets import FieldEditor, PastingTextEdit

SCORE, NOTES = "本行得分", "提示"
MISSING_COLOUR = QColor("#fff3c4")  # a cell still to be filled
ERROR_COLOUR = QColor("#fde2e1")  # a cell that cannot be read, the 提示 of a row with problems
NOTICE_COLOUR, PROBLEM_COLOUR, HINT_COLOUR = "#b42318", "#8a4b00", "#5a6b80"
KEYS = ("Tab 下一格 · Enter 编辑/确定 · ▾ 或 Alt+↓ 列表 · Ctrl+V 从所选格起粘贴 · "
        "Ctrl+Enter 添加一行 · Ctrl+Delete 删除行")
ARROW = 16  # the width of a list cell's ▾
PADDING = 10  # a column's width beyond its characters
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# what people type for the signs of 指标性质 (NFKC makes the full-width ones ASCII)
_SIGNS = {">=": "≥", "=>": "≥", ">": "≥", "<=": "≤", "=<": "≤", "<": "≤", "==": "="}


def clipboard_grid(text: str) -> list[list[str]]:
    """Cells copied from Excel or Word: one row a line, cells separated by tabs; a cell that
    holds a line break or a tab comes quoted (as Excel copies it).  The line break after the
    last row is no row of its own."""
    text = fold_marks(text)
    if not text:
        return []
    if '"' in text:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=False)
        grid = [list(row) or [""] for row in rows]  # a line with nothing is one empty cell
    else:
        grid = [line.split("\t") for line in text.split("\n")]
    while grid and all(not cell for cell in grid[-1]):
        grid.pop()
    return grid


def _tsv_cell(text: str) -> str:
    if any(mark in text for mark in ('"', "\t", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


@dataclass
class RowProblems:
    missing: list[str] = dataclass_field(default_factory=list)  # column ids of required cells left empty
    unreadable: dict[str, str] = dataclass_field(default_factory=dict)  # column id → why its cell is refused
    messages: list[str] = dataclass_field(default_factory=list)  # the row checks that do not hold

    def __bool__(self) -> bool:
        return bool(self.missing or self.unreadable or self.messages)


class RowsEditor(FieldEditor):
    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(form, field, parent)
        self.spec = field.rows
        self.columns: tuple[Column, ...] = self.spec.columns
        self.by_id = {c.id: c for c in self.columns}
        self.score_column, self.notes_column = len(self.columns), len(self.columns) + 1
        self.raw: list[dict[str, Any]] = []  # each row's cells as typed (yes/no as bool)
        self.problems: list[RowProblems] = []  # each row's, as last worked out
        self.scores: list[str] = []  # each row's live score as shown
        self.notice = ""  # the last entry or paste refused, until the selection moves on
        self.read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加一行", self)
        self.delete_button = QPushButton("删除行", self)
        self.up_button = QPushButton("上移", self)
        self.down_button = QPushButton("下移", self)
        for button, tip in ((self.add_button, "在末尾添加一行（Ctrl+Enter）"),
                            (self.delete_button, "删除所选的行（Ctrl+Delete）"),
                            (self.up_button, "所选的行上移一行"), (self.down_button, "所选的行下移一行")):
            button.setToolTip(tip)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.summary = QLabel(self)  # 共 N 行，得分合计: on two lines in a narrow window
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        buttons.addWidget(self.summary)
        layout.addLayout(buttons)
        self.table = _Table(self)
        self.delegate = _CellDelegate(self)
        self.table.setItemDelegate(self.delegate)
        headers = [c.label for c in self.columns] + [SCORE, NOTES]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        for index, column in enumerate(self.columns):
            if column.type in ("choice", "yesno") and (offered := self._offered_everywhere(column)):
                self.table.horizontalHeaderItem(index).setToolTip(f"{column.label}：{'、'.join(offered)}")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        metrics = self.fontMetrics()
        wide = metrics.horizontalAdvance("中")
        for index, column in enumerate(self.columns):
            width = max(3, column.width or 6) * wide + PADDING
            if self.has_list_column(column):  # room for the ▾ where then the longest entry fits
                longest = max((metrics.horizontalAdvance(o) for o in self._offered_everywhere(column)), default=0)
                if width < longest + PADDING + ARROW <= width + ARROW:
                    width = longest + PADDING + ARROW
            self.table.setColumnWidth(index, width)
        self.table.setColumnWidth(self.score_column, self.table.horizontalHeader().fontMetrics()
                                  .horizontalAdvance(SCORE) + 2 * PADDING)
        self.table.setColumnWidth(self.notes_column, 7 * wide)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        # the live score and the row's problems stand right after the columns the score is worked
        # out from (分值 and a typed 得分), before the wide text columns
        sources = [n for n, c in enumerate(self.columns) if c.id == self.spec.weight or c.type == "score"]
        after = max(sources, default=len(self.columns) - 1)
        header.moveSection(header.visualIndex(self.score_column), after + 1)
        header.moveSection(header.visualIndex(self.notes_column), after + 2)
        lines = self.table.fontMetrics().lineSpacing()
        self.one_line, self.two_lines = lines + 10, 2 * lines + 10
        self.table.verticalHeader().setMinimumSectionSize(self.one_line)
        self.table.verticalHeader().setDefaultSectionSize(self.one_line)
        self.table.setMinimumHeight(420)
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(self._moved)
        layout.addWidget(self.table)
        self.status = QLabel(self)  # the selected row's score and problems, or what was refused
        self.status.setObjectName("rowsStatus")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.status)
        self.keys = QLabel(KEYS, self)
        self.keys.setObjectName("rowsKeys")
        self.keys.setStyleSheet(f"color: {HINT_COLOUR};")
        self.keys.setWordWrap(True)
        layout.addWidget(self.keys)
        self.setFocusProxy(self.table)
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        for keys, slot in ((("Ctrl+Return", "Ctrl+Enter"), lambda: self.add_row(focus=True)),
                           (("Ctrl+Delete",), self.delete_selected)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self._show_status()

    # -- FieldEditor

    def text(self) -> str:
        return json.dumps([{k: v for k, v in row.items() if v not in ("", None)} for row in self.raw],
                          ensure_ascii=False) if self.raw else ""

    def _show(self, value: Any) -> None:
        raw = []
        for row in value or []:
            cells = {}
            for column in self.columns:
                cell = row.get(column.id)
                cells[column.id] = cell if column.type == "yesno" else table_rows.display_cell(column, cell)
            raw.append(cells)
        if raw == self.raw and self.table.rowCount() == len(raw):
            return  # what is shown already (the session hands back what was just typed)
        self.raw = raw
        self._rebuild()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            button.setEnabled(not read_only)
        self.table.finish_editing()
        self._rebuild()

    # -- what a cell holds and offers

    def has_list_column(self, column: Column) -> bool:
        return column.type in ("choice", "yesno") or bool(column.suggest)

    def offered(self, column: Column, row: dict) -> tuple[str, ...]:
        """What a cell's list offers: the column's choices (only those may be entered), 是/否,
        or suggestions (anything may still be typed)."""
        if column.type == "yesno":
            return (YES, NO)
        if column.type == "choice":
            return column.options(row) if column.depends else column.choices
        return column.suggestions(row)

    def has_list(self, r: int, c: int) -> bool:
        if self.read_only or c >= len(self.columns) or r >= len(self.raw):
            return False
        column = self.columns[c]
        return column.type in ("choice", "yesno") or bool(column.suggestions(self.raw[r]))

    def _offered_everywhere(self, column: Column) -> tuple[str, ...]:
        if column.type == "yesno":
            return (YES, NO)
        if column.type == "choice":
            return column.choices
        return tuple(option for _, _, options in column.suggest for option in options)

    def shown(self, r: int, c: int) -> str:
        column, value = self.columns[c], self.raw[r].get(self.columns[c].id)
        if column.type == "yesno":
            return "" if value is None or value == "" else (YES if value else NO)
        return "" if value is None else str(value)

    def _value(self, column: Column, row: dict, text: str, number: int) -> tuple[Any, str]:
        """(the value to keep for ``text`` typed or pasted into a cell, why it is refused or "")."""
        where = f"第 {number} 行「{column.label}」"
        if column.type == "yesno":
            compact = normalize(text)
            if not compact:
                return column.default, ""
            try:
                return (False if compact == NOT_APPLICABLE else parse_yesno(compact, where).value), ""
            except ParseError:
                return None, f"{where}应为“{YES}”或“{NO}”，收到“{compact}”，未填入。"
        if column.type == "choice":
            value = normalize(text)
            if not value:
                return "", ""
            options = self.offered(column, row)
            value = _SIGNS.get(value, value)
            found = next((o for o in options if normalize(o) == value), None)
            if found is not None:
                return found, ""
            if column.depends:
                parent = self.by_id[column.depends]
                if not options:
                    return None, f"{where}须先选定「{parent.label}」，“{value}”未填入。"
                return None, (f"{where}在{parent.label}为“{row.get(parent.id)}”时应为"
                              f"{'、'.join(options)}之一，收到“{value}”，未填入。")
            return None, f"{where}应为{'、'.join(options)}之一，收到“{value}”，未填入。"
        return text.strip(), ""

    # -- changing cells

    def write_cells(self, cells: list[tuple[int, str, str]], *, added: bool = False) -> list[str]:
        """Text typed or pasted into cells — (row index, column id, text), in order — kept;
        a choice a column does not offer is refused.  Returns why each refused cell was."""
        refused, changed = [], set()
        for r, cid, text in cells:
            row, column = self.raw[r], self.by_id[cid]
            value, why = self._value(column, row, text, r + 1)
            if why:
                refused.append(why)
                continue
            if row.get(cid, "" if column.type != "yesno" else None) == value:
                continue
            row[cid] = value
            for dependent in self.columns:  # a dependent choice no longer offered is cleared
                if dependent.depends == cid and row.get(dependent.id) not in ("", None, *dependent.options(row)):
                    row[dependent.id] = ""
            changed.add(r)
        self.notice = "\n".join(refused)
        if changed or added:
            self._show_cells(changed)
            self._score()
            self._emit_edited()
            self._emit_left()
        else:
            self._show_status()
        return refused

    def _item_changed(self, item: QTableWidgetItem) -> None:
        """A cell's text set on the item itself (the delegate writes through write_cells)."""
        if item.column() < len(self.columns) and item.row() < len(self.raw):
            self.write_cells([(item.row(), self.columns[item.column()].id, item.text())])
            self._show_cells({item.row()})

    def clear_selection(self) -> None:
        """Delete: the selected cells emptied (a yes/no cell back to its default)."""
        if self.read_only:
            return
        cells = [(index.row(), self.columns[index.column()].id, "")
                 for index in sorted(self.table.selectedIndexes(), key=lambda i: (i.row(), i.column()))
                 if index.column() < len(self.columns)]
        if cells:
            self.write_cells(cells)

    # -- rows

    def blank(self) -> dict[str, Any]:
        return {c.id: (c.default if c.type == "yesno" else "") for c in self.columns
                if c.default is not None or c.type != "yesno"}

    def add_row(self, *, focus: bool = False, at: int | None = None) -> None:
        if self.read_only:
            return
        if len(self.raw) >= self.spec.max_rows:
            self._refuse(f"「{self.field.label}」最多 {self.spec.max_rows} 行。")
            return
        self.table.finish_editing()
        at = len(self.raw) if at is None else at
        self.raw.insert(at, self.blank())
        self._changed()
        if focus:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.go_to(at, self.first_column())
            self.table.scrollTo(self.table.model().index(at, 0))

    def first_column(self) -> int:
        return self.table.tab_order()[0]

    def selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if not rows and self.table.currentRow() >= 0:
            rows = {self.table.currentRow()}
        return sorted(r for r in rows if r < len(self.raw))

    def delete_selected(self) -> None:
        if self.read_only:
            return
        self.table.finish_editing()
        rows = self.selected_rows()
        if not rows:
            return
        filled = [r for r in rows if self._filled(self.raw[r])]
        if filled:
            title = self.spec.print_title
            names = "、".join(f"第 {r + 1} 行" + (f"「{self.raw[r][title]}」" if self.raw[r].get(title) else "")
                             for r in filled[:5]) + ("等" if len(filled) > 5 else "")
            if not dialogs.confirm(self, "删除行", f"删除{names}？删除后不能恢复。"):
                return
        column = max(self.table.currentColumn(), 0)
        for index in reversed(rows):
            del self.raw[index]
        self._changed()
        if self.raw:
            self.table.go_to(min(rows[0], len(self.raw) - 1), column)

    def _filled(self, row: dict) -> bool:
        return any(value not in ("", None) and value != self.by_id[cid].default for cid, value in row.items())

    def move_selected(self, step: int) -> None:
        rows = self.selected_rows()
        if self.read_only or len(rows) != 1 or not 0 <= rows[0] + step < len(self.raw):
            return
        self.table.finish_editing()
        here, column = rows[0], max(self.table.currentColumn(), 0)
        self.raw[here], self.raw[here + step] = self.raw[here + step], self.raw[here]
        self._changed()
        self.table.go_to(here + step, column)

    # -- clipboard

    def paste_text(self, text: str, at: tuple[int, int] | None = None) -> int:
        """Paste at the selected cell (or ``at``, (row, column)): see the module's docstring.
        Returns how many cells were written."""
        grid = clipboard_grid(text)
        if self.read_only or not grid:
            return 0
        self.table.finish_editing()
        data = self.table.tab_order()
        selected = [i for i in self.table.selectedIndexes() if i.column() in data]
        if len(grid) == 1 and len(grid[0]) == 1 and at is None and len(selected) > 1:
            value = grid[0][0]  # one value into every selected cell
            cells = [(i.row(), self.columns[i.column()].id, value)
                     for i in sorted(selected, key=lambda i: (i.row(), data.index(i.column())))]
            return self._paste(cells, 0)
        if at is None:  # the top left of the selection, else the current cell, else a new row
            chosen = self.table.selectedIndexes()
            current = self.table.currentIndex()
            if chosen:
                at = (min(i.row() for i in chosen),
                      min((i.column() for i in chosen), key=self.table.horizontalHeader().visualIndex))
            elif current.isValid():
                at = (current.row(), current.column())
            else:
                at = (len(self.raw), data[0])
        top, left = at
        if left not in data:
            self._refuse(f"「{SCORE}」和「{NOTES}」由程序填写；请选定要粘贴的第一格再粘贴。")
            return 0
        start = data.index(left)
        room = len(data) - start
        widest = max(len(line) for line in grid)
        if top + len(grid) > self.spec.max_rows:
            self._refuse(f"「{self.field.label}」最多 {self.spec.max_rows} 行；从第 {top + 1} 行起粘贴 "
                         f"{len(grid)} 行就有 {top + len(grid)} 行，未粘贴。")
            return 0
        cells = [(top + i, self.columns[data[start + j]].id, cell)
                 for i, line in enumerate(grid) for j, cell in enumerate(line[:room])]
        dropped = ""
        if widest > room:
            first = self.columns[data[start]].label
            dropped = (f"粘贴的内容有 {widest} 列，从「{first}」起只有 {room} 列，"
                       f"每行多出的 {widest - room} 格未粘贴。")
        return self._paste(cells, top + len(grid) - len(self.raw), dropped,
                           (top, left, top + len(grid) - 1, data[start + min(widest, room) - 1]))

    def _paste(self, cells: list[tuple[int, str, str]], more_rows: int, dropped: str = "",
               area: tuple[int, int, int, int] | None = None) -> int:
        overwritten = 0
        for r, cid, text in cells:
            if r < len(self.raw):
                old = self.shown(r, self.columns.index(self.by_id[cid]))
                overwritten += bool(old) and old != text.strip()
        if overwritten and len(cells) > 1 and not dialogs.confirm(
                self, "粘贴", f"粘贴的内容会替换 {overwritten} 个已填的格子，继续吗？"):
            return 0
        if more_rows > 0:
            self.raw.extend(self.blank() for _ in range(more_rows))
            self._rebuild()
        if area is not None:
            top, left, bottom, right = area
            self.table.go_to(top, left)
            self.table.select_area(top, left, bottom, right)
        refused = self.write_cells(cells, added=more_rows > 0)
        if dropped:
            self._refuse("\n".join([*refused, dropped]))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return len(cells) - len(refused)

    def paste_clipboard(self, at: tuple[int, int] | None = None) -> int:
        return self.paste_text(QGuiApplication.clipboard().text(), at)

    def copy_selection(self) -> None:
        """Ctrl+C: the selected cells as Excel copies them."""
        indexes = self.table.selectedIndexes()
        if not indexes:
            return
        header = self.table.horizontalHeader()
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes}, key=header.visualIndex)
        lines = []
        for r in rows:
            cells = []
            for c in columns:
                item = self.table.item(r, c)
                cells.append(_tsv_cell(item.text() if item is not None else ""))
            lines.append("\t".join(cells))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    # -- showing

    def _refuse(self, message: str) -> None:
        self.notice = message
        self._show_status()

    def _changed(self) -> None:
        self._rebuild()
        self._emit_edited()
        self._emit_left()

    def _rebuild(self) -> None:
        table = self.table
        current = (table.currentRow(), table.currentColumn())
        table.blockSignals(True)
        table.setRowCount(len(self.raw))
        for r in range(len(self.raw)):
            for c in range(table.columnCount()):
                item = QTableWidgetItem()
                if c >= len(self.columns) or self.read_only:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if c == self.score_column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        table.blockSignals(False)
        self._show_cells(range(len(self.raw)))
        self._score()
        if self.raw and current[0] >= 0:
            table.go_to(min(current[0], len(self.raw) - 1), max(current[1], 0), keep=True)

    def _show_cells(self, rows) -> None:
        table = self.table
        table.blockSignals(True)
        for r in rows:
            for c in range(len(self.columns)):
                item = table.item(r, c)
                if item is not None:
                    item.setText(self.shown(r, c))
        table.blockSignals(False)

    def _typed(self, raw: dict, number: int) -> tuple[dict, dict[str, str]]:
        """A row as the engine takes it, cell by cell (as :func:`selfeval.rows.row_from_json`
        reads it), and the cells it cannot read with why: one bad cell does not empty the row."""
        row, unreadable = table_rows.new_row(self.field), {}
        for column in self.columns:
            value = raw.get(column.id)
            if value in ("", None):
                continue
            if column.type == "yesno":
                row[column.id] = value
                continue
            try:
                typed = table_rows.parse_cell(self.field, column, value, row, number)
            except ParseError as error:
                unreadable[column.id] = error.message
                continue
            if typed is None:
                row.pop(column.id, None)
            else:
                row[column.id] = typed
        return row, unreadable

    def _score(self) -> None:
        """Each row's live score and its problems, from the rows as they stand."""
        typed, self.problems = [], []
        for number, raw in enumerate(self.raw, 1):
            row, unreadable = self._typed(raw, number)
            typed.append(row)
            self.problems.append(RowProblems(unreadable={cid: self._in_row(message, number)
                                                         for cid, message in unreadable.items()}))
        envs = table_rows.row_envs(self.field, typed, {})
        results = table_rows.row_results(self.field, envs)
        for finding in row_findings(self.form, {self.field.id: envs}):
            if finding.row is None or finding.row > len(self.problems):
                continue
            problems = self.problems[finding.row - 1]
            column = finding.check.partition(".required.")[2]
            if column:
                if column not in problems.unreadable:
                    problems.missing.append(column)
            else:
                problems.messages.append(self._in_row(finding.message, finding.row))
        table = self.table
        table.blockSignals(True)
        self.scores = [NOT_APPLICABLE if not result.applicable else
                       ("" if result.score is None else f"{result.score:.2f}") for result in results]
        for result in results:
            r = result.number - 1
            table.item(r, self.score_column).setText(self.scores[r])
            problems = self.problems[r]
            notes = table.item(r, self.notes_column)
            notes.setText(self._summary(problems))
            notes.setToolTip(self._details(problems, "\n"))
            notes.setBackground(ERROR_COLOUR if problems else QColor(Qt.GlobalColor.white))
            for c, column in enumerate(self.columns):
                item = table.item(r, c)
                colour = (ERROR_COLOUR if column.id in problems.unreadable
                          else MISSING_COLOUR if column.id in problems.missing and not self.read_only
                          else QColor(Qt.GlobalColor.white))
                item.setBackground(colour)
                item.setToolTip(problems.unreadable.get(column.id) or
                                (f"{column.label}尚未填写" if column.id in problems.missing else ""))
        table.blockSignals(False)
        table.resizeRowsToContents()
        self.summary.setText(table_rows.rows_summary(self.form, self.field, envs, results))
        self._show_status()

    @staticmethod
    def _summary(problems: RowProblems) -> str:
        parts = []
        if problems.missing:
            parts.append(f"{len(problems.missing)} 项未填")
        if wrong := len(problems.unreadable) + len(problems.messages):
            parts.append(f"{wrong} 个问题")
        return "，".join(parts)

    def _details(self, problems: RowProblems, between: str) -> str:
        parts = []
        if problems.missing:
            parts.append("尚未填写" + "、".join(self.by_id[cid].label for cid in problems.missing))
        parts.extend(problems.unreadable.values())
        parts.extend(problems.messages)
        return between.join(parts)

    def _in_row(self, message: str, number: int) -> str:
        """A row's message without the row it is about, shown on that row: 「分值」应为数字…"""
        for prefix in (f"「{self.field.label}」第 {number} 行", f"第 {number} 行"):
            if message.startswith(prefix):
                return message[len(prefix):].lstrip("，：, ")
        return message

    def _moved(self, row: int, _column: int, previous_row: int, _previous_column: int) -> None:
        if row != previous_row:
            self.notice = ""
        self._show_status()

    def _show_status(self) -> None:
        """The status line: what was just refused, else the selected row: its score and problems."""
        r = self.table.currentRow()
        self.keys.setVisible(not self.read_only)
        if self.notice:
            text, colour = self.notice, NOTICE_COLOUR
        elif 0 <= r < len(self.problems):
            score = self.scores[r]
            text = f"第 {r + 1} 行" + (f"（本行得分 {score}）" if score else "")
            text += ("：" + self._details(self.problems[r], "；")) if self.problems[r] else "：已填完。"
            colour = PROBLEM_COLOUR if self.problems[r] else HINT_COLOUR
        else:
            text, colour = "", HINT_COLOUR
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setText(text)


class _ListBox(QComboBox):
    """A list cell's editor.  ``chosen`` when its list closes (an entry picked, Esc or a click
    elsewhere): editing the cell ends there.  > and < pick ≥ and ≤."""

    chosen = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.from_list = False
        self.done = False
        self.watched = False
        self.activated.connect(self._activated)

    def showPopup(self) -> None:  # noqa: N802 (Qt's name)
        super().showPopup()
        if not self.watched:  # the popup is made on first showing; Esc closes it without hidePopup()
            self.watched = True
            self.view().window().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Hide and watched is self.view().window():
            self.from_list = True
            QTimer.singleShot(0, self, self._list_closed)  # after the entry picked, if any, is set
        return False

    def _activated(self, _index: int) -> None:
        if self.from_list:
            self._list_closed()

    def _list_closed(self) -> None:
        if self.from_list:
            self.from_list = False
            self.chosen.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        sign = _SIGNS.get(normalize(event.text()))
        if not self.isEditable() and sign and (found := self.findText(sign)) >= 0:
            self.setCurrentIndex(found)
            return
        super().keyPressEvent(event)


class _LongText(PastingTextEdit):
    """A long text cell's editor: Enter ends editing like in the other cells, Alt+Enter or
    Shift+Enter starts a new line."""


class _PopupKeys(QObject):
    """Keys while a cell's list is open: Ctrl+V closes it and pastes there; Tab (Shift+Tab)
    takes the entry highlighted and goes on to the next (previous) cell."""

    def __init__(self, delegate: _CellDelegate, box: _ListBox):
        super().__init__(box)
        self.delegate, self.box = delegate, box

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.matches(QKeySequence.StandardKey.Paste):
            self.delegate.paste_into(self.box)
            return True
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.delegate.pick_and_move(self.box, event.key() == Qt.Key.Key_Tab)
            return True
        return False


class _CellDelegate(QStyledItemDelegate):
    def __init__(self, editor: RowsEditor):
        super().__init__(editor.table)
        self.rows = editor
        self.cells: dict[int, QPersistentModelIndex] = {}  # id(editor widget) → its cell

    def createEditor(self, parent, option, index):  # noqa: N802
        rows = self.rows
        r, c = index.row(), index.column()
        if rows.read_only or c >= len(rows.columns) or r >= len(rows.raw):
            return None
        column = rows.columns[c]
        offered = rows.offered(column, rows.raw[r])
        if column.type in ("choice", "yesno") or offered:
            widget = _ListBox(parent)
            free = column.type not in ("choice", "yesno")
            widget.setEditable(free)
            widget.addItems(list(offered) if column.type == "yesno" else ["", *offered])
            widget.setMaxVisibleItems(12)
            widget.chosen.connect(lambda box=widget: self.finish(box))
            widget.view().installEventFilter(_PopupKeys(self, widget))
        elif column.type == "longtext":
            widget = _LongText(parent)
            widget.setTabChangesFocus(True)
        else:
            widget = QLineEdit(parent)
            widget.setFrame(False)
        self.cells[id(widget)] = QPersistentModelIndex(index)
        widget.destroyed.connect(lambda _=None, key=id(widget): self.cells.pop(key, None))
        return widget

    def setEditorData(self, widget, index) -> None:  # noqa: N802
        text = self.rows.shown(index.row(), index.column())
        if isinstance(widget, _ListBox):
            found = widget.findText(text)
            if found < 0 and text:
                widget.addItem(text)  # kept as it was, though no longer offered
                found = widget.count() - 1
            widget.setCurrentIndex(max(found, 0))
            if widget.isEditable():
                widget.setEditText(text)
        elif isinstance(widget, _LongText):
            widget.setPlainText(text)
            widget.selectAll()
        else:
            widget.setText(text)

    def setModelData(self, widget, model, index) -> None:  # noqa: N802
        rows = self.rows
        if index.row() >= len(rows.raw) or index.column() >= len(rows.columns):
            return
        if isinstance(widget, _ListBox):
            text = widget.currentText()
        elif isinstance(widget, _LongText):
            text = widget.toPlainText()
        else:
            text = widget.text()
        rows.write_cells([(index.row(), rows.columns[index.column()].id, text)])

    def updateEditorGeometry(self, widget, option, index) -> None:  # noqa: N802
        rect = QRect(option.rect)
        if isinstance(widget, _LongText):  # room for a few lines, inside the table
            viewport = self.rows.table.viewport().rect()
            lines = widget.fontMetrics().lineSpacing()
            rect.setWidth(max(rect.width(), 20 * widget.fontMetrics().horizontalAdvance("中")))
            rect.setHeight(max(rect.height(), 5 * lines + 8))
            rect.moveRight(min(rect.right(), viewport.right()))
            rect.moveBottom(min(rect.bottom(), viewport.bottom()))
            rect.moveTop(max(rect.top(), 0))
        widget.setGeometry(rect)

    def paint(self, painter, option, index) -> None:
        if not self.rows.has_list(index.row(), index.column()):
            super().paint(painter, option, index)
            return
        style = option.widget.style()
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        text = QStyleOptionViewItem(cell)
        cell.text = ""  # the background, the selection and the focus over the whole cell
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, option.widget)
        text.rect = option.rect.adjusted(0, 0, -ARROW, 0)  # the text left of the ▾
        text.backgroundBrush = QBrush()
        text.state &= ~QStyle.StateFlag.State_HasFocus
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text, painter, option.widget)
        arrow = QStyleOptionViewItem(option)
        arrow.rect = QRect(0, 0, ARROW - 6, min(option.rect.height(), 10))
        arrow.rect.moveCenter(_Table.arrow_rect(option.rect).center())
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorArrowDown, arrow, painter, option.widget)

    def helpEvent(self, event, view, option, index) -> bool:  # noqa: N802
        """A cell's own tooltip (a problem), else its text when it does not fit."""
        if event is not None and index.isValid() and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            width = option.rect.width() - 8 - (ARROW if self.rows.has_list(index.row(), index.column()) else 0)
            if text and (view.fontMetrics().horizontalAdvance(text) > width or "\n" in text):
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QWidget):
            if event.matches(QKeySequence.StandardKey.Paste) and self._pastes_here(watched):
                return True
            if isinstance(watched, _LongText) and event.key() in _ENTER_KEYS:
                if event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier):
                    watched.insertPlainText("\n")
                else:
                    self.commitData.emit(watched)
                    self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                return True
        return super().eventFilter(watched, event)

    def _pastes_here(self, widget: QWidget) -> bool:
        """Ctrl+V in a cell being edited: one value into a text cell is pasted by its editor at
        the cursor (lines into a long text too); anything into a list cell, and cells, go
        through the table."""
        text = QGuiApplication.clipboard().text()
        cells = "\t" in text or ("\n" in text.strip("\r\n") and not isinstance(widget, _LongText))
        if not cells and not (isinstance(widget, _ListBox) and not widget.isEditable()):
            if isinstance(widget, QLineEdit) and "\n" in text:
                widget.insert(text.strip("\r\n"))
                return True
            return False
        self.paste_into(widget)
        return True

    def _cell(self, widget: QWidget) -> QModelIndex | None:
        """The cell ``widget`` edits, while it is the table's editor of that cell."""
        index = self.cells.get(id(widget))
        if index is None or not index.isValid():
            return None
        index = QModelIndex(index)
        return index if self.rows.table.indexWidget(index) is widget else None

    def paste_into(self, widget: QWidget) -> None:
        index = self._cell(widget)
        if index is None:
            return
        if isinstance(widget, _ListBox):
            widget.done = True
            if widget.view().isVisible():
                widget.hidePopup()
        self.closeEditor.emit(widget, QAbstractItemDelegate.EndEditHint.NoHint)
        self.rows.paste_clipboard((index.row(), index.column()))

    def pick_and_move(self, box: _ListBox, forward: bool) -> None:
        if box.done or self._cell(box) is None:
            return
        box.done = True
        highlighted = box.view().currentIndex().row()
        box.hidePopup()
        if highlighted >= 0:
            box.setCurrentIndex(highlighted)
        Hint = QAbstractItemDelegate.EndEditHint
        self.commitData.emit(box)
        self.closeEditor.emit(box, Hint.EditNextItem if forward else Hint.EditPreviousItem)

    def finish(self, box: _ListBox) -> None:
        """The list of a cell closed: its entry is kept and editing ends there."""
        if box.done or self._cell(box) is None:
            return
        box.done = True
        self.commitData.emit(box)
        self.closeEditor.emit(box, QAbstractItemDelegate.EndEditHint.NoHint)


class _Table(QTableWidget):
    """The keys and clicks of a small spreadsheet (see the module's docstring)."""

    def __init__(self, editor: RowsEditor):
        super().__init__(editor)
        self.editor = editor
        self._press_on_current = False

    @staticmethod
    def arrow_rect(cell: QRect) -> QRect:
        return QRect(cell.right() - ARROW + 1, cell.top(), ARROW, cell.height())

    def tab_order(self) -> list[int]:
        """The columns a person fills, in the order they are shown."""
        header = self.horizontalHeader()
        return sorted(range(len(self.editor.columns)), key=header.visualIndex)

    def sizeHintForRow(self, row: int) -> int:  # noqa: N802
        """One line, or two when a cell's text wraps; never more (the rest is in the tooltip)."""
        return max(self.editor.one_line, min(super().sizeHintForRow(row), self.editor.two_lines))

    def go_to(self, row: int, column: int, *, keep: bool = False) -> None:
        """Make a cell the current one and the only one selected (``keep``: the selection as it
        is) whatever keys are held (Ctrl of Ctrl+Enter would add it to the selection)."""
        flags = QItemSelectionModel.SelectionFlag
        self.selectionModel().setCurrentIndex(self.model().index(row, column),
                                              flags.NoUpdate if keep else flags.ClearAndSelect)

    def select_area(self, top: int, left: int, bottom: int, right: int) -> None:
        self.clearSelection()
        self.setRangeSelected(QTableWidgetSelectionRange(top, left, bottom, right), True)

    def open_cell(self, index: QModelIndex, *, with_list: bool) -> bool:
        """Start editing a cell; a list cell opens its list."""
        if not index.isValid() or not index.flags() & Qt.ItemFlag.ItemIsEditable:
            return False
        if self.state() == QAbstractItemView.State.EditingState:
            return False
        if index != self.currentIndex():
            self.go_to(index.row(), index.column())
        if not super().edit(index, QAbstractItemView.EditTrigger.EditKeyPressed, None):
            return False
        widget = self.indexWidget(index)
        if with_list and isinstance(widget, _ListBox) and not widget.view().isVisible():
            widget.showPopup()
        return True

    def edit(self, index, trigger=None, event=None) -> bool:
        if trigger is None:
            return super().edit(index)
        opened = super().edit(index, trigger, event)
        if opened and trigger == QAbstractItemView.EditTrigger.DoubleClicked:
            widget = self.indexWidget(index)
            if isinstance(widget, _ListBox) and not widget.view().isVisible():
                widget.showPopup()
        return opened

    def finish_editing(self) -> None:
        """A cell being edited is kept, and its editor closed (before rows change)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        widget = self.indexWidget(self.currentIndex())
        if widget is None:
            return
        if isinstance(widget, _ListBox):
            widget.done = True
        delegate = self.itemDelegate()
        delegate.commitData.emit(widget)
        delegate.closeEditor.emit(widget, QAbstractItemDelegate.EndEditHint.NoHint)

    def closeEditor(self, widget, hint) -> None:  # noqa: N802
        """Tab in the last cell being edited (Shift+Tab in the first): the cell is kept and the
        focus leaves the table, as Tab does there when nothing is edited."""
        Hint = QAbstractItemDelegate.EndEditHint
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            forward = hint == Hint.EditNextItem
            Action = QAbstractItemView.CursorAction
            if not self.moveCursor(Action.MoveNext if forward else Action.MovePrevious,
                                   Qt.KeyboardModifier.NoModifier).isValid():
                super().closeEditor(widget, Hint.NoHint)
                QAbstractItemView.focusNextPrevChild(self, forward)
                return
        super().closeEditor(widget, hint)

    def moveCursor(self, action, modifiers) -> QModelIndex:  # noqa: N802
        """Tab and Shift+Tab: the next (previous) column a person fills, then the next row;
        past the last cell nothing, so that Tab leaves the table."""
        Action = QAbstractItemView.CursorAction
        if action not in (Action.MoveNext, Action.MovePrevious):
            return super().moveCursor(action, modifiers)
        order = self.tab_order()
        current = self.currentIndex()
        if self.rowCount() == 0 or not order:
            return QModelIndex()
        if not current.isValid():
            return self.model().index(0, order[0])
        r, c = current.row(), current.column()
        header = self.horizontalHeader()
        step = 1 if action == Action.MoveNext else -1
        if c in order:
            position = order.index(c) + step
        else:  # from 本行得分 or 提示: the column a person fills next to it
            after = [n for n, column in enumerate(order) if header.visualIndex(column) > header.visualIndex(c)]
            position = (after[0] if after else len(order)) if step > 0 else (after[0] - 1 if after else len(order) - 1)
        if position >= len(order):
            r, position = r + 1, 0
        elif position < 0:
            r, position = r - 1, len(order) - 1
        if not 0 <= r < self.rowCount():
            return QModelIndex()
        return self.model().index(r, order[position])

    def keyPressEvent(self, event) -> None:  # noqa: N802
        editor = self.editor
        if event.matches(QKeySequence.StandardKey.Paste):
            editor.paste_clipboard()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            editor.copy_selection()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if key == Qt.Key.Key_Delete and not modifiers:
                editor.clear_selection()
                return
            if (key in _ENTER_KEYS and not modifiers) or (key == Qt.Key.Key_F4 and not modifiers) \
                    or (key == Qt.Key.Key_Down and modifiers == Qt.KeyboardModifier.AltModifier):
                self.open_cell(self.currentIndex(), with_list=True)
                return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:  # noqa: N802
        """Text an input method commits at once (a Chinese punctuation mark, a phrase picked
        without a composition shown first) into a cell not being edited opens it with that
        text, as a typed key does; Qt's view opens the editor but drops the text."""
        if (self.state() != QAbstractItemView.State.EditingState and event.commitString()
                and not event.preeditString()
                and self.edit(self.currentIndex(), QAbstractItemView.EditTrigger.AnyKeyPressed, event)):
            widget = self.indexWidget(self.currentIndex())
            if widget is not None:
                QApplication.sendEvent(widget.focusProxy() or widget, event)
            return
        super().inputMethodEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        index = self.indexAt(event.position().toPoint())
        self._press_on_current = (event.button() == Qt.MouseButton.LeftButton and index.isValid()
                                  and index == self.currentIndex()
                                  and not event.modifiers() & (Qt.KeyboardModifier.ShiftModifier
                                                               | Qt.KeyboardModifier.ControlModifier))
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        pressed_on_current, self._press_on_current = self._press_on_current, False
        if event.button() != Qt.MouseButton.LeftButton or self.state() == QAbstractItemView.State.EditingState:
            return
        point = event.position().toPoint()
        index = self.indexAt(point)
        if not index.isValid() or index != self.currentIndex():
            return
        if self.editor.has_list(index.row(), index.column()):
            if pressed_on_current or self.arrow_rect(self.visualRect(index)).contains(point):
                self.open_cell(index, with_list=True)
        elif pressed_on_current:  # a click on the selected cell edits it, as a spreadsheet does
            self.open_cell(index, with_list=False)
