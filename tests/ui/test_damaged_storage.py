"""The report list on damaged storage: a damaged report is marked and cannot be
opened, the others open, backup and restore stay reachable; a database that
cannot be opened at all offers restore at start."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from selfeval import paths


@pytest.fixture
def placed(home, case):
    """``placed(name)`` puts a corpus database where the program looks for it."""
    return lambda name: case(name, paths.database_path())


@pytest.fixture
def damaged_window(placed, request):
    placed("bad-timestamp.sqlite3")  # before the window opens the database
    return request.getfixturevalue("window")


def row_of(window, report_id: int) -> int:
    return [info.id for info in window.report_list.reports].index(report_id)


def test_a_damaged_report_is_marked_and_the_rest_keeps_working(qtbot, damaged_window, asked):
    window = damaged_window
    table = window.report_list.table
    assert table.rowCount() == 2
    damaged = row_of(window, 2)
    assert table.item(damaged, 3).text() == "已损坏"
    assert "最后修改时间“garbage”无法识别" in table.item(damaged, 0).toolTip()
    assert table.item(row_of(window, 1), 3).text() == "已定稿"

    table.selectRow(damaged)
    QTest.mouseClick(window.report_list.buttons["open"], Qt.MouseButton.LeftButton)
    assert window.wizard is None and "无法识别" in asked["warn"][-1]

    table.selectRow(row_of(window, 1))
    QTest.mouseClick(window.report_list.buttons["open"], Qt.MouseButton.LeftButton)
    assert window.wizard is not None and window.wizard.session.report_id == 1
    window.show_list()

    QTest.mouseClick(window.report_list.buttons["backup"], Qt.MouseButton.LeftButton)
    assert "已备份到" in asked["inform"][-1]


def test_restore_from_the_list_replaces_the_damaged_database(qtbot, damaged_window, asked, corpus):
    window = damaged_window
    asked["files"].append(corpus["good.sqlite3"])
    QTest.mouseClick(window.report_list.buttons["restore"], Qt.MouseButton.LeftButton)
    assert "已恢复" in asked["inform"][-1]
    assert [info.damage for info in window.report_list.reports] == [(), ()]


def test_a_refused_backup_leaves_the_list_working(qtbot, damaged_window, asked, corpus):
    window = damaged_window
    asked["files"].append(corpus["truncated.sqlite3"])
    QTest.mouseClick(window.report_list.buttons["restore"], Qt.MouseButton.LeftButton)
    assert "当前的数据库没有任何改动" in asked["warn"][-1]
    assert window.report_list.table.rowCount() == 2


def test_an_altered_final_report_opens_with_a_warning(qtbot, placed, request, asked):
    placed("tampered-final.sqlite3")
    window = request.getfixturevalue("window")
    assert window.report_list.table.item(row_of(window, 1), 3).text() == "定稿后被改动"
    window.open_report(1)
    assert "在本程序之外被改动过" in asked["warn"][-1]


def test_a_database_that_cannot_be_opened_offers_restore_at_start(qtbot, home, case, asked, corpus):
    from selfeval.ui.app import application, open_workspace

    application()
    case("truncated.sqlite3", paths.database_path())
    asked["files"] += [corpus["too-new.sqlite3"], corpus["good.sqlite3"]]
    workspace = open_workspace()
    try:
        assert workspace is not None
        assert [info.id for info in workspace.store.reports()] == [2, 1]
        assert "更新版本" in asked["warn"][-1]  # the first backup chosen was refused
        assert len(asked["confirm"]) == 2
    finally:
        workspace.close()


def test_giving_up_on_restore_at_start_quits_cleanly(qtbot, home, case, asked, monkeypatch):
    from selfeval.ui import app, dialogs

    app.application()
    case("missing-table.sqlite3", paths.database_path())
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked["confirm"].append(text) and False)
    assert app.open_workspace() is None
    assert "缺少数据表" in asked["confirm"][-1]
