"""Checks of the Guangdong form that the sample report does not reach."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from selfeval.engine import evaluate
from selfeval.formfile import load_form

FORM = Path(__file__).resolve().parents[1] / "forms" / "gd-dept-overall-2022.yaml"
NO_STAFF_POSTS = {"staff.authorized_admin": 0, "staff.authorized_service": 0, "staff.authorized_worker": 0}


@pytest.fixture(scope="module")
def form():
    return load_form(FORM)


def warnings(form, values) -> dict[str, str]:
    return {f.check: f.message for f in evaluate(form, values).findings if f.severity == "warning"}


def test_spending_without_a_budget_is_not_scored_as_nothing_to_do(form):
    """A zero denominator beside a non-zero numerator is no 无此类事项: the rate is left unscored
    with both figures named, and the form's own over-budget checks, which divide, stay quiet."""
    values = {**NO_STAFF_POSTS, "staff.in_service_total": 14, "budget.public": Decimal("0"),
              "public_expense.actual": Decimal("38.2"), "sangong.budget.abroad": Decimal("0"),
              "sangong.budget.vehicle": Decimal("0"), "sangong.budget.reception": Decimal("0"),
              "sangong.actual.abroad": Decimal("0"), "sangong.actual.vehicle": Decimal("1.5"),
              "sangong.actual.reception": Decimal("0")}
    evaluation = evaluate(form, values)
    notes = {leaf: (score.score, score.note) for leaf, score in evaluation.scores.items()
             if leaf in ("sm_staff_control", "ec_public_expense", "ec_sangong")}
    assert notes == {
        "sm_staff_control": (None, "「编制数合计」为 0，但「在职人数合计」为 14 人：请核对"),
        "ec_public_expense": (None, "「年初预算：公用经费」为 0，但「公用经费决算数」为 38.20 万元：请核对"),
        "ec_sangong": (None, "「“三公”经费预算数」为 0，但「“三公”经费决算数」为 1.50 万元：请核对"),
    }
    assert not {"staff_control_over", "public_expense_over", "sangong_over"} & set(warnings(form, values))


def test_nothing_spent_without_a_budget_is_full_marks(form):
    values = {**NO_STAFF_POSTS, "staff.in_service_total": 0, "budget.public": Decimal("0"),
              "public_expense.actual": Decimal("0")}
    scores = evaluate(form, values).scores
    for leaf in ("sm_staff_control", "ec_public_expense"):
        assert scores[leaf].score == scores[leaf].weight and scores[leaf].note == "无此类事项，按满分计"


def test_markup_debris_message_is_whole(form):
    found = warnings(form, {"problems": "**预算**编制不够细"})
    assert found["markup_debris.problems"] == "「存在问题」中有格式转换留下的符号（** 或 ## 等），请删除。"
