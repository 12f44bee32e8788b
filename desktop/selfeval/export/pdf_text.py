"""The words of the report, in the order of the sample: plain blocks, no layout.

Every sentence that states a figure is either a form statement rendered by
:func:`selfeval.engine.statement` or built here from the evaluation; nothing
is typed twice.  The blocks are laid out by :mod:`selfeval.export.pdf`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..engine import statement
from ..parsing import format_date_cn, format_decimal, format_ratio, format_score
from ..score_table import unmet_answers
from ..scoring import unscored_words

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..form import Form, Indicator, Part
    from ..workspace import OpenReport

NUMERALS = "零一二三四五六七八九"
WARNINGS_TITLE = "附：校验警告及说明"
NOT_FILLED = "（尚未填写）"


@dataclass(frozen=True)
class Block:
    kind: str  # h1 (一、 黑体) | h2 (（一） 楷体) | h3 (1. 仿宋) | body
    text: str


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 24 → 二十四 (up to 99)."""
    if n < 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens]) + "十" + (NUMERALS[ones] if ones else "")


def points(value: Decimal) -> str:
    """A weight or a rule's points as the score table heads them: 22 → "22", 0.5 → "0.5".
    Scores, subtotals, totals and points lost are :func:`format_score`: "9.50"."""
    return format_decimal(value)


def sentence(text: str) -> str:
    """``text`` with a full stop unless it already ends a sentence."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；…”）" else text + "。"


def closed(text: str) -> str:
    """The clerk's paragraph ``text`` with a full stop when it ends on a word or a figure ("无" → "无。")."""
    text = text.strip()
    return text + "。" if text and (text[-1].isalnum() or text[-1] in "%‰℃") else text


def item_number(level: int, n: int) -> str:
    """Item ``n`` numbered at heading level 1 to 4 of GB/T 9704: 一、 （一） 1. （1）."""
    if level <= 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    return f"{n}. " if level == 3 else f"（{n}）"


def listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def year_of(report: OpenReport) -> int:
    return int(report.values.get("report.year") or report.info.year)


def unit_of(report: OpenReport) -> str:
    return report.values.get("unit.name") or report.info.unit_name


def title_lines(report: OpenReport) -> tuple[str, str]:
    """The report title in its two natural halves: year and unit, then the kind of report."""
    return f"{year_of(report)}年度{unit_of(report)}", report.form.subject_of(report.values) + report.form.title


def table_title(report: OpenReport) -> str:
    return f"{year_of(report)}年度{unit_of(report)}{report.form.table_title}"


def amount_unit(form: Form) -> str:
    """"金额单位：万元" above the score table; '' for a form without money fields."""
    return f"金额单位：{form.money_unit}" if form.money_unit else ""


def table_header(report: OpenReport) -> tuple[str, str, str]:
    """The line above a score table: 填报单位（盖章）, 填报日期 and 金额单位."""
    return (f"填报单位（盖章）：{unit_of(report)}", f"填报日期：{fill_date(report)}", amount_unit(report.form))


def fill_date(report: OpenReport) -> str:
    value = report.values.get("report.fill_date")
    return format_date_cn(value) if value else ""


def report_blocks(report: OpenReport, ev: Evaluation) -> list[Block]:
    """Sections 一 to 六 and the warnings, as headings and paragraphs."""
    blocks: list[Block] = []
    for section in report.form.sections:
        if not section.printed:
            continue
        blocks.append(Block("h1", section.title))
        for part in section.parts:
            level = 2  # items directly under the section's 一、 are numbered （一）
            if part.title != section.title:
                blocks.append(Block("h2", part.title))
                level = 3  # under a part's （一）, 1.
            blocks += _part(report, ev, part, level) or [Block("body", NOT_FILLED)]
        if section.conclusion:
            blocks.append(Block("body", conclusion_sentence(report, ev)))
    if ev.warnings:
        blocks.append(Block("h1", WARNINGS_TITLE))
        for number, finding in enumerate(ev.warnings, 1):
            explanation = finding.explanation.strip() if finding.explained else "（尚未填写说明）"
            blocks.append(Block("body", f"{number}. {sentence(finding.message)}说明：{sentence(explanation)}"))
    return blocks


def conclusion_sentence(report: OpenReport, ev: Evaluation) -> str:
    """The verdict closing the conclusion section, in the form's words."""
    form = report.form
    return form.text("conclusion" if ev.complete else "conclusion_incomplete").format(
        year=year_of(report), subject=form.short_title, total=format_score(ev.total),
        adjustments=format_score(ev.adjustments), grade=ev.grade, unscored=ev.unscored_count)


