"""Grab the export page's 3. 导出内容 with the demo department report and its two demo projects.

Four shots for each window size: one project report still a draft (the option cannot be chosen and
names it), both final (the option lists them, chosen), a project report being signed, and the package
written (folder, each report, verdict).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot_year_package.py [--size 1024x768] [output folder]

The window is 1366 × 768 unless ``--size`` says otherwise; the default folder is /tmp/shots-export.
Runs in a temporary data folder.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from screenshots import scratch_window

ROOT = Path(__file__).resolve().parents[1]
DEMOS = [ROOT / "resources" / "demo" / name for name in (
    "gd-dept-overall-2022-demo.json", "project-self-eval-2022-demo-1.json", "project-self-eval-2022-demo-2.json")]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT")
    parser.add_argument("out", nargs="?", default="/tmp/shots-export", help="output folder")
    args = parser.parse_args(argv[1:])
    width, _, height = args.size.lower().partition("x")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with scratch_window((int(width), int(height))) as (app, window, home):
        from selfeval import demo
        from selfeval.export.certs import new_self_signed
        from selfeval.ui.export_page import FOLDER_KEY

        workspace = window.workspace
        ids = [workspace.import_json(path.read_text("utf-8")) for path in DEMOS]
        for report_id in ids[:2]:
            demo.finalise(workspace, report_id)
        folder = home / "报送材料"
        folder.mkdir()
        window.settings.setValue(FOLDER_KEY, str(folder))
        window.show()
        window.refresh_list(select=ids[0])
        window.open_report(ids[0])
        window.wizard.go_to("export")
        page = window.wizard.current_view()
        tag = f"{width}x{height}"
        written = [shot(app, window, page, page.year_option, out / f"year-{tag}-1-draft-project.png")]

        demo.finalise(workspace, ids[2])
        page.refresh(window.wizard.session)
        page.year_option.check.click()
        password = "screenshot-only"
        pfx = new_self_signed(home / "证书" / "自签名证书.pfx", unit_name=window.wizard.session.info.unit_name,
                              person="陈明", password=password)
        page.pfx.setText(str(pfx))
        page.password.setText(password)
        written.append(shot(app, window, page, page.year_option, out / f"year-{tag}-2-ready.png"))

        page.start()
        deadline = time.monotonic() + 180
        while (page.busy or page.result is None) and time.monotonic() < deadline and not page.error.isVisible():
            app.processEvents()
            if page.busy and page.progress.value() == 4 and len(written) == 2:  # a project report's PDF
                written.append(shot(app, window, page, page.step, out / f"year-{tag}-3-exporting.png"))
            time.sleep(0.01)
        if page.result is None:
            raise SystemExit(f"export failed: {page.error.text()}")
        written.append(shot(app, window, page, page.result_box, out / f"year-{tag}-4-written.png"))
    for path in written:
        print(path)
    return 0


def shot(app, window, page, widget, path: Path) -> Path:
    """The window with ``widget`` scrolled into view on ``page``."""
    for _ in range(3):
        app.processEvents()
    page.ensureWidgetVisible(widget)
    app.processEvents()
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv))
