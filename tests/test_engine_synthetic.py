"""Scoring rules, checks, adjustments and grades on a small synthetic form.

Expected numbers are worked out by hand from the rules in domain.md §3 and the
parameters written in tests/data/forms/synthetic.yaml:

    投入 20: in_plan manual 8; in_disclosure checklist 12 (5 + 4 + 3)
    过程 30: proc_funds 13: pr_execution proportional 9; pr_carryover deduct 4, step 0.35
             proc_cost 17: pr_cost_control ceiling 7, step 0.25; pr_quality manual 10
    产出 50: out_satisfaction floor (percent) 15, threshold 85, step 0.5
             out_delivery 35: out_coverage floor (ratio) 20, threshold 95, step 1.5;
                              out_done proportional 15
"""
import json
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval.catalog import FormCatalog
from selfeval.engine import evaluate, statement
from selfeval.formfile import load_form
from selfeval.interchange import report_from_dict

D = Decimal
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SYNTHETIC = HERE / "data" / "forms" / "synthetic.yaml"
DEMO = ROOT / "resources" / "demo" / "gd-dept-overall-2022-demo.json"
ZERO_NOTE = "无此类事项，按满分计"


@pytest.fixture(scope="module")
def form():
    return load_form(SYNTHETIC)


FULL = {
    "unit.name": "测试单位",
    "report.year": 2023,
    "score.in_plan": D("8"),
    "pub.a": True,
    "pub.b": True,
    "pub.c": True,
    "fund.plan": D("100"),
    "fund.used": D("100"),
    "fund.left": D("0"),
    "cost.budget_a": D("60"),
    "cost.budget_b": D("40"),
    "cost.actual": D("100"),
    "score.pr_quality": D("10"),
    "survey.rate": D("100"),
    "people.planned": 200,
    "people.served": 200,
    "output.target": 8,
    "output.done": 8,
}


def values(drop=(), **changes):
    """FULL with some values changed (keys use '__' for '.') and some dropped."""
    result = dict(FULL)
    for key, value in changes.items():
        result[key.replace("__", ".")] = value
    for key in drop:
        result.pop(key, None)
    return result


def score_of(form, leaf, vals, explanations=None):
    return evaluate(form, vals, explanations).scores[leaf]


def finding_ids(evaluation):
    return {f.check for f in evaluation.findings}


# ------------------------------------------------------------- full marks


def test_form_shape(form):
    assert [n.id for n in form.indicators] == ["in_put", "process", "output"]
    assert [n.weight for n in form.indicators] == [20, 30, 50]
    levels = {n.id: n.level for n in form.walk()}
    assert levels["in_plan"] == 2 and levels["out_satisfaction"] == 2
    assert levels["pr_execution"] == 3 and levels["out_done"] == 3
    kinds = {leaf.id: leaf.rule.kind for leaf in form.leaves.values()}
    assert set(kinds.values()) == {"manual", "proportional", "ceiling", "deduct", "floor", "checklist"}
    assert form.leaves["out_satisfaction"].rule.percent is not None
    assert form.leaves["out_coverage"].rule.numerator is not None


def test_full_marks(form):
    ev = evaluate(form, FULL)
    expected = {"in_plan": "8.00", "in_disclosure": "12.00", "pr_execution": "9.00",
                "pr_carryover": "4.00", "pr_cost_control": "7.00", "pr_quality": "10.00",
                "out_satisfaction": "15.00", "out_coverage": "20.00", "out_done": "15.00"}
    assert {k: str(s.score) for k, s in ev.scores.items()} == expected
    assert ev.base == D("100") and str(ev.total) == "100.00"
    assert ev.adjustments == 0
    assert ev.grade == "好"
    assert ev.complete and ev.unscored == ()
    assert ev.findings == ()
    assert ev.subtotals == {
        "in_put": 20, "in_plan": 8, "in_disclosure": 12,
        "process": 30, "proc_funds": 13, "pr_execution": 9, "pr_carryover": 4,
        "proc_cost": 17, "pr_cost_control": 7, "pr_quality": 10,
        "output": 50, "out_satisfaction": 15, "out_delivery": 35, "out_coverage": 20,
        "out_done": 15,
    }
    assert ev.computed["cost.budget_total"] == D(100)
    assert ev.computed["fund.spent_and_left"] == D(100)