def _part(report: OpenReport, ev: Evaluation, part: Part, level: int) -> list[Block]:
    """The part's statements and texts; its numbered items stand at heading ``level``."""
    form = report.form
    blocks = [Block("body", text) for template in part.statements
              if (text := statement(form, ev, template)) is not None]
    longtexts = [fid for fid in part.fields if form.fields[fid].type == "longtext"]
    labelled = len(longtexts) > 1
    for fid in part.fields:
        field, value = form.fields[fid], report.values.get(fid)
        if not value or field.type not in ("longtext", "lines", "adjustments"):
            continue
        if field.type == "longtext":
            paragraphs = [closed(p) for p in value.splitlines() if p.strip()]
            if labelled and paragraphs:
                number = item_number(level, longtexts.index(fid) + 1)
                paragraphs[0] = f"{number}{sentence(field.label)}{paragraphs[0]}"
            blocks += [Block("body", p) for p in paragraphs]
        elif field.type == "lines":
            blocks += [Block("body", item_number(level, n) + closed(item)) for n, item in enumerate(value, 1)]
    if any(form.fields[fid].type == "adjustments" for fid in part.fields):
        blocks += adjustment_blocks(form, report.values, ev, level)
    for ident in part.indicators:
        blocks += _indicator_blocks(report, ev, form.nodes[ident], level)
    return blocks


def adjustment_blocks(form: Form, values: dict, ev: Evaluation, level: int = 3) -> list[Block]:
    rules = form.adjustments
    entries = values.get(rules.field) if rules else None
    if not entries:
        return [Block("body", "本年度无表彰或批评问责事项，不加分也不减分。")]
    blocks, raw = [], Decimal(0)
    for number, entry in enumerate(entries, 1):
        value = dict(rules.kind(entry["kind"]).points)[entry["level"]]
        raw += value
        verb = "加" if value >= 0 else "减"
        blocks.append(Block("body", f"{item_number(level, number)}{entry['kind']}（{entry['level']}）："
                                    f"{sentence(entry['description'])}{verb} {points(abs(value))} 分。"))
    total = ev.adjustments
    capped = "（已按上限计）" if raw != total else ""
    verb = "加" if total >= 0 else "减"
    blocks.append(Block("body", f"加减分项合计{verb} {format_score(abs(total))} 分{capped}。"))
    return blocks


def _indicator_blocks(report: OpenReport, ev: Evaluation, root: Indicator, level: int) -> list[Block]:
    """The indicator's groups numbered at ``level``, their sub-indicators one level below."""
    leaves = list(root.leaves())
    unscored = sum(ev.scores[leaf.id].unscored_count for leaf in leaves)
    summary = f"本部分指标分值 {points(root.weight)} 分，自评得分 {format_score(ev.subtotals[root.id])} 分"
    blocks = [Block("body", summary + (f"（{unscored_words(unscored)}）。" if unscored else "。"))]
    for number, group in enumerate(root.children or (root,), 1):
        members = list(group.leaves())
        head = f"{item_number(level, number)}{group.title}。指标分值 {points(group.weight)} 分"
        if len(members) == 1 and members[0].title == group.title:
            blocks.append(Block("h3", head + "。"))
            blocks += _leaf_body(report, ev, members[0])
            continue
        count = chinese_number(len(members))
        names = listing([leaf.title for leaf in members])
        blocks.append(Block("body", f"{head}，该指标从{names}{count}个方面进行考核。" if len(members) > 1
                            else f"{head}，该指标从{names}方面进行考核。"))
        for index, leaf in enumerate(members, 1):
            blocks.append(Block("h3", f"{item_number(level + 1, index)}{leaf.title}（{points(leaf.weight)} 分）。"))
            blocks += _leaf_body(report, ev, leaf)
    return blocks


def _leaf_body(report: OpenReport, ev: Evaluation, leaf: Indicator) -> list[Block]:
    blocks = []
    if leaf.statement:
        text = statement(report.form, ev, leaf.statement, leaf.id)
        if text is not None:
            blocks.append(Block("body", text))
    narrative = report.values.get(f"narrative.{leaf.id}") or ""
    blocks += [Block("body", closed(p)) for p in narrative.splitlines() if p.strip()]
    blocks.append(Block("body", score_sentence(report.form, ev, leaf)))
    return blocks


def score_sentence(form: Form, ev: Evaluation, leaf: Indicator) -> str:
    score = ev.scores[leaf.id]
    if not score.scored:
        return f"该指标尚未评分（{score.note}）。"
    text = f"{score.note}，" if score.note else ""
    text += f"自评得分 {format_score(score.score)} 分"
    if score.score >= leaf.weight:
        return text + "。"
    lost = format_score(leaf.weight - score.score)
    rule = leaf.rule
    if rule.kind == "manual":
        reason = ev.env.get(f"reason.{leaf.id}") or "（未填写扣分原因）"
        return f"{text}，扣 {lost} 分。扣分原因：{sentence(reason)}"
    if rule.kind == "checklist":  # each item the form words for 否: true to the answer given
        return f"{text}，扣 {lost} 分（{'；'.join(unmet_answers(form, leaf, ev))}）。"
    if score.rate is None:
        return f"{text}，按评分标准扣 {lost} 分。"
    return f"{text}，{leaf.title}为 {format_ratio(score.rate)}，按评分标准扣 {lost} 分。"
