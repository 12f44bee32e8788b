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
    click_page(qtbot, wizard, "basic.finance")
    assert focused() is wizard.page_list
    press(Qt.Key.Key_Tab)
    assert focused() is wizard.editor("income.basic").focusProxy()


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
    wizard.page_list.setCurrentRow(wizard.navigator.index_of("review"))
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
    assert window.report_list.table.item(0, 4).text() == panel == "0.00"  # a score: two decimals
