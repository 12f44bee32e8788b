"""Rendering the demo report: the PDF and the Excel score table, times and sizes.

Prints one JSON object.  Run: .venv/bin/python benchmarks/bench_render.py
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from _demo import demo_workspace, median, timed

RUNS = 5


def main() -> None:
    from selfeval.export.pdf import render_report
    from selfeval.export.xlsx import render_workbook

    when = datetime(2023, 1, 16, tzinfo=timezone.utc)
    with demo_workspace() as (workspace, report_id, _):
        report = workspace.open_report(report_id)
    evaluation = report.evaluate()
    (first,), _ = timed(lambda: render_report(report, evaluation, generated_at=when), 1)
    pdf_times, pdf = timed(lambda: render_report(report, evaluation, generated_at=when), RUNS)
    xlsx_times, xlsx = timed(lambda: render_workbook(report, evaluation, generated_at=when), RUNS)
    print(json.dumps({
        "pdf_render_seconds_first": round(first, 3),  # includes loading and registering the fonts
        "pdf_render_seconds_median": round(median(pdf_times), 3),
        "pdf_bytes": len(pdf),
        "xlsx_render_seconds_median": round(median(xlsx_times), 4),
        "xlsx_bytes": len(xlsx),
        "runs": RUNS,
    }, indent=2))


if __name__ == "__main__":
    main()
