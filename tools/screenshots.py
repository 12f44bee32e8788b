"""Grab the start screen and every wizard page of the demo report into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [output folder]

Runs on a temporary data folder, so the person's own reports are never touched.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 860)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["SELFEVAL_HOME"] = home
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from selfeval import paths
        from selfeval.ui.app import application
        from selfeval.ui.main_window import MainWindow
        from selfeval.ui.settings import open_settings
        from selfeval.workspace import Workspace

        app = application()
        workspace = Workspace.open(paths.database_path())
        window = MainWindow(workspace, open_settings())
        window.resize(*SIZE)
        window.show()
        app.processEvents()
        written = [save(window, out / "00-start-empty.png")]
        window.do_action("demo")
        window.show_list()
        app.processEvents()
        written.append(save(window, out / "00-start.png"))
        window.report_list.open_requested.emit(window.report_list.selected_id())
        wizard = window.wizard
        for number, page in enumerate(wizard.navigator.pages, start=1):
            wizard.go_to(page.id)
            app.processEvents()
            written.append(save(window, out / f"{number:02d}-{page.id}.png"))
        window.close()
        workspace.store.close(backup=False)
    for path in written:
        print(path)
    return 0


def save(window, path: Path) -> Path:
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv))
