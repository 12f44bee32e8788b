"""Validation, moving between pages with errors, the review page, finalising,
reopening, keyboard habits and the live score — all through real widgets."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton, QToolButton

from selfeval.navigation import PageState
from selfeval.ui.field_widgets import LongTextEditor

from human_input import replace_text, type_text
from test_wizard_typing import click_page, leave

EXPLANATION = "超编人员系历史遗留，已结合退休逐步消化。"


def open_demo(window):
    window.do_action("demo")
    return window.wizard


def stored(window, field_id):
    report = window.workspace.open_report(window.wizard.session.report_id)
    return report.values.get(field_id)


def test_empty_database_offers_new_report_and_the_demo(qtbot, window):
    assert window.report_list.stack.currentWidget() is window.report_list.empty
    demo = window.report_list.findChild(QPushButton, "empty-demo")
    QTest.mouseClick(demo, Qt.MouseButton.LeftButton)
    assert window.wizard is not None
    assert window.wizard.score_panel.total.text() == "96.67"
    QTest.mouseClick(window.wizard.back_to_list, Qt.MouseButton.LeftButton)
    assert window.wizard is None
    table = window.report_list.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in (0, 1, 3, 4, 5)] == [
        "政协乐昌市委员会机关（示例）", "2022", "草稿", "96.67", "优"]


def test_bad_input_shows_a_message_keeps_the_text_and_stores_nothing(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.finance")
    row = wizard.current_view().rows["income.total"]
    line = row.editor.focusProxy()
    replace_text(line, "六百多")
    assert not row.message.isVisible()  # nothing shown while typing
    leave(qtbot)
    assert row.message.isVisible() and "收入合计" in row.message.text()
    assert line.text() == "六百多"
    assert wizard.session.values["income.total"] == Decimal("628.76")
    wizard.flush()
    assert stored(window, "income.total") == Decimal("628.76")
    assert wizard.page_list.states["basic.finance"] is PageState.ERRORS
    # moving on is never blocked; the problem is named at the bottom
    QTest.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.navigator.current.id == "basic.goals"
    assert "收入合计" in wizard.notice.text()
    QTest.mouseClick(wizard.back_button, Qt.MouseButton.LeftButton)
    replace_text(line, "628.76")
    leave(qtbot)
    assert not row.message.isVisible()
    assert wizard.page_list.states["basic.finance"] is PageState.COMPLETE


def test_cross_field_error_is_shown_on_the_page_and_jump_works(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.finance")
    line = wizard.editor("income.basic").focusProxy()
    replace_text(line, "500")
    leave(qtbot)
    view = wizard.current_view()
    # under the first of its fields, where it stays put (not in a box above the form)
    assert not view.findings.isVisible()
    message = view.rows["income.total"].message
    assert message.isVisible() and "不等于基本支出收入与项目支出收入之和" in message.text()
    click_page(qtbot, wizard, "review")
    review = wizard.current_view()
    go = review.findChild(QPushButton, "go:income_sum")
    QTest.mouseClick(go, Qt.MouseButton.LeftButton)
    assert wizard.navigator.current.id == "basic.finance"
    assert QApplication.focusWidget() is wizard.editor("income.basic").focusProxy() or \
        wizard.editor(wizard.session.evaluation.errors[0].fields[0]).focusProxy() is QApplication.focusWidget()


def test_money_shows_separators_when_not_editing_and_takes_pasted_units(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.finance")
    line = wizard.editor("budget.project").focusProxy()
    replace_text(line, "1,234.56万元")
    leave(qtbot)
    assert line.text() == "1,234.56"
    assert wizard.session.values["budget.project"] == Decimal("1234.56")
    replace_text(line, "")
    type_text(line, "１２３４５６７")
    leave(qtbot)
    assert line.text() == "1,234,567.00"
    QTest.mouseClick(line, Qt.MouseButton.LeftButton)
    assert line.text() == "1234567.00"


def test_live_score_follows_each_keystroke(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "analysis.budget_prep")
    line = wizard.editor("score.bp_rationality").focusProxy()
    QTest.mouseClick(line, Qt.MouseButton.LeftButton)
    QTest.keyClick(line, Qt.Key.Key_Backspace)  # "5" → ""
    qtbot.waitUntil(lambda: wizard.score_panel.unscored.text() == "1", timeout=150)
    QTest.keyClicks(line, "4")
    qtbot.waitUntil(lambda: wizard.score_panel.total.text() == "95.67", timeout=150)
    block = wizard.current_view().blocks["bp_rationality"]
    assert "得分 4.00 / 5" in block.result.text()  # the score with two decimals, the weight as headed
    # below full marks a reason is required, and it already has none
    wizard.flush()
    assert wizard.score_panel.errors.text() == "1"
    assert "扣分原因" in block.problem.text()
    leave(qtbot)
    QTest.mouseClick(line, Qt.MouseButton.LeftButton)
    QTest.keyClick(line, Qt.Key.Key_End)
    QTest.keyClicks(line, "9")  # 49 > the weight: refused, not stored
    leave(qtbot)
    assert line.text() == "49"
    assert wizard.session.values["score.bp_rationality"] == Decimal("4")
    assert "score.bp_rationality" in wizard.session.parse_errors


def test_long_text_counts_characters_and_enter_makes_a_new_line(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "conclusion")
    editor = wizard.editor("conclusion")
    assert isinstance(editor, LongTextEditor)
    replace_text(editor.focusProxy(), "第一段\n第二段")
    assert editor.text() == "第一段\n第二段"
    assert editor.count.text().startswith("7 ")


def test_keyboard_enter_moves_on_and_page_keys_turn_pages(qtbot, window):
    wizard = open_demo(window)
    first = wizard.editor("unit.name").focusProxy()
    QTest.mouseClick(first, Qt.MouseButton.LeftButton)
    QTest.keyClick(first, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is wizard.editor("unit.credit_code").focusProxy()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
    assert wizard.navigator.current.id == "basic.finance"
    QTest.keyClick(wizard.current_view(), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert wizard.navigator.current.id == "basic.goals"
    QTest.keyClick(wizard.current_view(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(wizard.current_view(), Qt.Key.Key_PageUp)
    assert wizard.navigator.current.id == "basic.overview"


def test_explain_warnings_finalise_then_reopen_with_a_reason(qtbot, window, asked):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "review")
    review = wizard.current_view()
    finalize = review.finalize_button
    assert not finalize.isEnabled() and "警告未说明" in review.problems.text()
    box = review.findChild(QPlainTextEdit, "explain:staff_control_over")
    QTest.mouseClick(box.viewport(), Qt.MouseButton.LeftButton)
    type_text(box, EXPLANATION)
    qtbot.waitUntil(finalize.isEnabled, timeout=500)
    QTest.mouseClick(finalize, Qt.MouseButton.LeftButton)
    assert wizard.session.final
    assert window.workspace.store.report(wizard.session.report_id).status == "final"
    assert window.workspace.store.explanations(wizard.session.report_id) == {"staff_control_over": EXPLANATION}
    assert wizard.banner.text() and wizard.reopen_button.isVisible()
    click_page(qtbot, wizard, "basic.overview")
    assert wizard.editor("unit.name").focusProxy().isReadOnly()
    asked["texts"].append("财政局退回修改")
    QTest.mouseClick(wizard.reopen_button, Qt.MouseButton.LeftButton)
    assert not wizard.session.final
    assert not wizard.editor("unit.name").focusProxy().isReadOnly()
    trail = window.workspace.store.audit_trail(wizard.session.report_id)
    assert any(entry.note and "财政局退回修改" in entry.note for entry in trail)


def test_edits_are_stored_within_a_second_and_on_close(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.goals")
    box = wizard.editor("goals.summary").focusProxy()
    replace_text(box, "本年度目标")
    qtbot.waitUntil(lambda: stored(window, "goals.summary") == "本年度目标", timeout=1000)
    type_text(box, "全部完成")
    report_id = wizard.session.report_id
    window.close()
    assert window.workspace.open_report(report_id).values["goals.summary"] == "本年度目标全部完成"


def test_lines_editor_add_move_remove(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.goals")
    editor = wizard.editor("goals.tasks")
    count = len(editor.rows)
    QTest.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    type_text(editor.rows[-1].line, "新增任务")
    move_up = [b for b in editor.rows[-1].findChildren(QToolButton) if b.text() == "↑"][0]
    QTest.mouseClick(move_up, Qt.MouseButton.LeftButton)
    assert wizard.session.values["goals.tasks"][count - 1] == "新增任务"
    remove = [b for b in editor.rows[count - 1].findChildren(QToolButton) if b.text() == "✕"][0]
    QTest.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert "新增任务" not in wizard.session.values["goals.tasks"]
    assert len(wizard.session.values["goals.tasks"]) == count


def test_date_from_the_calendar_or_typed_in_chinese(qtbot, window):
    from datetime import date

    from PySide6.QtCore import QDate

    wizard = open_demo(window)
    click_page(qtbot, wizard, "signoff")
    editor = wizard.editor("report.fill_date")
    editor.menu.aboutToShow.emit()
    assert editor.calendar.selectedDate() == QDate(2023, 1, 15)
    editor.calendar.clicked.emit(QDate(2023, 2, 1))
    assert wizard.session.values["report.fill_date"] == date(2023, 2, 1)
    assert editor.line.text() == "2023年2月1日"
    replace_text(editor.line, "2023年2月30日")
    leave(qtbot)
    assert "2月没有30日" in wizard.current_view().rows["report.fill_date"].message.text()
    assert wizard.session.values["report.fill_date"] == date(2023, 2, 1)


# -- the side list of pages

def test_the_page_list_shows_the_heading_of_each_chapter_of_several_pages(qtbot, window):
    """（一）预算编制情况 … （四）加减分项 sit under 三、绩效分析, not under 二、自评结论."""
    wizard = open_demo(window)
    pages = wizard.page_list
    texts = [pages.item(row).text().strip() for row in range(pages.count())]
    assert texts[:10] == ["一、部门的基本情况", "（一）部门整体概况", "（二）部门整体收支情况", "（三）部门整体支出目标及任务",
                          "二、自评结论", "三、绩效分析", "（一）预算编制情况", "（二）预算执行情况", "（三）资金使用效益",
                          "（四）加减分项"]
    headings = [row for row in range(pages.count()) if pages.page_at(row) is None]
    assert [texts[row] for row in headings] == ["一、部门的基本情况", "三、绩效分析"]
    assert len(texts) == len(wizard.navigator.pages) + 2
    for row in headings:  # a heading is no page: it cannot be chosen, and is drawn bold, not greyed
        item = pages.item(row)
        assert not item.flags() & (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
        assert item.font().bold() and item.foreground().color() == pages.palette().text().color()
    assert pages.item(pages.page_rows[wizard.navigator.index_of("analysis.budget_prep")]).text().startswith("  ")


def test_the_arrow_keys_and_the_mouse_pass_the_headings_by(qtbot, window):
    wizard = open_demo(window)
    pages = wizard.page_list
    click_page(qtbot, wizard, "conclusion")
    pages.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.keyClick(pages, Qt.Key.Key_Down)
    assert wizard.navigator.current.id == "analysis.budget_prep"
    QTest.keyClick(pages, Qt.Key.Key_Up)
    assert wizard.navigator.current.id == "conclusion"
    QTest.keyClick(pages, Qt.Key.Key_End)
    assert wizard.navigator.current.id == "export"
    QTest.keyClick(pages, Qt.Key.Key_Home)  # the first row is the heading 一、部门的基本情况
    assert wizard.navigator.current.id == "basic.overview"
    heading = pages.item(pages.page_rows[wizard.navigator.index_of("analysis.budget_prep")] - 1)
    assert heading.text() == "三、绩效分析"
    QTest.mouseClick(pages.viewport(), Qt.MouseButton.LeftButton, pos=pages.visualItemRect(heading).center())
    assert wizard.navigator.current.id == "basic.overview"
    assert pages.currentRow() == pages.page_rows[0]
