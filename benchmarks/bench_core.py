"""Core figures: form load, re-check and re-score after one edit, one autosave commit.

Prints one JSON object.  Run: .venv/bin/python benchmarks/bench_core.py
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from selfeval.catalog import demo_report_path, forms_dir  # noqa: E402
from selfeval.engine import evaluate  # noqa: E402
from selfeval.formfile import load_form  # noqa: E402
from selfeval.values import parse_input  # noqa: E402
from selfeval.workspace import Workspace  # noqa: E402


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def main() -> None:
    form_file = forms_dir() / "gd-dept-overall-2022.yaml"
    loads = []
    for _ in range(10):
        start = time.perf_counter()
        form = load_form(form_file)
        loads.append(time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.open(Path(folder) / "bench.sqlite3")
        report_id = workspace.import_json(demo_report_path().read_text("utf-8"))
        report = workspace.open_report(report_id)
        values, explanations = dict(report.values), report.explanations
        field = report.form.fields["procurement.actual"]
        edits = []
        for i in range(500):
            start = time.perf_counter()
            values[field.id] = parse_input(report.form, field, f"{90 + i % 5}.{i % 100:02d}").value
            evaluation = evaluate(report.form, values, explanations)
            edits.append(time.perf_counter() - start)
        assert evaluation.scores["fm_procurement_rate"].score is not None

        # typing into the longest narrative: every keystroke changes the text the text checks read
        text_field = report.form.fields["achievements"]
        base_text = values.get("achievements") or "主要绩效"
        while len(base_text) < 5000:  # the sample's 主要绩效 runs to about 5,000 characters
            base_text += "\n" + base_text
        typing = []
        for i in range(300):
            start = time.perf_counter()
            values[text_field.id] = parse_input(report.form, text_field, base_text + "字" * i).value
            evaluation = evaluate(report.form, values, explanations)
            typing.append(time.perf_counter() - start)

        commits = []
        for i in range(200):
            start = time.perf_counter()
            workspace.store.set_values(report_id, {"procurement.actual": str(Decimal(90) + Decimal(i) / 100)})
            commits.append(time.perf_counter() - start)
        workspace.close()

    print(json.dumps({
        "form_load_ms_median": ms(statistics.median(loads)),
        "edit_recheck_rescore_ms_median": ms(statistics.median(edits)),
        "edit_recheck_rescore_ms_p95": ms(percentile(edits, 0.95)),
        "long_text_keystroke_ms_median": ms(statistics.median(typing)),
        "long_text_keystroke_ms_p95": ms(percentile(typing, 0.95)),
        "long_text_chars": len(base_text) + 300,
        "autosave_commit_ms_median": ms(statistics.median(commits)),
        "autosave_commit_ms_p95": ms(percentile(commits, 0.95)),
        "runs": {"form_load": len(loads), "edits": len(edits), "keystrokes": len(typing),
                 "commits": len(commits)},
    }, indent=2))


if __name__ == "__main__":
    main()
