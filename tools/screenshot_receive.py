"""Grab the receiving desk's window after scanning a stick of good, tampered and forged packages.

Four units' packages (one of them sent twice: a resubmission), one package with a byte of its PDF
changed, one unit's report signed again with a new certificate carrying the same names, and one
unit's package of the year: its department report with its two projects' reports.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot_receive.py [--size 1024x768] [output file]

The screen is 1366 × 768 unless ``--size`` says otherwise; the window opens as the program sizes it
on such a screen.  Runs in a temporary data folder.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = ("政协乐昌市委员会机关", "乐昌市财政局", "乐昌市教育局", "平远县农业农村局")
YEAR_UNIT = "乐昌市文化广电旅游体育局"  # sends its department report with its projects' in one package
DEMOS = [ROOT / "resources" / "demo" / name for name in (
    "gd-dept-overall-2022-demo.json", "project-self-eval-2022-demo-1.json", "project-self-eval-2022-demo-2.json")]


def export(workspace, report_id: int, stick: Path, folder: Path, slot: str):
    from selfeval import demo

    out = stick / slot
    out.mkdir(parents=True)
    return demo.export_with_temporary_certificate(workspace, report_id, out_dir=out, work_dir=folder,
                                                  make_zip=slot.endswith("zip"))


def make_stick(folder: Path) -> Path:
    from selfeval import demo
    from selfeval.workspace import Workspace

    stick = folder / "U盘"
    workspace = Workspace.open(folder / "units.sqlite3")
    try:
        first = None
        for number, unit in enumerate(UNITS):
            report_id, _ = demo.find_or_import_demo(workspace) if number == 0 else (
                workspace.import_json((ROOT / "resources" / "demo" / "gd-dept-overall-2022-demo.json")
                                      .read_text("utf-8")), False)
            workspace.set_text(report_id, "unit.name", unit)
            demo.finalise(workspace, report_id)
            result = export(workspace, report_id, stick, folder, f"{number}-zip" if number == 2 else str(number))
            first = first or (workspace, report_id, result)
        workspace_, report_id, genuine = first
        # a resubmission of the first unit: reopened, one score lowered, signed again with the same certificate
        tampered = stick / "5" / genuine.folder.name
        shutil.copytree(genuine.folder, tampered)
        pdf = tampered / genuine.pdf_path.name
        data = pdf.read_bytes()
        pdf.write_bytes(data[:4000] + bytes([data[4000] ^ 1]) + data[4001:])
        # the forger: the same report, a raised score, a new self-signed certificate with the same names
        workspace.reopen(report_id, "示例：伪造")
        workspace.set_text(report_id, "score.bp_scientific", "4")
        workspace.set_text(report_id, "reason.bp_scientific", "")
        demo.finalise(workspace, report_id)
        export(workspace, report_id, stick, folder, "6")
        year_package(workspace, stick / "7", folder)
    finally:
        workspace.close()
    return stick


def year_package(workspace, out: Path, folder: Path) -> None:
    """One unit's department report and its two projects' reports, signed into one package."""
    from selfeval import demo
    from selfeval.export.certs import new_self_signed
    from selfeval.export.pipeline import export_year

    ids = [workspace.import_json(path.read_text("utf-8")) for path in DEMOS]
    for report_id in ids:
        workspace.set_text(report_id, "unit.name", YEAR_UNIT)
        demo.finalise(workspace, report_id)
    password = "screenshot-only"
    pfx = new_self_signed(folder / "year.pfx", unit_name=YEAR_UNIT, person="示例签署人", password=password)
    out.mkdir(parents=True)
    export_year(workspace, ids[0], pfx=pfx, password=password, out_dir=out, make_zip=False)


def main(argv: list[str]) -> int:
    import argparse

    from screenshots import offscreen_screen

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768", help="screen size, WIDTHxHEIGHT")
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots" / "20-receive.png"),
                        help="output file")
    args = parser.parse_args(argv[1:])
    width, _, height = args.size.lower().partition("x")
    target = Path(args.out)
    with tempfile.TemporaryDirectory() as home:
        os.environ["SELFEVAL_HOME"] = home
        offscreen_screen((int(width), int(height)))
        from selfeval.ui.app import application
        from selfeval.ui.receive_window import ReceiveWindow

        app = application()
        stick = make_stick(Path(home))
        window = ReceiveWindow()
        window.show()
        window.action_scan(stick)
        pending = next(row for row, item in enumerate(window.received) if item.state == "pending")
        window.table.selectRow(pending)
        for _ in range(3):  # the columns share the width once the rows are laid out
            app.processEvents()
        window.grab().save(str(target))
        window.shutdown()
    print(target)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "desktop"))
    sys.path.insert(0, str(ROOT / "tools"))
    sys.exit(main(sys.argv))
