"""The Excel score table: render time of the demo report and the file size.

Prints one JSON object.  Run: .venv/bin/python benchmarks/bench_xlsx.py
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
from selfeval.export.xlsx import render_workbook  # noqa: E402
from selfeval.workspace import Workspace  # noqa: E402

RUNS = 5


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.open(Path(folder) / "bench.sqlite3")
        report = workspace.open_report(workspace.import_json(demo_report_path().read_text("utf-8")))
        workspace.close()
    evaluation = report.evaluate()
    timings, data = [], b""
    for _ in range(RUNS):
        start = time.perf_counter()
        data = render_workbook(report, evaluation)
        timings.append(time.perf_counter() - start)
    print(json.dumps({
        "xlsx_render_seconds_median": round(statistics.median(timings), 4),
        "xlsx_bytes": len(data),
    }))


if __name__ == "__main__":
    main()