# ------------------------------------------------------------------ manual


@pytest.mark.parametrize(
    "entered, expected",
    [("7.5", "7.50"), ("8", "8.00"), ("0", "0.00"), ("9", "8.00"), ("-1", "0.00"),
     ("7.125", "7.13"), ("6.245", "6.25")],
)
def test_manual_score_clamped_and_rounded_half_up(form, entered, expected):
    vals = values(score__in_plan=D(entered), reason__in_plan="说明")
    assert str(score_of(form, "in_plan", vals).score) == expected


def test_manual_missing_is_unscored(form):
    ev = evaluate(form, values(drop=["score.in_plan"]))
    score = ev.scores["in_plan"]
    assert score.score is None and not score.scored
    assert score.missing == ("score.in_plan",)
    assert "计划编制自评得分" in score.note
    assert not ev.complete and ev.unscored == ("in_plan",)
    assert ev.base == 92 and str(ev.total) == "92.00"


def test_reason_required_below_full(form):
    ev = evaluate(form, values(score__in_plan=D("5")))
    reason = [f for f in ev.findings if f.check == "reason.in_plan"]
    assert len(reason) == 1
    assert reason[0].severity == "error"
    assert "计划编制" in reason[0].message and "5" in reason[0].message and "8" in reason[0].message
    assert reason[0].fields == ("score.in_plan", "reason.in_plan")
    fixed = evaluate(form, values(score__in_plan=D("5"), reason__in_plan="计划未经集体研究。"))
    assert "reason.in_plan" not in finding_ids(fixed)


def test_reason_not_required_when_the_rule_says_so(form):
    ev = evaluate(form, values(score__pr_quality=D("6")))
    assert str(ev.scores["pr_quality"].score) == "6.00"
    assert ev.findings == ()


def test_full_manual_score_needs_no_reason(form):
    assert "reason.in_plan" not in finding_ids(evaluate(form, FULL))


# --------------------------------------------------------------- checklist


@pytest.mark.parametrize(
    "a, b, c, expected",
    [(True, True, True, "12.00"), (True, False, True, "8.00"), (False, True, False, "4.00"),
     (False, False, False, "0.00"), (False, False, True, "3.00")],
)
def test_checklist(form, a, b, c, expected):
    vals = values(pub__a=a, pub__b=b, pub__c=c)
    score = score_of(form, "in_disclosure", vals)
    assert str(score.score) == expected
    assert score.rate is None


def test_checklist_missing_item_is_unscored(form):
    score = score_of(form, "in_disclosure", values(drop=["pub.b"]))
    assert score.score is None
    assert score.missing == ("pub.b",)
    assert "公开乙" in score.note


# ------------------------------------------------------------ proportional


@pytest.mark.parametrize(
    "used, plan, rate, expected",
    [
        ("12.5", "100", "0.1250", "1.13"),  # 9 × 0.125 = 1.125 → 1.13 (banker's: 1.12)
        ("1", "8", "0.1250", "1.13"),
        ("50", "100", "0.5000", "4.50"),
        ("2", "3", "0.6667", "6.00"),  # 9 × 2/3 = 6
        ("1", "3", "0.3333", "3.00"),
        ("98.49", "100", "0.9849", "8.86"),  # 8.8641
        ("100", "100", "1.0000", "9.00"),
        ("120", "100", "1.2000", "9.00"),  # capped at the weight
        ("0", "100", "0.0000", "0.00"),
    ],
)
def test_proportional(form, used, plan, rate, expected):
    vals = values(fund__used=D(used), fund__plan=D(plan), fund__left=D("0"))
    score = score_of(form, "pr_execution", vals)
    assert str(score.score) == expected
    assert score.rate.quantize(D("0.0001")) == D(rate)
    assert evaluate(form, vals).score_json()["indicators"]["pr_execution"]["rate"] == rate


@pytest.mark.parametrize(
    "done, target, expected",
    [(3, 8, "5.63"),  # 15 × 0.375 = 5.625 → 5.63 (banker's: 5.62)
     (1, 8, "1.88"),  # 1.875
     (7, 8, "13.13"),  # 13.125 → 13.13 (banker's: 13.12)
     (9, 8, "15.00")],
)
def test_proportional_counts(form, done, target, expected):
    vals = values(output__done=done, output__target=target)
    assert str(score_of(form, "out_done", vals).score) == expected


