"""A clerk who never touches the mouse: where the keyboard focus goes when
reports open, pages change, reports are finalised and reopened, and in the
dialogs along the way."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton, QWidget

from selfeval.ui import dialogs
from selfeval.ui.new_report import NewReportDialog

from human_input import type_text
from test_wizard_typing import click_page

EXPLANATION = "超编人员系历史遗留，已结合退休逐步消化。"


def focused():
    return QApplication.focusWidget()


def press(key, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(focused(), key, modifier)


def open_demo_from_the_list(window):
    """Import the demo, go back to the list and open it again with Enter."""
    window.do_action("demo")
    QTest.mouseClick(window.wizard.back_to_list, Qt.MouseButton.LeftButton)
    assert focused() is window.report_list.table
    press(Qt.Key.Key_Return)
    assert window.wizard is not None
    return window.wizard


def test_enter_on_the_report_list_opens_the_report_ready_to_type(qtbot, window):
    wizard = open_demo_from_the_list(window)
    assert focused() is wizard.editor("unit.name").focusProxy()


def test_the_empty_list_starts_on_new_report(qtbot, window):
    assert focused() is window.report_list.findChild(QPushButton, "empty-new")


def test_new_report_dialog_starts_in_the_unit_name(qtbot, window):
    dialog = NewReportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.unit  # what has the keyboard once the dialog is active


def test_page_down_from_a_field_goes_on_in_the_next_page(qtbot, window):
    wizard = open_demo_from_the_list(window)
    wizard.editor("unit.region").focusProxy().setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_PageDown)
    assert wizard.navigator.current.id == "basic.finance"
    assert focused() is wizard.editor("income.basic").focusProxy()
    press(Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert wizard.navigator.current.id == "basic.overview"
    assert focused() is wizard.editor("unit.name").focusProxy()


def test_tab_goes_from_the_last_field_to_next_and_enter_presses_it(qtbot, window):
    wizard = open_demo_from_the_list(window)
    last = wizard.current_view().page.fields[-1]
    wizard.editor(last).focusProxy().setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Tab)  # 上一步 is disabled on the first page
    assert focused() is wizard.next_button
    press(Qt.Key.Key_Return)
    assert wizard.navigator.current.id == "basic.finance"
    assert focused() is wizard.editor("income.basic").focusProxy()


def test_tab_from_the_page_list_lands_on_a_field_not_on_the_page_frame(qtbot, window):
    wizard = open_demo_from_the_list(window)
    wizard.page_list.setFocus(Qt.FocusReason.MouseFocusReason)
    press(Qt.Key.Key_Down)  # chosen with the keyboard: the list keeps the focus, to go on choosing
    assert wizard.navigator.current.id == "basic.finance"
    assert focused() is wizard.page_list
    press(Qt.Key.Key_Tab)
    assert focused() is wizard.editor("income.basic").focusProxy()


def test_a_page_clicked_with_the_mouse_takes_the_focus_into_its_first_field(qtbot, window):
    """Clicked, the page is where the clerk is going to type or paste: focus is in its first field."""
    wizard = open_demo_from_the_list(window)
    click_page(qtbot, wizard, "basic.finance")
    first = wizard.editor("income.basic").focusProxy()
    assert focused() is first and not first.hasSelectedText()
    click_page(qtbot, wizard, "basic.goals")  # a long text first: the cursor after its text
    summary = wizard.editor("goals.summary").focusProxy()
    assert focused() is summary and summary.textCursor().atEnd()
    click_page(qtbot, wizard, "basic.goals")  # the page already shown, clicked again
    assert focused() is summary


def test_opening_a_report_puts_the_cursor_after_the_unit_name_without_selecting_it(qtbot, window):
    wizard = open_demo_from_the_list(window)
    line = wizard.editor("unit.name").focusProxy()
    assert focused() is line
    name = line.text()
    assert not line.hasSelectedText() and line.cursorPosition() == len(name)
    type_text(line, "办公室")  # the first keys typed add to the name instead of replacing it
    assert line.text() == name + "办公室"


# -- Enter from field to field

def test_enter_from_the_last_field_goes_to_next_never_back(qtbot, window):
    """Enter, Enter from the last field of a page goes on to the next page; 上一步 is passed by."""
    wizard = open_demo_from_the_list(window)
    wizard.go_to("basic.finance")
    last = wizard.editor(wizard.current_view().page.fields[-1]).focusProxy()
    last.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Return)
    assert focused() is wizard.next_button
    press(Qt.Key.Key_Return)
    assert wizard.navigator.current.id == "basic.goals"
    # Tab still stops at 上一步 first, where it is on the screen
    last = wizard.editor(wizard.view("basic.finance").page.fields[-1]).focusProxy()
    wizard.go_to("basic.finance")
    last.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Tab)
    assert focused() is wizard.back_button


def test_enter_in_a_list_adds_an_item_and_on_an_empty_last_item_moves_on(qtbot, window):
    wizard = open_demo_from_the_list(window)
    wizard.go_to("basic.goals")
    editor = wizard.editor("goals.tasks")
    count = len(editor.rows)
    editor.rows[0].line.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Return)  # on to the next item
    assert focused() is editor.rows[1].line and len(editor.rows) == count
    editor.rows[-1].line.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Return)  # after the last item: a new one
    assert len(editor.rows) == count + 1 and focused() is editor.rows[-1].line
    type_text(focused(), "编印年度工作简报")
    press(Qt.Key.Key_Return)
    assert len(editor.rows) == count + 2 and focused() is editor.rows[-1].line
    press(Qt.Key.Key_Return)  # an empty last item: dropped, and on past 添加一项
    assert len(editor.rows) == count + 1 and focused() is wizard.next_button
    assert wizard.session.values["goals.tasks"][-1] == "编印年度工作简报"
    press(Qt.Key.Key_Return)
    assert wizard.navigator.current.id == "conclusion"


def test_typing_on_the_add_button_starts_an_item_with_what_was_typed(qtbot, window, monkeypatch):
    from human_input import commit

    wizard = new_report(window, monkeypatch)  # the list of tasks starts empty
    wizard.go_to("basic.goals")
    editor = wizard.editor("goals.tasks")
    editor.add_button.setFocus(Qt.FocusReason.TabFocusReason)
    commit(editor.add_button, "召开")  # a word from the input method
    assert len(editor.rows) == 1 and focused() is editor.rows[0].line
    type_text(focused(), "全会")
    assert editor.rows[0].line.text() == "召开全会"
    editor.add_button.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClicks(editor.add_button, "x")  # a letter
    assert len(editor.rows) == 2 and editor.rows[1].line.text() == "x" and focused() is editor.rows[1].line
    editor.add_button.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Return)  # Enter presses it, as Space does
    assert len(editor.rows) == 3 and focused() is editor.rows[2].line


def test_enter_into_an_empty_list_starts_its_first_item(qtbot, window, monkeypatch):
    from selfeval.ui.field_widgets import move_on

    wizard = new_report(window, monkeypatch)
    wizard.go_to("basic.goals")
    summary = wizard.editor("goals.summary").edit
    summary.setFocus(Qt.FocusReason.TabFocusReason)
    move_on(summary)  # as Enter moves on from a one-line field before a list
    editor = wizard.editor("goals.tasks")
    assert len(editor.rows) == 1 and focused() is editor.rows[0].line
    press(Qt.Key.Key_Return)  # nothing typed: the empty item goes, and on to 下一步
    assert editor.rows == [] and focused() is wizard.next_button


def ring_pixels(widget) -> int:
    """How many pixels of the widget are drawn in the selection colour."""
    image = widget.grab().toImage()
    colour = widget.palette().color(widget.palette().ColorRole.Highlight)
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).rgb() == colour.rgb())


def test_buttons_that_take_the_focus_show_a_mark(qtbot, window, monkeypatch):
    wizard = new_report(window, monkeypatch)
    wizard.go_to("basic.goals")
    editor = wizard.editor("goals.tasks")
    for button in (editor.add_button, wizard.next_button, wizard.back_button):
        wizard.editor("goals.summary").focusProxy().setFocus(Qt.FocusReason.TabFocusReason)
        plain = ring_pixels(button)
        button.setFocus(Qt.FocusReason.TabFocusReason)
        assert focused() is button
        assert ring_pixels(button) > plain + 2 * button.width(), button.text()


def test_tab_runs_through_the_rows_of_a_list_then_to_its_add_button(qtbot, window):
    wizard = open_demo_from_the_list(window)
    click_page(qtbot, wizard, "basic.goals")
    editor = wizard.editor("goals.tasks")
    wizard.editor("goals.summary").focusProxy().setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Tab)
    for row in editor.rows:
        assert focused() is row.line
        press(Qt.Key.Key_Tab)
    assert focused() is editor.add_button


def test_review_page_tab_order_then_finalise_and_reopen_stay_on_the_review_page(qtbot, window, asked):
    wizard = open_demo_from_the_list(window)
    wizard.page_list.setCurrentRow(wizard.page_list.page_rows[wizard.navigator.index_of("review")])
    review = wizard.current_view()
    box = review.findChild(QPlainTextEdit, "explain:staff_control_over")
    box.setFocus(Qt.FocusReason.TabFocusReason)
    type_text(box, EXPLANATION)
    qtbot.waitUntil(review.finalize_button.isEnabled, timeout=500)
    # the findings come before 定稿, as on the screen
    stops = []
    for _ in range(10):
        press(Qt.Key.Key_Tab)
        stops.append(focused())
        if focused() is review.finalize_button:
            break
    assert stops[-1] is review.finalize_button
    assert wizard.next_button not in stops
    press(Qt.Key.Key_Space)
    assert wizard.session.final
    assert wizard.navigator.current.id == "review"
    review = wizard.current_view()
    # 重新打开 once, in the header; the review page says where it is
    assert wizard.reopen_button.isVisible()
    assert [b for b in wizard.findChildren(QPushButton) if b.text() == "重新打开" and b.isVisible()] == [
        wizard.reopen_button]
    assert "右上角的“重新打开”" in review.problems.text()
    asked["texts"].append("财政局退回修改")
    QTest.mouseClick(wizard.reopen_button, Qt.MouseButton.LeftButton)
    assert not wizard.session.final
    assert wizard.navigator.current.id == "review"


def test_reopen_reason_tab_moves_to_the_buttons(qtbot):
    answered = {}
    parent = QWidget()
    qtbot.addWidget(parent)

    def type_reason():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, type_reason)
            return
        box = dialog.findChild(QPlainTextEdit)
        box.setFocus(Qt.FocusReason.OtherFocusReason)
        type_text(box, "财政局审核意见")
        QTest.keyClick(box, Qt.Key.Key_Tab)
        answered["focus"] = dialog.focusWidget()
        if isinstance(answered["focus"], QPushButton):
            QTest.keyClick(answered["focus"], Qt.Key.Key_Return)
        else:
            dialog.reject()

    QTimer.singleShot(0, type_reason)
    reason = dialogs.ask_text(parent, "重新打开", "重新打开的原因：")
    assert isinstance(answered["focus"], QPushButton)
    assert reason == "财政局审核意见"


def new_report(window, monkeypatch):
    from selfeval.ui.new_report import NewReport

    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _parent, _ws: NewReport("gd-dept-overall", "乐昌市财政局", 2023, False))
    window.do_action("new")
    return window.wizard


def test_a_row_added_with_the_keyboard_sits_between_the_field_above_and_the_add_button(qtbot, window, monkeypatch):
    wizard = new_report(window, monkeypatch)  # the list of tasks starts empty
    click_page(qtbot, wizard, "basic.goals")
    editor = wizard.editor("goals.tasks")
    editor.add_button.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Space)
    new_line = editor.rows[-1].line
    assert focused() is new_line
    press(Qt.Key.Key_Tab)
    assert focused() is editor.add_button
    press(Qt.Key.Key_Tab)  # the last thing on the page: on to 上一步 and 下一步
    assert focused() is wizard.back_button
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is editor.add_button
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is new_line
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is wizard.editor("goals.summary").focusProxy()


def test_the_list_shows_the_total_as_the_score_panel_does(qtbot, window, monkeypatch):
    new_report(window, monkeypatch)
    panel = window.wizard.score_panel.total.text()
    QTest.mouseClick(window.wizard.back_to_list, Qt.MouseButton.LeftButton)
    assert window.report_list.table.item(0, 4).text() == panel == "已评 0.00"


def test_no_grade_is_shown_before_every_indicator_is_scored(qtbot, window, monkeypatch):
    """An empty report is not 0 分, 差: the grade waits, as the draft PDF says, and the total reads as a sum so far."""
    wizard = new_report(window, monkeypatch)
    panel = wizard.score_panel
    assert panel.grade.text() == "待评分" and "待全部指标评分后确定" in panel.grade.toolTip()
    assert panel.total.text() == "已评 0.00" and panel.total.toolTip()
    assert panel.unscored.text() != "0"
    QTest.mouseClick(wizard.back_to_list, Qt.MouseButton.LeftButton)
    table = window.report_list.table
    assert [table.item(0, column).text() for column in (4, 5)] == ["已评 0.00", "待评分"]
    assert "待全部指标评分后确定" in table.item(0, 5).toolTip()
    window.do_action("demo")  # every indicator scored: the total and the grade
    panel = window.wizard.score_panel
    assert (panel.total.text(), panel.grade.text()) == ("96.67", "优") and not panel.grade.toolTip()
    window.show_list()
    row = next(row for row in range(table.rowCount()) if table.item(row, 0).text().endswith("（示例）"))
    assert [table.item(row, column).text() for column in (4, 5)] == ["96.67", "优"]


def test_enter_after_the_last_adjustment_goes_on_to_next(qtbot, window, monkeypatch):
    wizard = new_report(window, monkeypatch)
    wizard.go_to("analysis.adjustments")
    editor = wizard.editor("adjustments")
    editor.add_button.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Return)  # 添加一项 pressed: a new item, its kind first
    assert len(editor.rows) == 1 and focused() is editor.rows[0].kind
    press(Qt.Key.Key_Return)
    assert focused() is editor.rows[0].level
    press(Qt.Key.Key_Return)
    assert focused() is editor.rows[0].description
    type_text(focused(), "获市级表彰")
    press(Qt.Key.Key_Return)  # past 添加一项 (Tab stops there to add another) and past 上一步
    assert focused() is wizard.next_button
    assert wizard.session.values["adjustments"][0]["description"] == "获市级表彰"
