"""Fixtures for the desktop tests: offscreen Qt, a temporary data folder, and
a Qt message handler that fails any test during which Qt logs a warning."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: E402

# Harmless noise, listed one by one with the reason.
KNOWN_QT_NOISE = (
    # The offscreen platform cannot pass size hints to a window manager.
    "This plugin does not support propagateSizeHints()",
    # The offscreen platform has no native window to raise or activate.
    "This plugin does not support raise()",
    "This plugin does not support setParent()",
    # The offscreen platform cannot grab the keyboard for a drop-down list's popup.
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings():
    caught: list[str] = []

    def handler(kind, _context, message):
        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg:
            if not any(noise in message for noise in KNOWN_QT_NOISE):
                caught.append(f"{kind.name}: {message}")

    previous = qInstallMessageHandler(handler)
    yield caught
    qInstallMessageHandler(previous)
    assert not caught, "Qt logged warnings:\n" + "\n".join(caught)


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    monkeypatch.setenv("SELFEVAL_HOME", str(folder))
    return folder


@pytest.fixture
def asked(monkeypatch):
    """Replace every modal dialog; records what was shown, answers from queues."""
    from selfeval.ui import dialogs

    record = {"warn": [], "inform": [], "confirm": [], "texts": [], "files": [], "folders": [], "opened": []}

    def confirm(_parent, title, text):
        record["confirm"].append(text)
        return True

    def ask_text(_parent, title, label):
        return record["texts"].pop(0) if record["texts"] else None

    def pick_file(_parent, title, folder, pattern):
        return record["files"].pop(0) if record["files"] else None

    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "ask_text", ask_text)
    monkeypatch.setattr(dialogs, "warn", lambda _p, title, text: record["warn"].append(text))
    monkeypatch.setattr(dialogs, "inform", lambda _p, title, text: record["inform"].append(text))
    monkeypatch.setattr(dialogs, "open_file", pick_file)
    monkeypatch.setattr(dialogs, "save_file", pick_file)
    monkeypatch.setattr(dialogs, "pick_folder",
                        lambda _p, title, folder: record["folders"].pop(0) if record["folders"] else None)
    monkeypatch.setattr(dialogs, "show_folder", lambda folder: record["opened"].append(folder) or True)
    return record


@pytest.fixture
def workspace(home):
    from selfeval import paths
    from selfeval.workspace import Workspace

    ws = Workspace.open(paths.database_path())
    yield ws
    ws.store.close(backup=False)


@pytest.fixture
def window(qtbot, workspace, asked):
    from selfeval.ui.app import application
    from selfeval.ui.main_window import MainWindow
    from selfeval.ui.settings import open_settings

    application()
    win = MainWindow(workspace, open_settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitActive(win)
    yield win
    if win.wizard is not None:
        win.wizard.shutdown()
    win.workspace.store.close(backup=False)
