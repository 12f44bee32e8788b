"""The review screen of a Word import: the texts that go into their fields, each figure with
its sentence for the clerk to accept or reject, and what could not be placed.

The matching is done by :mod:`selfeval.docimport`; this window only shows the plan and
collects the clerk's choices. Nothing is stored until 导入所选 is pressed, and a figure only
when its box is ticked.
"""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..docimport import ImportPlan, Proposal, clerk_label, field_place, proposal_value
from ..form import Form
from ..values import is_empty
from .i18n import tr
from .settings import keep_on_screen

NUMBER_TYPES = ("money", "count", "percent", "number")
NOT_IMPORTED = "（不导入）"
PREFERRED = QSize(1180, 720)
# the figures' 栏目 (a drop-down) and 注意 columns: a share of the table's width, at most so many pixels
FIELD_SHARE, FIELD_WIDTH = 0.28, 380
NOTE_SHARE, NOTE_WIDTH = 0.2, 240


def _item(text: str, *, checkable: bool = False, checked: bool = False, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if checkable:
        flags |= Qt.ItemFlag.ItemIsUserCheckable
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    item.setFlags(flags)
    if tip or len(text) > 40:
        item.setToolTip(tip or text)
    return item


def field_tip(form: Form, fid: str) -> str:
    """Where a field is filled in, and its id (as the command line names it)."""
    return f"{clerk_label(form, fid)}\n{tr('所在页面')}：{field_place(form, fid)}\n{tr('字段编号')}：{fid}"


class ImportReviewDialog(QDialog):
    def __init__(self, form: Form, plan: ImportPlan, *, target: str, current: dict,
                 source: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.form, self.plan, self.current = form, plan, current
        self.setWindowTitle(tr("导入上年报告：核对"))
        keep_on_screen(self, PREFERRED)  # on a 1024 × 768 screen the buttons stay in view
        layout = QVBoxLayout(self)
        summary = QLabel(self)
        summary.setWordWrap(True)
        summary.setText(
            f"{tr('文件')}：{source}　→　{tr('导入到')}：{target}\n"
            f"{tr('文字说明')} {len(plan.narratives)} {tr('项，勾选的将作为“导入的草稿”写入对应栏目')}；"
            f"{tr('数字')} {len(plan.proposals)} {tr('个，请对照原文逐一核对，只保存勾选的数字')}；"
            f"{tr('未能放入栏目的内容')} {len(plan.unplaced)} {tr('段')}。")
        layout.addWidget(summary)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._texts_tab(), f"{tr('文字说明')}（{len(plan.narratives)}）")
        self.tabs.addTab(self._figures_tab(), f"{tr('数字')}（{len(plan.proposals)}）")
        self.tabs.addTab(self._unplaced_tab(), f"{tr('未能放入')}（{len(plan.unplaced)}）")
        self.tabs.setCurrentIndex(1 if plan.proposals else 0)
        layout.addWidget(self.tabs, 1)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(tr("导入所选"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # -- texts

    def _texts_tab(self) -> QWidget:
        page = QSplitter(Qt.Orientation.Vertical, self)
        table = QTableWidget(len(self.plan.narratives), 4, page)
        table.setObjectName("texts")
        table.setHorizontalHeaderLabels([tr("导入"), tr("栏目"), tr("字数"), tr("开头")])
        self.text_ids = list(self.plan.narratives)
        for row, fid in enumerate(self.text_ids):
            text = self.plan.narratives[fid]
            occupied = not is_empty(self.current.get(fid))
            note = tr("（已有内容，勾选则覆盖）") if occupied else ""
            table.setItem(row, 0, _item(note, checkable=True, checked=not occupied))
            table.setItem(row, 1, _item(clerk_label(self.form, fid), tip=field_tip(self.form, fid)))
            table.setItem(row, 2, _item(str(len(text))))
            table.setItem(row, 3, _item(" ".join(text.split())[:80], tip=text[:1500]))
        self._fit(table, stretch=3)
        self.texts = table
        self.preview = QPlainTextEdit(page)
        self.preview.setObjectName("preview")
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(tr("选中一行，在这里查看导入的全文"))
        table.currentCellChanged.connect(
            lambda row, *_: self.preview.setPlainText(self.plan.narratives[self.text_ids[row]] if row >= 0 else ""))
        page.addWidget(table)
        page.addWidget(self.preview)
        page.setSizes([420, 200])
        if self.text_ids:
            table.setCurrentCell(0, 1)
        return page

    # -- figures

    def _figures_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        hint = QLabel(tr("数字默认不保存。请对照原文核对：数字对、栏目也对时勾选；栏目不对可在下拉框中改选。"), page)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row_buttons = QHBoxLayout()
        accept_all = QPushButton(tr("勾选全部已对应栏目的数字"), page)
        accept_all.setObjectName("accept-all")
        accept_all.clicked.connect(lambda: self._tick_all(True))
        reject_all = QPushButton(tr("全部不勾选"), page)
        reject_all.setObjectName("reject-all")
        reject_all.clicked.connect(lambda: self._tick_all(False))
        row_buttons.addWidget(accept_all)
        row_buttons.addWidget(reject_all)
        row_buttons.addStretch(1)
        layout.addLayout(row_buttons)
        table = QTableWidget(len(self.plan.proposals), 5, page)
        table.setObjectName("figures")
        table.setHorizontalHeaderLabels([tr("保存"), tr("栏目"), tr("数值"), tr("原文"), tr("注意")])
        targets = [fid for fid, fld in self.form.fields.items() if fld.type in NUMBER_TYPES]
        self.field_boxes: list[QComboBox] = []
        for row, proposal in enumerate(self.plan.proposals):
            table.setItem(row, 0, _item("", checkable=True, checked=False))
            box = QComboBox(table)
            box.addItem(tr(NOT_IMPORTED), None)
            for fid in targets:
                box.addItem(clerk_label(self.form, fid), fid)
                box.setItemData(box.count() - 1, field_tip(self.form, fid), Qt.ItemDataRole.ToolTipRole)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)  # as wide as its column, not as its longest label
            if proposal.field in targets:
                box.setCurrentIndex(targets.index(proposal.field) + 1)
            table.setCellWidget(row, 1, box)
            self.field_boxes.append(box)
            table.setItem(row, 2, _item(proposal_value(self.form, proposal)))
            table.setItem(row, 3, _item(proposal.sentence, tip=proposal.sentence))
            table.setItem(row, 4, _item(proposal.note, tip=proposal.note))
        self._fit(table, stretch=3)
        # the sentence and the note wrap onto more lines: the whole of each is read in its row
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        room = self.width()
        table.setColumnWidth(1, min(FIELD_WIDTH, int(room * FIELD_SHARE)))
        table.setColumnWidth(4, min(NOTE_WIDTH, int(room * NOTE_SHARE)))
        self.figures = table
        layout.addWidget(table, 1)
        return page

    def _tick_all(self, on: bool) -> None:
        """Tick (or clear) every figure that has a field; of several for one field, the first."""
        taken = set()
        for row, box in enumerate(self.field_boxes):
            fid = box.currentData()
            state = Qt.CheckState.Checked if on and fid and fid not in taken else Qt.CheckState.Unchecked
            taken.add(fid)
            self.figures.item(row, 0).setCheckState(state)

    def conflicts(self) -> list[str]:
        """Fields for which different ticked figures were chosen."""
        chosen: dict[str, set[str]] = {}
        for proposal in self.chosen_figures():
            chosen.setdefault(proposal.field, set()).add(proposal.value)
        return [clerk_label(self.form, fid) for fid, found in chosen.items() if len(found) > 1]

    def accept(self) -> None:
        clash = self.conflicts()
        if clash:
            self.problem.setText(tr("同一栏目勾选了不同的数字，请只保留一个：") + "、".join(clash))
            self.tabs.setCurrentIndex(1)
            return
        super().accept()

    # -- unplaced

    def _unplaced_tab(self) -> QWidget:
        table = QTableWidget(len(self.plan.unplaced), 2, self)
        table.setObjectName("unplaced")
        table.setHorizontalHeaderLabels([tr("原因"), tr("内容")])
        for row, item in enumerate(self.plan.unplaced):
            table.setItem(row, 0, _item(item.reason))
            table.setItem(row, 1, _item(" ".join(item.text.split()), tip=item.text[:1500]))
        self._fit(table, stretch=1)
        return table

    @staticmethod
    def _fit(table: QTableWidget, stretch: int) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        for column in range(table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    # -- what the clerk chose

    def chosen_texts(self) -> list[str]:
        return [fid for row, fid in enumerate(self.text_ids)
                if self.texts.item(row, 0).checkState() == Qt.CheckState.Checked]

    def chosen_figures(self) -> list[Proposal]:
        chosen = []
        for row, proposal in enumerate(self.plan.proposals):
            fid = self.field_boxes[row].currentData()
            if fid and self.figures.item(row, 0).checkState() == Qt.CheckState.Checked:
                chosen.append(dataclasses.replace(proposal, field=fid))
        return chosen

    def chosen_plan(self) -> ImportPlan:
        """The plan with only the texts the clerk kept."""
        keep = set(self.chosen_texts())
        return ImportPlan({fid: text for fid, text in self.plan.narratives.items() if fid in keep},
                          list(self.plan.proposals), list(self.plan.unplaced))


def review_import(parent: QWidget, form: Form, plan: ImportPlan, *, target: str, current: dict,
                  source: str) -> tuple[ImportPlan, list[Proposal]] | None:
    """Show the review screen; the chosen texts and figures, or None when cancelled."""
    dialog = ImportReviewDialog(form, plan, target=target, current=current, source=source, parent=parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen_plan(), dialog.chosen_figures()
    finally:
        dialog.deleteLater()
