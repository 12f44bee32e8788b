"""The score table (自评表) as rows of words and numbers, for every output.

The PDF attachment, the Excel sheet, the score listing of the command line and
the wizard's rate rows all lay out what is built here; none of them works out a
label, a rate's working, a score or a remark of its own.  One convention holds
for all of them:

- a percentage always has two decimals: "98.50%";
- a rate's working reads "93.12 ÷ 94.55 = 98.49%", each figure formatted like
  the field or computed value it is read from (money with separators and two
  decimals, counts as whole numbers);
- scores are stated with two decimals: "4.00", "扣 1.00 分" (:func:`selfeval.parsing.format_score`,
  which the report's sentences, the score panel and the finalise question use too); weights as
  headed: "（22分）";
- a yes/no answer is stated as the form words it for 是 and for 否
  (:meth:`selfeval.form.Field.answer`), "标签：未填" when there is none.

Plain Python: no GUI toolkit and no document library is imported here.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from .engine import Evaluation
from .figures import figure
from .form import Form, Indicator
from .parsing import format_decimal, format_ratio, format_score
from .scoring import NOT_APPLICABLE, adjustment_lines, unscored_words

NO_FIGURE = "—"  # the 指标值 of an indicator scored without figures (manual), or before its inputs
NO_ADJUSTMENT = "无"
UNSCORED = "未评分"
BY_CRITERIA = "按评分标准计算"
NO_REASON = "（未填写扣分原因）"
PROVISIONAL_GRADE = "按已评指标得分暂定，待全部指标评分后确定"


def weight_note(node: Indicator) -> str:
    """“（22分）”."""
    return f"（{format_decimal(node.weight)}分）"


def weighted(node: Indicator) -> str:
    """“资金管理（22分）”."""
    return node.title + weight_note(node)


@dataclass(frozen=True)
class LeafRow:
    """One scored indicator: a row of the table."""

    path: tuple[Indicator, ...]  # 一级 … the leaf itself
    value: str  # 指标值: the rate's working, the checklist's answers, or NO_FIGURE
    score: Decimal | None  # None: not scored yet
    rate: Decimal | None  # the exact ratio, for outputs that hold numbers
    note: str  # the score's note ("无此类事项，按满分计"), or why it is not scored
    deduction: str  # "扣 1.00 分：原因", empty at full marks
    applicable: bool = True  # False: 不适用, shown instead of a score
    criteria_text: str | None = None  # a table row's 评分标准 cell; None: the leaf's criteria

    @property
    def leaf(self) -> Indicator:
        return self.path[-1]

    @property
    def root(self) -> Indicator:
        """The 一级 indicator."""
        return self.path[0]

    @property
    def group(self) -> Indicator:
        """The 二级 indicator the row sits under (the 一级 one of a top-level leaf)."""
        return self.path[1] if len(self.path) > 1 else self.path[0]

    @property
    def label(self) -> str:
        """The 三级 cell: the leaf's title, with the levels between when the tree is deeper."""
        return " · ".join(node.title for node in self.path[2:]) or self.leaf.title

    @property
    def criteria(self) -> str:
        return self.leaf.criteria if self.criteria_text is None else self.criteria_text

    @property
    def weight(self) -> Decimal:
        return self.leaf.weight

    @property
    def shown_score(self) -> str:
        if not self.applicable:
            return NOT_APPLICABLE
        return UNSCORED if self.score is None else format_score(self.score)

    @property
    def remark(self) -> str:
        """The 扣分原因/说明 cell: the note, then the deduction."""
        return "\n".join(text for text in (self.note, self.deduction) if text)


@dataclass(frozen=True)
class FooterRow:
    """A row under the indicators: a 小计, 指标得分合计, 加减分项, 总分 or 评价等级."""

    label: str
    weight: Decimal | None
    score: Decimal | None  # None on the 评价等级 row
    note: str = ""
    grade: str = ""  # the 评价等级 row states a grade, not a score

    @property
    def shown_score(self) -> str:
        return self.grade if self.score is None else format_score(self.score)


@dataclass(frozen=True)
class ScoreRows:
    leaves: tuple[LeafRow, ...]
    footer: tuple[FooterRow, ...]


def score_rows(form: Form, values: Mapping[str, Any], ev: Evaluation) -> ScoreRows:
    """The table of ``ev``: a row per leaf in form order, then the footer rows."""
    leaves = tuple(row for path in _paths(form) for row in (
        _table_rows(form, path, ev) if path[-1].rule.kind == "rows" else [_leaf_row(form, path, ev)]))
    return ScoreRows(leaves, _footer(form, values, ev))


def _table_rows(form: Form, path: tuple[Indicator, ...], ev: Evaluation) -> list[LeafRow]:
    """A leaf scored from a table field: one row per table row, grouped (see rows_table)."""
    from .rows_table import row_cells, row_paths

    result = []
    for row_path, local, row in row_paths(form, path[-1], ev):
        value, note, reason = row_cells(form, path[-1], ev, local, row)
        lost = "" if row.score is None or row.score >= (row.weight or 0) else \
            f"扣 {format_score(row.weight - row.score)} 分：{reason or NO_REASON}"
        result.append(LeafRow((*path[:-1], *row_path), value or NO_FIGURE, row.score, None, note, lost,
                              row.applicable, row_path[-1].criteria))
    return result


