"""Evaluate a report against its form: computed values, checks, scores, grade.

``evaluate`` is the single entry point used by the command line, the wizard
(on every keystroke) and the exports.  It is pure and cheap: one pass over
computed values, leaves and checks with closures compiled at form load.
"""
from __future__ import annotations

import dataclasses
import re
from collections import ChainMap
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from . import conclusion_check, parsing, rows as table_rows
from .figures import format_value
from .form import COUNTED_PREFIX, PLACEHOLDER, PREVIOUS_PREFIX, Check, Form
from .scoring import (
    ZERO,
    Score,
    adjustment_points,
    clamp,
    format_rate,
    grade_for,
    round2,
    scaled_total,
    score_leaf,
)
from .values import display, is_empty, to_env

SEVERITY_NAMES = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class Finding:
    """A check that does not hold for this report."""

    check: str  # instance id: the check id, or "<check id>.<field id>" for per-field checks
    severity: str  # "error" | "warning"
    message: str
    fields: tuple[str, ...]
    explanation: str | None = None
    excerpt: str | None = None  # the words flagged in a text field, to select them there
    row: int | None = None  # a table's row (1-based) the finding is about

    @property
    def severity_name(self) -> str:
        """错误 or 警告."""
        return SEVERITY_NAMES.get(self.severity, self.severity)

    @property
    def explained(self) -> bool:
        return self.severity == "warning" and bool(self.explanation and self.explanation.strip())


@dataclass(frozen=True)
class Evaluation:
    """Everything the engine works out for a report: computed values, scores, total, grade and findings."""

    computed: dict[str, Any]
    scores: dict[str, Score]  # leaf id → score
    subtotals: dict[str, Decimal]  # every indicator id → sum of its scored leaves (and scored rows)
    base: Decimal
    adjustments: Decimal
    total: Decimal
    grade: str
    findings: tuple[Finding, ...]
    env: dict[str, Any]  # every field and computed value as expressions see them
    summed: frozenset[str] = frozenset()  # totals left empty that took the sum of their parts (sum_of)
    rows: dict[str, list] = dataclasses.field(default_factory=dict)  # table field → its rows' scores (rows.RowScore)

    @property
    def complete(self) -> bool:
        return all(score.scored for score in self.scores.values())

    @property
    def unscored(self) -> tuple[str, ...]:
        return tuple(leaf for leaf, score in self.scores.items() if not score.scored)

    @property
    def unscored_count(self) -> int:
        """Indicators not scored yet, each table row of a ``rows`` leaf counting as one:
        the N of "尚有 N 项指标未评分" everywhere."""
        return sum(score.unscored_count for score in self.scores.values())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def unexplained_warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.warnings if not f.explained)

    def score_json(self) -> dict:
        return {
            "indicators": {
                leaf: {
                    "rate": format_rate(score.rate),
                    "score": None if score.score is None else str(score.score),
                    **({"partial": str(score.partial)} if score.partial is not None else {}),
                    "weight": str(score.weight),
                    **({"note": score.note} if score.note else {}),
                }
                for leaf, score in self.scores.items()
            },
            "base": str(self.base),
            "adjustments": str(self.adjustments),
            "total": str(self.total),
            "grade": self.grade,
            "complete": self.complete,
            "unscored": list(self.unscored),
            "unscored_count": self.unscored_count,
            **({"rows": {fid: [row.json() for row in results] for fid, results in self.rows.items()}}
               if self.rows else {}),
        }

    def check_json(self) -> list[dict]:
        return [
            {
                "check": f.check,
                "severity": f.severity,
                "message": f.message,
                "fields": list(f.fields),
                "explanation": f.explanation,
                **({"row": f.row} if f.row is not None else {}),
            }
            for f in self.findings
        ]


def build_env(form: Form, values: Mapping[str, Any],
              previous: Mapping[str, Any] | None = None,
              counted: Mapping[str, Any] | None = None) -> dict[str, Any]:
    env = {COUNTED_PREFIX + fid: n for fid, n in (counted or {}).items()}
    for fid, value in values.items():
        field = form.fields.get(fid)
        if field is not None and not is_empty(value):
            env[fid] = to_env(field, value)
    if form.previous_fields:
        env[PREVIOUS_PREFIX + "max_change"] = form.max_change
        for fid in form.previous_fields:
            value = (previous or {}).get(fid)
            if not is_empty(value):
                env[PREVIOUS_PREFIX + fid] = to_env(form.fields[fid], value)
    _sum_totals(form, env)
    for fid, field in form.fields.items():
        if field.rows is not None:  # after the other fields: a row's values may read them
            env[fid] = table_rows.row_envs(field, env.get(fid), env) or None
    return env


