"""Count fields filled from the unit's other reports of the same year (``counted:`` in the form).

The department form's 项目总数, 设置绩效目标的项目数, 计划完成的项目数 and 按时完成的项目数
can be counted from the unit's 项目支出绩效自评 reports: each counted field has a condition
over one such report, compiled against that report's form.  Checks read the counts as
``counted.<field id>`` (a typed count that differs is a warning), and
:func:`fill_counts` writes them into the fields still empty, so that the scores stand on the
report's own values (the receiving desk scores a package without the unit's other reports).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping

from . import expr
from .engine import evaluate
from .form import Form


def condition_types(form: Form) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The names a condition over one report of ``form`` may use, and its tables' row names."""
    types = {fid: field.expr_type for fid, field in form.fields.items()}
    types.update({cid: computed.expr.type for cid, computed in form.computed.items()})
    scopes = {fid: {**{c.id: c.expr_type for c in field.rows.columns},
                    **{rc.id: rc.expr.type for rc in field.rows.computed}}
              for fid, field in form.fields.items() if field.rows is not None}
    return types, scopes


def compile_conditions(form: Form, other: Form) -> dict[str, expr.Compiled]:
    """``form``'s counting conditions over a report of ``other``; raises ExprError."""
    types, scopes = condition_types(other)
    return {fid: expr.compile_expression(source, types, expr.BOOL, scopes) for fid, source in form.counted}


def count(form: Form, reports: Iterable[tuple[Form, Mapping[str, Any]]]) -> dict[str, Decimal]:
    """How many of ``reports`` (form and typed values) meet each counted field's condition;
    empty when there are none, so that nothing is counted for a unit without such reports."""
    reports = [(other, values) for other, values in reports if other.id == form.counted_from]
    if not reports:
        return {}
    totals = dict.fromkeys((fid for fid, _ in form.counted), Decimal(0))
    compiled: dict[tuple[str, str], dict[str, expr.Compiled]] = {}
    for other, values in reports:
        key = (other.id, other.edition)
        if key not in compiled:
            compiled[key] = compile_conditions(form, other)
        env = evaluate(other, values).env
        for fid, condition in compiled[key].items():
            if condition(env) is True:
                totals[fid] += 1
    return totals


def to_fill(form: Form, values: Mapping[str, Any], counted: Mapping[str, Decimal]) -> dict[str, int]:
    """The counted fields still empty in ``values``, with their counts."""
    return {fid: int(n) for fid, n in counted.items() if values.get(fid) is None}


def summary_lines(form: Form, values: Mapping[str, Any], counted: Mapping[str, Decimal],
                  filled: Mapping[str, int]) -> list[str]:
    """"项目总数：3（已填入）" for each counted field, after :func:`to_fill` was written."""
    lines = []
    for fid, _ in form.counted:
        if fid in filled:
            state = "已填入"
        elif values.get(fid) == counted[fid]:
            state = "已填写，与计数一致"
        else:
            state = f"已填写 {values.get(fid)}，与计数不同"
        lines.append(f"{form.fields[fid].label}：{int(counted[fid])}（{state}）")
    return lines


def nothing_to_count(form: Form) -> str:
    return f"本单位本年度还没有“{form.counted_from}”表单的报告，未计数。"