def _paths(form: Form):
    def walk(node: Indicator, above: tuple[Indicator, ...]):
        path = (*above, node)
        if node.is_leaf:
            yield path
        for child in node.children:
            yield from walk(child, path)

    for root in form.indicators:
        yield from walk(root, ())


def _leaf_row(form: Form, path: tuple[Indicator, ...], ev: Evaluation) -> LeafRow:
    leaf = path[-1]
    score = ev.scores[leaf.id]
    note = score.note if score.scored else f"{UNSCORED}：{score.note}"
    return LeafRow(path, indicator_value(form, leaf, ev), score.score, score.rate, note,
                   deduction(form, leaf, ev), score.applicable)


def indicator_value(form: Form, leaf: Indicator, ev: Evaluation) -> str:
    """The 指标值 cell: a checklist's answers one per line, a rate's working, else NO_FIGURE."""
    rule = leaf.rule
    if rule.kind == "checklist":
        return "\n".join(form.fields[item.field].answer(ev.env.get(item.field)) for item in rule.items)
    return rate_working(form, leaf, ev) or NO_FIGURE


def rate_working(form: Form, leaf: Indicator, ev: Evaluation) -> str | None:
    """"93.12 ÷ 94.55 = 98.49%", or the percentage of a rate entered as one; None
    while there is no rate (inputs missing, or nothing to divide by)."""
    rule, rate = leaf.rule, ev.scores[leaf.id].rate
    if not rule.is_rate or rate is None:
        return None
    if rule.percent is not None:
        return format_ratio(rate)
    numerator = figure(form, rule.numerator, rule.numerator(ev.env))
    denominator = figure(form, rule.denominator, rule.denominator(ev.env))
    return f"{numerator} ÷ {denominator} = {format_ratio(rate)}"


def deduction(form: Form, leaf: Indicator, ev: Evaluation) -> str:
    """Why a scored leaf is below full marks: "扣 1.00 分：原因"; empty otherwise."""
    score = ev.scores[leaf.id]
    if not score.scored or score.score >= leaf.weight:
        return ""
    lost = f"扣 {format_score(leaf.weight - score.score)} 分"
    rule = leaf.rule
    if rule.kind == "manual":
        return f"{lost}：{ev.env.get(f'reason.{leaf.id}') or NO_REASON}"
    if rule.kind == "checklist":
        return f"{lost}（{'；'.join(unmet_answers(form, leaf, ev))}）"
    return f"{lost}（{BY_CRITERIA}）"


def unmet_answers(form: Form, leaf: Indicator, ev: Evaluation) -> list[str]:
    """The answers of a checklist that earned nothing, each as the form words a 否."""
    return [form.fields[item.field].answer(False) for item in leaf.rule.items
            if ev.env.get(item.field) is False]


def _footer(form: Form, values: Mapping[str, Any], ev: Evaluation) -> tuple[FooterRow, ...]:
    rows = []
    for root in form.indicators:
        unscored = sum(ev.scores[leaf.id].unscored_count for leaf in root.leaves())
        rows.append(FooterRow(f"{root.title}小计", root.weight, ev.subtotals[root.id],
                              unscored_words(unscored)))
    rows.append(FooterRow("指标得分合计", form.total_weight, ev.base))
    if form.adjustments:
        entries = values.get(form.adjustments.field)
        note = "\n".join(adjustment_lines(form.adjustments, entries, ev.adjustments)) or NO_ADJUSTMENT
        rows.append(FooterRow("加减分项", None, ev.adjustments, note))
    rows.append(FooterRow("总分", form.total_weight, ev.total, total_note(form, ev)))
    rows.append(FooterRow("评价等级", None, None, "" if ev.complete else PROVISIONAL_GRADE, grade=ev.grade))
    return tuple(rows)


def total_note(form: Form, ev: Evaluation) -> str:
    """The note beside the total: that it is incomplete (the plain sum of what is scored,
    never rescaled), or “不适用项不计分值：92.42 ÷ 95 × 100 = 97.28” when a 不适用 item
    changed it; empty otherwise."""
    if not ev.complete:
        return f"{unscored_words(ev.unscored_count)}，总分不完整"
    counted = sum((s.counted_weight for s in ev.scores.values()), Decimal(0))
    if not form.rescale or counted == form.total_weight or counted == 0:
        return ""
    return (f"不适用项不计分值：{format_score(ev.base)} ÷ {format_decimal(counted)} × "
            f"{format_decimal(form.total_weight)} = {format_score(ev.total)}")


def signoff_parts(form: Form, values: Mapping[str, Any]) -> list[str]:
    """"单位负责人：陈明" for each sign-off field, in form order, under the table."""
    return [f"{form.fields[fid].label}：{values.get(fid) or ''}" for fid in form.signoff_fields]
