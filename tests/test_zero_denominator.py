"""A zero denominator is 无此类事项 (full marks) only when there is nothing to divide either.

The clerk's case: 支出合计 1,300.50 万元 (基本 1,000 + 项目 300.5), 年初预算 2,000 万元 and
调整后预算数 0. 部门预算资金支出率 = 1,300.50 ÷ 0 is no "nothing of this kind": it is figures
that disagree, so the indicator is unscored with both figures named, in the check list, the
score listing, the draft PDF and the Excel sheet, and the report cannot be finalised. While
调整后预算数 is blank, the hint to fill it never invites a 0 that would be just as wrong.
"""
from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from form_variants import changed_form
from selfeval.catalog import FormCatalog, demo_report_path, forms_dir
from selfeval.engine import evaluate
from selfeval.formfile import FormError, load_form
from selfeval.interchange import report_from_dict
from selfeval.readiness import blocking_findings, finalize_problems
from test_engine_synthetic import FULL

D = Decimal
HERE = Path(__file__).resolve().parent
SYNTHETIC = HERE / "data" / "forms" / "synthetic.yaml"
CONFLICT = "「调整后预算数」为 0，但「支出合计」为 1,300.50 万元：请核对"


def clerk_values(adjusted: str | None) -> dict:
    """The demo with the clerk's figures; 支出合计 left empty takes the sum of its parts."""
    values = json.loads(demo_report_path().read_text(encoding="utf-8"))["values"]
    values.update({"expense.basic": "1000", "expense.project": "300.5", "budget.initial_total": "2000",
                   "budget.personnel": "1500", "budget.public": "100", "budget.project": "400",
                   "budget.no_adjustment": False})
    values.pop("expense.total")
    if adjusted is None:
        values.pop("budget.adjusted_total")
    else:
        values["budget.adjusted_total"] = adjusted
    return values


@pytest.fixture
def clerk_report(cli):
    """The demo imported, then changed by `selfeval set` as the clerk typed it."""
    def make(adjusted: str | None) -> str:
        code, out, _ = cli("import", demo_report_path())
        report = out.strip()
        assert code == 0
        for key, value in clerk_values(adjusted).items():
            if key in ("expense.basic", "expense.project", "budget.initial_total", "budget.adjusted_total"):
                assert cli("set", report, key, value)[0] == 0
        assert cli("set", report, "expense.total", "")[0] == 0
        if adjusted is None:
            assert cli("set", report, "budget.adjusted_total", "")[0] == 0
        assert cli("set", report, "budget.no_adjustment", "否")[0] == 0
        return report

    return make


def test_a_zero_adjusted_budget_beside_spending_is_unscored_and_named(cli, clerk_report):
    report = clerk_report("0")
    code, out, _ = cli("score", report, "--json")
    data = json.loads(out)
    execution = data["indicators"]["fm_execution_rate"]
    assert execution["score"] is None and execution["note"] == CONFLICT
    assert "fm_execution_rate" in data["unscored"] and data["complete"] is False
    # nothing carried over: 结转结余率 is still 0 ÷ 0, truly nothing of this kind
    assert data["indicators"]["fm_carryover_rate"]["note"] == "无此类事项，按满分计"

    code, out, _ = cli("score", report)
    line = next(x for x in out.splitlines() if "部门预算资金支出率" in x)
    assert "未评分" in line and CONFLICT in line and "按满分计" not in line

    code, out, _ = cli("check", report)
    assert code == 1
    assert f"「部门预算资金支出率」无法评分：{CONFLICT}。" in out

    code, _, err = cli("finalize", report)
    assert code != 0 and CONFLICT in err


def test_the_draft_pdf_and_excel_state_the_conflict_not_full_marks(cli, clerk_report, tmp_path):
    report = clerk_report("0")
    pdf, xlsx = tmp_path / "草稿.pdf", tmp_path / "草稿.xlsx"
    code, _, err = cli("preview", report, "--out", pdf, "--xlsx", xlsx)
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    flat = "".join(text.split())
    execution = flat[flat.index("部门预算资金支出率（3分）"):flat.index("结转结余率（3分）")]
    assert "".join(f"该指标尚未评分（{CONFLICT}）".split()) in execution
    assert "按满分计" not in execution and "自评得分" not in execution
    sheet = load_workbook(xlsx).worksheets[0]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    row = next(r for r in cells if "部门预算资金支出率" in r)
    assert row[6] is None and row[7] == f"未评分：{CONFLICT}"