def test_zero_denominator_gives_full_marks_with_note(form):
    vals = values(fund__plan=D("0"), fund__used=D("0"), fund__left=D("0"),
                  cost__budget_a=D("0"), cost__budget_b=D("0"), cost__actual=D("0"),
                  people__planned=0, people__served=0, output__target=0, output__done=0)
    ev = evaluate(form, vals)
    for leaf, full in [("pr_execution", "9.00"), ("pr_carryover", "4.00"),
                       ("pr_cost_control", "7.00"), ("out_coverage", "20.00"), ("out_done", "15.00")]:
        score = ev.scores[leaf]
        assert str(score.score) == full, leaf
        assert score.note == ZERO_NOTE
        assert score.rate is None
        assert ev.score_json()["indicators"][leaf]["note"] == ZERO_NOTE
    assert str(ev.total) == "100.00" and ev.complete


def test_zero_denominator_with_the_numerator_missing_is_still_full(form):
    vals = values(drop=["output.done"], output__target=0)
    score = score_of(form, "out_done", vals)
    assert str(score.score) == "15.00" and score.note == ZERO_NOTE


@pytest.mark.parametrize(
    "drop, missing",
    [(["fund.used"], ("fund.used",)),
     (["fund.plan"], ("fund.plan",)),
     (["fund.plan", "fund.used"], ("fund.plan", "fund.used"))],
)
def test_proportional_missing_input(form, drop, missing):
    score = score_of(form, "pr_execution", values(drop=drop))
    assert score.score is None and score.rate is None
    assert score.missing == missing


# ------------------------------------------------------------------ deduct


@pytest.mark.parametrize(
    "left, plan, expected",
    [
        ("0", "100", "4.00"),
        ("2.1", "100", "3.27"),  # 4 − 0.35 × 2.1 = 3.265 → 3.27 (banker's: 3.26)
        ("0.5", "8", "1.81"),  # 6.25 points: 4 − 2.1875 = 1.8125
        ("10", "100", "0.50"),
        ("11.43", "100", "0.00"),  # 4 − 4.0005 < 0 → clamped
        ("20", "100", "0.00"),  # 4 − 7 = −3 → 0
        ("100", "100", "0.00"),
    ],
)
def test_deduct(form, left, plan, expected):
    vals = values(fund__left=D(left), fund__plan=D(plan), fund__used=D("0"))
    assert str(score_of(form, "pr_carryover", vals).score) == expected


# ----------------------------------------------------------------- ceiling


@pytest.mark.parametrize(
    "actual, expected",
    [
        ("50", "7.00"),
        ("100", "7.00"),
        ("100.01", "7.00"),  # 7 − 0.25 × 0.01 = 6.9975 → 7.00
        ("110", "4.50"),
        ("110.14", "4.47"),  # 7 − 2.535 = 4.465 → 4.47 (banker's: 4.46)
        ("128", "0.00"),
        ("200", "0.00"),  # 7 − 25 → clamped at 0
    ],
)
def test_ceiling(form, actual, expected):
    vals = values(cost__actual=D(actual))
    score = score_of(form, "pr_cost_control", vals)
    assert str(score.score) == expected
    assert score.rate == D(actual) / D(100)


def test_ceiling_through_a_computed_denominator_reports_the_base_field(form):
    score = score_of(form, "pr_cost_control", values(drop=["cost.budget_b"]))
    assert score.score is None
    assert score.missing == ("cost.budget_b",)
    assert "成本预算乙" in score.note


def test_statement_states_the_figures(form):
    template = form.leaves["pr_cost_control"].statement
    ev = evaluate(form, values(cost__actual=D("110.14")))
    assert statement(form, ev, template, "pr_cost_control") == \
        "成本预算 100.00 万元，实际 110.14 万元，控制率 110.14%。"
    ev = evaluate(form, values(drop=["cost.actual"]))
    assert statement(form, ev, template, "pr_cost_control") is None


# ------------------------------------------------------------------- floor


