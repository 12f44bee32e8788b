"""Core figures: form load, re-check and re-score after one edit, one autosave commit.

Prints one JSON object.  Run: .venv/bin/python benchmarks/bench_core.py
"""
from __future__ import annotations

import json
from decimal import Decimal
from itertools import count

from _demo import demo_workspace, median, percentile, timed

from selfeval.catalog import forms_dir
from selfeval.engine import evaluate
from selfeval.formfile import load_form
from selfeval.values import parse_input


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def main() -> None:
    loads, _ = timed(lambda: load_form(forms_dir() / "gd-dept-overall-2022.yaml"), 10)

    with demo_workspace() as (workspace, report_id, _):
        report = workspace.open_report(report_id)
        form, values, explanations = report.form, dict(report.values), report.explanations
        step = count()

        def edit_amount():
            i = next(step)
            field = form.fields["procurement.actual"]
            values[field.id] = parse_input(form, field, f"{90 + i % 5}.{i % 100:02d}").value
            return evaluate(form, values, explanations)

        edits, evaluation = timed(edit_amount, 500)
        assert evaluation.scores["fm_procurement_rate"].score is not None

        # typing into the longest narrative: every keystroke changes the text the text checks read
        text = values.get("achievements") or "主要绩效"
        while len(text) < 5000:  # the sample's 主要绩效 runs to about 5,000 characters
            text += "\n" + text

        def keystroke():
            field = form.fields["achievements"]
            values[field.id] = parse_input(form, field, text + "字" * next(step)).value
            return evaluate(form, values, explanations)

        typing, _ = timed(keystroke, 300)
        commits, _ = timed(lambda: workspace.store.set_values(
            report_id, {"procurement.actual": str(Decimal(90) + Decimal(next(step) % 1000) / 100)}), 200)

    print(json.dumps({
        "form_load_ms_median": ms(median(loads)),
        "edit_recheck_rescore_ms_median": ms(median(edits)),
        "edit_recheck_rescore_ms_p95": ms(percentile(edits, 0.95)),
        "long_text_keystroke_ms_median": ms(median(typing)),
        "long_text_keystroke_ms_p95": ms(percentile(typing, 0.95)),
        "long_text_chars": len(text),
        "autosave_commit_ms_median": ms(median(commits)),
        "autosave_commit_ms_p95": ms(percentile(commits, 0.95)),
        "runs": {"form_load": len(loads), "edits": len(edits), "keystrokes": len(typing),
                 "commits": len(commits)},
    }, indent=2))


if __name__ == "__main__":
    main()
