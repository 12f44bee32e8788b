"""Grab the receiving desk's window after scanning a stick of good, tampered and forged packages.

Four units' packages (one of them sent twice: a resubmission), one package with a byte of its PDF
changed, and one unit's report signed again with a new certificate carrying the same names.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot_receive.py [output file]

Runs in a temporary data folder.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = ("政协乐昌市委员会机关", "乐昌市财政局", "乐昌市教育局", "平远县农业农村局")


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
    finally:
        workspace.close()
    return stick


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots" / "20-receive.png"
    with tempfile.TemporaryDirectory() as home:
        os.environ["SELFEVAL_HOME"] = home
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from selfeval.ui.app import application
        from selfeval.ui.receive_window import ReceiveWindow

        app = application()
        stick = make_stick(Path(home))
        window = ReceiveWindow()
        window.resize(1280, 800)
        window.show()
        window.action_scan(stick)
        pending = next(row for row, item in enumerate(window.received) if item.state == "pending")
        window.table.selectRow(pending)
        app.processEvents()
        window.grab().save(str(target))
        window.shutdown()
    print(target)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "desktop"))
    sys.exit(main(sys.argv))
