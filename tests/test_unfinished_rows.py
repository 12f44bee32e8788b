"""A project report with a table row added but not filled in yet (only 一级 = 产出指标).

The clerk's case: the score panel fell from 96.71 to 55.88, `selfeval score` gave 产出指标小计
0.00 and a total "rescaled" over the weights of the scored rows, while the rows editor said
得分合计 72.70. Now the unfinished row is one 三级 indicator not scored yet: the 产出 subtotal is
the sum of its scored rows (as the department form sums its scored leaves), the total is the
plain sum of what is scored, marked incomplete and never rescaled, and every output says so
with the same figures.

Demo 1 (see test_project_form): 预算执行率 9.50, 产出 48.32, 效益 24.60 (生态 row 不适用),
满意度 10.00; complete, it is rescaled: 92.42 ÷ 95 × 100 = 97.28.
"""
from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from selfeval.catalog import FormCatalog, forms_dir
from selfeval.engine import evaluate
from selfeval.export.pdf import render_report
from selfeval.export.xlsx import render_workbook
from selfeval.interchange import report_from_dict
from selfeval.rows import row_envs, row_results, rows_summary
from selfeval.score_table import score_rows
from selfeval.sheet_layout import sheet_cells
from selfeval.workspace import Workspace

D = Decimal
DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo" / "project-self-eval-2022-demo-1.json"


def with_unfinished_rows(*rows: dict) -> dict:
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    document["values"]["indicators"] += list(rows)
    return document


@pytest.fixture(scope="module")
def unfinished():
    data = report_from_dict(FormCatalog(forms_dir()), with_unfinished_rows({"level1": "产出指标"}))
    return data, evaluate(data.form, data.values)


def test_the_subtotal_is_the_sum_of_the_scored_rows_and_the_total_is_not_rescaled(unfinished):
    data, ev = unfinished
    output = ev.scores["output"]
    assert (output.score, output.partial, output.unscored_count) == (None, D("48.32"), 1)
    assert ev.subtotals["output"] == D("48.32")
    assert (ev.base, ev.total, ev.complete, ev.unscored_count) == (D("92.42"), D("92.42"), False, 1)
    table = score_rows(data.form, data.values, ev)
    footer = {row.label: (row.shown_score, row.note) for row in table.footer}
    assert footer["产出指标小计"] == ("48.32", "尚有 1 项指标未评分")
    assert footer["总分"] == ("92.42", "尚有 1 项指标未评分，总分不完整")
    assert "不适用项不计分值" not in footer["总分"][1]
    assert ev.score_json()["unscored_count"] == 1


def test_each_unfinished_row_counts_as_one_indicator():
    data = report_from_dict(FormCatalog(forms_dir()), with_unfinished_rows(
        {"level1": "产出指标"}, {"level1": "效益指标", "level2": "社会效益指标", "name": "新指标"}))
    ev = evaluate(data.form, data.values)
    assert ev.unscored_count == 2 and ev.unscored == ("output", "benefit")
    assert (ev.subtotals["output"], ev.subtotals["benefit"], ev.total) == (D("48.32"), D("24.60"), D("92.42"))


def test_the_rows_editor_line_states_the_same_sum_and_count(unfinished):
    data, ev = unfinished
    field = data.form.fields["indicators"]
    envs = row_envs(field, data.values["indicators"], {})
    line = rows_summary(data.form, field, envs, row_results(field, envs))
    rows_total = ev.subtotals["output"] + ev.subtotals["benefit"] + ev.subtotals["satisfaction"]
    assert line == f"共 10 行，得分合计 {rows_total:.2f}（尚有 1 项指标未评分）"
    assert line == "共 10 行，得分合计 82.92（尚有 1 项指标未评分）"
    complete = data.values["indicators"][:-1]
    envs = row_envs(field, complete, {})
    assert rows_summary(data.form, field, envs, row_results(field, envs)) == "共 9 行，得分合计 82.92"


def test_the_command_line_states_the_subtotal_and_an_incomplete_total(cli, tmp_path):
    source = tmp_path / "half.json"
    source.write_text(json.dumps(with_unfinished_rows({"level1": "产出指标"}), ensure_ascii=False), "utf-8")
    code, out, _ = cli("import", source)
    report = out.strip()
    code, out, _ = cli("score", report)
    lines = out.splitlines()
    assert "产出指标小计：48.32（满分 50 分）  尚有 1 项指标未评分" in lines
    assert "总分：92.42（满分 100 分）  尚有 1 项指标未评分，总分不完整" in lines
    code, out, _ = cli("score", report, "--json")
    data = json.loads(out)
    assert (data["total"], data["complete"], data["unscored_count"]) == ("92.42", False, 1)
    assert data["indicators"]["output"] == {"rate": None, "score": None, "partial": "48.32", "weight": "50",
                                            "note": "第 10 行尚未评分"}


def flat(text: str) -> str:
    return "".join(text.split())


def test_pdf_and_excel_state_the_same_figures(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        report = ws.open_report(ws.import_json(json.dumps(with_unfinished_rows({"level1": "产出指标"}),
                                                          ensure_ascii=False)))
        ev = report.evaluate()
        pdf, book = render_report(report, ev), load_workbook(io.BytesIO(render_workbook(report, ev)))
    finally:
        ws.close()
    text = flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "本部分指标分值50分，自评得分48.32分（尚有1项指标未评分）" in text
    assert "尚有1项指标未评分，已评指标得分合计92.42分" in text
    assert "总分10092.42尚有1项指标未评分，总分不完整" in text
    cells = [[cell.value for cell in row] for row in book["自评表"].iter_rows(max_col=8)]
    total = next(row for row in cells if row[0] == "总分")
    assert total[5:8] == [100, 92.42, "尚有 1 项指标未评分，总分不完整"]
    rows = {tuple(r) for r in cells}
    assert not any("不适用项不计分值" in str(cell) for row in rows for cell in row)


def test_the_sheet_cells_mark_the_total_incomplete(unfinished):
    data, ev = unfinished
    cells, _ = sheet_cells(data.form, data.values, ev)
    total = sorted((c for c in cells if c.row == next(x.row for x in cells if x.text == "总分")), key=lambda c: c.col)
    assert [c.text for c in total] == ["总分", "100", "92.42", "尚有 1 项指标未评分，总分不完整"]