def _sum_totals(form: Form, env: dict[str, Any]) -> None:
    """A total left empty (a field with ``sum_of``) takes the sum of its parts once
    they are all filled in, in form order (a sum may use a total summed above it)."""
    for fid, field in form.fields.items():
        if field.sum_of and fid not in env and all(part in env for part in field.sum_of):
            env[fid] = sum((env[part] for part in field.sum_of), Decimal(0))


def evaluate(form: Form, values: Mapping[str, Any], explanations: Mapping[str, str] | None = None,
             previous: Mapping[str, Any] | None = None, counted: Mapping[str, Any] | None = None) -> Evaluation:
    """Everything the form says about ``values`` (typed values keyed by field id); ``previous``
    holds the values of the report this one was started from (``previous.<id>`` in checks),
    ``counted`` the counts from the unit's other reports (``counted.<id>``, see counting.py)."""
    explanations = explanations or {}
    env = build_env(form, values, previous, counted)
    summed = frozenset(fid for fid in form.fields if form.fields[fid].sum_of and fid in env
                       and is_empty(values.get(fid)))
    computed = {}
    for cid in form.computed_order:
        computed[cid] = env[cid] = form.computed[cid].expr(env)

    row_scores = {fid: table_rows.row_results(field, env.get(fid) or [])
                  for fid, field in form.fields.items() if field.rows is not None}
    scores = {
        leaf_id: (table_rows.score_rows_leaf(form, leaf, env, row_scores[leaf.rule.table])
                  if leaf.rule.kind == "rows" else score_leaf(form, leaf, env))
        for leaf_id, leaf in form.leaves.items()
    }
    subtotals = {node.id: sum((scores[leaf.id].earned for leaf in node.leaves()), ZERO) for node in form.walk()}
    base = sum((s.earned for s in scores.values()), ZERO)
    adjust = adjustment_points(form.adjustments, values.get(form.adjustments.field) if form.adjustments else None)
    rules = form.adjustments
    low, high = (rules.final_min, rules.final_max) if rules else (ZERO, form.total_weight)
    total = round2(clamp(base + adjust, low, high))
    complete = all(s.scored for s in scores.values())
    if form.rescale and complete:  # unfinished: the plain sum of what is scored, marked incomplete
        total = round2(clamp(scaled_total(scores.values(), form.total_weight) + adjust, low, high))

    findings = _run_checks(form, env, explanations)
    findings += _required(form, env)
    findings += _missing_reasons(form, env, scores)
    findings += row_findings(form, env)
    findings += _counted_differs(form, env, explanations)
    grade = grade_for(form.grades, total)
    verdict = conclusion_check.verdict(form, env, total, round2(base), grade, complete)
    findings += _conclusion_differs(form, env, verdict, findings, explanations)
    return Evaluation(
        computed=computed,
        scores=scores,
        subtotals=subtotals,
        base=round2(base),
        adjustments=adjust,
        total=total,
        grade=grade,
        findings=tuple(findings),
        env=env,
        summed=summed,
        rows=row_scores,
    )


def _run_checks(form: Form, env: dict, explanations: Mapping[str, str]) -> list[Finding]:
    findings = []
    for check in form.checks:
        if check.for_each:
            earlier: list[str] = []
            for fid, field in form.fields.items():
                if field.type in check.for_each and fid in env:
                    value = env[fid]
                    if isinstance(value, Decimal):  # for_each: [money], each amount in turn
                        local = {**env, "this": value}
                    else:
                        text = "\n".join(value) if isinstance(value, list) else value
                        leaf = form.leaves.get(field.indicator) if fid.startswith("narrative.") else None
                        local = {**env, "this": text, "earlier": "\n".join(earlier),
                                 "criteria": (leaf.criteria or "") if leaf is not None else ""}
                        earlier.append(text)
                    finding = _run_one(form, check, local, f"{check.id}.{fid}", (fid,), explanations,
                                       label=field.label)
                    if finding:
                        findings.append(finding)
        else:
            finding = _run_one(form, check, env, check.id, check.fields, explanations)
            if finding:
                findings.append(finding)
    return findings


def _counted_differs(form: Form, env: dict, explanations: Mapping[str, str]) -> list[Finding]:
    """A typed count that differs from the count of the unit's reports (a warning)."""
    findings = []
    for fid, _ in form.counted:
        typed, counted = env.get(fid), env.get(COUNTED_PREFIX + fid)
        if typed is not None and counted is not None and typed != counted:
            check = COUNTED_PREFIX + fid
            findings.append(Finding(check, "warning", f"「{form.fields[fid].label}」填为 {int(typed)}，"
                                    f"按本单位本年度的报告计数为 {int(counted)}，请核对或说明。", (fid,),
                                    explanations.get(check)))
    return findings


