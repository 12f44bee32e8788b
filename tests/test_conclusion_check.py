"""The conclusion as the clerk wrote it, against the report's own year, total and grade.

A conclusion imported from last year's Word report ("本部门2021年度…得分为 92.5 分，评价等级为
“优”") in a 2022 report is a warning naming what it says and what the report says; a correct
conclusion, the demos and the sample reports give none ("a warning that a correct report
triggers is a bug").
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval.catalog import FormCatalog, forms_dir
from selfeval.engine import evaluate
from selfeval.interchange import report_from_dict

ROOT = Path(__file__).resolve().parents[1]
DEMOS = sorted((ROOT / "resources" / "demo").glob("*.json"))
SAMPLES = sorted((ROOT / "tests" / "data").glob("*.json"))
DEPT_DEMO = ROOT / "resources" / "demo" / "gd-dept-overall-2022-demo.json"  # total 96.67, 优
PROJECT_DEMO = ROOT / "resources" / "demo" / "project-self-eval-2022-demo-1.json"  # total 97.28, 优
CHECK = "conclusion_stated.conclusion"


@pytest.fixture(scope="module")
def catalog():
    return FormCatalog(forms_dir())


def evaluated(catalog, source: Path, **changes):
    document = json.loads(source.read_text(encoding="utf-8"))
    document["values"].update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del document["values"][key]
    data = report_from_dict(catalog, document)
    return evaluate(data.form, data.values)


def stated(evaluation) -> dict[str, str]:
    return {f.check: f.message for f in evaluation.findings if f.check.startswith("conclusion_stated.")}


def test_last_years_conclusion_in_a_project_report(catalog):
    ev = evaluated(catalog, PROJECT_DEMO, conclusion="本部门2021年度…得分为 92.5 分，评价等级为“优”")
    assert stated(ev) == {CHECK: "「自评结论」中写的是“2021年度”，本报告的评价年度为 2022 年；写的是“得分为 92.5 分”，"
                                 "本报告的总分为 97.28 分。请核对是否沿用了往年的结论。"}
    finding = next(f for f in ev.warnings if f.check == CHECK)
    assert finding.fields == ("conclusion",) and finding.excerpt == "2021年度" and not finding.explained


def test_last_years_conclusion_in_a_department_report(catalog):
    """The form's stray_year check leaves "2021年度部门整体支出绩效自评" alone (last year's 自评
    named as such); the conclusion's year is still reported, with its total and grade."""
    text = "本部门2021年度部门整体支出绩效自评得分为 92.5 分，评价等级为“良”。"
    ev = evaluated(catalog, DEPT_DEMO, conclusion=text)
    assert "stray_year.conclusion" not in {f.check for f in ev.findings}
    assert stated(ev) == {CHECK: "「自评结论」中写的是“2021年度”，本报告的评价年度为 2022 年；写的是“得分为 92.5 分”，"
                                 "本报告的总分为 96.67 分；写的是“等级为‘良’”，本报告的评价等级为“优”。"
                                 "请核对是否沿用了往年的结论。"}


def test_a_year_the_forms_own_check_reports_is_not_reported_twice(catalog):
    ev = evaluated(catalog, DEPT_DEMO, conclusion="2021年，本部门自评得分92.5分，等级为良好。")
    assert "2021" in {f.excerpt for f in ev.findings if f.check == "stray_year.conclusion"}
    assert stated(ev) == {CHECK: "「自评结论」中写的是“得分92.5分”，本报告的总分为 96.67 分；写的是“等级为良好”，"
                                 "本报告的评价等级为“优”。请核对是否沿用了往年的结论。"}


def test_score_and_grade_wait_for_a_complete_total(catalog):
    ev = evaluated(catalog, PROJECT_DEMO, conclusion="本项目2021年度得分为 92.5 分，评价等级为“良”",
                   **{"funds.total.actual": None})
    assert not ev.complete
    assert stated(ev) == {CHECK: "「自评结论」中写的是“2021年度”，本报告的评价年度为 2022 年。请核对是否沿用了往年的结论。"}


@pytest.mark.parametrize("text", [
    "经自评，本部门2022年度部门整体支出绩效自评得分为 96.67 分（其中加减分 1 分），评价等级为“优”。",
    "本部门2022年度自评得分为96.7分，评价等级为优秀。",  # the total to the places written
    "本部门自评总分97分，等级：优。",
    "指标得分合计 95.67 分，加减分项加 1 分，总分 96.67 分，评为“优”等级。",  # the score before adjustments
    "预算执行情况得分39.77分，资金使用效益得分29.4分。",  # subtotals are no total
    "自评得分较2021年度的92.5分提高4.17分，评价等级由“良”提升为“优”。",  # comparisons
    "本部门成立于1984年，2023年将进一步细化绩效指标。",  # history, and the year it is filled in
    "本单位预决算编制认真规范，年初目标任务完成较好。",
    "项目被评为中国政协系统先进典型。",  # 中 of 中国 is no grade
])
def test_a_correct_conclusion_gives_no_warning(catalog, text):
    assert stated(evaluated(catalog, DEPT_DEMO, conclusion=text)) == {}


@pytest.mark.parametrize("source", DEMOS + SAMPLES, ids=lambda p: p.name)
def test_the_demos_and_the_sample_reports_stay_clean(catalog, source):
    assert stated(evaluated(catalog, source)) == {}


def test_the_warning_takes_an_explanation(catalog, cli, tmp_path):
    document = json.loads(PROJECT_DEMO.read_text(encoding="utf-8"))
    document["values"]["conclusion"] = "本项目2021年度得分为 92.5 分。"
    document["values"][f"explanation.{CHECK}"] = "与上年比较的说明，已核对。"
    data = report_from_dict(catalog, document)
    assert data.explanations == {CHECK: "与上年比较的说明，已核对。"}
    assert evaluate(data.form, data.values, data.explanations).unexplained_warnings == ()

    source = tmp_path / "r.json"
    del document["values"][f"explanation.{CHECK}"]
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    report = cli("import", source)[1].strip()
    assert cli("explain", report, CHECK, "已核对，年度和总分以本报告为准。")[0] == 0
    code, out, _ = cli("check", report, "--json")
    (finding,) = [f for f in json.loads(out) if f["check"] == CHECK]
    assert finding["explanation"] == "已核对，年度和总分以本报告为准。"
