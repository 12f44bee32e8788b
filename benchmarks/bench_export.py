"""A full export of the demo report: Excel + PDF + signature + package + verification.

Prints JSON: the first export in a fresh process (imports and font loading included), the
median of the following runs, and the sizes.  Run: .venv/bin/python benchmarks/bench_export.py
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from selfeval.catalog import demo_report_path  # noqa: E402
from selfeval.workspace import Workspace  # noqa: E402

RUNS = 6


def main() -> None:
    from selfeval.export.certs import new_self_signed
    from selfeval.export.pipeline import export_report

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        workspace = Workspace.open(home / "bench.sqlite3")
        report_id = workspace.import_json(demo_report_path().read_text("utf-8"))
        for finding in workspace.evaluate(report_id).unexplained_warnings:
            workspace.set_explanation(report_id, finding.check, "基准测试")
        workspace.finalize(report_id)
        pfx = new_self_signed(home / "bench.pfx", unit_name="基准测试单位", person="测试", password="bench-pass")
        times, result = [], None
        for run in range(RUNS):
            out = home / f"out{run}"
            out.mkdir()
            start = time.perf_counter()
            result = export_report(workspace, report_id, pfx=pfx, password="bench-pass", out_dir=out,
                                   make_zip=True)
            times.append(time.perf_counter() - start)
            assert result.verdict.ok, result.verdict.text()
        pdf_bytes = result.pdf_path.stat().st_size
        workspace.close()
    print(json.dumps({
        "export_first_seconds": round(times[0], 3),
        "export_seconds_median": round(statistics.median(times[1:]), 3),
        "runs": RUNS - 1,
        "signed_pdf_bytes": pdf_bytes,
    }, indent=2))


if __name__ == "__main__":
    main()
