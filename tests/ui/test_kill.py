"""Start the GUI in a child process, type, let it be killed; nothing typed
more than about a second before the kill may be lost."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

from selfeval.workspace import Workspace

CHILD = textwrap.dedent("""
    import os, signal, sys, time
    sys.path.insert(0, {helpers!r})
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from selfeval import paths
    from selfeval.ui.app import application
    from selfeval.ui.main_window import MainWindow
    from selfeval.ui.settings import open_settings
    from selfeval.workspace import Workspace
    from human_input import replace_text, type_text

    app = application()
    window = MainWindow(Workspace.open(paths.database_path()), open_settings())
    window.show()
    window.activateWindow()
    window.do_action("demo")
    wizard = window.wizard
    wizard.go_to("basic.finance")
    replace_text(wizard.editor("income.total").focusProxy(), "700.5")
    wizard.go_to("basic.goals")
    box = wizard.editor("goals.summary").focusProxy()
    replace_text(box, "全年目标")
    type_text(box, "全部完成")   # still in the field: never left
    print("typed", flush=True)
    QTest.qWait(1500)
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_after_typing_keeps_what_was_typed(tmp_path):
    home = tmp_path / "home"
    env = dict(os.environ, SELFEVAL_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    script = CHILD.format(helpers=os.path.dirname(__file__))
    child = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert "typed" in child.stdout
    workspace = Workspace.open(home / "selfeval.sqlite3")
    try:
        (info,) = workspace.store.reports()
        values = workspace.open_report(info.id).values
    finally:
        workspace.store.close(backup=False)
    assert values["income.total"] == Decimal("700.5")
    assert values["goals.summary"] == "全年目标全部完成"
