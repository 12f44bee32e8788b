"""The table page of the 项目支出绩效自评表: rows added (Ctrl+Enter), deleted, moved,
dependent drop-downs, a live score and problems per row, and rows pasted from Excel."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from selfeval.ui.rows_editor import RowsEditor

from test_wizard_typing import click_page

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "project-self-eval-2022-demo-1.json"


def open_project(window):
    report_id = window.workspace.import_json(DEMO.read_text("utf-8"))
    return window.open_report(report_id)


def table_editor(qtbot, wizard) -> RowsEditor:
    click_page(qtbot, wizard, "indicators")
    editor = wizard.current_view().rows["indicators"].editor
    assert isinstance(editor, RowsEditor)
    return editor


def cell(editor: RowsEditor, row: int, column_id: str):
    index = [c.id for c in editor.columns].index(column_id)
    return editor.table.cellWidget(row, index) or editor.table.item(row, index)


def scores(editor: RowsEditor) -> list[str]:
    column = len(editor.columns)
    return [editor.table.item(r, column).text() for r in range(editor.table.rowCount())]


def test_rows_show_their_live_scores_and_the_store_follows_edits(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    assert scores(editor) == ["15.00", "10.00", "9.44", "4.50", "9.38", "15.00", "9.60", "不适用", "10.00"]
    cell(editor, 2, "actual").setText("81")  # 委员培训覆盖率 90 → 81: 10 × 0.9 = 9.00
    assert scores(editor)[2] == "9.00"
    wizard.flush()
    assert wizard.session.values["indicators"][2]["actual"] == "81"
    assert wizard.session.evaluation.total == Decimal("96.82")  # (92.42 − 0.44) ÷ 95 × 100 = 96.821…


def test_a_missing_reason_is_shown_on_its_row(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    cell(editor, 2, "reason").setText("")
    notes = editor.table.item(2, len(editor.columns) + 1).text()
    assert "第 3 行" in notes and "偏差原因" in notes
    assert editor.table.item(0, len(editor.columns) + 1).text() == ""


def test_ctrl_enter_adds_a_row_and_rows_move_and_go(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    editor.table.setFocus()
    QTest.keyClick(editor.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.table.rowCount() == 10 and editor.raw[-1]["applicable"] is True
    editor.table.selectRow(9)
    editor.move_selected(-1)
    assert editor.raw[9]["name"] == "委员对履职服务的满意度" and editor.raw[8]["name"] == ""
    editor.table.selectRow(8)
    editor.delete_selected()
    assert editor.table.rowCount() == 9
    wizard.flush()
    assert len(wizard.session.values["indicators"]) == 9


def test_level_two_offers_only_the_options_under_level_one(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    level2 = cell(editor, 0, "level2")
    assert [level2.itemText(i) for i in range(level2.count())] == ["", "数量指标", "质量指标", "时效指标", "成本指标"]
    cell(editor, 0, "level1").setCurrentText("满意度指标")
    level2 = cell(editor, 0, "level2")
    assert [level2.itemText(i) for i in range(level2.count())] == ["", "服务对象满意度指标"]
    assert editor.raw[0]["level2"] == ""  # 数量指标 is not under 满意度指标: cleared
    qualitative = cell(editor, 3, "actual")  # a 定性 row: its three bands in a drop-down
    assert qualitative.findText("部分达成年度指标并具有一定效果") >= 0


def test_rows_copied_from_excel_paste_as_rows(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    editor.table.setCurrentCell(8, 2)
    QGuiApplication.clipboard().setText("满意度指标\t服务对象满意度指标\t家属满意度\t≥\t90\t%\t95\t5\n"
                                        "满意度指标\t服务对象满意度指标\t来访满意度\t定性\t满意\t\t达成年度指标\t5\t4.5\r\n")
    editor.table.setFocus()
    QTest.keyClick(editor.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.table.rowCount() == 11
    assert [editor.raw[i]["name"] for i in (9, 10)] == ["家属满意度", "来访满意度"]
    assert scores(editor)[9:] == ["5.00", "4.50"]


def test_the_list_and_the_heading_name_the_project(qtbot, window):
    wizard = open_project(window)
    assert "政协委员履职服务保障项目支出绩效自评报告" in wizard.heading.text()
    window.show_list()
    table = window.report_list.table
    assert table.item(0, 2).text().startswith("政协委员履职服务保障项目支出绩效自评报告")


def test_a_row_with_only_its_level_one_chosen_is_one_indicator_not_scored_everywhere(qtbot, window):
    """The line above the rows, the score panel and the evaluation state the same sum and
    count; the total is the plain sum of what is scored, not rescaled."""
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    assert editor.summary.text() == "共 9 行，得分合计 82.92"
    editor.add_row()
    cell(editor, 9, "level1").setCurrentText("产出指标")
    assert editor.raw[9]["level1"] == "产出指标"
    assert editor.summary.text() == "共 10 行，得分合计 82.92（尚有 1 项指标未评分）"
    wizard.flush()
    evaluation = wizard.session.evaluation
    assert (evaluation.total, evaluation.subtotals["output"], evaluation.unscored_count) == (
        Decimal("92.42"), Decimal("48.32"), 1)
    qtbot.waitUntil(lambda: wizard.score_panel.total.text() == "已评 92.42", timeout=2000)
    assert wizard.score_panel.unscored.text() == "1"
