"""The export page's 3. 导出内容: a department report goes out alone or in one package with its unit's
project reports of the year; the option names the project reports that go in, or says why it cannot
be chosen, and the package is built by the same functions as `selfeval export --with-projects`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import softhsm
from selfeval.export.package import MANIFEST
from selfeval.export.verify import verify
from selfeval.ui.export_page import ExportPage
from selfeval.ui.year_option import WITH_PROJECTS_KEY

from human_input import replace_text
from test_export_page import (EXPORT_TIMEOUT_MS, certificate, choose_other_folder, click,  # noqa: F401
                              enter_certificate, export_view, no_drives)
from test_year_package import PROJECTS, YEAR_NAME, import_demos


def year_page(qtbot, window, final: int = 3):
    """The export page of the department demo, beside the two project demos (the first ``final`` of
    the three reports finalised); (page, report ids)."""
    ids = import_demos(window.workspace, final=final)
    window.refresh_list(select=ids[0])
    return export_view(qtbot, window, ids[0]), ids


def test_without_project_reports_the_option_cannot_be_chosen_and_says_why(qtbot, window, no_drives):
    ids = import_demos(window.workspace, final=1)
    for project in ids[1:]:
        window.workspace.store.delete_report(project)
    page = export_view(qtbot, window, ids[0])
    option = page.year_option
    assert option.isVisible() and not option.check.isEnabled() and not option.chosen
    assert option.check.text() == "连同本单位本年度的项目报告一起导出"
    assert option.note.text() == ("2022 年度“政协乐昌市委员会机关”没有项目支出绩效自评报告。\n"
                                  "现在只能导出本报告。")


def test_a_project_report_not_yet_final_is_named(qtbot, window, no_drives):
    page, ids = year_page(qtbot, window, final=2)
    option = page.year_option
    assert not option.check.isEnabled() and not option.chosen
    assert option.check.text() == "连同本单位本年度的项目报告一起导出（1 份已定稿）"
    note = option.note.text()
    assert f"项目报告“{PROJECTS[1]}”（编号 {ids[2]}）不能导出：报告尚未定稿" in note
    assert PROJECTS[0] not in note  # the final one is not named among the problems
    assert "--with-projects" not in note
    page._set_busy(True)  # another export of this report alone comes and goes
    page._set_busy(False)
    assert not option.check.isEnabled() and not option.chosen


def test_a_project_report_of_another_form_hides_the_option(qtbot, window, no_drives):
    ids = import_demos(window.workspace)
    page = export_view(qtbot, window, ids[1])  # a project report: it counts no other reports
    assert not page.year_option.isVisible() and not page.year_option.chosen


def test_two_final_projects_go_into_one_package_with_the_report(qtbot, window, asked, tmp_path, no_drives,
                                                                certificate, monkeypatch):
    page, ids = year_page(qtbot, window)
    option = page.year_option
    assert option.check.isEnabled() and not option.check.isChecked()  # the single report by default
    assert option.check.text() == "连同本单位本年度的项目报告一起导出（2 份已定稿）"
    lines = option.note.text().splitlines()
    assert "本报告和以下 2 份项目报告" in lines[0]
    assert lines[1:] == [f"“{PROJECTS[0]}”（编号 {ids[1]}）", f"“{PROJECTS[1]}”（编号 {ids[2]}）"]
    click(option.check)
    assert option.chosen
    out = choose_other_folder(page, asked, tmp_path / "out")
    enter_certificate(page, certificate)
    steps = []
    original = ExportPage._progressed
    monkeypatch.setattr(ExportPage, "_progressed",
                        lambda self, i, n, text: (steps.append((n, text)), original(self, i, n, text)))
    click(page.export_button)
    assert page.busy and not option.check.isEnabled()
    qtbot.waitUntil(lambda: not page.busy, timeout=EXPORT_TIMEOUT_MS)

    assert not page.error.isVisible(), page.error.text()
    folder = Path(page.folder_label.text())
    assert folder == out / YEAR_NAME and page.result.folder == folder
    verdict = verify(folder)
    assert verdict.ok, verdict.text()
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert [report["subject"] for report in manifest["reports"]] == ["", *PROJECTS]
    subfolders = [report["folder"] for report in manifest["reports"]]
    assert page.parts.isVisible() and page.parts.text().splitlines() == subfolders
    assert page.verdict.text().startswith("验证通过") and "包中共 3 份报告" in page.verdict.text()
    assert {total for total, _ in steps} == {3 * 3 + 2}  # three steps for each report, then write and verify
    assert steps[3] == (11, f"“{PROJECTS[0]}”（编号 {ids[1]}）：生成 Excel 自评表")
    for report_id in ids:  # each report's history notes the package
        assert window.workspace.store.audit_trail(report_id)[-1].action == "export"
    assert option.check.isEnabled() and option.check.isChecked()  # remembered for the next export
    window.settings.sync()
    assert str(window.settings.value(WITH_PROJECTS_KEY)).lower() == "true"


def test_a_project_reopened_after_the_page_was_shown_refuses_the_export_naming_it(qtbot, window, asked,
                                                                                  tmp_path, no_drives,
                                                                                  certificate):
    page, ids = year_page(qtbot, window)
    click(page.year_option.check)
    window.workspace.reopen(ids[2], "改正")  # e.g. by the command line while the page is open
    out = choose_other_folder(page, asked, tmp_path / "out")
    enter_certificate(page, certificate)
    click(page.export_button)
    assert not page.busy and page.error.isVisible()
    assert f"“{PROJECTS[1]}”（编号 {ids[2]}）不能导出：报告尚未定稿" in page.error.text()
    assert not list(out.iterdir())


@pytest.mark.skipif(softhsm.module() is None, reason="softhsm2 or python-pkcs11 is not installed")
def test_the_package_of_the_year_signed_with_a_usb_key(qtbot, window, asked, tmp_path, monkeypatch, no_drives):
    folder = tmp_path / "softhsm"
    folder.mkdir()
    softhsm.make_tokens(softhsm.module(), folder, monkeypatch, labels=(softhsm.TOKEN,))
    page, ids = year_page(qtbot, window)
    click(page.use_ukey)
    replace_text(page.ukey.module, softhsm.module())
    page.ukey.refresh()
    rows = [page.ukey.keys.item(row).text() for row in range(page.ukey.keys.count())]
    page.ukey.keys.setCurrentRow(next(n for n, text in enumerate(rows) if "签名证书" in text))
    replace_text(page.ukey.pin, softhsm.PIN)
    click(page.year_option.check)
    choose_other_folder(page, asked, tmp_path / "out")
    click(page.export_button)
    qtbot.waitUntil(lambda: not page.busy, timeout=EXPORT_TIMEOUT_MS)
    assert not page.error.isVisible(), page.error.text()
    verdict = verify(page.result.folder, trust=[folder / "ca.pem"])
    assert verdict.ok, verdict.text()
    assert len(verdict.parts) == 3 and len(page.result.folders) == 3
