"""PDF export of the demo report: render time and size.

Prints one JSON object.  Run: .venv/bin/python benchmarks/bench_pdf.py
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from selfeval.catalog import demo_report_path  # noqa: E402
from selfeval.export.pdf import render_report  # noqa: E402
from selfeval.workspace import Workspace  # noqa: E402

RUNS = 5


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.open(Path(folder) / "bench.sqlite3")
        report = workspace.open_report(workspace.import_json(demo_report_path().read_text("utf-8")))
        evaluation = report.evaluate()
        when = datetime(2023, 1, 16, tzinfo=timezone.utc)
        start = time.perf_counter()
        pdf = render_report(report, evaluation, generated_at=when)
        first = time.perf_counter() - start
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            pdf = render_report(report, evaluation, generated_at=when)
            times.append(time.perf_counter() - start)
        workspace.close()
    print(json.dumps({
        "pdf_render_seconds_median": round(statistics.median(times), 3),
        "pdf_render_seconds_first": round(first, 3),  # includes loading and registering the fonts
        "pdf_bytes": len(pdf),
        "runs": RUNS,
    }, indent=2))


if __name__ == "__main__":
    main()
