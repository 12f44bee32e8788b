"""The Word import's review screen: texts and figures shown, only what is ticked is stored."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from selfeval.catalog import FormCatalog
from selfeval.interchange import read_report
from selfeval.ui import import_dialog
from selfeval.ui.new_report import NewReport

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_docimport import DEMO, ROOT, build_docx  # noqa: E402


def demo_docx(tmp_path) -> Path:
    demo = read_report(FormCatalog(ROOT / "forms"), DEMO.read_text(encoding="utf-8"))
    return build_docx(tmp_path / "上年报告.docx", demo)


def run_review(monkeypatch, choose):
    """Replace the modal exec: ``choose(dialog)`` ticks boxes, then the dialog is accepted."""
    def exec_(dialog):
        choose(dialog)
        return import_dialog.QDialog.DialogCode.Accepted
    monkeypatch.setattr(import_dialog.ImportReviewDialog, "exec", exec_)


def test_only_the_ticked_figures_are_stored(qtbot, window, asked, tmp_path, monkeypatch):
    asked["files"].append(demo_docx(tmp_path))
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _p, _w: NewReport("gd-dept-overall", "政协乐昌市委员会机关", 2022, False))
    seen = {}

    def choose(dialog):
        figures = dialog.figures
        seen["rows"] = figures.rowCount()
        seen["sentences"] = [figures.item(r, 3).text() for r in range(figures.rowCount())]
        # nothing is ticked to begin with
        assert all(figures.item(r, 0).checkState() == Qt.CheckState.Unchecked for r in range(figures.rowCount()))
        for row in range(figures.rowCount()):
            if dialog.field_boxes[row].currentData() == "income.total":
                figures.item(row, 0).setCheckState(Qt.CheckState.Checked)
        seen["texts"] = dialog.texts.rowCount()

    run_review(monkeypatch, choose)
    window.do_action("import_doc")
    assert not asked["warn"]
    values = window.wizard.session.values
    assert str(values["income.total"]) == "628.76"
    assert "income.basic" not in values and "staff.in_service_total" not in values
    assert values["narrative.effect"].startswith("本年度市政协围绕全市中心工作")
    assert seen["rows"] >= 12 and any(s.startswith("本年度部门收入合计628.76万元") for s in seen["sentences"])
    assert seen["texts"] == len([f for f in values if f.startswith("narrative.")]) + 8
    assert "narrative.effect" in window.workspace.imported_unchanged(window.wizard.session.report_id)


def test_cancel_stores_nothing_and_creates_no_report(qtbot, window, asked, tmp_path, monkeypatch):
    asked["files"].append(demo_docx(tmp_path))
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _p, _w: NewReport("gd-dept-overall", "政协乐昌市委员会机关", 2022, False))
    monkeypatch.setattr(import_dialog.ImportReviewDialog, "exec",
                        lambda dialog: import_dialog.QDialog.DialogCode.Rejected)
    window.do_action("import_doc")
    assert window.workspace.store.reports() == []


def test_an_old_doc_file_is_refused_with_a_save_as_hint(qtbot, window, asked, tmp_path):
    old = tmp_path / "上年报告.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    asked["files"].append(old)
    window.do_action("import_doc")
    assert asked["warn"] and "另存为" in asked["warn"][0]


def test_review_screen_screenshot(qtbot, window, tmp_path):
    """The review screen on the figures tab (docs/screenshots/import-review.png is such a grab)."""
    from selfeval import docimport

    form = FormCatalog(ROOT / "forms").get("gd-dept-overall")
    plan = docimport.plan_import(form, docimport.read_blocks(demo_docx(tmp_path)))
    dialog = import_dialog.ImportReviewDialog(form, plan, target="政协乐昌市委员会机关 2022 年度（新建）",
                                              current={}, source="上年报告.docx", parent=window)
    qtbot.addWidget(dialog)
    dialog._tick_all(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.grab()
    assert image.width() <= dialog.screen().availableGeometry().width()
    assert image.save(str(tmp_path / "import-review.png"))
    dialog.close()


def test_two_different_figures_for_one_field_are_not_both_stored(qtbot, window, tmp_path):
    from selfeval import docimport

    form = FormCatalog(ROOT / "forms").get("gd-dept-overall")
    plan = docimport.plan_import(form, docimport.read_blocks(demo_docx(tmp_path)))
    dialog = import_dialog.ImportReviewDialog(form, plan, target="某报告", current={}, source="x.docx")
    qtbot.addWidget(dialog)
    dialog._tick_all(True)
    fields = [p.field for p in dialog.chosen_figures()]
    assert len(fields) == len(set(fields))  # tick-all takes the first figure of each field
    # the clerk points a second, different figure at 收入合计 as well
    other = next(r for r, p in enumerate(plan.proposals) if p.field == "income.project")
    box = dialog.field_boxes[other]
    box.setCurrentIndex(box.findData("income.total"))
    dialog.accept()
    assert dialog.result() != import_dialog.QDialog.DialogCode.Accepted
    assert "收入合计" in dialog.problem.text()


def test_the_empty_start_screen_offers_to_start_from_last_years_word_report(qtbot, window, asked, tmp_path,
                                                                            monkeypatch):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    asked["files"].append(demo_docx(tmp_path))
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _p, _w: NewReport("gd-dept-overall", "政协乐昌市委员会机关", 2022, False))
    run_review(monkeypatch, lambda dialog: None)
    button = window.report_list.empty.findChild(QPushButton, "empty-import_doc")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    values = window.wizard.session.values
    assert values["conclusion"].startswith("本机关预算编制总体规范")
    assert "income.total" not in values  # no figure was ticked


def test_the_wizard_shows_last_years_figure_under_each_number(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QLabel

    window.do_action("demo")
    window.show_list()
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _p, _w: NewReport("gd-dept-overall", "政协乐昌市委员会机关", 2023, True))
    window.do_action("new")
    wizard = window.wizard
    overview = wizard.view("basic.overview").findChildren(QLabel, "previousValue")
    finance = wizard.view("basic.finance").findChildren(QLabel, "previousValue")
    assert "上年：21" in [label.text() for label in overview]
    assert "上年：628.76" in [label.text() for label in finance]
    wizard.go_to("basic.finance")
    window.grab().save(str(tmp_path / "previous.png"))


def test_imported_texts_are_marked_in_the_wizard_until_edited(qtbot, window, asked, tmp_path, monkeypatch):
    asked["files"].append(demo_docx(tmp_path))
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _p, _w: NewReport("gd-dept-overall", "政协乐昌市委员会机关", 2022, False))
    run_review(monkeypatch, lambda dialog: None)
    window.do_action("import_doc")
    wizard = window.wizard
    wizard.go_to("problems")
    row = wizard.current_view().rows["problems"]
    assert row.carried.isVisible() and "从 Word 文档导入" in row.carried.text()
    wizard.edited("problems", "本年度重新写过的问题。")
    wizard.refresh()
    assert not row.carried.isVisible()


def test_the_whole_text_of_the_chosen_row_is_shown(qtbot, window, tmp_path):
    from selfeval import docimport

    form = FormCatalog(ROOT / "forms").get("gd-dept-overall")
    plan = docimport.plan_import(form, docimport.read_blocks(demo_docx(tmp_path)))
    dialog = import_dialog.ImportReviewDialog(form, plan, target="某报告", current={}, source="x.docx")
    qtbot.addWidget(dialog)
    row = dialog.text_ids.index("achievements")
    dialog.texts.setCurrentCell(row, 1)
    assert dialog.preview.toPlainText() == plan.narratives["achievements"]


def test_importing_into_the_open_report_keeps_what_was_typed(qtbot, window, asked, tmp_path, monkeypatch):
    window.do_action("demo")
    report_id = window.wizard.session.report_id
    window.wizard.edited("signoff.preparer", "赵六")
    window.wizard.edited("problems", "临时写的问题。")
    asked["files"].append(demo_docx(tmp_path))

    def choose(dialog):
        for row in range(dialog.texts.rowCount()):  # only 存在问题 is taken
            keep = dialog.text_ids[row] == "problems"
            dialog.texts.item(row, 0).setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)

    run_review(monkeypatch, choose)
    window.do_action("import_doc")
    assert window.wizard.session.report_id == report_id
    values = window.workspace.open_report(report_id).values
    assert values["signoff.preparer"] == "赵六"
    assert values["problems"].startswith("一是年初预算对工资调整")  # the ticked text replaced the typed one
    assert window.workspace.imported_unchanged(report_id) == {"problems"}


def test_the_clerk_sees_field_labels_and_every_note_whole(qtbot, window, tmp_path):
    """栏目 as the wizard labels the fields, not 行政编制数（staff.authorized_admin）; the id is in the
    tooltip; a long 注意 (已换算为 13…) wraps in its row instead of being cut off."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QComboBox

    from selfeval import docimport

    form = FormCatalog(ROOT / "forms").get("gd-dept-overall")
    plan = docimport.plan_import(form, docimport.read_blocks(demo_docx(tmp_path)))
    dialog = import_dialog.ImportReviewDialog(form, plan, target="某报告", current={}, source="x.docx",
                                              parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = [dialog.texts.item(row, 1) for row in range(dialog.texts.rowCount())]
    boxes = [dialog.figures.cellWidget(row, 1) for row in range(dialog.figures.rowCount())]
    shown = [item.text() for item in texts] + [box.itemText(n) for box in boxes for n in range(box.count())]
    assert "自评结论" in shown and "行政编制数" in shown
    assert not [text for text in shown if any(fid in text for fid in form.fields)]
    conclusion = texts[dialog.text_ids.index("conclusion")]
    assert "conclusion" in conclusion.toolTip() and "二、自评结论" in conclusion.toolTip()
    assert all(isinstance(box, QComboBox) for box in boxes)
    figures = dialog.figures
    noted = [row for row in range(figures.rowCount()) if figures.item(row, 4).text()]
    assert noted and any(len(figures.item(row, 4).text()) > 12 for row in noted)
    metrics = figures.fontMetrics()
    for row in noted:
        item = figures.item(row, 4)
        inner = figures.columnWidth(4) - 2 * (figures.style().pixelMetric(
            figures.style().PixelMetric.PM_FocusFrameHMargin, None, figures) + 1)
        needed = metrics.boundingRect(QRect(0, 0, inner, 10_000), int(Qt.TextFlag.TextWordWrap.value), item.text())
        assert needed.width() <= inner and needed.height() <= figures.rowHeight(row), item.text()
        assert item.toolTip() == item.text()
