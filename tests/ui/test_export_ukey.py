"""The export page with a USB key: the driver chosen, the token's certificates listed, the package
signed through PKCS#11 in the worker thread; the driver is remembered, the PIN is not."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

import softhsm
from selfeval.export.verify import verify
from selfeval.ui.export_page import ExportPage
from selfeval.ui.ukey_panel import MODULE_KEY

from human_input import replace_text
from test_export_page import EXPORT_TIMEOUT_MS, choose_other_folder, click, export_view, finalised_demo

LIB = softhsm.module()
pytestmark = pytest.mark.skipif(LIB is None, reason="softhsm2 or python-pkcs11 is not installed")


@pytest.fixture
def token(tmp_path, monkeypatch):
    folder = tmp_path / "softhsm"
    folder.mkdir()
    softhsm.make_tokens(LIB, folder, monkeypatch, labels=(softhsm.TOKEN, softhsm.SM2))
    return folder


def test_export_with_a_usb_key(qtbot, window, asked, tmp_path, token, home, monkeypatch):
    monkeypatch.setattr("selfeval.ui.export_page.removable_drives", lambda: [])
    page = export_view(qtbot, window, finalised_demo(window))
    assert isinstance(page, ExportPage) and page.use_pfx.isChecked() and not page.ukey.isVisible()
    click(page.use_ukey)
    assert page.ukey.isVisible() and not page.pfx_panel.isVisible()
    assert "UKey 中的证书" in page.missing.text()

    replace_text(page.ukey.module, str(tmp_path / "nothing.dll"))
    click(page.ukey.find)
    assert "找不到 UKey 驱动程序" in page.ukey.status.text()
    asked["files"].append(Path(LIB))
    click(page.findChild(QPushButton, "ukeyBrowse"))  # choosing the driver lists its keys
    assert page.ukey.module.text() == LIB
    rows = [page.ukey.keys.item(row).text() for row in range(page.ukey.keys.count())]
    assert rows == [f"{softhsm.TOKEN} / ECDSA证书：李四，{softhsm.UNIT}（ECDSA）",
                    f"{softhsm.TOKEN} / 签名证书：张三，{softhsm.UNIT}（RSA）",
                    f"{softhsm.SM2} / SM2证书：张三，{softhsm.UNIT}（SM2，不能用于签名）"]
    assert "找到 2 个 UKey，2 个可用于签名的证书" in page.ukey.status.text()
    page.ukey.keys.setCurrentRow(2)
    assert page.ukey.choice() is None and not page.export_button.isEnabled()  # the SM2 one cannot be chosen
    page.ukey.keys.setCurrentRow(1)
    assert page.ukey.choice().key == "签名证书"
    out = choose_other_folder(page, asked, tmp_path / "out")

    replace_text(page.ukey.pin, "wrong-pin")
    click(page.export_button)
    qtbot.waitUntil(lambda: not page.busy, timeout=EXPORT_TIMEOUT_MS)
    assert "PIN 码不正确" in page.error.text() and page.ukey.pin.hasFocus()

    replace_text(page.ukey.pin, softhsm.PIN)
    page.ukey.pin.setCursorPosition(0)
    page.window().resize(1100, 800)
    page.ensureWidgetVisible(page.ukey)
    qtbot.wait(50)
    assert page.window().grab().save(str(tmp_path / "export-ukey.png"))  # as docs/screenshots/21-export-ukey.png
    click(page.export_button)
    qtbot.waitUntil(lambda: not page.busy, timeout=EXPORT_TIMEOUT_MS)
    assert not page.error.isVisible(), page.error.text()
    assert page.result.verdict.ok, page.result.verdict.text()
    assert verify(page.result.folder, trust=[token / "ca.pem"]).ok
    assert not verify(page.result.folder, trust=[token / "other-ca.pem"]).ok

    page.settings.sync()
    assert page.settings.value(MODULE_KEY) == LIB
    for path in [*home.rglob("*"), *out.rglob("*"), Path(page.settings.fileName())]:
        if path.is_file():
            assert softhsm.PIN.encode() not in path.read_bytes(), path


def test_a_token_showing_no_certificate_before_the_pin_can_still_be_chosen(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from selfeval.ui.ukey_panel import UKeyPanel

    softhsm.make_tokens(LIB, tmp_path, monkeypatch, labels=(softhsm.TOKEN, softhsm.NO_CERT))
    panel = UKeyPanel(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(panel)
    replace_text(panel.module, LIB)
    panel.refresh()
    rows = [panel.keys.item(row).text() for row in range(panel.keys.count())]
    assert rows[-1].startswith(f"{softhsm.NO_CERT}：未输入 PIN 码时读不到证书")
    panel.keys.setCurrentRow(len(rows) - 1)
    assert panel.choice().token == softhsm.NO_CERT and panel.choice().key is None
