"""Indicator scores from the rules in the form file.

Every function is pure: the form's rule, the weight and the values in, a
:class:`Score` out.  Scores are clamped to [0, weight] and rounded half-up to
two places; subtotals and the total are sums of the rounded leaf scores.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

from .figures import expression_label, figure_with_unit
from .form import Adjustments, Form, GradeBand, Indicator
from .parsing import format_decimal

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
NOT_APPLICABLE = "不适用"


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


@dataclass(frozen=True)
class Score:
    """One leaf indicator's score, with the rate behind it and what is still missing."""

    indicator: str
    weight: Decimal
    score: Decimal | None  # None: not scored yet (an input is missing)
    rate: Decimal | None = None  # exact ratio; shown rounded to 4 places (0.9849)
    note: str = ""
    missing: tuple[str, ...] = ()  # ids of the inputs still missing
    applicable: bool = True  # False: 不适用, left out of a rescaled total
    applicable_weight: Decimal | None = None  # the weight that counts in a rescaled total
    zero_fits: bool = False  # unscored: 0 in the missing inputs would be consistent (无此类事项)
    conflict: bool = False  # unscored: a zero denominator beside a non-zero numerator (note says which)
    partial: Decimal | None = None  # unscored: what its parts scored so far (a rows leaf's scored rows)
    pending: int = 1  # unscored: how many indicators are still to be scored (a rows leaf's rows)

    @property
    def counted_weight(self) -> Decimal:
        if not self.applicable:
            return ZERO
        return self.weight if self.applicable_weight is None else self.applicable_weight

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def earned(self) -> Decimal:
        """The points that count in subtotals and an incomplete total: the score, or while
        unscored what its scored parts add up to."""
        if self.score is not None:
            return self.score
        return self.partial if self.partial is not None else ZERO

    @property
    def unscored_count(self) -> int:
        """Indicators still to be scored here: 0 when scored; a rows leaf's unscored rows."""
        return 0 if self.scored else self.pending


def score_leaf(form: Form, leaf: Indicator, env: Mapping[str, Any]) -> Score:
    """Score one leaf indicator of ``form`` from the expression environment."""
    rule, weight, texts = leaf.rule, leaf.weight, form.texts

    def unscored(names: Iterable[str], zero_fits: bool = False) -> Score:
        missing = tuple(fid for fid in form.base_fields(names) if env.get(fid) is None)
        labels = "、".join(form.fields[fid].label for fid in missing)
        return Score(leaf.id, weight, None, missing=missing, zero_fits=zero_fits,
                     note=texts["missing_input"].format(fields=labels))

    if rule.kind == "manual":
        value = env.get(f"score.{leaf.id}")
        if value is None:
            return unscored([f"score.{leaf.id}"])
        return Score(leaf.id, weight, round2(clamp(value, ZERO, weight)))

    if rule.kind == "checklist":
        missing = [item.field for item in rule.items if env.get(item.field) is None]
        if missing:
            return unscored(missing)
        points = sum((item.points for item in rule.items if env[item.field]), ZERO)
        return Score(leaf.id, weight, round2(clamp(points, ZERO, weight)))

    # rate rules
    if rule.percent is not None:
        points = rule.percent(env)
        if points is None:
            return unscored(rule.percent.names)
        rate = points / HUNDRED
    else:
        denominator, numerator = rule.denominator(env), rule.numerator(env)
        if denominator is None:  # 0 fits only where there is nothing to divide either
            return unscored(rule.denominator.names | rule.numerator.names, zero_fits=not numerator)
        if denominator == 0 and numerator and not rule.zero_not_applicable:
            return zero_conflict(form, leaf, numerator)
        if denominator == 0 and rule.zero_not_applicable:
            return Score(leaf.id, weight, ZERO, note=NOT_APPLICABLE, applicable=False)
        if denominator == 0:
            return Score(leaf.id, weight, round2(weight), note=texts["zero_denominator"])
        if numerator is None:
            return unscored(rule.numerator.names)
        rate = numerator / denominator
    if rule.rate_places is not None:
        rate = rate.quantize(Decimal(1).scaleb(-rule.rate_places), rounding=ROUND_HALF_UP)
    return Score(leaf.id, weight, round2(clamp(rate_score(rule, weight, rate), ZERO, weight)), rate)


