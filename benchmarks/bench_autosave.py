"""One autosave of the department report while the unit has many project reports; prints JSON.

    .venv/bin/python benchmarks/bench_autosave.py [--projects 40] [--saves 100]

autosave: milliseconds of one write of a typed value through the wizard's session
(``ReportSession.edit`` then ``flush``: stored, re-scored, score cached), median and p95, for the
demo department report with ``projects`` project reports of its unit and year beside it, and with
none for comparison.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from itertools import count
from pathlib import Path

from _demo import median, percentile, timed

from selfeval.catalog import demo_report_path
from selfeval.ui.session import ReportSession
from selfeval.workspace import Workspace

PROJECT_DEMO = demo_report_path().parent / "project-self-eval-2022-demo-1.json"


def autosaves(projects: int, saves: int) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.open(Path(folder) / "bench.sqlite3")
        try:
            report_id = workspace.import_json(demo_report_path().read_text("utf-8"))
            document = json.loads(PROJECT_DEMO.read_text("utf-8"))
            for n in range(projects):
                document["values"]["project.name"] = f"项目{n + 1}"
                workspace.import_json(json.dumps(document, ensure_ascii=False))
            session = ReportSession(workspace, report_id)
            step = count()

            def save():
                session.edit("procurement.actual", f"{90 + next(step) % 1000 / 100:.2f}", leaving=True)
                assert session.flush()

            times, _ = timed(save, saves)
        finally:
            workspace.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=40)
    parser.add_argument("--saves", type=int, default=100)
    args = parser.parse_args()
    result = {}
    for projects in (args.projects, 0):
        times = autosaves(projects, args.saves)
        result[f"autosave_ms_{projects}_projects_median"] = round(median(times) * 1000, 2)
        result[f"autosave_ms_{projects}_projects_p95"] = round(percentile(times, 0.95) * 1000, 2)
    result["saves"] = args.saves
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
