"""The 导出与报送 page through real widgets: a self-signed certificate made in
its dialog, a folder chosen, the package written in a worker thread and
verified; a wrong password; a draft report that must be finalised first."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from selfeval.catalog import demo_report_path
from selfeval.drives import Drive
from selfeval.export.certs import grouped, new_self_signed
from selfeval.export.verify import verify
from selfeval.navigation import PageState
from selfeval.ui import export_page
from selfeval.ui.export_page import OK_COLOUR, PFX_KEY, ExportPage
from selfeval.ui.field_row import COLOURS

from human_input import replace_text
from test_wizard_typing import click_page

PASSWORD = "mima-2023"
SIGNER = "张三"
EXPORT_TIMEOUT_MS = 60_000


def click(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def no_drives(monkeypatch):
    monkeypatch.setattr(export_page, "removable_drives", lambda: [])


def finalised_demo(window) -> int:
    """The demo report with its warning explained and finalised, through the workspace."""
    workspace = window.workspace
    report_id = workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
    for finding in workspace.evaluate(report_id).unexplained_warnings:
        workspace.set_explanation(report_id, finding.check, "超编人员系历史遗留，已结合退休逐步消化。")
    workspace.finalize(report_id)
    window.refresh_list(select=report_id)
    return report_id


def export_view(qtbot, window, report_id: int) -> ExportPage:
    wizard = window.open_report(report_id)
    click_page(qtbot, wizard, "export")
    view = wizard.current_view()
    assert isinstance(view, ExportPage)
    return view


def choose_other_folder(page: ExportPage, asked, folder: Path) -> Path:
    """A new folder ``folder``, chosen with the page's 其他文件夹… button."""
    folder.mkdir()
    asked["folders"].append(folder)
    click(page.findChild(QPushButton, "otherFolder"))
    return folder


def enter_certificate(page: ExportPage, pfx: Path, password: str = PASSWORD) -> None:
    replace_text(page.pfx, str(pfx))
    replace_text(page.password, password)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return new_self_signed(tmp_path_factory.mktemp("cert") / "signer.pfx", unit_name="政协乐昌市委员会机关",
                           person=SIGNER, password=PASSWORD)


def test_export_with_a_new_self_signed_certificate(qtbot, window, asked, tmp_path, no_drives, monkeypatch):
    report_id = finalised_demo(window)
    page = export_view(qtbot, window, report_id)
    wizard = window.wizard
    assert wizard.session.final and wizard.banner.text() == "本报告已定稿，只读。"
    assert page.form.isVisible() and not page.blocked.isVisible()
    assert "不能证明是谁签的名" in page.findChild(QLabel, "selfSignedNote").text()
    assert not page.export_button.isEnabled() and "证书文件" in page.missing.text()

    click(page.new_cert)
    dialog = page.cert_dialog
    qtbot.waitExposed(dialog)
    assert dialog.unit.text() == "政协乐昌市委员会机关"
    assert dialog.person.text() == "陈明"  # 单位负责人 from the sign-off page
    assert "不能证明是谁签的名" in dialog.findChild(QLabel, "selfSignedNotice").text()
    assert dialog.password_box.echoMode() == QLineEdit.EchoMode.Password
    target = tmp_path / "certs" / "new.pfx"
    replace_text(dialog.person, SIGNER)
    replace_text(dialog.password_box, PASSWORD)
    replace_text(dialog.again, PASSWORD + "x")
    replace_text(dialog.path, str(target))
    click(dialog.create_button)
    assert dialog.isVisible() and "两次输入的密码不一致" in dialog.message.text()
    assert not target.exists()
    replace_text(dialog.again, PASSWORD)
    click(dialog.create_button)
    qtbot.waitUntil(lambda: page.cert_dialog is None, timeout=10_000)
    assert target.is_file()
    assert page.pfx.text() == str(target) and page.password.text() == PASSWORD
    assert page.password.echoMode() == QLineEdit.EchoMode.Password

    out = choose_other_folder(page, asked, tmp_path / "out")
    assert page.out_dir() == out
    click(page.make_zip)
    assert page.export_button.isEnabled()

    steps: list[str] = []
    original = ExportPage._progressed
    monkeypatch.setattr(ExportPage, "_progressed",
                        lambda self, i, n, text: (steps.append(text), original(self, i, n, text)))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(page.busy))
    timer.start(20)
    click(page.export_button)
    assert page.busy and not page.export_button.isEnabled() and not wizard.back_to_list.isEnabled()
    # nothing that would change the certificate or the folder while the package is written
    assert not [button.text() for button in page.findChildren(QPushButton) if button.isEnabled() and button.isVisible()]
    qtbot.waitUntil(lambda: not page.busy, timeout=EXPORT_TIMEOUT_MS)
    timer.stop()

    assert not page.error.isVisible(), page.error.text()
    assert page.result_box.isVisible()
    # the event loop kept running during the export: a blocked loop could not tick while busy
    assert ticks.count(True) >= 1
    assert steps == ["生成 Excel 自评表", "生成 PDF 报告", "签名", "写入报送包", "验证"]
    folder = Path(page.folder_label.text())
    assert folder.parent == out and folder.is_dir()
    assert folder.name == "2022_政协乐昌市委员会机关_部门整体支出绩效自评"
    assert (out / f"{folder.name}.zip").is_file()
    verdict = verify(folder)
    assert verdict.ok, verdict.text()
    assert verify(out / f"{folder.name}.zip").ok
    assert page.verdict.text().startswith("验证通过") and f"签署人：{SIGNER}" in page.verdict.text()
    assert "不能证明签署人身份" in page.verdict.text()
    assert f"证书指纹（SHA-256）：{grouped(verdict.fingerprint)}" in page.verdict.text()
    assert OK_COLOUR in page.verdict.styleSheet()
    assert not page.findChild(QLabel, "exportNotes").isVisible()  # every character printable
    assert not page.parts.isVisible()  # one report: no sub-folders
    assert "检查明细" in page.details.toPlainText() and "×" not in page.details.toPlainText()
    assert wizard.back_to_list.isEnabled() and page.export_button.isEnabled()  # another copy may follow
    assert wizard.page_list.states["export"] is PageState.COMPLETE

    click(page.open_folder)
    assert asked["opened"] == [folder]
    trail = window.workspace.store.audit_trail(report_id)
    assert trail[-1].action == "export" and trail[-1].new["path"] == str(folder)
    window.settings.sync()
    assert window.settings.value(PFX_KEY) == str(target)
    settings_text = Path(window.settings.fileName()).read_text(encoding="utf-8")
    assert PASSWORD not in settings_text


