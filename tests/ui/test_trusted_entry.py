"""Data entry a clerk can trust, through real widgets: blanks and unreadable
values counted as errors everywhere, and a form that never moves under the
pointer when a message comes or goes."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from human_input import replace_text, type_text
from test_wizard_behaviour import open_demo
from test_wizard_typing import click_page, leave


def retype(qtbot, wizard, field_id: str, text: str) -> None:
    """Type ``text`` over a field of the page shown and Tab out of it."""
    replace_text(wizard.editor(field_id).focusProxy(), text)
    leave(qtbot)
    qtbot.wait(20)


def clear_field(qtbot, wizard, field_id: str) -> None:
    page = wizard.navigator.page_of_field(field_id)
    if wizard.navigator.current.id != page.id:
        click_page(qtbot, wizard, page.id)
    replace_text(wizard.editor(field_id).focusProxy(), "")
    leave(qtbot)


def test_a_blank_that_leaves_an_indicator_unscored_blocks_finalising_and_has_go_to(qtbot, window):
    wizard = open_demo(window)
    clear_field(qtbot, wizard, "staff.authorized_service")
    click_page(qtbot, wizard, "review")
    review = wizard.current_view()
    assert "unscored.sm_staff_control" in review.rows
    row = review.rows["unscored.sm_staff_control"]
    assert "财政供养人员控制率" in row.message.text() and "事业编制数" in row.message.text()
    assert "错误 1 项" in review.summary.text() and "未评分指标 1 项" in review.summary.text()
    assert not review.finalize_button.isEnabled()
    assert "可以定稿" not in review.problems.text()
    assert wizard.score_panel.errors.text() == "1"
    go = review.findChild(QPushButton, "go:unscored.sm_staff_control")
    QTest.mouseClick(go, Qt.MouseButton.LeftButton)
    assert wizard.navigator.current.id == "basic.overview"
    assert QApplication.focusWidget() is wizard.editor("staff.authorized_service").focusProxy()
    # on its page, the blank field says why it matters
    assert "财政供养人员控制率" in wizard.current_view().rows["staff.authorized_service"].message.text()


def test_a_held_parse_error_is_counted_everywhere_and_has_go_to(qtbot, window):
    wizard = open_demo(window)
    line = wizard.editor("unit.credit_code").focusProxy()
    replace_text(line, "91440000MA4UXXXX1X")
    leave(qtbot)
    assert "unit.credit_code" in wizard.session.parse_errors
    assert wizard.score_panel.errors.text() == "1"
    click_page(qtbot, wizard, "review")
    review = wizard.current_view()
    assert "错误 1 项" in review.summary.text()
    assert "parse.unit.credit_code" in review.rows
    go = review.findChild(QPushButton, "go:parse.unit.credit_code")
    assert go is not None and not review.finalize_button.isEnabled()
    QTest.mouseClick(go, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is wizard.editor("unit.credit_code").focusProxy()


def test_workspace_refuses_to_finalise_a_report_with_an_unscored_indicator(workspace):
    import json

    from selfeval.catalog import demo_report_path
    from selfeval.workspace import NotReady

    report_id = workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
    workspace.set_values(report_id, {"procurement.planned": None})
    try:
        workspace.finalize(report_id)
    except NotReady as refused:
        assert any("政府采购执行率" in problem for problem in refused.problems)
    else:
        raise AssertionError("finalised with an unscored indicator")
    assert json.loads(json.dumps(workspace.export_dict(report_id)))  # the contract is unchanged


def editor_centre(wizard, field_id: str) -> QPoint:
    """Where the clerk sees the field, in window coordinates, now."""
    line = wizard.editor(field_id).focusProxy()
    return line.mapTo(wizard.window(), line.rect().center())


def click_window_at(wizard, point: QPoint) -> None:
    """Press and release the mouse where the clerk aimed, whatever is there now."""
    window = wizard.window()
    target = window.childAt(point)
    assert target is not None
    local = target.mapFrom(window, point)
    QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, local)
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, local)


def rows_top(view) -> dict[str, int]:
    return {fid: row.editor.mapTo(view.widget(), row.editor.rect().topLeft()).y() for fid, row in view.rows.items()}


def test_a_message_going_away_never_moves_the_field_under_the_pointer(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.finance")
    view = wizard.current_view()
    retype(qtbot, wizard, "income.total", "300")  # a sum error: 收入合计 no longer the sum of its parts
    assert view.rows["income.total"].message.isVisible()
    # the clerk aims at 基本支出 and 公用经费 while the message is shown
    basic, public = editor_centre(wizard, "expense.basic"), editor_centre(wizard, "budget.public")
    before = rows_top(view)
    # corrects the total (the message goes), and clicks where 基本支出 was
    replace_text(wizard.editor("income.total").focusProxy(),
                 str(wizard.session.values["income.basic"] + wizard.session.values["income.project"]))
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(20)
    assert not view.rows["income.total"].message.isVisible()
    assert rows_top(view) == before
    click_window_at(wizard, basic)
    assert QApplication.focusWidget() is wizard.editor("expense.basic").focusProxy()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(QApplication.focusWidget(), "77")
    click_window_at(wizard, public)
    assert QApplication.focusWidget() is wizard.editor("budget.public").focusProxy()
    qtbot.wait(20)
    assert wizard.session.values["expense.basic"] == 77
    # the new sum error under 支出合计 appeared above 公用经费: the page scrolled by as
    # much, and 公用经费 stayed under the pointer
    assert view.rows["expense.total"].message.isVisible()
    assert editor_centre(wizard, "budget.public") == public
    type_text(QApplication.focusWidget(), "1")
    assert "budget.public" in wizard.session.pending or wizard.session.values["budget.public"] != 0


def test_a_note_giving_way_to_a_figure_keeps_its_room(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "analysis.effectiveness")
    view = wizard.current_view()
    retype(qtbot, wizard, "public_expense.actual", "")
    before = rows_top(view)
    retype(qtbot, wizard, "public_expense.actual", "50")
    assert rows_top(view) == before


def test_an_amount_out_of_proportion_stays_a_warning_with_go_to(qtbot, window):
    wizard = open_demo(window)
    page = wizard.navigator.page_of_field("procurement.planned").id
    click_page(qtbot, wizard, page)
    replace_text(wizard.editor("procurement.planned").focusProxy(), "945500")
    leave(qtbot)
    replace_text(wizard.editor("procurement.actual").focusProxy(), wizard.session.shown("procurement.actual"))
    leave(qtbot)  # the next field committed: the message under the amount stays
    message = wizard.current_view().rows["procurement.planned"].message
    assert message.isVisible() and "100 倍以上" in message.text()
    click_page(qtbot, wizard, "review")
    review = wizard.current_view()
    check = "amount_implausible.procurement.planned"
    assert check in review.rows and "945,500.00" in review.rows[check].message.text()
    QTest.mouseClick(review.findChild(QPushButton, f"go:{check}"), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is wizard.editor("procurement.planned").focusProxy()


def test_the_yuan_hint_stays_until_the_amount_changes(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.finance")
    replace_text(wizard.editor("income.total").focusProxy(), "3075100")
    leave(qtbot)
    replace_text(wizard.editor("expense.basic").focusProxy(), "100")
    leave(qtbot)
    row = wizard.current_view().rows["income.total"]
    assert wizard.session.notes.get("income.total")
    assert row.message.isVisible()


def test_preview_opens_a_draft_pdf_at_any_stage(qtbot, window, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    wizard = open_demo(window)
    clear_field(qtbot, wizard, "staff.authorized_service")  # not finalisable, still previewable
    QTest.mouseClick(wizard.findChild(QPushButton, "preview"), Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].endswith("草稿.pdf")
    from pypdf import PdfReader

    reader = PdfReader(opened[0])
    assert all("草稿" in page.extract_text() for page in reader.pages)
    assert "事业编制 0 人" not in reader.pages[0].extract_text()  # the blank as it stands, not the old value


NINE_TASKS = "\n".join([
    "（1）(1) 组织召开全体委员会议", "(2) 开展专题调研", "3. 办理提案", "4、编印社情民意", "⑤ 举办读书活动",
    "六、完成文史资料编撰", "7) 做好机关党建", "（八）落实意识形态责任制", "9．完成市委交办的其他任务"])


def test_pasted_lines_become_items_without_their_numbers(qtbot, window):
    from PySide6.QtGui import QKeySequence

    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.goals")
    editor = wizard.editor("goals.tasks")
    before = len(editor.rows)
    QTest.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    line = editor.rows[-1].line
    assert QApplication.focusWidget() is line
    QApplication.clipboard().setText(NINE_TASKS)
    QTest.keySequence(line, QKeySequence(QKeySequence.StandardKey.Paste))
    assert len(editor.rows) == before + 9
    texts = [row.line.text() for row in editor.rows[before:]]
    assert texts[0] == "组织召开全体委员会议" and texts[5] == "完成文史资料编撰"
    assert texts[-1] == "完成市委交办的其他任务"
    leave(qtbot)
    assert wizard.session.values["goals.tasks"][before:] == texts
    assert all(row.line.cursorPosition() == 0 for row in editor.rows)  # each row shows its start


def test_a_total_left_empty_takes_the_sum_of_its_parts(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.finance")
    expected = wizard.session.evaluation.env["income.total"]
    replace_text(wizard.editor("income.total").focusProxy(), "")
    leave(qtbot)
    evaluation = wizard.session.evaluation
    assert "income.total" not in wizard.session.values  # stored as typed: empty
    assert evaluation.env["income.total"] == expected and "income.total" in evaluation.summed
    assert not [f for f in evaluation.errors if "income.total" in f.fields]
    line = wizard.editor("income.total").focusProxy()
    assert line.text() == "" and line.placeholderText().startswith("628.76") and "自动合计" in line.placeholderText()
    # a typed total that differs from its parts stays an error
    replace_text(line, "600")
    leave(qtbot)
    assert any(f.check == "income_sum" for f in wizard.session.evaluation.errors)
    assert "income.total" not in wizard.session.evaluation.summed


def test_every_warning_of_a_text_is_shown_and_go_to_selects_the_words(qtbot, window, asked):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "achievements")
    box = wizard.editor("achievements").focusProxy()
    replace_text(box, "一年来坚持坚持学习。2021年年末余额已收回。")
    leave(qtbot)
    message = wizard.current_view().rows["achievements"].message.text()
    assert "坚持坚持" in message and "2021" in message  # both, not only the first
    click_page(qtbot, wizard, "review")
    go = wizard.current_view().findChild(QPushButton, "go:stray_year.achievements")
    QTest.mouseClick(go, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is box and box.textCursor().selectedText() == "2021"
    go = wizard.views["review"].findChild(QPushButton, "go:repeated_words.achievements")
    click_page(qtbot, wizard, "review")
    QTest.mouseClick(go, Qt.MouseButton.LeftButton)
    assert box.textCursor().selectedText() == "坚持坚持"


def test_ctrl_f_finds_words_inside_long_text_boxes(qtbot, window, asked):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.overview")
    duties = wizard.editor("unit.duties").focusProxy()
    word = "文史资料"
    assert word in duties.toPlainText()
    wizard.editor("unit.name").focusProxy().setFocus(Qt.FocusReason.MouseFocusReason)
    asked["texts"].append(word)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is duties and duties.textCursor().selectedText() == word
    asked["texts"].append("没有这样的词")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert asked["inform"] and "没有找到" in asked["inform"][-1]


def test_the_panel_counts_only_warnings_not_yet_explained(qtbot, window):
    from selfeval.demo import DEMO_EXPLANATION

    wizard = open_demo(window)
    assert wizard.score_panel.warnings.text() == "1"
    for finding in wizard.session.evaluation.unexplained_warnings:
        wizard.explain(finding.check, DEMO_EXPLANATION)
    wizard.refresh()
    assert wizard.score_panel.warnings.text() == "0（另有 1 项已说明）"


def finalisable_demo(window):
    from selfeval.demo import DEMO_EXPLANATION

    wizard = open_demo(window)
    for finding in wizard.session.evaluation.unexplained_warnings:
        wizard.explain(finding.check, DEMO_EXPLANATION)
    wizard.flush()
    return wizard


def test_finalising_asks_first_with_total_and_grade(qtbot, window, asked, monkeypatch):
    from selfeval.ui import dialogs

    wizard = finalisable_demo(window)
    click_page(qtbot, wizard, "review")
    answers = [False, True]
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked["confirm"].append(text) or answers.pop(0))
    button = wizard.current_view().finalize_button
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "总分 96.67 分" in asked["confirm"][0] and "优" in asked["confirm"][0]
    assert not wizard.session.final  # 否: nothing happened
    QTest.mouseClick(wizard.current_view().finalize_button, Qt.MouseButton.LeftButton)
    assert wizard.session.final


def test_a_report_reopens_on_the_page_it_was_left_on(qtbot, window):
    wizard = open_demo(window)
    report_id = wizard.session.report_id
    click_page(qtbot, wizard, "analysis.budget_exec")
    QTest.mouseClick(wizard.back_to_list, Qt.MouseButton.LeftButton)
    window.open_report(report_id)
    assert window.wizard.navigator.current.id == "analysis.budget_exec"


def test_the_demo_is_labelled_in_the_list(qtbot, window):
    wizard = open_demo(window)
    QTest.mouseClick(wizard.back_to_list, Qt.MouseButton.LeftButton)
    assert window.report_list.table.item(0, 0).text() == "政协乐昌市委员会机关（示例）"


def test_starting_from_a_chosen_report_offers_its_explanations_again(qtbot, window, asked, monkeypatch):
    from selfeval.ui.new_report import NewReport, NewReportDialog

    wizard = finalisable_demo(window)
    source = wizard.session.report_id
    explained = dict(wizard.session.explanations)
    QTest.mouseClick(wizard.back_to_list, Qt.MouseButton.LeftButton)
    dialog = NewReportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    assert not dialog.source.isEnabled()
    dialog.carry.setChecked(True)
    assert dialog.source.isEnabled() and dialog.source.findData(source) > 0
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _p, _ws: NewReport("gd-dept-overall", "另一个名字", 2023, True, source))
    window.do_action("new")
    new = window.wizard
    assert new.session.carried.source_id == source
    # the same warning this year: last year's words are offered, not yet taken
    new.session.edit("staff.authorized_admin", "1", leaving=True)
    new.session.edit("staff.in_service_total", "30", leaving=True)
    click_page(qtbot, new, "review")
    check = next(iter(explained))
    review = new.current_view()
    take = review.findChild(QPushButton, f"take:{check}")
    assert take is not None and take.isVisible()
    assert check not in new.session.explanations
    qtbot.wait(20)  # the rows laid out
    review.ensureWidgetVisible(take)
    qtbot.wait(20)
    QTest.mouseClick(take, Qt.MouseButton.LeftButton)
    assert new.session.explanations[check] == explained[check]


def test_the_budget_question_is_asked_positively(qtbot, window):
    wizard = open_demo(window)
    click_page(qtbot, wizard, "basic.finance")
    row = wizard.current_view().rows["budget.no_adjustment"]
    assert "未调整" not in row.label.text() and "按年初预算执行" in row.label.text()
    field = wizard.session.form.fields["budget.no_adjustment"]
    assert field.answer(True).startswith("本年度按年初预算执行") and "追加或调减" in field.answer(False)


def test_no_page_scrolls_sideways_at_1024_wide(qtbot, window):
    from selfeval.navigation import PageKind

    wizard = open_demo(window)
    # blanks give the longest 缺少数据 and 待填写 lines
    for field_id in ("public_expense.actual", "sangong.budget.abroad", "sangong.actual.vehicle",
                     "key_tasks.assigned", "targets.set", "projects.planned_completion"):
        wizard.session.edit(field_id, "", leaving=True)
    window.resize(1024, 700)
    qtbot.wait(20)
    assert window.width() <= 1024
    wide = []
    for page in wizard.navigator.pages:
        if page.kind is PageKind.EXPORT:
            continue
        wizard.go_to(page.id)
        qtbot.wait(10)
        bar = wizard.current_view().horizontalScrollBar()
        if bar.maximum() > 0:
            wide.append((page.id, bar.maximum()))
    assert wide == []


def test_the_keypad_page_down_turns_the_page_too(qtbot, window):
    wizard = open_demo(window)
    line = wizard.editor("unit.region").focusProxy()
    line.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(line, Qt.Key.Key_PageDown, Qt.KeyboardModifier.KeypadModifier)  # NumLock off
    assert wizard.navigator.current.id == "basic.finance"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left,
                   Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.KeypadModifier)
    assert wizard.navigator.current.id == "basic.overview"


def test_scores_on_screen_have_two_decimals_as_in_the_table(qtbot, window, asked):
    """预算编制科学性 3.53 instead of 3: total 97.20, stated so by the score panel, the finalise
    question and the report list; 效果性 9.5 reads "得分 9.50 / 10 分" under its indicator."""
    wizard = finalisable_demo(window)
    click_page(qtbot, wizard, "analysis.budget_prep")
    replace_text(wizard.editor("score.bp_scientific").focusProxy(), "3.53")
    leave(qtbot)
    wizard.flush()
    qtbot.waitUntil(lambda: wizard.score_panel.total.text() == "97.20", timeout=2000)
    click_page(qtbot, wizard, "analysis.effectiveness")
    assert "得分 9.50 / 10 分" in wizard.current_view().blocks["effect"].result.text()
    click_page(qtbot, wizard, "review")
    QTest.mouseClick(wizard.current_view().finalize_button, Qt.MouseButton.LeftButton)
    assert "总分 97.20 分" in asked["confirm"][0]
    QTest.mouseClick(wizard.back_to_list, Qt.MouseButton.LeftButton)
    assert window.report_list.table.item(0, 4).text() == "97.20"
