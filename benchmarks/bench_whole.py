"""Whole processes, as the clerk starts them: export, verify, score and the window; prints JSON.

    .venv/bin/python benchmarks/bench_whole.py [--runs 5] [--compare OTHER/desktop] [--frozen dist/selfeval]

Each command runs once to warm the disk cache, then ``runs`` times; for each the
wall-clock median and maximum, the CPU seconds (user + system, less sensitive to
other load on the machine) and the peak memory of the process are printed beside
the floor measured in the same run: ``python -c "import selfeval"`` and a bare
QWizard shown.  ``gui`` is the time from starting Python to the main window
showing the report list, ``gui_window`` to the main window being shown (its list may still be
loading).  ``--compare`` measures a second source tree (for
instance an older commit checked out with ``git worktree add``) in the same
run, its runs interleaved with this tree's so both see the same load.  ``--frozen`` measures
the bundle's program (``tools/build_bundle.sh``) alongside: ``export``, ``verify``, ``score``
and ``gui`` (``selfeval gui --startup-check``, which quits once the report list is shown).

The children keep compiled bytecode (in a temporary ``PYTHONPYCACHEPREFIX`` folder, written
by the warm-up run), as an installed program or the bundle has it, even where the calling
environment sets ``PYTHONDONTWRITEBYTECODE``; ``--no-bytecode`` compiles every module from
source in every run instead.
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
from pathlib import Path

from bench_gui import CHILD_QWIZARD  # the floor: the same bare QWizard as bench_gui's

HERE = Path(__file__).resolve().parent
STARTED = "已显示报告列表"  # what `selfeval gui --startup-check` prints (selfeval.ui.app.STARTED)
PASSWORD = "bench-pass-123"

# prints "shown" once the main window is visible and, for "gui", lists the reports
CHILD_GUI = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from selfeval.ui import app as gui

def listed():
    for widget in QApplication.topLevelWidgets():
        reports = getattr(getattr(widget, "report_list", None), "reports", None)
        if widget.isVisible() and (reports or WINDOW_ONLY) and hasattr(widget, "report_list"):
            print("shown", flush=True)
            QApplication.quit()
            return
    poll.start(2)

application = gui.application()
poll = QTimer(singleShot=True)
poll.timeout.connect(listed)
poll.start(0)
gui.run()
"""



