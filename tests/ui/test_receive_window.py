"""The receiving desk's window, reached from the report list: scan, read, decide, sum up."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from selfeval import demo
from selfeval.export.certs import new_self_signed, public_der
from selfeval.export.pipeline import export_year
from selfeval.export.verify import verify
from selfeval.receiving.registry import ACCEPTED, FAILED, PENDING, REJECTED
from selfeval.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "forms" / "gd-dept-overall-2022.yaml"
DEMOS = [ROOT / "resources" / "demo" / name for name in (
    "gd-dept-overall-2022-demo.json", "project-self-eval-2022-demo-1.json", "project-self-eval-2022-demo-2.json")]
UNIT = "政协乐昌市委员会机关"
PASSWORD = "year-package-1"
FORM_IDS = ("gd-dept-overall", "project-self-eval")


def make_stick(folder):
    """A stick with the demo's package, the same report signed again with a new same-named certificate
    (forged), and a copy of the first with one byte of its PDF changed (tampered)."""
    ws = Workspace.open(folder / "unit.sqlite3")
    try:
        report_id, _ = demo.find_or_import_demo(ws)
        demo.finalise(ws, report_id)
        stick = folder / "stick"
        for name in ("1", "3"):
            (stick / name).mkdir(parents=True)
        good = demo.export_with_temporary_certificate(ws, report_id, out_dir=stick / "1", work_dir=folder,
                                                      make_zip=False)
        demo.export_with_temporary_certificate(ws, report_id, out_dir=stick / "3", work_dir=folder, make_zip=False)
    finally:
        ws.store.close(backup=False)
    tampered = stick / "2" / good.folder.name
    shutil.copytree(good.folder, tampered)
    pdf = tampered / good.pdf_path.name
    data = pdf.read_bytes()
    pdf.write_bytes(data[:4000] + bytes([data[4000] ^ 1]) + data[4001:])
    return stick


@pytest.fixture(scope="module")
def stick(tmp_path_factory):
    return make_stick(tmp_path_factory.mktemp("receive-ui"))


@pytest.fixture(scope="module")
def year_stick(tmp_path_factory):
    """A stick with one unit's package of the year: the department report and its two projects'."""
    folder = tmp_path_factory.mktemp("receive-year")
    ws = Workspace.open(folder / "unit.sqlite3")
    try:
        ids = [ws.import_json(path.read_text(encoding="utf-8")) for path in DEMOS]
        for report_id in ids:
            demo.finalise(ws, report_id)
        pfx = new_self_signed(folder / "unit.pfx", unit_name=UNIT, person="示例签署人", password=PASSWORD)
        stick = folder / "stick"
        stick.mkdir()
        export_year(ws, ids[0], pfx=pfx, password=PASSWORD, out_dir=stick, make_zip=False)
    finally:
        ws.store.close(backup=False)
    return stick


def open_desk(window):
    """File ▸ 受理报送包…, on the report list."""
    (action,) = [a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "受理报送包…"]
    action.trigger()


def cells(desk_window, heading: str) -> list[str]:
    """The texts of the column headed ``heading``, top to bottom."""
    table = desk_window.table
    (column,) = [c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == heading]
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_the_desk_from_the_report_list(qtbot, window, asked, stick, tmp_path):
    open_desk(window)
    desk_window = window.receive_window
    assert desk_window is not None and desk_window.isVisible()
    assert desk_window.table.rowCount() == 0 and not desk_window.buttons["summary"].isEnabled()
    asked["folders"].append(stick)
    QTest.mouseClick(desk_window.buttons["scan"], Qt.MouseButton.LeftButton)
    states = [item.state for item in desk_window.received]
    assert states == [ACCEPTED, FAILED, PENDING]
    assert "受理 1，证书待决定 1，验证未通过 1" in desk_window.status.text()
    assert cells(desk_window, "结论") == ["已受理", "验证未通过", "证书变更，待决定"]

    desk_window.table.selectRow(0)
    text = desk_window.details.toPlainText()
    assert "重新评分" in text and "与签名一致" in text and "验证通过" in text and "证书指纹" in text
    assert not desk_window.buttons["accept"].isEnabled() and desk_window.buttons["open_folder"].isEnabled()
    QTest.mouseClick(desk_window.buttons["open_folder"], Qt.MouseButton.LeftButton)
    assert asked["opened"] and asked["opened"][-1].is_dir()

    desk_window.table.selectRow(2)
    assert desk_window.buttons["accept"].isEnabled() and desk_window.buttons["reject"].isEnabled()
    QTest.mouseClick(desk_window.buttons["accept"], Qt.MouseButton.LeftButton)  # no reason given: nothing
    assert desk_window.received[2].state == PENDING
    asked["texts"].append("已电话核实：单位未更换证书")
    QTest.mouseClick(desk_window.buttons["reject"], Qt.MouseButton.LeftButton)
    assert desk_window.received[2].state == REJECTED
    assert desk_window.registry.audit_trail()[-1].reason == "已电话核实：单位未更换证书"

    cer = tmp_path / "unit.cer"
    cer.write_bytes(public_der(verify(next((stick / "1").iterdir())).cert))
    asked["files"].append(cer)
    QTest.mouseClick(desk_window.buttons["import_cert"], Qt.MouseButton.LeftButton)
    assert "已登记 政协乐昌市委员会机关 的证书" in asked["inform"][-1]
    assert desk_window.registry.unit("政协乐昌市委员会机关").how == "导入证书"

    strict = tmp_path / "strict.yaml"
    strict.write_text(FORM.read_text("utf-8").replace("{grade: 优, min: 90}", "{grade: 优, min: 97}"), "utf-8")
    asked["files"].append(strict)
    QTest.mouseClick(desk_window.buttons["forms"], Qt.MouseButton.LeftButton)
    assert "结果有变化的：2 个" in asked["inform"][-1]  # the accepted one and the rejected one
    assert "strict.yaml" in desk_window.status.text()
    assert cells(desk_window, "结论")[0] == "已受理；重新评分不一致"

    target = tmp_path / "汇总表.xlsx"
    asked["files"].append(target)
    QTest.mouseClick(desk_window.buttons["summary"], Qt.MouseButton.LeftButton)
    assert target.is_file() and "汇总表已写入" in asked["inform"][-1]

    desk_window.close()
    open_desk(window)
    assert window.receive_window is desk_window and desk_window.isVisible()
    window.close()


def test_the_desk_tells_the_department_report_from_each_project_report(qtbot, window, asked, year_stick):
    open_desk(window)
    desk_window = window.receive_window
    desk_window.action_scan(year_stick)
    assert cells(desk_window, "单位") == [UNIT] * 3
    assert cells(desk_window, "报告") == ["部门整体支出绩效自评", "项目支出绩效自评：政协委员履职服务保障",
                                        "项目支出绩效自评：文史资料编纂出版"]
    # the archive is named as the unit named its packages, not by the form's internal id
    assert [Path(item.stored).name for item in desk_window.received] == [
        "2022_部门整体支出绩效自评_第1号", "2022_政协委员履职服务保障项目支出绩效自评_第2号",
        "2022_文史资料编纂出版项目支出绩效自评_第3号"]
    shown = [desk_window.table.item(row, column).text() for row in range(desk_window.table.rowCount())
             for column in range(desk_window.table.columnCount())]
    for row in range(3):
        desk_window.table.selectRow(row)
        shown.append(desk_window.details.toPlainText())
    assert "项目支出绩效自评：文史资料编纂出版" in shown[-1].splitlines()[0]
    assert not [text for text in shown if any(form_id in text for form_id in FORM_IDS)]


def test_the_desk_closes_with_escape_and_ctrl_w(qtbot, window):
    for key, modifier in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)):
        open_desk(window)
        desk_window = window.receive_window
        desk_window.activateWindow()
        qtbot.waitUntil(desk_window.isActiveWindow)
        QTest.keyClick(desk_window.table, key, modifier)
        assert not desk_window.isVisible()
