"""The start screen: the reports in the database and what can be done with them."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QTableWidgetItem, QVBoxLayout, QWidget

from .. import score_words
from .i18n import tr
from .tables import row_table

if TYPE_CHECKING:
    from ..store import ReportInfo

COLUMNS = ("单位", "年度", "表单", "状态", "总分", "等级", "最后修改")
TOTAL_COLUMN, GRADE_COLUMN = COLUMNS.index("总分"), COLUMNS.index("等级")
PARTIAL_COLOUR = "#5a6b80"  # a total so far and 待评分: not yet the report's
PARTIAL_NOTES = {TOTAL_COLUMN: score_words.PARTIAL_TOTAL_NOTE, GRADE_COLUMN: score_words.PENDING_GRADE_NOTE}
# the keys of the list's buttons, shown in their tooltips: 新建报告 is the File menu's
SHORTCUTS = {"new": QKeySequence.StandardKey.New, "open": QKeySequence.StandardKey.Open}
EXTRA_KEYS = {"open": "Enter"}  # Enter on a row opens it too
PROBLEM_COLOUR = "#b3261e"  # a damaged report, or a final one changed behind the program's back
# also in the File menu, where it imports into the selected draft
IMPORT_DOC_TIP = "新建报告，并从上年的 Word 报告（.docx）导入文字说明和数字；导入前逐项核对"


def local_time(moment: datetime | None) -> str:
    if moment is None:  # a damaged report's unreadable time
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def stored_total(total: str | None) -> str:
    """The stored total as the score panel and the exports show it: "85.72", "90.00", "0.00"."""
    if not total:
        return ""
    from decimal import Decimal, InvalidOperation

    from ..parsing import format_score  # with the reports, not before the window is shown

    try:
        return format_score(Decimal(total))
    except InvalidOperation:
        return total


def score_cells(info: ReportInfo) -> tuple[str, str]:
    """The 总分 and 等级 columns as the score panel shows them: 已评 12.50 and 待评分 until every
    indicator is scored (the store's ``complete``)."""
    return (score_words.total_text(stored_total(info.total), info.complete),
            score_words.grade_text(info.grade, info.complete))


def tooltip(text: str, key: str) -> str:
    """A button's tooltip: its text and the keys that do the same, "打开（Ctrl+O，Enter）"."""
    keys = [QKeySequence(SHORTCUTS[key]).toString(QKeySequence.SequenceFormat.NativeText)] if key in SHORTCUTS else []
    keys += [EXTRA_KEYS[key]] if key in EXTRA_KEYS else []
    return f"{text}（{'，'.join(keys)}）" if keys else text


def status_text(status: str) -> str:
    return tr("已定稿") if status == "final" else tr("草稿")


def state_text(info: ReportInfo) -> str:
    """The status column: a damaged or altered report says so first."""
    if info.damage:
        return tr("已损坏")
    if info.altered:
        return tr("定稿后被改动")
    return status_text(info.status)


class ReportList(QWidget):
    """Emits the report id to open; the main window does the actions."""

    open_requested = Signal(int)
    action_requested = Signal(str)  # new, duplicate, delete, import, import_doc, export, backup, restore, demo

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("new", "新建报告"), ("open", "打开"), ("duplicate", "复制"), ("delete", "删除"),
                          ("import", "导入 JSON"), ("export", "导出 JSON"), ("backup", "备份数据库"),
                          ("restore", "恢复数据库")):
            button = QPushButton(tr(text), self)
            button.setObjectName(key)
            button.clicked.connect(lambda _=False, k=key: self._action(k))
            button.setToolTip(tooltip(tr(text), key))
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        # a shortcut of the window, but only while the list is visible (not under the wizard)
        self.open_shortcut = QShortcut(QKeySequence(SHORTCUTS["open"]), self)
        self.open_shortcut.activated.connect(lambda: self._action("open"))
        layout.addLayout(buttons)
        self.stack = QStackedWidget(self)
        self.table = row_table(COLUMNS, self)
        # Enter on a row opens it, as does a double click
        self.table.itemActivated.connect(lambda _item: self._action("open"))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QWidget(self)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        hello = QLabel(tr("还没有任何报告。"), self.empty)
        hello.setStyleSheet("font-size: 18px;")
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(hello)
        centred.addStretch(1)
        empty_layout.addLayout(centred)
        row = QHBoxLayout()
        row.addStretch(1)
        for key, text in (("new", "新建报告"), ("import_doc", "从上年的 Word 报告开始"), ("demo", "打开示例报告")):
            button = QPushButton(tr(text), self.empty)
            button.setObjectName(f"empty-{key}")
            button.setMinimumHeight(44)
            button.setToolTip(tr(IMPORT_DOC_TIP) if key == "import_doc" else tooltip(tr(text), key))
            button.clicked.connect(lambda _=False, k=key: self._action(k))
            row.addWidget(button)
        row.addStretch(1)
        empty_layout.addLayout(row)
        empty_layout.addStretch(2)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self.reports: list[ReportInfo] = []

    def show_reports(self, reports: list[ReportInfo], select: int | None = None,
                     form_name=lambda info: f"{info.form_id} {info.form_edition}") -> None:
        self.reports = reports
        self.table.setRowCount(len(reports))
        for row, info in enumerate(reports):
            total, grade = score_cells(info)
            cells = (info.unit_name, str(info.year or ""), form_name(info),
                     state_text(info), total, grade, local_time(info.updated_at))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (TOTAL_COLUMN, GRADE_COLUMN) and info.total and not info.complete:
                    item.setToolTip(tr(PARTIAL_NOTES[column]))
                    item.setForeground(QColor(PARTIAL_COLOUR))
                if info.problem:
                    item.setToolTip(info.problem)
                    item.setForeground(QColor(PROBLEM_COLOUR))
                self.table.setItem(row, column, item)
        self.stack.setCurrentWidget(self.table if reports else self.empty)
        if reports:
            ids = [info.id for info in reports]
            self.table.selectRow(ids.index(select) if select in ids else 0)
        self._update_buttons()

    def focus_reports(self) -> None:
        """The keyboard starts on the reports (Enter opens one), or on 新建报告 when there are none."""
        if self.reports:
            self.table.setFocus()
        else:
            self.empty.findChild(QPushButton, "empty-new").setFocus()

    def selected_id(self) -> int | None:
        info = self.selected()
        return info.id if info else None

    def selected(self) -> ReportInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.reports[rows[0].row()] if rows and self.reports else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for key in ("open", "duplicate", "delete", "export"):
            self.buttons[key].setEnabled(chosen)

    def _action(self, key: str) -> None:
        if key == "open":
            report_id = self.selected_id()
            if report_id is not None:
                self.open_requested.emit(report_id)
        else:
            self.action_requested.emit(key)
