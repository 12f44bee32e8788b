"""The real FY2022 sample (乐昌市政协机关) imported through a Workspace.

Expected figures are worked out by hand from the fixture and domain.md §3/§7;
see tests/data/lechang-2022-notes.md for where each figure comes from.
"""
import json
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval.catalog import FormCatalog
from selfeval.engine import evaluate
from selfeval.navigation import Navigator
from selfeval.workspace import NotReady, Workspace

D = Decimal
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURE = HERE / "data" / "lechang-2022.json"

MANUAL = [
    "bp_rationality", "bp_compliance", "bp_planning", "bp_scientific", "ts_rationality",
    "ts_clarity", "fm_treasury_stock", "fm_compliance", "fm_transfer_legality", "pm_procedure",
    "pm_supervision", "am_allocation", "am_inventory", "sys_management", "effect",
]
# rates whose counts or amounts the sample never states, and the checklist lacking "三公"
LACKING_INPUTS = [
    "ts_coverage",  # projects.*
    "fm_execution_rate",  # expense.total, budget.adjusted_total
    "fm_carryover_rate",  # budget.adjusted_total
    "am_utilization",  # assets.*
    "ef_key_tasks",  # key_tasks.*
    "ef_target_completion",  # targets.*
    "ef_timeliness",  # projects.*
    "fm_disclosure",  # disclosure.sangong
]
SCORED = ["fm_procurement_rate", "sm_staff_control", "ec_public_expense", "ec_sangong",
          "fair_satisfaction"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    db = tmp_path_factory.mktemp("sample") / "reports.sqlite3"
    workspace = Workspace.open(db, FormCatalog(ROOT / "forms"))
    try:
        report_id = workspace.import_json(FIXTURE.read_bytes())
        evaluation = workspace.evaluate(report_id)
        yield workspace, report_id, evaluation
    finally:
        workspace.close()


@pytest.fixture(scope="module")
def evaluation(imported):
    return imported[2]


@pytest.fixture(scope="module")
def findings(evaluation):
    return {f.check: f for f in evaluation.findings}


def indicator(evaluation, leaf):
    return evaluation.score_json()["indicators"][leaf]


def test_export_round_trips(imported):
    workspace, report_id, _ = imported
    assert workspace.export_dict(report_id) == json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_report_listed_with_unit_and_year(imported):
    workspace, report_id, evaluation = imported
    info = workspace.store.report(report_id)
    assert info.unit_name == "政协乐昌市委员会机关"
    assert info.year == 2022
    assert info.status == "draft"
    assert info.complete is False
    assert info.total == str(evaluation.total)


def test_procurement_rate(evaluation):
    # 93.12 ÷ 94.55 = 0.984876…; 2 × 0.984876 = 1.9698 → 1.97
    assert indicator(evaluation, "fm_procurement_rate") == {
        "rate": "0.9849", "score": "1.97", "weight": "2"}


def test_staff_control_rate(evaluation):
    # 编制 17 + 0 + 2 = 19; 21 ÷ 19 = 1.105263…; 2 − 0.1 × 10.5263… = 0.947… → 0.95
    out = indicator(evaluation, "sm_staff_control")
    assert out["rate"] == "1.1053"
    assert out["score"] == "0.95"
    assert evaluation.computed["staff.authorized_total"] == 19


def test_public_expense_rate(evaluation):
    # 34.5 ÷ 36.5 = 0.9452 ≤ 100 % → full 3
    out = indicator(evaluation, "ec_public_expense")
    assert out["rate"] == "0.9452"
    assert out["score"] == "3.00"


def test_sangong_rate(evaluation):
    # 预算 5.4 + 2 + 2 = 9.4; 决算 0 + 0.06 + 0 = 0.06; 0.06 ÷ 9.4 = 0.0064 → full 3
    assert evaluation.computed["sangong.budget.amount"] == D("9.4")
    assert evaluation.computed["sangong.actual.amount"] == D("0.06")
    out = indicator(evaluation, "ec_sangong")
    assert out["rate"] == "0.0064"
    assert out["score"] == "3.00"


def test_satisfaction(evaluation):
    out = indicator(evaluation, "fair_satisfaction")
    assert out["score"] == "5.00"
    assert out["rate"] == "1.0000"


def test_incomplete_with_the_unscored_list(evaluation):
    assert evaluation.complete is False
    assert set(evaluation.unscored) == set(MANUAL) | set(LACKING_INPUTS)
    assert len(evaluation.unscored) == 23
    for leaf in SCORED:
        assert evaluation.scores[leaf].scored, leaf
    out = evaluation.score_json()
    assert out["complete"] is False
    for leaf in MANUAL + LACKING_INPUTS:
        assert out["indicators"][leaf]["score"] is None, leaf


def test_missing_inputs_are_named(evaluation):
    assert evaluation.scores["fm_execution_rate"].missing == ("expense.total", "budget.adjusted_total")
    assert evaluation.scores["fm_carryover_rate"].missing == ("budget.adjusted_total",)
    assert evaluation.scores["fm_disclosure"].missing == ("disclosure.sangong",)
    assert evaluation.scores["effect"].missing == ("score.effect",)


def test_total_of_the_scored_ones(evaluation):
    # 1.97 + 0.95 + 3 + 3 + 5 = 13.92; two 县级 commendations: +1.00
    out = evaluation.score_json()
    assert out["base"] == "13.92"
    assert out["adjustments"] == "1.00"
    assert out["total"] == "14.92"
    assert out["grade"] == "差"


def test_warnings_present(findings):
    staff = findings["staff_control_over"]
    assert staff.severity == "warning"
    assert "110.53%" in staff.message
    income = findings["income_exceeds_unadjusted_budget"]
    assert income.severity == "warning"
    assert "158.35" in income.message  # 628.76 − 470.41
    stray = findings["stray_year.narrative.fm_carryover_rate"]
    assert stray.severity == "warning" and "2021" in stray.message
    assert stray.fields == ("narrative.fm_carryover_rate",)
    doubled = findings["repeated_words.achievements"]
    assert "坚持坚持" in doubled.message
    assert findings["repeated_words.narrative.bp_planning"].severity == "warning"
    assert "零增长" in findings["repeated_words.narrative.bp_planning"].message
    assert "and" in findings["stray_latin.achievements"].message
    brackets = findings["document_number_brackets.narrative.bp_compliance"]
    assert "[2021]" in brackets.message


def test_errors_present(findings, evaluation):
    assert findings["required.report.fill_date"].severity == "error"
    assert findings["required.expense.total"].severity == "error"
    assert "填报日期" in findings["required.report.fill_date"].message
    assert "支出合计" in findings["required.expense.total"].message
    assert {f.check for f in evaluation.errors} == {"required.report.fill_date",
                                                     "required.expense.total"}


@pytest.mark.parametrize(
    "check",
    [
        "income_sum",  # 481.39 + 147.37 = 628.76
        "budget_sum",  # 307.51 + 36.5 + 126.40 = 470.41
        "staff_sum",  # 19 + 0 + 2 = 21
        "staff_year_end",  # 21 + 25 = 46
        "public_expense_over",  # 34.5 ≤ 36.5
        "sangong_over",  # 0.06 ≤ 9.4
        "procurement_over",  # 93.12 ≤ 94.55
        "income_balance",  # expense.total missing: undecided
        "adjusted_but_claimed_none",  # budget.adjusted_total missing: undecided
        "stray_year.narrative.fm_disclosure",  # only 2022 (上年度 is spelt out)
        "stray_year.goals.tasks",
    ],
)
def test_checks_that_hold_or_cannot_be_decided(findings, check):
    assert check not in findings


def test_cannot_be_finalised(imported):
    workspace, report_id, _ = imported
    with pytest.raises(NotReady) as info:
        workspace.finalize(report_id)
    text = str(info.value)
    assert "填报日期" in text and "支出合计" in text
    assert workspace.store.report(report_id).status == "draft"
    wizard = Navigator(workspace.open_report(report_id).form)
    assert info.value.problems == wizard.finalize_problems(workspace.evaluate(report_id))


FIGURES = ["628.76", "481.39", "147.37", "470.41", "307.51", "126.40", "94.55", "93.12",
           "9.4", "0.06", "34.5"]


def test_fixture_figures_occur_in_the_sample_text(shared_dir):
    text = (shared_dir / "samples" / "lechang-cppcc-2022-self-evaluation.txt").read_text(encoding="utf-8")
    fixture = FIXTURE.read_text(encoding="utf-8")
    for figure in FIGURES:
        assert figure in text, figure
        assert figure in fixture, figure


def test_a_total_typed_in_yuan_is_a_warning(imported):
    workspace, report_id, _ = imported
    report = workspace.open_report(report_id)

    typed_in_yuan = {**report.values, "income.total": Decimal("6287600")}
    finding = {f.check: f for f in evaluate(report.form, typed_in_yuan).findings}["amount_in_yuan"]
    assert finding.severity == "warning" and "6,287,600.00" in finding.message
    assert "income.total" in finding.fields
    assert "amount_in_yuan" not in {f.check for f in evaluate(report.form, report.values).findings}
