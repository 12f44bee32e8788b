"""Computed values and rate workings shown read-only beside their inputs:
live while typing, muted, and skipped by Tab."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from selfeval.navigation import ComputedItem, RateItem
from selfeval.ui.field_row import MUTED

from human_input import replace_text
from test_wizard_typing import click_page, leave


def open_demo(qtbot, window, page_id):
    window.do_action("demo")
    wizard = window.wizard
    click_page(qtbot, wizard, page_id)
    return wizard, wizard.current_view()


def test_authorized_total_follows_typing_in_the_authorized_numbers(qtbot, window):
    wizard, view = open_demo(qtbot, window, "basic.overview")
    row = view.shown[ComputedItem("staff.authorized_total")]
    assert row.text() == "编制数合计：19 人"
    assert MUTED in row.label.styleSheet() and MUTED in row.value.styleSheet()
    line = wizard.editor("staff.authorized_admin").focusProxy()
    replace_text(line, "20")
    # while the field still has the focus, on every keystroke
    qtbot.waitUntil(lambda: row.text() == "编制数合计：22 人", timeout=2000)
    assert line.hasFocus()
    replace_text(line, "")
    qtbot.waitUntil(lambda: row.text() == "编制数合计：待填写：行政编制数", timeout=2000)
    replace_text(line, "17")
    leave(qtbot)
    qtbot.waitUntil(lambda: row.text() == "编制数合计：19 人", timeout=2000)


def test_procurement_rate_is_worked_out_under_the_two_amounts(qtbot, window):
    wizard, view = open_demo(qtbot, window, "analysis.budget_exec")
    row = view.shown[RateItem("fm_procurement_rate")]
    planned = wizard.editor("procurement.planned").focusProxy()
    actual = wizard.editor("procurement.actual").focusProxy()
    for line in (planned, actual):
        replace_text(line, "")
        leave(qtbot)
    qtbot.waitUntil(lambda: row.value.text() == "待填写：政府采购计划金额、政府采购实际金额", timeout=2000)
    replace_text(planned, "94.55")
    leave(qtbot)
    qtbot.waitUntil(lambda: row.value.text() == "待填写：政府采购实际金额", timeout=2000)
    replace_text(actual, "93.12")
    qtbot.waitUntil(lambda: row.text() == "政府采购执行率：93.12 ÷ 94.55 = 98.49%", timeout=2000)
    leave(qtbot)
    assert row.value.text().endswith("= 98.49%")
    replace_text(planned, "12345.6")
    replace_text(actual, "12159.06")
    qtbot.waitUntil(lambda: row.value.text() == "12,159.06 ÷ 12,345.60 = 98.49%", timeout=2000)
    for line in (planned, actual):
        replace_text(line, "0")
    qtbot.waitUntil(lambda: row.value.text() == "无此类事项，按满分计", timeout=2000)


def test_sangong_sums_update_in_their_block(qtbot, window):
    wizard, view = open_demo(qtbot, window, "analysis.effectiveness")
    budget_sum = view.shown[ComputedItem("sangong.budget.sum")]
    amount = view.shown[ComputedItem("sangong.budget.amount")]
    assert budget_sum.text() == "“三公”预算三项之和：9.40 万元"
    assert view.blocks["ec_sangong"].shown[ComputedItem("sangong.budget.sum")] is budget_sum
    replace_text(wizard.editor("sangong.budget.reception").focusProxy(), "1002")
    qtbot.waitUntil(lambda: budget_sum.text() == "“三公”预算三项之和：1,009.40 万元", timeout=2000)
    assert amount.text() == "“三公”经费预算数：1,009.40 万元"


def test_tab_skips_the_read_only_rows(qtbot, window):
    wizard, view = open_demo(qtbot, window, "basic.overview")
    row = view.shown[ComputedItem("staff.authorized_total")]
    assert all(w.focusPolicy() == Qt.FocusPolicy.NoFocus for w in (row.label, row.value, row.unit))
    before = wizard.editor("staff.authorized_worker").focusProxy()
    before.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is wizard.editor("staff.in_service_admin").focusProxy()
    # inside an indicator block: from the last 三公 budget item to 预算合计, past the sum
    click_page(qtbot, wizard, "analysis.effectiveness")
    before = wizard.editor("sangong.budget.reception").focusProxy()
    before.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is wizard.editor("sangong.budget.total").focusProxy()
    # and from the last amount past the working of the rate to the narrative
    before = wizard.editor("sangong.actual.total").focusProxy()
    before.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(before, Qt.Key.Key_Tab)
    assert wizard.editor("narrative.ec_sangong").isAncestorOf(QApplication.focusWidget())
