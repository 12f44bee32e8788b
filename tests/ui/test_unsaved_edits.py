"""Typing is never lost silently: with the database locked by another program a save fails at
once with a lasting notice, the values stay in the window and are retried; closing asks, and can
keep them in a recovery file that the next start offers to apply."""
from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from selfeval.recovery import read_unsaved, recovery_path

from test_wizard_behaviour import open_demo, stored
from test_wizard_typing import leave


@pytest.fixture
def quick(monkeypatch):
    """Wait 0.1 s for the lock and retry every 0.2 s, so the tests do not sit out the real pauses."""
    from selfeval.ui import autosave, wizard_window

    monkeypatch.setattr(wizard_window, "LOCK_WAIT_SECONDS", 0.1)
    monkeypatch.setattr(autosave, "RETRY_MS", 200)


class Locker:
    """Another program holding the database's write lock."""

    def __init__(self, path):
        self.connection = sqlite3.connect(path, timeout=0, isolation_level=None)

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *_exc):
        self.connection.execute("ROLLBACK")
        self.connection.close()


def type_into(qtbot, wizard, field_id: str, text: str) -> None:
    line = wizard.editor(field_id).focusProxy()
    line.setFocus()
    line.setText(text)
    line.textEdited.emit(text)
    leave(qtbot)


def test_a_failed_save_is_shown_at_once_kept_and_retried(qtbot, window, quick):
    wizard = open_demo(window)
    path = window.workspace.store.path
    with Locker(path):
        type_into(qtbot, wizard, "income.basic", "500")
        wizard.flush()
        assert wizard.session.dirty and wizard.session.values["income.basic"] == Decimal("500")
        notice = wizard.score_panel.saved.text()
        assert notice.startswith("保存失败，修改仍保留在窗口中") and "正被另一个" in notice
        assert stored(window, "income.basic") != Decimal("500")
        qtbot.wait(400)  # retries while the lock is held fail again, and keep the notice
        assert wizard.session.dirty and wizard.score_panel.saved.text().startswith("保存失败")
    qtbot.waitUntil(lambda: not wizard.session.dirty, timeout=3000)
    assert stored(window, "income.basic") == Decimal("500")
    assert wizard.score_panel.saved.text().startswith("已保存")


def test_closing_with_unsaved_edits_keeps_them_for_the_next_start(qtbot, window, quick, asked, monkeypatch):
    from selfeval.ui import dialogs
    from selfeval.ui.main_window import MainWindow
    from selfeval.ui.settings import open_settings

    questions = []
    monkeypatch.setattr(dialogs, "choose", lambda _p, title, text, choices: questions.append(text) or "keep")
    wizard = open_demo(window)
    report_id = wizard.session.report_id
    path = window.workspace.store.path
    with Locker(path):
        type_into(qtbot, wizard, "income.basic", "512.34")
        window.show_list()  # back to the list: the last try fails, the clerk keeps the edits
    assert questions and "还没有保存" in questions[0]
    assert window.wizard is None
    kept = read_unsaved(path)
    assert kept.report_id == report_id and kept.values == {"income.basic": "512.34"}
    assert recovery_path(path).stat().st_mode & 0o077 == 0  # the owner's eyes only
    assert stored_in(window, report_id, "income.basic") != Decimal("512.34")

    again = MainWindow(window.workspace, open_settings())
    qtbot.addWidget(again)
    again.offer_recovery()
    assert any("有 1 项修改没有保存" in text for text in asked["confirm"])
    assert stored_in(window, report_id, "income.basic") == Decimal("512.34")
    assert not recovery_path(path).exists()
    assert any("已恢复 1 项修改" in text for text in asked["inform"])


def test_going_back_to_the_edits_keeps_the_report_open(qtbot, window, quick, monkeypatch):
    from selfeval.ui import dialogs

    monkeypatch.setattr(dialogs, "choose", lambda *_args: "stay")
    wizard = open_demo(window)
    with Locker(window.workspace.store.path):
        type_into(qtbot, wizard, "income.basic", "501")
        assert not window.settle_unsaved()
        assert window.wizard is wizard and wizard.session.dirty
    qtbot.waitUntil(lambda: not wizard.session.dirty, timeout=3000)  # the retry saves it after all
    assert stored(window, "income.basic") == Decimal("501")


def stored_in(window, report_id: int, field_id: str):
    return window.workspace.open_report(report_id).values.get(field_id)
