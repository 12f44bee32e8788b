"""The table page of the 项目支出绩效自评表, worked as a clerk works it: rows added (Ctrl+Enter),
deleted, moved; cells filled with the keyboard (Tab, Enter, typing) and the mouse; dependent
lists; Ctrl+V at the selected cell like a spreadsheet; a live score and the problems of each
row, kept to one or two lines."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidgetItem

from selfeval.ui.rows_editor import RowsEditor, clipboard_grid

from human_input import commit
from test_wizard_typing import click_page

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "project-self-eval-2022-demo-1.json"
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


def open_project(window):
    report_id = window.workspace.import_json(DEMO.read_text("utf-8"))
    return window.open_report(report_id)


def new_project(window):
    report_id = window.workspace.new_report("乐昌市文史馆", 2022, form_id="project-self-eval")
    return window.open_report(report_id)


def table_editor(qtbot, wizard) -> RowsEditor:
    click_page(qtbot, wizard, "indicators")
    editor = wizard.current_view().rows["indicators"].editor
    assert isinstance(editor, RowsEditor)
    return editor


def col(editor: RowsEditor, column_id: str) -> int:
    return [c.id for c in editor.columns].index(column_id)


def cell(editor: RowsEditor, row: int, column_id: str) -> QTableWidgetItem:
    return editor.table.item(row, col(editor, column_id))


def scores(editor: RowsEditor) -> list[str]:
    return [editor.table.item(r, editor.score_column).text() for r in range(editor.table.rowCount())]


def notes(editor: RowsEditor, row: int) -> QTableWidgetItem:
    return editor.table.item(row, editor.notes_column)


def focused():
    return QApplication.focusWidget()


def settle() -> None:
    """What Qt does after a key (the delegate commits an edited cell after the Enter) is done
    before the next one, as between two real presses.

    The offscreen platform makes a list's popup the focus window when it opens and leaves no
    window active once it has closed: the cell being edited would lose the focus to nothing.
    On a desktop the window keeps the focus while its popup is open; so it does here."""
    if QApplication.activePopupWidget() is not None:
        window = QApplication.activeWindow()
        if window is not None and window.windowHandle() is not QGuiApplication.focusWindow():
            window.windowHandle().requestActivate()
    QApplication.processEvents()


def press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)
    settle()


def list_key(box, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed while a cell's list is open: the list has the keyboard."""
    QTest.keyClick(box.view(), key, modifier)
    settle()


def type_here(text: str) -> None:
    """Typed where the keyboard focus is, as it moves: ASCII as keys, Chinese as input-method commits."""
    for char in text:
        if char.isascii():
            QTest.keyClicks(focused(), char)
        else:
            commit(focused(), char)
        settle()


def where(editor: RowsEditor) -> tuple[int, str]:
    table = editor.table
    return table.currentRow(), editor.columns[table.currentColumn()].id


def point(editor: RowsEditor, row: int, column_id: str, *, arrow: bool = False):
    table = editor.table
    index = table.model().index(row, col(editor, column_id))
    table.scrollTo(index)
    rect = table.visualRect(index)
    return rect.adjusted(rect.width() - 10, 0, 0, 0).center() if arrow else rect.center()


def click_cell(editor: RowsEditor, row: int, column_id: str) -> None:
    QTest.mouseClick(editor.table.viewport(), LEFT, pos=point(editor, row, column_id))
    assert where(editor) == (row, column_id)


def open_list(editor: RowsEditor, row: int, column_id: str):
    """A click on the ▾ of a list cell: its list opens."""
    QTest.mouseClick(editor.table.viewport(), LEFT, pos=point(editor, row, column_id, arrow=True))
    settle()
    box = editor.table.indexWidget(editor.table.model().index(row, col(editor, column_id)))
    assert box is not None and box.view().isVisible()
    return box


