"""The 新建报告 dialog: which form, unit and year, and whether to start from an earlier report
(opened from the report list and the File menu; loaded when first used, not at start)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from .i18n import tr
from .report_list import status_text
from .settings import keep_on_screen

if TYPE_CHECKING:
    from ..workspace import Workspace


COMBO_CHARACTERS = 28


@dataclass(frozen=True)
class NewReport:
    form_id: str
    unit_name: str
    year: int
    from_previous: bool
    source_id: int | None = None  # the report to start from, when the clerk picked one


class NewReportDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("新建报告"))
        layout = QFormLayout(self)
        self.form_box = QComboBox(self)
        for form in workspace.catalog.forms():
            self.form_box.addItem(f"{form.title}（{form.edition}）", form.id)
        self.unit = QLineEdit(self)
        units = sorted({info.unit_name for info in workspace.store.reports()})
        if units:
            self.unit.setCompleter(QCompleter(units, self.unit))
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year - 1)
        self.carry = QCheckBox(tr("从上年报告转入"), self)
        self.source = QComboBox(self)  # which earlier report to start from
        self.source.setObjectName("source")
        self.source.addItem(tr("同一单位最近一年的报告"), None)
        for info in sorted(workspace.store.reports(), key=lambda i: (-i.year, i.unit_name)):
            self.source.addItem(f"{info.year} 年度 · {info.unit_name} · {status_text(info.status)}", info.id)
        for box in (self.form_box, self.source):  # a long unit's name widens the list it drops down, not the dialog
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(COMBO_CHARACTERS)
        self.source.setEnabled(False)
        self.carry.toggled.connect(self.source.setEnabled)
        layout.addRow(tr("表单"), self.form_box)
        layout.addRow(tr("单位名称"), self.unit)
        layout.addRow(tr("评价年度"), self.year)
        layout.addRow("", self.carry)
        layout.addRow(tr("转入自"), self.source)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e;")
        layout.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        keep_on_screen(self)
        self.unit.setFocus()  # there is usually one form: start with the unit's name

    def _accept(self) -> None:
        if not self.unit.text().strip():
            self.error.setText(tr("请填写单位名称。"))
            return
        self.accept()

    def result_value(self) -> NewReport:
        return NewReport(self.form_box.currentData(), self.unit.text().strip(), self.year.value(),
                         self.carry.isChecked(), self.source.currentData() if self.carry.isChecked() else None)


def ask_new_report(parent: QWidget, workspace: Workspace) -> NewReport | None:
    dialog = NewReportDialog(workspace, parent)
    return dialog.result_value() if dialog.exec() == QDialog.DialogCode.Accepted else None