@pytest.mark.parametrize(
    "rate, expected",
    [
        ("100", "15.00"),
        ("85", "15.00"),  # at the threshold
        ("84.99", "15.00"),  # 14.995 → 15.00
        ("84.97", "14.99"),  # 14.985 → 14.99 (banker's: 14.98)
        ("80", "12.50"),
        ("60", "2.50"),
        ("55", "0.00"),
        ("0", "0.00"),  # 15 − 42.5 → clamped
    ],
)
def test_floor_with_percent(form, rate, expected):
    score = score_of(form, "out_satisfaction", values(survey__rate=D(rate)))
    assert str(score.score) == expected
    assert score.rate == D(rate) / 100


def test_floor_with_percent_missing(form):
    score = score_of(form, "out_satisfaction", values(drop=["survey.rate"]))
    assert score.score is None and score.missing == ("survey.rate",)


@pytest.mark.parametrize(
    "served, planned, expected",
    [
        (200, 200, "20.00"),
        (190, 200, "20.00"),  # exactly 95 %
        (19, 20, "20.00"),
        (188, 200, "18.50"),  # 94 %: 20 − 1.5
        (1887, 2000, "19.03"),  # 94.35 %: 20 − 0.975 = 19.025 → 19.03 (banker's: 19.02)
        (150, 200, "0.00"),  # 20 − 30 → clamped
        (0, 200, "0.00"),
        (250, 200, "20.00"),
    ],
)
def test_floor_with_numerator_and_denominator(form, served, planned, expected):
    vals = values(people__served=served, people__planned=planned)
    assert str(score_of(form, "out_coverage", vals).score) == expected


# ----------------------------------------------------- rounding of totals


def test_subtotals_and_total_are_sums_of_rounded_leaf_scores(form):
    # 1.125 → 1.13 and 3.265 → 3.27: the sum of rounded scores is 4.40, of exact ones 4.39
    vals = values(fund__used=D("12.5"), fund__left=D("2.1"))
    ev = evaluate(form, vals)
    assert str(ev.scores["pr_execution"].score) == "1.13"
    assert str(ev.scores["pr_carryover"].score) == "3.27"
    assert ev.subtotals["proc_funds"] == D("4.40")
    assert ev.subtotals["process"] == D("21.40")
    assert str(ev.base) == "91.40"
    assert str(ev.total) == "91.40"


def test_missing_inputs_leave_the_total_as_the_sum_of_the_scored(form):
    ev = evaluate(form, values(drop=["score.in_plan", "fund.used", "survey.rate"]))
    assert ev.unscored == ("in_plan", "pr_execution", "out_satisfaction")
    assert not ev.complete
    assert ev.subtotals["in_put"] == 12
    assert ev.subtotals["proc_funds"] == 4
    assert ev.subtotals["process"] == 21
    assert ev.subtotals["output"] == 35
    assert ev.base == 68 and str(ev.total) == "68.00"
    assert ev.grade == "一般"
    out = ev.score_json()
    assert out["complete"] is False
    assert out["indicators"]["in_plan"]["score"] is None
    assert out["total"] == "68.00"


# ------------------------------------------------------------ adjustments


def entry(kind, level):
    return {"kind": kind, "level": level, "description": f"{kind}{level}事项"}


BASE_90 = {"score.in_plan": D("0"), "reason.in_plan": "无计划", "score.pr_quality": D("8")}


@pytest.mark.parametrize(
    "entries, points, total",
    [
        ([], "0", "90.00"),
        ([entry("奖励", "乡镇")], "0.30", "90.30"),
        ([entry("奖励", "县级"), entry("奖励", "乡镇")], "1.10", "91.10"),
        ([entry("奖励", "市级及以上")], "1.50", "91.50"),
        ([entry("奖励", "市级及以上")] * 3, "2.00", "92.00"),  # 4.5 capped at 2
        ([entry("奖励", "县级")] * 2 + [entry("奖励", "乡镇")], "1.90", "91.90"),
        ([entry("奖励", "县级")] * 3, "2.00", "92.00"),  # 2.4 capped at 2
        ([entry("扣减", "乡镇")], "-0.50", "89.50"),
        ([entry("扣减", "县级")] * 2, "-4.00", "86.00"),
        ([entry("扣减", "市级及以上")] * 2, "-6.00", "84.00"),  # −8 capped at −6
        ([entry("奖励", "市级及以上")] * 2 + [entry("扣减", "乡镇")], "1.50", "91.50"),
        ([entry("奖励", "市级及以上")] * 2 + [entry("扣减", "市级及以上")] * 3, "-4.00", "86.00"),
    ],
)
def test_adjustments_points_and_caps(form, entries, points, total):
    vals = values(**{k.replace(".", "__"): v for k, v in BASE_90.items()})
    if entries:
        vals["bonus"] = entries
    ev = evaluate(form, vals)
    assert ev.base == 90
    assert ev.adjustments == D(points)
    assert str(ev.total) == total
    assert D(ev.score_json()["adjustments"]) == D(points)