def run_once(argv: list[str], env: dict, until_line: str | None = None) -> dict:
    """Wall seconds, CPU seconds and peak memory (MB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if until_line is not None:
        line = child.stdout.readline()
        wall = time.perf_counter() - start
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if until_line is None:
        wall = time.perf_counter() - start
    out, err = child.communicate()
    if child.returncode != 0 or (until_line is not None and line.strip() != until_line):
        raise SystemExit(f"{' '.join(argv[:4])}… failed ({child.returncode}): {err.strip()[-400:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20}


def summary(samples: list[dict]) -> dict:
    walls = [s["wall"] for s in samples]
    return {"wall_median_s": round(statistics.median(walls), 3), "wall_max_s": round(max(walls), 3),
            "cpu_median_s": round(statistics.median(s["cpu"] for s in samples), 3),
            "peak_mb": round(max(s["rss_mb"] for s in samples), 1)}


class Tree:
    """One source tree, with its own data folder holding the finalised demo report and a certificate."""

    def __init__(self, desktop: Path, home: Path, bytecode: bool = True):
        self.desktop, self.home = desktop, home
        self.env = dict(os.environ, PYTHONPATH=str(desktop), SELFEVAL_HOME=str(home),
                        SELFEVAL_PFX_PASSWORD=PASSWORD)
        if bytecode:  # compiled once by the warm-up, kept out of the source tree
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        self.env.setdefault("QT_QPA_PLATFORM", "offscreen")
        self.pfx = home / "unit.pfx"
        self.runs = 0

    def cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "selfeval", *args]

    def gui(self, window_only: bool) -> dict:
        code = f"WINDOW_ONLY = {window_only}" + CHILD_GUI
        return run_once([sys.executable, "-c", code], self.env, until_line="shown")

    def prepare(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        code = (
            "from selfeval.catalog import demo_report_path\n"
            "from selfeval.workspace import Workspace\n"
            "from selfeval import paths\n"
            "ws = Workspace.open(paths.database_path())\n"
            "rid = ws.import_json(demo_report_path().read_text('utf-8'))\n"
            "for f in ws.evaluate(rid).unexplained_warnings: ws.set_explanation(rid, f.check, '已核对。')\n"
            "ws.finalize(rid)\n"
            "ws.close()\n"
        )
        subprocess.run([sys.executable, "-c", code], env=dict(self.env, PYTHONPATH=str(HERE.parent / "desktop")),
                       check=True)
        subprocess.run(self.cli("cert", "new", "--out", str(self.pfx), "--unit", "政协乐昌市委员会机关",
                                "--person", "张三"), env=self.env, check=True, capture_output=True)
        self.export()
        self.package = self.last_package

    def export(self) -> dict:
        self.runs += 1
        out = self.home / f"out{self.runs}"
        out.mkdir()
        measured = run_once(self.cli("export", "1", "--pfx", str(self.pfx), "--out", str(out)), self.env)
        (self.last_package,) = [p for p in out.iterdir() if p.is_dir()]
        return measured

    def commands(self) -> dict:
        return {
            "export": self.export,
            "verify": lambda: run_once(self.cli("verify", str(self.package)), self.env),
            "score": lambda: run_once(self.cli("score", "1"), self.env),
            "gui": lambda: self.gui(window_only=False),
            "gui_window": lambda: self.gui(window_only=True),
        }


class Frozen(Tree):
    """The bundle's program (one folder built by tools/build_bundle.sh), with a data folder of its own."""

    def __init__(self, folder: Path, home: Path):
        super().__init__(folder, home, bytecode=False)
        self.program = folder / ("selfeval.exe" if sys.platform == "win32" else "selfeval")

    def cli(self, *args: str) -> list[str]:
        return [str(self.program), *args]

    def commands(self) -> dict:
        measured = super().commands()
        del measured["gui_window"]  # the bundle runs no code of ours to see the bare window
        measured["gui"] = lambda: run_once(self.cli("gui", "--startup-check"), self.env, until_line=STARTED)
        return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="another source tree's desktop folder, measured alongside")
    parser.add_argument("--frozen", type=Path, help="the bundle's folder (dist/selfeval), measured alongside")
    parser.add_argument("--only", nargs="*", help="commands to measure (export verify score gui gui_window)")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module from source in every run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"this": Tree(HERE.parent / "desktop", Path(scratch) / "this",
                                not args.no_bytecode)}
        if args.compare:
            trees["compare"] = Tree(args.compare.resolve(), Path(scratch) / "compare", not args.no_bytecode)
        if args.frozen:
            trees["frozen"] = Frozen(args.frozen.resolve(), Path(scratch) / "frozen")
        for tree in trees.values():
            tree.prepare()
        floor_env = trees["this"].env
        floors = {"import_selfeval": lambda: run_once([sys.executable, "-c", "import selfeval"], floor_env),
                  "bare_qwizard": lambda: run_once([sys.executable, "-c", CHILD_QWIZARD], floor_env,
                                                   until_line="shown")}
        names = args.only or list(trees["this"].commands())
        samples: dict[tuple[str, str], list[dict]] = {}
        jobs = [("floor", name, action) for name, action in floors.items()]
        jobs += [(label, name, tree.commands()[name]) for name in names for label, tree in trees.items()
                 if name in tree.commands()]
        for _label, _name, action in jobs:  # warm-up
            action()
        for _ in range(args.runs):  # interleaved, so that every command sees the same load
            for label, name, action in jobs:
                samples.setdefault((label, name), []).append(action())
    result: dict = {"runs": args.runs, "cpus": os.cpu_count(), "bytecode": not args.no_bytecode,
                    "floor": {}, "this": {}}
    for (label, name), taken in samples.items():
        result.setdefault(label, {})[name] = summary(taken)
    bare = result["floor"]["bare_qwizard"]["wall_median_s"]
    for label in trees:
        for name in ("gui", "gui_window"):
            if name in result[label]:
                result[label][name]["times_bare_qwizard"] = round(result[label][name]["wall_median_s"] / bare, 2)
    if args.compare:
        result["compare_tree"] = str(args.compare)
    if args.frozen:
        result["frozen_folder"] = str(args.frozen)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