def test_wrong_password_shows_a_chinese_error_and_writes_nothing(qtbot, window, asked, tmp_path, monkeypatch,
                                                                 certificate):
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(export_page, "removable_drives", lambda: [Drive(usb, "KINGSTON")])
    page = export_view(qtbot, window, finalised_demo(window))
    assert page.targets.count() == 1 and page.out_dir() == usb  # the drive comes first and is chosen
    assert "KINGSTON" in page.targets.item(0).text()
    out = choose_other_folder(page, asked, tmp_path / "other")
    assert page.targets.count() == 2 and page.out_dir() == out
    enter_certificate(page, certificate, "wrong-password")
    click(page.export_button)
    qtbot.waitUntil(lambda: not page.busy, timeout=EXPORT_TIMEOUT_MS)
    assert page.error.isVisible() and "证书密码不正确" in page.error.text()
    assert not page.result_box.isVisible()
    assert list(out.iterdir()) == [] and list(usb.iterdir()) == []
    assert QApplication.focusWidget() is page.password
    assert window.wizard.page_list.states["export"] is PageState.IN_PROGRESS


def test_a_draft_report_must_be_finalised_first(qtbot, window, no_drives):
    window.do_action("demo")
    wizard = window.wizard
    click_page(qtbot, wizard, "export")
    page = wizard.current_view()
    assert page.blocked.isVisible() and not page.form.isVisible()
    assert "尚未定稿" in page.blocked_text.text() and "校验与定稿" in page.blocked_text.text()
    assert wizard.page_list.states["export"] is PageState.NOT_STARTED
    click(page.to_review)
    assert wizard.navigator.current.id == "review"


def test_characters_the_pdf_cannot_draw_are_named_above_the_verdict(qtbot, window, tmp_path, no_drives, asked,
                                                                   certificate):
    workspace = window.workspace
    report_id = workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
    workspace.set_values(report_id, {"signoff.preparer": "王𠀀"})  # 𠀀 (U+20000) is not in the bundled fonts
    for finding in workspace.evaluate(report_id).unexplained_warnings:
        workspace.set_explanation(report_id, finding.check, "超编人员系历史遗留，已结合退休逐步消化。")
    workspace.finalize(report_id)
    page = export_view(qtbot, window, report_id)
    choose_other_folder(page, asked, tmp_path / "out")
    enter_certificate(page, certificate)
    click(page.export_button)
    qtbot.waitUntil(lambda: not page.busy, timeout=EXPORT_TIMEOUT_MS)
    assert not page.error.isVisible(), page.error.text()
    notes = page.findChild(QLabel, "exportNotes")
    assert notes.isVisible() and "𠀀" in notes.text() and "空白" in notes.text()
    assert COLOURS["warning"] in notes.styleSheet()
    assert notes.geometry().bottom() <= page.verdict.geometry().top()
    assert page.verdict.text().startswith("验证通过")