def zero_conflict(form: Form, leaf: Indicator, numerator: Decimal) -> Score:
    """A zero denominator beside a non-zero numerator: not 无此类事项 (nothing to score), but
    figures that disagree. Unscored, so the report cannot be finalised until they are checked."""
    rule = leaf.rule
    note = form.texts["zero_denominator_conflict"].format(
        denominator=expression_label(form, rule.denominator), numerator=expression_label(form, rule.numerator),
        value=figure_with_unit(form, rule.numerator, numerator))
    names = rule.denominator.names | rule.numerator.names
    return Score(leaf.id, leaf.weight, None, note=note, missing=form.base_fields(names), conflict=True)


def rate_score(rule, weight: Decimal, rate: Decimal) -> Decimal:
    """The unclamped score of a rate rule; ``rate`` is a ratio (1 = 100%)."""
    points = rate * HUNDRED  # percentage points
    if rule.kind == "proportional":
        return weight * min(rate, Decimal(1))
    if rule.kind == "ceiling":
        return weight if points <= HUNDRED else weight - rule.step * (points - HUNDRED)
    if rule.kind == "deduct":
        return weight - rule.step * max(points, ZERO)
    if rule.kind == "floor":
        return weight if points >= rule.threshold else weight - rule.step * (rule.threshold - points)
    raise AssertionError(rule.kind)


def adjustment_points(rules: Adjustments | None, entries: list[dict] | None) -> Decimal:
    """Sum of 加减分项 points, each kind capped as the form says."""
    if not rules or not entries:
        return round2(ZERO)
    total = ZERO
    for kind in rules.kinds:
        table = dict(kind.points)
        subtotal = sum((table[e["level"]] for e in entries if e["kind"] == kind.name), ZERO)
        subtotal = min(subtotal, kind.cap) if kind.cap > 0 else max(subtotal, kind.cap)
        total += subtotal
    return round2(total)


def adjustment_lines(rules: Adjustments | None, entries: list[dict] | None, total: Decimal) -> list[str]:
    """One line per 加减分项 entry with its points, and a line when a cap changed the sum."""
    if not rules or not entries:
        return []
    lines, raw = [], ZERO
    for entry in entries:
        value = dict(rules.kind(entry["kind"]).points)[entry["level"]]
        raw += value
        sign = "+" if value > 0 else ""
        lines.append(f"{entry['kind']}（{entry['level']}）：{entry['description'].rstrip('。')} "
                     f"{sign}{format_decimal(value)}")
    if raw != total:
        lines.append(f"（按上限合计 {format_decimal(total)} 分）")
    return lines


def scaled_total(scores: Iterable[Score], total_weight: Decimal) -> Decimal:
    """Σ scores ÷ Σ weights that apply × ``total_weight``: 不适用 indicators and rows leave
    both sums, so a report where everything applies gets the plain sum.  Only for a complete
    report: an unfinished one states the plain sum of what is scored, marked incomplete."""
    scores = list(scores)
    earned = sum((s.score for s in scores if s.scored and s.applicable), ZERO)
    weights = sum((s.counted_weight for s in scores), ZERO)
    if weights == 0:
        return round2(ZERO)
    return round2(earned / weights * total_weight)


def unscored_words(count: int) -> str:
    """“尚有 2 项指标未评分” (a table row of a ``rows`` leaf counting as one); '' for none."""
    return f"尚有 {count} 项指标未评分" if count else ""


def grade_for(bands: tuple[GradeBand, ...], total: Decimal) -> str:
    for band in bands:
        if total >= band.minimum:
            return band.grade
    return bands[-1].grade


def format_rate(rate: Decimal | None) -> str | None:
    return None if rate is None else str(rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP))
