"""Last year's figures beside this year's: previous.<id> in checks, 上年：… in the wizard, and the
与上年数据核对 warnings when a total moves by more than the form's max_change."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from decimal import Decimal

import pytest

from selfeval.catalog import demo_report_path
from selfeval.engine import evaluate
from selfeval.workspace import Workspace, previous_shown

UNIT = "政协乐昌市委员会机关"
YOY = "year_over_year"


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace.open(tmp_path / "selfeval.sqlite3")
    yield ws
    ws.store.close(backup=False)


@pytest.fixture
def report(workspace):
    """A 2023 report carried over from the demo (2022)."""
    workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
    return workspace.new_report(UNIT, 2023, from_previous=True)


def yoy_findings(workspace, report_id) -> dict[str, str]:
    return {f.check: f.message for f in workspace.evaluate(report_id).findings if f.check.startswith(YOY)}


def test_last_years_figures_are_read_from_the_report_it_was_started_from(workspace, report):
    opened = workspace.open_report(report)
    assert opened.previous["income.total"] == Decimal("628.76")
    assert opened.previous["staff.in_service_total"] == 21
    assert "income.total" not in opened.values  # figures are not carried, only shown
    assert previous_shown(opened.form, opened.previous, "income.total") == "上年：628.76"
    assert previous_shown(opened.form, opened.previous, "staff.in_service_total") == "上年：21"
    assert previous_shown(opened.form, opened.previous, "unit.duties") is None


def test_a_change_beyond_the_forms_share_is_a_warning_that_needs_an_explanation(workspace, report):
    workspace.set_values(report, {"income.total": Decimal("1000.00"), "expense.total": Decimal("700.00"),
                                  "staff.in_service_total": 21,
                                  "sangong.actual.abroad": Decimal("0"), "sangong.actual.vehicle": Decimal("2"),
                                  "sangong.actual.reception": Decimal("0")})
    found = yoy_findings(workspace, report)
    assert set(found) == {"year_over_year_income", "year_over_year_sangong_actual"}
    assert found["year_over_year_income"] == (
        "与上年数据核对：收入合计 1,000.00 万元，上年为 628.76 万元，变化 59.04%，超过 30.00%，请核对或说明原因。")
    assert "上年为 0.06 万元" in found["year_over_year_sangong_actual"]
    evaluation = workspace.evaluate(report)
    assert {f.check for f in evaluation.unexplained_warnings} >= set(found)
    workspace.set_explanation(report, "year_over_year_income", "本年度新增专项资金 380 万元。")
    assert "year_over_year_income" not in {f.check for f in workspace.evaluate(report).unexplained_warnings}


def test_no_comparison_without_last_years_report(workspace):
    fresh = workspace.new_report("某某局", 2023)
    workspace.set_values(fresh, {"income.total": Decimal("1000")})
    assert yoy_findings(workspace, fresh) == {}
    assert workspace.open_report(fresh).previous is None


def test_the_share_is_set_in_the_form(workspace, report):
    form = workspace.open_report(report).form
    assert form.max_change == Decimal("0.30")
    previous = {"income.total": Decimal("100")}
    values = {"income.total": Decimal("125")}
    assert not [f for f in evaluate(form, values, previous=previous).findings if f.check.startswith(YOY)]
    looser = dataclasses.replace(form, max_change=Decimal("0.1"))
    assert [f.check for f in evaluate(looser, values, previous=previous).findings if f.check.startswith(YOY)] \
        == ["year_over_year_income"]


def test_the_demo_has_no_year_over_year_warning(workspace):
    demo = workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
    assert [f.check for f in workspace.evaluate(demo).warnings] == ["staff_control_over"]


def test_a_form_may_only_compare_numbers(tmp_path):
    from selfeval.formfile import FormError, load_form

    form_file = Path(__file__).resolve().parents[1] / "forms" / "gd-dept-overall-2022.yaml"
    text = form_file.read_text(encoding="utf-8").replace(
        "  fields: [income.basic, income.project,", "  fields: [unit.duties, income.basic, income.project,", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(FormError, match="不是数值"):
        load_form(bad)


def test_a_first_year_starts_from_last_years_word_report(cli, tmp_path):
    """Last year's Word report imported as last year's report (figures accepted), then this
    year's report started from it: texts carried, figures compared."""
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_docimport import DEMO, ROOT, build_docx

    from selfeval.catalog import FormCatalog
    from selfeval.interchange import read_report

    demo = read_report(FormCatalog(ROOT / "forms"), DEMO.read_text(encoding="utf-8"))
    word = build_docx(tmp_path / "2022年报告.docx", demo)
    code, out, err = cli("import-doc", word, "--unit", UNIT, "--year", "2022", "--accept-all", "--json")
    assert code == 0, err
    assert cli("new", "--unit", UNIT, "--year", "2023", "--from-previous")[0] == 0
    this_year = "2"
    values = json.loads(cli("export-json", this_year)[1])["values"]
    assert values["narrative.effect"] == demo.values["narrative.effect"]  # carried over
    assert "income.total" not in values
    cli("set", this_year, "income.total", "900")
    checks = {f["check"]: f["message"] for f in json.loads(cli("check", this_year, "--json")[1])}
    assert "上年为 628.76 万元" in checks["year_over_year_income"]
