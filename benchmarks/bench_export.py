"""A full export of the demo report: Excel + PDF + signature + package + verification.

Prints JSON: the first export in a fresh process (imports and font loading included), the
median of the following runs, and the signed PDF's size.
Run: .venv/bin/python benchmarks/bench_export.py
"""
from __future__ import annotations

import json
from itertools import count

from _demo import demo_workspace, median, timed

RUNS = 6


def main() -> None:
    from selfeval.export.certs import new_self_signed
    from selfeval.export.pipeline import export_report

    with demo_workspace() as (workspace, report_id, folder):
        for finding in workspace.evaluate(report_id).unexplained_warnings:
            workspace.set_explanation(report_id, finding.check, "基准测试")
        workspace.finalize(report_id)
        pfx = new_self_signed(folder / "bench.pfx", unit_name="基准测试单位", person="测试", password="bench-pass")
        runs = count()

        def export():
            out = folder / f"out{next(runs)}"
            out.mkdir()
            result = export_report(workspace, report_id, pfx=pfx, password="bench-pass", out_dir=out,
                                   make_zip=True)
            assert result.verdict.ok, result.verdict.text()
            return result

        times, result = timed(export, RUNS)
        pdf_bytes = result.pdf_path.stat().st_size
    print(json.dumps({
        "export_first_seconds": round(times[0], 3),
        "export_seconds_median": round(median(times[1:]), 3),
        "runs": RUNS - 1,
        "signed_pdf_bytes": pdf_bytes,
    }, indent=2))


if __name__ == "__main__":
    main()
