"""The receiving desk on a USB stick of 100 packages (70 folders, 30 .zip), each unit with its own certificate.

The packages are the demo report signed for 100 units (rendered once, signed 100 times).
Prints JSON: the wall time of one ``selfeval receive STICK --out 汇总.xlsx`` in a fresh process
(start-up and imports included), and of receiving the same stick again (every package a duplicate).
Run: .venv/bin/python benchmarks/bench_receive.py
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _demo import demo_workspace

PACKAGES = 100
ZIPPED = 30
PASSWORD = "bench-pass"
ROOT = Path(__file__).resolve().parents[1]


def make_stick(workspace, report_id: int, folder: Path) -> Path:
    from selfeval.export.certs import fingerprint, load_signer, new_self_signed
    from selfeval.export.package import (manifest_fields, package_name, report_attachments, summary_attachment,
                                         write_package)
    from selfeval.export.pdf import render_report_placed
    from selfeval.export.pipeline import XLSX_MIME
    from selfeval.export.sign import sign_pdf
    from selfeval.export.xlsx import render_workbook

    for finding in workspace.evaluate(report_id).unexplained_warnings:
        workspace.set_explanation(report_id, finding.check, "基准测试")
    workspace.finalize(report_id)
    report = workspace.open_report(report_id)
    evaluation = report.evaluate()
    xlsx = render_workbook(report, evaluation)
    rendered = render_report_placed(report, evaluation)
    stick = folder / "stick"
    stick.mkdir()
    for number in range(PACKAGES):
        unit = f"基准测试第{number:03d}单位"
        unit_report = dataclasses.replace(report, values={**report.values, "unit.name": unit})
        signer = load_signer(new_self_signed(folder / f"{number}.pfx", unit_name=unit, person="测试",
                                             password=PASSWORD), PASSWORD)
        fields = manifest_fields(unit_report, evaluation)
        fields["cert_sha256"] = fingerprint(signer.signing_cert)
        name = package_name(report.info.year, unit, report.form.short_title)
        signed = sign_pdf(rendered.pdf, signer, box=rendered.signature_box,
                          attachments=[(f"{name}.xlsx", xlsx, XLSX_MIME), summary_attachment(fields),
                                       *report_attachments(unit_report, evaluation)])
        zipped = number < ZIPPED
        written = write_package(stick, name=name, pdf=signed, xlsx=xlsx, manifest=fields, make_zip=zipped)
        if zipped:
            shutil.rmtree(written)
    return stick


def receive(stick: Path, home: Path) -> tuple[float, str]:
    environment = {**os.environ, "SELFEVAL_HOME": str(home), "PYTHONPATH": str(ROOT / "desktop")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "selfeval", "receive", str(stick), "--out", str(home / "汇总.xlsx")],
                          capture_output=True, text=True, env=environment)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"receive failed ({done.returncode}): {done.stdout[-500:]}{done.stderr[-500:]}")
    return seconds, done.stdout.strip().splitlines()[-2]


def main() -> None:
    with demo_workspace() as (workspace, report_id, folder):
        stick = make_stick(workspace, report_id, folder)
        home = folder / "home"
        first, counts = receive(stick, home)
        again, _ = receive(stick, home)
    print(json.dumps({
        "packages": PACKAGES,
        "receive_seconds": round(first, 2),
        "receive_per_package_seconds": round(first / PACKAGES, 3),
        "receive_again_seconds": round(again, 2),
        "counts": counts,
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