def _conclusion_differs(form: Form, env: dict, verdict: conclusion_check.Verdict, findings: list[Finding],
                        explanations: Mapping[str, str]) -> list[Finding]:
    """The conclusion stating another year, total or grade than the report (a warning each field)."""
    flagged = [(f.fields[0], f.excerpt) for f in findings if f.excerpt and len(f.fields) == 1]
    return [Finding(stated.check, "warning", stated.message, (stated.field,), explanations.get(stated.check),
                    stated.excerpt)
            for stated in conclusion_check.stated_mismatches(form, env, verdict, flagged)]


def row_findings(form: Form, env: dict) -> list[Finding]:
    """Each table's rows: required cells, then the table's per-row checks (instance id
    ``<table>.<row>.<check>``), then too few rows."""
    findings = []
    for fid, field in form.fields.items():
        spec = field.rows
        if spec is None:
            continue
        envs = env.get(fid) or []
        for number, row in enumerate(envs, 1):
            local = ChainMap(row, {"row": Decimal(number)}, env)
            for column in spec.columns:
                if column.required is not None and row.get(column.id) is None and column.required(local) is True:
                    findings.append(Finding(f"{fid}.{number}.required.{column.id}", "error",
                                            f"「{field.label}」第 {number} 行「{column.label}」尚未填写。",
                                            (fid,), row=number))
            for check in spec.checks:
                finding = _run_one(form, check, local, f"{fid}.{number}.{check.id}", (fid,), {})
                if finding:
                    findings.append(dataclasses.replace(finding, row=number))
        if len(envs) < spec.min_rows:
            findings.append(Finding(f"{fid}.min_rows", "error",
                                    f"「{field.label}」至少应有 {spec.min_rows} 行，现在有 {len(envs)} 行。", (fid,)))
    return findings


def _run_one(form: Form, check: Check, env, instance: str, fields, explanations, label: str = "") -> Finding | None:
    if check.when is not None and check.when(env) is not True:
        return None
    if check.condition(env) is not False:  # True holds; None cannot be decided yet
        return None
    shown = {name: compiled(env) for name, compiled in check.show}
    message = _fill(form, check.message, env, shown, label)
    explanation = explanations.get(instance) if check.severity == "warning" else None
    excerpt = _excerpt(shown, env.get("this")) if check.for_each else None
    return Finding(instance, check.severity, message, tuple(fields), explanation, excerpt)


def _excerpt(shown: dict, text: Any) -> str | None:
    """The first shown value (or the first of a list "2021、2020") that the text holds as written."""
    if not isinstance(text, str):
        return None
    for value in shown.values():
        for piece in value.split("、") if isinstance(value, str) else ():
            if piece.strip() and piece in text:
                return piece
    return None


def _fill(form: Form, template: str, env, shown: dict, label: str) -> str:
    def replace(match: re.Match) -> str:
        name, fmt = match.group(1), match.group(2)
        if name == "label" and name not in shown:
            return label
        value = shown[name] if name in shown else env.get(name)
        if value is None:
            return "（未填）"
        if fmt:
            return format_value(value, fmt)
        field = form.fields.get(name.removeprefix(PREVIOUS_PREFIX))
        if field is not None and field.type == "yesno":
            return field.answer(value)  # a statement that holds for 是 and for 否
        if field is not None:
            return display(field, value if field.type not in ("count", "year") else int(value))
        computed = form.computed.get(name)
        return format_value(value, computed.format if computed else "text")

    return PLACEHOLDER.sub(replace, template)


def statement(form: Form, evaluation: Evaluation, template: str, leaf_id: str | None = None) -> str | None:
    """A report sentence built from stored values; None while any value it states is missing."""
    local: dict[str, Any] = {}
    if leaf_id is not None:
        score = evaluation.scores[leaf_id]
        local = {"rate": score.rate, "score": score.score}
    for name, _ in PLACEHOLDER.findall(template):
        value = local[name] if name in local else evaluation.env.get(name)
        if value is None:
            return None
    return _fill(form, template, evaluation.env, local, "")


def _required(form: Form, env) -> list[Finding]:
    return [
        Finding(f"required.{fid}", "error", form.text("required").format(label=field.label), (fid,))
        for fid, field in form.fields.items()
        if field.required and fid not in env
    ]


def _missing_reasons(form: Form, env, scores: dict[str, Score]) -> list[Finding]:
    findings = []
    for leaf_id, leaf in form.leaves.items():
        rule, score = leaf.rule, scores[leaf_id]
        if rule.kind != "manual" or not rule.reason_below_full or not score.scored:
            continue
        if score.score < leaf.weight and not env.get(f"reason.{leaf_id}"):
            message = form.text("reason_required").format(
                indicator=leaf.title,
                score=parsing.format_score(score.score),
                weight=parsing.format_decimal(leaf.weight),
            )
            findings.append(Finding(f"reason.{leaf_id}", "error", message, (f"score.{leaf_id}", f"reason.{leaf_id}")))
    return findings
