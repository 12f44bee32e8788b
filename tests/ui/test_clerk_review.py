"""What a clerk's review of the wizard asked for, through real widgets: no
red before anything is typed, an error count that agrees with the page list,
a notice on texts carried over from last year, one 重新打开, a placeholder
that follows the kind of 加减分项, and Ctrl+O on the report list."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from selfeval.navigation import PageState
from selfeval.ui.new_report import NewReport

from human_input import replace_text
from test_wizard_typing import choose, click_page

UNIT = "政协乐昌市委员会机关"
DUTIES_MISSING = "「部门主要职责」为必填项，尚未填写。"


def focused():
    return QApplication.focusWidget()


def press(key, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(focused(), key, modifier)


def new_report(window, monkeypatch, unit="乐昌市财政局", year=2023, from_previous=False):
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _parent, _ws: NewReport("gd-dept-overall", unit, year, from_previous))
    window.do_action("new")
    return window.wizard


def message(wizard, field_id: str) -> QLabel:
    view = wizard.view(wizard.navigator.page_of_field(field_id).id)
    return view.rows[field_id].message


def test_required_fields_are_shown_once_left_and_the_counts_agree(qtbot, window, monkeypatch):
    wizard = new_report(window, monkeypatch)
    states = wizard.page_list.states
    assert PageState.ERRORS not in states.values()
    assert states["basic.overview"] is PageState.IN_PROGRESS and states["basic.finance"] is PageState.NOT_STARTED
    assert not message(wizard, "unit.duties").isVisible()
    assert not wizard.current_view().findings.isVisible()
    errors = wizard.score_panel.errors.text()
    # 11 required fields, 28 indicators unscored for blanks: all on pages not yet left
    assert errors == "39（其中 39 项在尚未填完的页面）"

    # Tab out of 部门主要职责 without typing: the message appears under it, and only there
    wizard.editor("unit.duties").focusProxy().setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: message(wizard, "unit.duties").isVisible())
    assert message(wizard, "unit.duties").text() == "✖ " + DUTIES_MISSING
    assert not message(wizard, "unit.subordinates").isVisible()
    assert wizard.page_list.states["basic.overview"] is PageState.ERRORS
    assert wizard.score_panel.errors.text() == "39（其中 38 项在尚未填完的页面）"

    # PgDn leaves the page: the rest of its required fields count now
    press(Qt.Key.Key_PageDown)
    assert wizard.navigator.current.id == "basic.finance"
    assert DUTIES_MISSING in wizard.notice.text()
    assert wizard.page_list.states["basic.finance"] is PageState.NOT_STARTED
    assert not message(wizard, "income.total").isVisible()
    # and so does the unscored 财政供养人员控制率, whose 编制数 were left blank there
    assert wizard.score_panel.errors.text() == "39（其中 35 项在尚未填完的页面）"
    press(Qt.Key.Key_PageUp)
    assert message(wizard, "unit.subordinates").isVisible()
    assert message(wizard, "staff.in_service_total").isVisible()
    # the errors the panel counts apart are exactly those on pages not marked red
    states = wizard.page_list.states
    red = {page for page, state in states.items() if state is PageState.ERRORS}
    assert red == {"basic.overview", "basic.finance", "review"}
    hidden = wizard.navigator.hidden_errors(wizard.session.evaluation)
    assert all(any(wizard.navigator.page_of_field(fid).id not in red for fid in f.fields) for f in hidden)
    assert wizard.score_panel.errors.text() == f"39（其中 {len(hidden)} 项在尚未填完的页面）"

    # the review page lists everything, whichever pages were visited
    click_page(qtbot, wizard, "review")
    review = wizard.current_view()
    assert len(review.rows) == 40 and "错误 39 项" in review.summary.text()
    assert "unscored.sm_staff_control" in review.rows  # a blank an indicator needs is an error
    assert "signoff_blank" in review.rows  # and the blank sign-off as a warning


def test_texts_carried_over_from_last_year_carry_a_notice_until_changed(qtbot, window, monkeypatch):
    window.do_action("demo")  # the 2022 report
    wizard = new_report(window, monkeypatch, unit=UNIT, year=2023, from_previous=True)
    view = wizard.current_view()
    notice = "本页部分内容从 2022 年度报告转入，请逐项核对修改。"
    assert view.carried.isVisible() and view.carried.text() == notice
    rows = view.rows
    assert rows["unit.duties"].carried.isVisible() and rows["unit.subordinates"].carried.isVisible()
    assert not rows["unit.name"].carried.isVisible()  # the unit's name is no text to rewrite
    click_page(qtbot, wizard, "basic.finance")
    assert not wizard.current_view().carried.isVisible()  # nothing carried there
    click_page(qtbot, wizard, "basic.overview")
    replace_text(wizard.editor("unit.duties").focusProxy(), "主要负责本年度新的职责。")
    qtbot.waitUntil(lambda: not rows["unit.duties"].carried.isVisible())
    assert view.carried.isVisible()  # 下属单位 still reads as last year's
    replace_text(wizard.editor("unit.subordinates").focusProxy(), "无下属单位。")
    qtbot.waitUntil(lambda: not view.carried.isVisible())
    click_page(qtbot, wizard, "conclusion")
    assert wizard.current_view().carried.text() == notice


def test_a_new_report_not_carried_over_has_no_notice(qtbot, window, monkeypatch):
    wizard = new_report(window, monkeypatch)
    assert not wizard.current_view().carried.isVisible()


def test_the_description_example_follows_the_kind(qtbot, window):
    window.do_action("demo")
    wizard = window.wizard
    click_page(qtbot, wizard, "analysis.adjustments")
    editor = wizard.editor("adjustments")
    QTest.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    row = editor.rows[-1]
    kinds = [row.kind.itemText(i) for i in range(row.kind.count())]
    choose(row.kind, kinds.index("批评问责"))
    assert row.description.placeholderText() == "说明，例如：被市财政局通报批评预算执行进度滞后"
    choose(row.kind, kinds.index("表彰"))
    assert row.description.placeholderText() == "说明，例如：被评为献血先进单位"


def test_ctrl_o_opens_the_chosen_report_and_tooltips_name_the_keys(qtbot, window):
    window.do_action("demo")
    QTest.mouseClick(window.wizard.back_to_list, Qt.MouseButton.LeftButton)
    report_list = window.report_list
    assert "Ctrl+O" in report_list.buttons["open"].toolTip()
    assert "Ctrl+N" in report_list.buttons["new"].toolTip()
    assert focused() is report_list.table
    press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.wizard is not None
    assert window.wizard.session.info.unit_name == UNIT
    assert "PgDn" in window.wizard.next_button.toolTip()


def test_ctrl_o_belongs_to_the_list_not_to_the_wizard_over_it(qtbot, window):
    window.do_action("demo")
    wizard = window.wizard
    wizard.focus_page()
    press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.wizard is wizard  # the hidden list did not open its chosen report again
    assert window.stack.currentWidget() is wizard
