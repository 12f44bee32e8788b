"""Grab the start screen and every wizard page of the demo report into docs/screenshots/.

Pages longer than the window get a second shot, scrolled down to where values
are worked out from what was typed (编制数合计, 政府采购执行率, the “三公” sums).

The export page is shown after a real export: the demo's warning is explained,
the report finalised, a self-signed certificate made and the package written
into the temporary data folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [--size 1024x768] [output folder]

The window is 1366 × 768 (the office laptop) unless ``--size`` says otherwise;
the screenshots in docs/screenshots/ are at 1366 × 768, those in
docs/screenshots/1024x768/ at 1024 × 768.  Offscreen, the screen itself is
made that size, so dialogs open as large as they would on such a laptop.

Last, the review screen of 从 Word 导入 on a Word file written from the demo's texts.

Runs on a temporary data folder, so the person's own reports are never touched.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)
# page id → the field row or indicator block its second shot starts at
DETAILS = {
    "basic.overview": "staff.authorized_admin",
    "analysis.budget_exec": "fm_procurement_rate",
    "analysis.effectiveness": "ec_sangong",
}


def parse_args(argv: list[str]) -> tuple[tuple[int, int], Path]:
    import argparse

    parser = argparse.ArgumentParser(description="Screenshots of every page of the demo report")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", help="window size, WIDTHxHEIGHT")
    parser.add_argument("out", nargs="?", help="output folder (default: docs/screenshots/, or a "
                                               "subfolder named after a size other than 1366x768)")
    args = parser.parse_args(argv[1:])
    width, _, height = args.size.lower().partition("x")
    size = (int(width), int(height))
    folder = ROOT / "docs" / "screenshots"
    return size, Path(args.out) if args.out else folder if size == SIZE else folder / f"{size[0]}x{size[1]}"


def offscreen_screen(size: tuple[int, int]) -> None:
    """Offscreen (unless another platform is asked for), on one screen of ``size``: every window and
    dialog is fitted to it by the program as on a laptop of that size (the plain offscreen screen
    is 800 × 800)."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    config = Path(tempfile.gettempdir()) / f"selfeval-screen-{size[0]}x{size[1]}.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": size[0],
                                               "height": size[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


@contextmanager
def scratch_window(size: tuple[int, int]):
    """The main window on a temporary data folder (offscreen unless a display is asked for), so
    the person's own reports are never touched: yields the application, the window and the folder."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["SELFEVAL_HOME"] = home
        offscreen_screen(size)
        from selfeval import paths
        from selfeval.ui.app import application
        from selfeval.ui.main_window import MainWindow
        from selfeval.ui.settings import open_settings
        from selfeval.workspace import Workspace

        app = application()
        workspace = Workspace.open(paths.database_path())
        window = MainWindow(workspace, open_settings())
        window.resize(*size)
        try:
            yield app, window, Path(home)
        finally:
            window.close()
            workspace.store.close(backup=False)


def main(argv: list[str]) -> int:
    size, out = parse_args(argv)
    out.mkdir(parents=True, exist_ok=True)
    with scratch_window(size) as (app, window, home):
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
            if page.is_export:
                exported(window, app, home)
            else:
                wizard.go_to(page.id)
            app.processEvents()
            written.append(save(window, out / f"{number:02d}-{page.id}.png"))
            if page.id in DETAILS:
                scroll_to(wizard.current_view(), DETAILS[page.id])
                app.processEvents()
                written.append(save(window, out / f"{number:02d}-{page.id}-detail.png"))
                wizard.current_view().verticalScrollBar().setValue(0)
        written.append(import_review(window, app, home, out / "import-review.png"))
    for path in written:
        print(path)
    return 0


def exported(window, app, home: Path) -> None:
    """Finalise the open report and export it through the export page, as a person would."""
    from selfeval.export.certs import new_self_signed
    from selfeval.ui.export_page import FOLDER_KEY

    wizard = window.wizard
    for finding in wizard.session.evaluation.unexplained_warnings:
        wizard.explain(finding.check, "超编人员系历史遗留，已结合退休逐步消化。")
    wizard.finalize()
    folder = home / "报送材料"
    folder.mkdir()
    window.settings.setValue(FOLDER_KEY, str(folder))
    wizard.go_to("export")
    page = wizard.current_view()
    password = "screenshot-only"
    person = str(wizard.session.values.get("signoff.unit_head") or "签署人")
    pfx = new_self_signed(home / "证书" / "自签名证书.pfx", unit_name=wizard.session.info.unit_name,
                          person=person, password=password)
    page.pfx.setText(str(pfx))
    page.password.setText(password)
    page.start()
    deadline = time.monotonic() + 120
    while (page.busy or page.result is None) and time.monotonic() < deadline and not page.error.isVisible():
        app.processEvents()
        time.sleep(0.01)
    if page.result is None:
        raise SystemExit(f"export failed: {page.error.text()}")
    app.processEvents()


def import_review(window, app, home: Path, path: Path) -> Path:
    """The review screen of 从 Word 导入, on a Word file written from the demo's texts."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_docimport import build_docx

    from selfeval import docimport
    from selfeval.catalog import FormCatalog, demo_report_path
    from selfeval.interchange import read_report
    from selfeval.ui.import_dialog import ImportReviewDialog

    demo = read_report(FormCatalog(), demo_report_path().read_text(encoding="utf-8"))
    source = build_docx(home / "2022年度部门整体支出绩效自评报告.docx", demo)
    plan = docimport.plan_import(demo.form, docimport.read_blocks(source))
    dialog = ImportReviewDialog(demo.form, plan, target="政协乐昌市委员会机关 2022 年度（新建）",
                                current={}, source=source.name, parent=window)  # as large as the screen allows
    dialog._tick_all(True)
    dialog.show()
    app.processEvents()
    saved = save(dialog, path)
    dialog.close()
    return saved


def scroll_to(view, target: str) -> None:
    """Scroll a page so that a field's row or an indicator's block is near the top."""
    widget = view.blocks[target] if target in view.blocks else view.rows[target].label
    top = widget.mapTo(view.widget(), widget.rect().topLeft()).y()
    view.verticalScrollBar().setValue(top - 12)


def save(window, path: Path) -> Path:
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv))