def test_the_hint_for_a_blank_never_invites_a_wrong_zero():
    document = {"form": "gd-dept-overall", "form_version": "2022.1", "values": clerk_values(None)}
    data = report_from_dict(FormCatalog(forms_dir()), document)
    form = data.form
    messages = {f.check: f.message for f in blocking_findings(form, evaluate(form, data.values))}
    # 0 would not fit 支出率 (spending 1,300.50), so neither indicator reading the blank offers it
    assert messages["unscored.fm_execution_rate"] == "「部门预算资金支出率」无法评分：缺少数据：调整后预算数。请补填。"
    assert messages["unscored.fm_carryover_rate"] == "「结转结余率」无法评分：缺少数据：调整后预算数。请补填。"
    # a satisfaction of 0% is a survey result, not 无此类事项
    values = {k: v for k, v in data.values.items() if k != "satisfaction.rate"}
    messages = {f.check: f.message for f in blocking_findings(form, evaluate(form, values))}
    assert messages["unscored.fair_satisfaction"] == "「服务对象满意度」无法评分：缺少数据：服务对象满意度（%）。请补填。"
    # where nothing is divided, 0 is offered
    values = {k: v for k, v in data.values.items() if k not in ("procurement.planned", "procurement.actual")}
    messages = {f.check: f.message for f in blocking_findings(form, evaluate(form, values))}
    assert messages["unscored.fm_procurement_rate"] == (
        "「政府采购执行率」无法评分：缺少数据：政府采购计划金额、政府采购实际金额。请补填（确无此类事项时填 0）。")
    assert not any("或填 0" in m for m in messages.values())


@pytest.mark.parametrize("leaf, changes, note", [
    ("pr_execution", {"fund.plan": D(0), "fund.used": D("12.5")}, "「计划资金」为 0，但「已用资金」为 12.50 万元：请核对"),
    ("pr_carryover", {"fund.plan": D(0), "fund.used": D(0), "fund.left": D(3)},
     "「计划资金」为 0，但「年末结余」为 3.00 万元：请核对"),
    ("pr_cost_control", {"cost.budget_a": D(0), "cost.budget_b": D(0)},
     "「成本预算合计」为 0，但「实际成本」为 100.00 万元：请核对"),
    ("out_done", {"output.target": 0, "output.done": 3}, "「计划产出数」为 0，但「完成产出数」为 3 件：请核对"),
])
def test_every_rate_rule_leaves_a_zero_denominator_beside_a_figure_unscored(leaf, changes, note):
    form = load_form(SYNTHETIC)
    evaluation = evaluate(form, {**FULL, **changes})
    score = evaluation.scores[leaf]
    assert (score.score, score.note, score.conflict) == (None, note, True)
    assert not evaluation.complete and leaf in evaluation.unscored
    problems = finalize_problems(evaluation, form=form)
    assert f"错误：「{form.leaves[leaf].title}」无法评分：{note}。" in problems


def test_a_form_may_word_the_conflict_itself(tmp_path):
    path = changed_form(SYNTHETIC, tmp_path, "\nfields:\n", "\ntexts:\n  zero_denominator_conflict: "
                        "\"{denominator}为零而{numerator}为 {value}，请核对数据\"\nfields:\n")
    form = load_form(path)
    score = evaluate(form, {**FULL, "output.target": 0, "output.done": 3}).scores["out_done"]
    assert score.note == "计划产出数为零而完成产出数为 3 件，请核对数据"
    bad = changed_form(SYNTHETIC, tmp_path, "\nfields:\n",
                       "\ntexts:\n  zero_denominator_conflict: \"{rate} 有误\"\nfields:\n", name="bad.yaml")
    with pytest.raises(FormError, match="rate"):
        load_form(bad)


def test_a_project_without_an_annual_budget_stays_not_applicable_with_its_warnings():
    """The project form chose ``zero_denominator: not_applicable``: a zero 全年预算数 leaves
    预算执行率 out of the total (不适用, not full marks), and spending against it is a warning to
    explain, beside the one that says the rate does not apply."""
    document = json.loads((HERE.parent / "resources" / "demo" / "project-self-eval-2022-demo-1.json")
                          .read_text(encoding="utf-8"))
    values = document["values"]
    values["funds.total.annual"] = values["funds.fiscal.annual"] = "0.00"
    data = report_from_dict(FormCatalog(forms_dir()), document)
    evaluation = evaluate(data.form, data.values)
    score = evaluation.scores["budget_execution"]
    assert (score.applicable, score.note, score.conflict) == (False, "不适用", False)
    assert score.counted_weight == 0 and evaluation.complete
    assert {f.check for f in evaluation.warnings} == {"funds_no_budget", "funds_total_over", "funds_fiscal_over"}


def test_the_wizard_shows_the_conflict_under_the_two_amounts():
    from selfeval.navigation import RateItem, shown_value

    data = report_from_dict(FormCatalog(forms_dir()), {"form": "gd-dept-overall", "form_version": "2022.1",
                                                       "values": clerk_values("0")})
    shown = shown_value(data.form, RateItem("fm_execution_rate"), evaluate(data.form, data.values))
    assert (shown.text, shown.note) == (CONFLICT, True)