def test_score_json_decimals_have_two_places(form):
    out = evaluate(form, values(bonus=[entry("扣减", "乡镇")])).score_json()
    assert (out["base"], out["adjustments"], out["total"]) == ("100.00", "-0.50", "99.50")


def test_score_json_adjustments_without_entries_has_two_places(form):
    assert evaluate(form, FULL).score_json()["adjustments"] == "0.00"


def test_final_score_clamped_at_100(form):
    vals = values(bonus=[entry("奖励", "市级及以上")] * 2)
    ev = evaluate(form, vals)
    assert ev.base == 100 and ev.adjustments == 2
    assert str(ev.total) == "100.00"
    assert ev.grade == "好"


def test_final_score_clamped_at_0(form):
    vals = values(score__in_plan=D("0"), reason__in_plan="无", pub__a=False, pub__b=False,
                  pub__c=False, fund__used=D("0"), fund__left=D("20"), cost__actual=D("200"),
                  score__pr_quality=D("3"), survey__rate=D("0"), people__served=0,
                  output__done=0, bonus=[entry("扣减", "市级及以上")] * 2)
    ev = evaluate(form, vals)
    assert all(s.score == 0 for k, s in ev.scores.items() if k != "pr_quality")
    assert ev.base == 3
    assert ev.adjustments == -6
    assert str(ev.total) == "0.00"
    assert ev.grade == "差"


# ------------------------------------------------------------------ grades


@pytest.mark.parametrize(
    "changes, total, grade",
    [
        ({"score.in_plan": "3", "score.pr_quality": "0"}, "85.00", "好"),
        ({"score.in_plan": "2.99", "score.pr_quality": "0"}, "84.99", "较好"),
        ({"score.in_plan": "0", "score.pr_quality": "0", "survey.rate": "61"}, "70.00", "较好"),
        ({"score.in_plan": "0", "score.pr_quality": "0", "survey.rate": "60.98"}, "69.99", "一般"),
        ({"score.in_plan": "2", "score.pr_quality": "0", "survey.rate": "0", "output.done": 0,
          "pub.b": False}, "50.00", "一般"),
        ({"score.in_plan": "1.99", "score.pr_quality": "0", "survey.rate": "0", "output.done": 0,
          "pub.b": False}, "49.99", "差"),
    ],
)
def test_grade_band_boundaries(form, changes, total, grade):
    vals = dict(FULL)
    for key, value in changes.items():
        vals[key] = D(value) if isinstance(value, str) else value
    vals["reason.in_plan"] = "说明"
    ev = evaluate(form, vals)
    assert str(ev.total) == total
    assert ev.grade == grade


@pytest.fixture(scope="module")
def gd_demo():
    data = report_from_dict(FormCatalog(ROOT / "forms"), json.loads(DEMO.read_text(encoding="utf-8")))
    return data.form, data.values


@pytest.mark.parametrize(
    "effect, keep_adjustments, total, grade",
    [
        ("3.83", False, "90.00", "优"),  # 95.67 − 9.5 + 3.83
        ("3.82", False, "89.99", "良"),
        ("2.83", True, "90.00", "优"),  # 89.00 + 2 × 0.5
        ("2.82", True, "89.99", "良"),
    ],
)
def test_gd_grade_boundary_at_90(gd_demo, effect, keep_adjustments, total, grade):
    form, demo_values = gd_demo
    vals = dict(demo_values)
    vals["score.effect"] = D(effect)
    if not keep_adjustments:
        del vals["adjustments"]
    ev = evaluate(form, vals)
    assert ev.complete
    assert str(ev.total) == total
    assert ev.grade == grade


# ------------------------------------------------------------------ checks


