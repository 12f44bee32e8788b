"""Text pasted from Word into the window: its line and cell marks become line
breaks and tabs, control characters are refused with a message, sizes are bounded."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from selfeval.ui.field_widgets import LongTextEditor

from test_wizard_behaviour import open_demo, stored
from test_wizard_typing import click_page, leave


def paste(widget, text: str) -> None:
    """Paste ``text`` as the clipboard would hand it over, with Ctrl+V."""
    QApplication.clipboard().setText(text)  # a QMimeData handed to the clipboard would be freed twice at exit
    QTest.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton)
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_word_marks_pasted_into_a_long_text_become_line_breaks_and_tabs(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "conclusion")
    editor = wizard.editor("conclusion")
    assert isinstance(editor, LongTextEditor)
    paste(editor.focusProxy(), "第一段\x0b第二段\r\n表格\x07单元格\x07\x07第三段\x0c")
    assert editor.text() == "第一段\n第二段\n表格\t单元格\n第三段\n"
    leave(qtbot)
    qtbot.waitUntil(lambda: stored(window, "conclusion") == "第一段\n第二段\n表格\t单元格\n第三段",
                    timeout=1000)
    assert "conclusion" not in wizard.session.parse_errors


def test_a_control_character_typed_into_a_field_is_refused_with_its_code(qtbot, window):
    wizard = open_demo(window)
    before = stored(window, "unit.name")
    line = wizard.editor("unit.name").focusProxy()
    line.setText("某某局\x01")
    line.textEdited.emit(line.text())
    leave(qtbot)
    assert "U+0001" in wizard.session.parse_errors["unit.name"]
    assert "「单位名称」" in wizard.session.parse_errors["unit.name"]
    assert stored(window, "unit.name") == before


def test_a_long_text_beyond_its_limit_is_refused_in_the_window(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "conclusion")
    editor = wizard.editor("conclusion")
    before = stored(window, "conclusion")
    limit = editor.field.max_length
    assert editor.count.text().endswith(f"/ {limit} 字")
    paste(editor.focusProxy(), "字" * (limit + 1))
    leave(qtbot)
    assert f"最多{limit}个字" in wizard.session.parse_errors["conclusion"]
    assert stored(window, "conclusion") == before


def test_explanation_boxes_fold_marks_and_refuse_control_characters(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "review")
    review = wizard.current_view()
    box = review.findChild(QPlainTextEdit, "explain:staff_control_over")
    report_id = wizard.session.report_id
    paste(box, "超编系历史遗留\x0b逐步消化\x07")
    wizard.flush()
    assert window.workspace.store.explanations(report_id) == {"staff_control_over": "超编系历史遗留\n逐步消化"}
    row = review.rows["staff_control_over"]
    assert row.refusal.isHidden()
    paste(box, "说明\x1b[31m")
    wizard.flush()
    assert "U+001B" in row.refusal.text() and not row.refusal.isHidden()
    assert window.workspace.store.explanations(report_id) == {}
