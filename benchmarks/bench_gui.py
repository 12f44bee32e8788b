"""How quickly the desktop program starts and follows typing; prints JSON.

    .venv/bin/python benchmarks/bench_gui.py [--runs 5] [--edits 50]

startup: seconds from starting a Python process to its main window being
shown and the event loop running, median of ``runs`` child processes; a bare
QWizard is measured the same way for comparison.
keystroke: milliseconds from a key press in a manual indicator's score field
to the total in the score panel showing the new score (median and p95).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD_SELFEVAL = """
import sys
from PySide6.QtCore import QTimer
from selfeval import paths
from selfeval.ui.app import application
from selfeval.ui.main_window import MainWindow
from selfeval.ui.settings import open_settings
from selfeval.workspace import Workspace
app = application()
window = MainWindow(Workspace.open(paths.database_path()), open_settings())
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

CHILD_QWIZARD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage
app = QApplication(sys.argv[:1])
wizard = QWizard()
page = QWizardPage()
QVBoxLayout(page).addWidget(QLabel("部门整体支出绩效自评"))
wizard.addPage(page)
wizard.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def time_child(code: str, env: dict) -> float:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait(timeout=60)
    if line.strip() != "shown":
        raise SystemExit(f"child did not show its window (exit {child.returncode})")
    return elapsed


def startup(runs: int, home: str) -> dict:
    env = dict(os.environ, SELFEVAL_HOME=home)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    ours = [time_child(CHILD_SELFEVAL, env) for _ in range(runs)]
    bare = [time_child(CHILD_QWIZARD, env) for _ in range(runs)]
    return {"selfeval_s": round(statistics.median(ours), 3), "bare_qwizard_s": round(statistics.median(bare), 3),
            "runs": runs}


def keystroke(edits: int) -> dict:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from selfeval import paths
    from selfeval.ui.app import application
    from selfeval.ui.main_window import MainWindow
    from selfeval.ui.settings import open_settings
    from selfeval.workspace import Workspace

    app = application()
    workspace = Workspace.open(paths.database_path())
    window = MainWindow(workspace, open_settings())
    window.show()
    window.do_action("demo")
    wizard = window.wizard
    wizard.go_to("analysis.budget_prep")
    line = wizard.editor("score.bp_rationality").focusProxy()
    line.setFocus()
    panel = wizard.score_panel
    loop = QEventLoop()
    shown = panel.show_evaluation
    samples: list[float] = []
    start = 0.0

    def show_and_time(evaluation, *more):
        before = panel.total.text()
        shown(evaluation, *more)
        if panel.total.text() != before and loop.isRunning():
            panel.total.repaint()
            samples.append((time.perf_counter() - start) * 1000)
            loop.quit()

    panel.show_evaluation = show_and_time
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    for n in range(edits):
        QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        count = len(samples)
        start = time.perf_counter()
        QTest.keyClick(line, "4" if n % 2 == 0 else "5")
        guard.start(2000)
        loop.exec()
        guard.stop()
        if len(samples) == count:
            raise SystemExit("the score label did not change")
    window.close()
    workspace.store.close(backup=False)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2), "edits": edits}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as home:
        os.environ["SELFEVAL_HOME"] = home
        result = {"startup": startup(args.runs, home), "keystroke_to_score": keystroke(args.edits),
                  "platform": os.environ["QT_QPA_PLATFORM"]}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