def paste(editor: RowsEditor, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    press(Qt.Key.Key_V, CTRL)


# -- what was there before


def test_rows_show_their_live_scores_and_the_store_follows_edits(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    assert scores(editor) == ["15.00", "10.00", "9.44", "4.50", "9.38", "15.00", "9.60", "不适用", "10.00"]
    click_cell(editor, 2, "actual")  # 委员培训覆盖率 90 → 81: 10 × 0.9 = 9.00
    type_here("81")
    press(Qt.Key.Key_Return)
    assert scores(editor)[2] == "9.00"
    assert "得分合计 82.48" in editor.summary.text()
    wizard.flush()
    assert wizard.session.values["indicators"][2]["actual"] == "81"
    assert wizard.session.evaluation.total == Decimal("96.82")  # (92.42 − 0.44) ÷ 95 × 100 = 96.821…


def test_a_missing_reason_is_counted_on_its_row_and_spelled_out_below(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 2, "reason")
    press(Qt.Key.Key_Delete)
    assert cell(editor, 2, "reason").text() == ""
    assert notes(editor, 2).text() == "1 个问题"
    assert notes(editor, 2).toolTip() == "「委员培训覆盖率」得分 9.44 分低于分值 10 分，须填写偏差原因分析及改进措施。"
    assert editor.status.text() == "第 3 行（本行得分 9.44）：" + notes(editor, 2).toolTip()
    assert notes(editor, 0).text() == "" and notes(editor, 0).toolTip() == ""


def test_ctrl_enter_adds_a_row_and_rows_move_and_go(qtbot, window, asked):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 8, "name")
    press(Qt.Key.Key_Return, CTRL)
    assert editor.table.rowCount() == 10 and editor.raw[-1]["applicable"] is True
    assert where(editor) == (9, "level1") and focused() is editor.table
    QTest.mouseClick(editor.up_button, LEFT)
    assert editor.raw[9]["name"] == "委员对履职服务的满意度" and editor.raw[8]["name"] == ""
    assert where(editor) == (8, "level1")
    editor.table.setFocus()
    press(Qt.Key.Key_Delete, CTRL)  # an empty row goes without a question
    assert editor.table.rowCount() == 9 and asked["confirm"] == []
    press(Qt.Key.Key_Delete, CTRL)  # a filled one is asked about
    assert editor.table.rowCount() == 8 and "委员对履职服务的满意度" in asked["confirm"][0]
    wizard.flush()
    assert len(wizard.session.values["indicators"]) == 8


def test_level_two_offers_only_the_options_under_level_one(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    level2 = open_list(editor, 0, "level2")
    assert [level2.itemText(i) for i in range(level2.count())] == ["", "数量指标", "质量指标", "时效指标", "成本指标"]
    list_key(level2, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.table.indexWidget(editor.table.currentIndex()) is None)
    level1 = open_list(editor, 0, "level1")
    level1.view().setCurrentIndex(level1.model().index(level1.findText("满意度指标"), 0))
    list_key(level1, Qt.Key.Key_Return)
    assert editor.raw[0]["level1"] == "满意度指标"
    assert editor.raw[0]["level2"] == ""  # 数量指标 is not under 满意度指标: cleared
    level2 = open_list(editor, 0, "level2")
    assert [level2.itemText(i) for i in range(level2.count())] == ["", "服务对象满意度指标"]
    list_key(level2, Qt.Key.Key_Escape)
    qualitative = open_list(editor, 3, "actual")  # a 定性 row: its three bands in a list, typing still allowed
    assert qualitative.isEditable() and qualitative.findText("部分达成年度指标并具有一定效果") >= 0


def test_rows_copied_from_excel_paste_into_a_new_row_and_on(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 8, "name")
    press(Qt.Key.Key_Return, CTRL)  # a new row, its first cell selected
    paste(editor, "满意度指标\t服务对象满意度指标\t家属满意度\t≥\t90\t%\t95\t5\n"
                  "满意度指标\t服务对象满意度指标\t来访满意度\t定性\t满意\t\t达成年度指标\t5\t4.5\r\n")
    assert editor.table.rowCount() == 11
    assert [editor.raw[i]["name"] for i in (9, 10)] == ["家属满意度", "来访满意度"]
    assert scores(editor)[9:] == ["5.00", "4.50"]


def test_the_list_and_the_heading_name_the_project(qtbot, window):
    wizard = open_project(window)
    assert "政协委员履职服务保障项目支出绩效自评报告" in wizard.heading.text()
    window.show_list()
    table = window.report_list.table
    assert table.item(0, 2).text().startswith("政协委员履职服务保障项目支出绩效自评报告")


# -- 1. rows stay one or two lines high; the problems are counted, listed in a tooltip and below


def test_a_new_row_is_one_line_high_with_its_problems_counted(qtbot, window):
    wizard = new_project(window)
    editor = table_editor(qtbot, wizard)
    table = editor.table
    QTest.mouseClick(editor.add_button, LEFT)
    line = table.fontMetrics().lineSpacing()
    assert table.rowHeight(0) <= line + 12  # not the eight 尚未填写 messages one under the other
    assert re.fullmatch(r"\d+ 项未填", notes(editor, 0).text())
    assert notes(editor, 0).toolTip().startswith("尚未填写一级指标、二级指标、三级指标、指标性质")
    assert editor.status.text().startswith("第 1 行：尚未填写一级指标")
    assert cell(editor, 0, "name").background().color() != cell(editor, 0, "unit").background().color()
    # a long name wraps to two lines at most; six rows are all in view
    click_cell(editor, 0, "name")
    type_here("全年组织政协委员围绕中心工作开展专题视察调研活动的次数（含联合视察、委托视察和界别活动）")
    press(Qt.Key.Key_Return)
    assert line + 12 < table.rowHeight(0) <= 2 * line + 12
    for _ in range(5):
        press(Qt.Key.Key_Return, CTRL)
    assert table.rowCount() == 6
    assert table.rowViewportPosition(5) + table.rowHeight(5) <= table.viewport().height()
    # the cells are drawn by the table itself: nothing laid over them that could stand apart
    # from its row (or from the row's number)
    assert all(table.indexWidget(table.model().index(r, c)) is None
               for r in range(table.rowCount()) for c in range(table.columnCount()))
    header = table.verticalHeader()
    assert [header.sectionViewportPosition(r) for r in range(6)] == [table.rowViewportPosition(r) for r in range(6)]


# -- 2. and 3. Ctrl+V at the selected cell, as in a spreadsheet


FOUR_ROWS = ("组织视察调研次数\t≥\t12\t次\r\n提案按时办复率\t≥\t100\t%\r\n"
             "委员培训覆盖率\t≥\t90\t%\r\n履职服务人均成本\t≤\t1800\t元\r\n")


def test_rows_pasted_at_a_cell_of_an_empty_row_fill_it_and_go_on_below(qtbot, window):
    wizard = new_project(window)
    editor = table_editor(qtbot, wizard)
    QTest.mouseClick(editor.add_button, LEFT)
    click_cell(editor, 0, "name")
    paste(editor, FOUR_ROWS)
    assert editor.table.rowCount() == 4  # rows added only for the three that did not fit
    assert [row["name"] for row in editor.raw] == ["组织视察调研次数", "提案按时办复率", "委员培训覆盖率", "履职服务人均成本"]
    assert [(row["kind"], row["target"], row["unit"]) for row in editor.raw] == [
        ("≥", "12", "次"), ("≥", "100", "%"), ("≥", "90", "%"), ("≤", "1800", "元")]
    assert all(row["level1"] == "" and row["actual"] == "" for row in editor.raw)
    assert all(notes(editor, r).text() == "4 项未填" for r in range(4))  # 一级, 二级, 实际完成值, 分值
    # the same again, two cells wide, at 一级指标 of row 3: rows 3 and 4 filled, none added
    click_cell(editor, 2, "level1")
    paste(editor, "产出指标\t质量指标\n产出指标\t成本指标\n")
    assert editor.table.rowCount() == 4
    assert [(row["level1"], row["level2"]) for row in editor.raw[2:]] == [("产出指标", "质量指标"), ("产出指标", "成本指标")]
    wizard.flush()
    assert [row["name"] for row in wizard.session.values["indicators"]][3] == "履职服务人均成本"


def test_ctrl_v_puts_one_value_into_the_selected_cell(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 2, "actual")
    paste(editor, "81\r\n")  # one cell copied from Excel
    assert editor.raw[2]["actual"] == "81" and scores(editor)[2] == "9.00"
    assert editor.table.rowCount() == 9
    # while the cell is edited, the value goes in at the cursor
    click_cell(editor, 2, "unit")
    press(Qt.Key.Key_F2)
    press(Qt.Key.Key_End)
    paste(editor, "（人次）")
    press(Qt.Key.Key_Return)
    assert editor.raw[2]["unit"] == "%（人次）"
    # one value into each of the selected cells
    click_cell(editor, 0, "reason")
    QTest.mouseClick(editor.table.viewport(), LEFT, Qt.KeyboardModifier.ShiftModifier, point(editor, 2, "reason"))
    paste(editor, "无")
    assert [editor.raw[r]["reason"] for r in range(3)] == ["无", "无", "无"]


def test_a_paste_that_would_replace_filled_cells_asks_first(qtbot, window, asked):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 0, "target")
    paste(editor, "13\t场\n")
    assert "2 个已填的格子" in asked["confirm"][0]
    assert (editor.raw[0]["target"], editor.raw[0]["unit"]) == ("13", "场")


# -- 4. Ctrl+V on a list cell, its list open or not


def test_ctrl_v_on_an_open_list_takes_the_value_when_it_is_one_of_the_choices(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    box = open_list(editor, 0, "level1")
    QGuiApplication.clipboard().setText("效益指标")
    list_key(box, Qt.Key.Key_V, CTRL)
    assert editor.raw[0]["level1"] == "效益指标"
    assert editor.raw[0]["level2"] == ""  # 数量指标 is no 效益指标
    assert editor.table.indexWidget(editor.table.model().index(0, 0)) is None and focused() is editor.table
    # a choice cell that is only selected
    click_cell(editor, 0, "level2")
    paste(editor, "社会效益指标")
    assert editor.raw[0]["level2"] == "社会效益指标"
    click_cell(editor, 1, "kind")
    paste(editor, ">=")  # as typed in Excel
    assert editor.raw[1]["kind"] == "≥"


def test_a_value_a_list_does_not_offer_is_refused_and_the_choices_named(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 1, "level1")
    paste(editor, "产出")
    assert editor.raw[1]["level1"] == "产出指标"  # unchanged
    assert editor.status.text() == "第 2 行「一级指标」应为产出指标、效益指标、满意度指标之一，收到“产出”，未填入。"
    box = open_list(editor, 1, "level2")
    QGuiApplication.clipboard().setText("服务对象满意度指标")
    list_key(box, Qt.Key.Key_V, CTRL)
    assert editor.raw[1]["level2"] == "数量指标"
    assert "在一级指标为“产出指标”时应为数量指标、质量指标、时效指标、成本指标之一" in editor.status.text()
    # rows pasted with one wrong cell: the others are written
    click_cell(editor, 8, "level1")
    paste(editor, "满意度\t服务对象满意度指标\t来访群众满意度\n")
    assert editor.raw[8]["level1"] == "满意度指标" and editor.raw[8]["name"] == "来访群众满意度"
    assert "收到“满意度”" in editor.status.text()


# -- 5. Tab goes to the next column, after a choice made with Enter too


def test_tab_after_a_choice_made_with_enter_goes_to_the_next_column_and_typing_edits_it(qtbot, window):
    wizard = new_project(window)
    editor = table_editor(qtbot, wizard)
    QTest.mouseClick(editor.add_button, LEFT)
    box = open_list(editor, 0, "level1")
    list_key(box, Qt.Key.Key_Down)
    list_key(box, Qt.Key.Key_Return)
    assert editor.raw[0]["level1"] == "产出指标" and focused() is editor.table
    press(Qt.Key.Key_Tab)
    assert where(editor) == (0, "level2")
    type_here("数")  # the list's entry that starts so
    press(Qt.Key.Key_Tab)
    assert editor.raw[0]["level2"] == "数量指标" and where(editor) == (0, "name")
    type_here("组织视察调研次数")
    press(Qt.Key.Key_Tab)
    assert editor.raw[0]["name"] == "组织视察调研次数" and where(editor) == (0, "kind")
    press(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the list of 指标性质, opened from the keyboard
    box = editor.table.indexWidget(editor.table.currentIndex())
    assert box.view().isVisible()
    list_key(box, Qt.Key.Key_Down)
    list_key(box, Qt.Key.Key_Tab)  # takes the entry and goes on
    assert editor.raw[0]["kind"] == "≥" and where(editor) == (0, "target")
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # Shift+Tab, as the keyboard sends it
    assert where(editor) == (0, "kind")
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert where(editor) == (0, "name") and editor.raw[0]["name"] == "组织视察调研次数"


def test_a_row_filled_with_the_keyboard_alone(qtbot, window, asked):
    wizard = new_project(window)
    editor = table_editor(qtbot, wizard)
    editor.add_button.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Space)  # 添加一行: the first cell of the new row
    assert focused() is editor.table and where(editor) == (0, "level1")
    press(Qt.Key.Key_Return)  # Enter opens the list
    assert editor.table.indexWidget(editor.table.currentIndex()).view().isVisible()
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)  # …and takes the entry
    assert editor.raw[0]["level1"] == "产出指标" and focused() is editor.table
    for key, text in (("level2", "数"), ("name", "组织视察调研次数"), ("kind", ">"), ("target", "12"),
                      ("unit", "次"), ("actual", "14"), ("weight", "10")):
        press(Qt.Key.Key_Tab)
        assert where(editor) == (0, key)
        type_here(text)
    press(Qt.Key.Key_Tab)
    assert where(editor) == (0, "score")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    assert where(editor) == (0, "reason")
    press(Qt.Key.Key_Return)
    assert editor.raw[0] == {"level1": "产出指标", "level2": "数量指标", "name": "组织视察调研次数", "kind": "≥",
                             "target": "12", "unit": "次", "actual": "14", "weight": "10", "score": "",
                             "applicable": True, "reason": ""}
    assert scores(editor) == ["10.00"] and notes(editor, 0).text() == ""
    assert "共 1 行，得分合计 10.00" in editor.summary.text()
    # a second row: added, pasted whole, its reason typed
    press(Qt.Key.Key_Return, CTRL)
    assert where(editor) == (1, "level1")
    paste(editor, "产出指标\t质量指标\t提案按时办复率\t≥\t100\t%\t95\t10\n")
    assert scores(editor) == ["10.00", "9.50"] and notes(editor, 1).text() == "1 个问题"
    assert "得分合计 19.50" in editor.summary.text()
    while where(editor)[1] != "reason":
        press(Qt.Key.Key_Tab)
    type_here("个别提案涉及多个部门，会商时间较长。")
    press(Qt.Key.Key_Return)
    assert editor.raw[1]["reason"] == "个别提案涉及多个部门，会商时间较长。" and notes(editor, 1).text() == ""
    press(Qt.Key.Key_Tab)  # past the last cell: out of the table
    assert not editor.table.isAncestorOf(focused()) and focused() is not editor.table
    # the first row deleted
    editor.table.setFocus(Qt.FocusReason.BacktabFocusReason)
    press(Qt.Key.Key_Up)
    assert where(editor)[0] == 0
    press(Qt.Key.Key_Delete, CTRL)
    assert "组织视察调研次数" in asked["confirm"][-1]
    assert [row["name"] for row in editor.raw] == ["提案按时办复率"]
    assert scores(editor) == ["9.50"] and "共 1 行，得分合计 9.50" in editor.summary.text()
    wizard.flush()
    assert [row["name"] for row in wizard.session.values["indicators"]] == ["提案按时办复率"]
    assert wizard.session.evaluation.scores["output"].score == Decimal("9.50")


def test_tab_on_the_last_cell_being_edited_leaves_the_table(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 8, "reason")
    press(Qt.Key.Key_F2)
    press(Qt.Key.Key_Tab)
    assert not editor.table.isAncestorOf(focused()) and focused() is not editor.table


def test_a_final_report_shows_its_rows_read_only(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    editor.set_read_only(True)
    click_cell(editor, 0, "name")
    type_here("x")
    paste(editor, "改过的名称")
    press(Qt.Key.Key_Delete)
    assert editor.raw[0]["name"] == "组织委员视察调研活动"
    QTest.mouseClick(editor.table.viewport(), LEFT, pos=point(editor, 0, "level1", arrow=True))
    assert editor.table.indexWidget(editor.table.model().index(0, 0)) is None


def test_typing_through_a_composing_input_method_goes_into_the_cell(qtbot, window):
    """A Chinese input method shows the composition (pinyin) first, then commits the phrase."""
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 0, "name")
    for preedit, committed in (("zu", ""), ("zuzhi", ""), ("", "组织委员视察")):
        event = QInputMethodEvent(preedit, [])
        event.setCommitString(committed)
        QApplication.sendEvent(focused(), event)
        settle()
    press(Qt.Key.Key_Return)
    assert editor.raw[0]["name"] == "组织委员视察"
    click_cell(editor, 1, "level1")  # a list cell: the phrase picks the entry it starts
    commit(focused(), "效")
    settle()
    press(Qt.Key.Key_Return)
    assert editor.raw[1]["level1"] == "效益指标"


def test_cells_copied_with_ctrl_c_paste_back_as_they_were(qtbot, window):
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    click_cell(editor, 3, "level1")
    QTest.mouseClick(editor.table.viewport(), LEFT, Qt.KeyboardModifier.ShiftModifier, point(editor, 4, "name"))
    press(Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == ("产出指标\t时效指标\t履职经费拨付及时性\n"
                                                  "产出指标\t成本指标\t人均履职服务成本\n")
    press(Qt.Key.Key_Return, CTRL)
    press(Qt.Key.Key_V, CTRL)
    assert [(row["level2"], row["name"]) for row in editor.raw[9:]] == [
        ("时效指标", "履职经费拨付及时性"), ("成本指标", "人均履职服务成本")]


def test_excel_quotes_a_cell_that_holds_a_line_break():
    assert clipboard_grid('产出指标\t"第一段\n第二段"\t"说""明"\r\n效益指标\t\t\r\n') == [
        ["产出指标", "第一段\n第二段", '说"明'], ["效益指标", "", ""]]
    assert clipboard_grid("81\r\n") == [["81"]]
    assert clipboard_grid("a\n\nb\n") == [["a"], [""], ["b"]]  # an empty cell in one column
    assert clipboard_grid('"x"\n\nb\n') == [["x"], [""], ["b"]]
    assert clipboard_grid("") == []


def test_a_row_with_only_its_level_one_chosen_is_one_indicator_not_scored_everywhere(qtbot, window):
    """The line above the rows, the score panel and the evaluation state the same sum and
    count; the total is the plain sum of what is scored, not rescaled."""
    wizard = open_project(window)
    editor = table_editor(qtbot, wizard)
    assert editor.summary.text() == "共 9 行，得分合计 82.92"
    QTest.mouseClick(editor.add_button, LEFT)
    click_cell(editor, 9, "level1")
    paste(editor, "产出指标")
    assert editor.raw[9]["level1"] == "产出指标"
    assert editor.summary.text() == "共 10 行，得分合计 82.92（尚有 1 项指标未评分）"
    wizard.flush()
    evaluation = wizard.session.evaluation
    assert (evaluation.total, evaluation.subtotals["output"], evaluation.unscored_count) == (
        Decimal("92.42"), Decimal("48.32"), 1)
    qtbot.waitUntil(lambda: wizard.score_panel.total.text() == "已评 92.42", timeout=2000)
    assert wizard.score_panel.unscored.text() == "1"


def test_the_rows_findings_under_the_table_are_one_line_not_one_per_empty_cell(qtbot, window):
    """Each row's problems are in its 提示 cell; under the table one line names the rows."""
    wizard = new_project(window)
    editor = table_editor(qtbot, wizard)
    for _ in range(3):
        QTest.mouseClick(editor.add_button, LEFT)
    wizard.flush()
    wizard.refresh()
    row = wizard.current_view().rows[editor.field.id]
    lines = row.message.text().splitlines()
    assert lines[0] == f"✖ 「{editor.field.label}」第 1、2、3 行尚未填完或有问题，见各行的“提示”列。"
    assert not [line for line in lines if "行「" in line]  # no longer a line per empty cell: 第 1 行「一级指标」…