def test_error_check_with_shown_value(form):
    ev = evaluate(form, values(fund__left=D("2.1")))
    found = [f for f in ev.findings if f.check == "fund_total"]
    assert len(found) == 1
    assert found[0].severity == "error"
    assert found[0].message == "已用资金与结余之和超过计划资金 100.00 万元，多出 2.10 万元。"
    assert found[0].fields == ("fund.plan", "fund.used", "fund.left")
    assert found[0].explanation is None


def test_error_check_tolerance(form):
    assert "fund_total" not in finding_ids(evaluate(form, values(fund__left=D("0.01"))))
    assert "fund_total" in finding_ids(evaluate(form, values(fund__left=D("0.02"))))


def test_check_undecided_when_inputs_missing(form):
    assert "fund_total" not in finding_ids(evaluate(form, values(drop=["fund.left"])))


@pytest.mark.parametrize(
    "claim, left, fires",
    [(True, "2.1", True), (True, "0", False), (False, "2.1", False), (None, "2.1", False)],
)
def test_when_check(form, claim, left, fires):
    vals = values(fund__left=D(left), fund__used=D("0"))
    if claim is not None:
        vals["claim.no_change"] = claim
    ev = evaluate(form, vals)
    found = [f for f in ev.findings if f.check == "claimed_no_left"]
    assert bool(found) is fires
    if fires:
        assert found[0].severity == "warning"
        assert found[0].message == "已声明资金无结余，但年末结余 2.10 万元。"


def test_for_each_check_runs_once_per_text_field(form):
    vals = values(notes="总体完成。还有TODO：核对数字 未完", tasks=["甲项", "乙项 TODO1"])
    ev = evaluate(form, vals)
    found = {f.check: f for f in ev.findings}
    assert set(found) == {"todo_left.notes", "todo_left.tasks"}
    assert found["todo_left.notes"].message == "「情况概述」中还有待办标记“TODO：核对数字”。"
    assert found["todo_left.tasks"].message == "「年度任务」中还有待办标记“TODO1”。"
    assert found["todo_left.notes"].fields == ("notes",)
    assert found["todo_left.tasks"].fields == ("tasks",)
    assert all(f.severity == "warning" and not f.explained for f in found.values())


def test_for_each_check_skips_clean_and_empty_fields(form):
    assert evaluate(form, values(notes="全部完成。", tasks=["甲项"])).findings == ()
    assert evaluate(form, values(notes="")).findings == ()


def test_warning_explanations(form):
    vals = values(notes="TODO", fund__left=D("2.1"), fund__used=D("0"), claim__no_change=True)
    ev = evaluate(form, vals, {"todo_left.notes": "保留原文。", "claimed_no_left": "  "})
    found = {f.check: f for f in ev.findings}
    assert found["todo_left.notes"].explained
    assert found["todo_left.notes"].explanation == "保留原文。"
    assert not found["claimed_no_left"].explained
    assert [f.check for f in ev.unexplained_warnings] == ["claimed_no_left"]


def test_explanations_do_not_apply_to_errors(form):
    ev = evaluate(form, values(fund__left=D("2.1")), {"fund_total": "解释"})
    found = [f for f in ev.findings if f.check == "fund_total"][0]
    assert found.explanation is None and not found.explained
    assert ev.errors == (found,)


def test_required_field(form):
    ev = evaluate(form, values(drop=["unit.name"]))
    found = [f for f in ev.findings if f.check == "required.unit.name"]
    assert len(found) == 1
    assert found[0].severity == "error"
    assert "单位名称" in found[0].message
    assert evaluate(form, values(unit__name="")).errors[0].check == "required.unit.name"


def test_an_empty_total_takes_the_sum_of_its_parts_in_form_order():
    from selfeval.catalog import FormCatalog
    from selfeval.engine import evaluate

    form = FormCatalog().get("gd-dept-overall")
    values = {"staff.in_service_admin": 10, "staff.in_service_service": 5, "staff.in_service_worker": 2,
              "staff.retired": 3, "income.basic": Decimal("1.50")}
    ev = evaluate(form, values)
    assert ev.env["staff.in_service_total"] == 17 and ev.env["staff.year_end_total"] == 20
    assert ev.summed == {"staff.in_service_total", "staff.year_end_total"}  # income.project is missing
    assert "income.total" not in ev.env
    assert not [f for f in ev.findings if f.check in ("required.staff.in_service_total", "staff_sum")]
