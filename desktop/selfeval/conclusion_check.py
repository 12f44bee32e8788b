"""The conclusion as written against the report: its year, its score and its grade.

A conclusion pasted from last year's report ("本部门2021年度…得分为 92.5 分，评价等级为“优”")
reads like a verdict, and the report prints its own verdict right after it.  The engine
adds one warning per text field of the section the form marks ``conclusion: true`` when
that text states

- a year other than the report year or the year it is filled in (years ten or more
  before are history, as for ``stray_years``);
- once every indicator is scored, a total ("得分为 92.5 分", a figure above the largest
  一级 weight, so that a subtotal is never taken for one) other than the total or the
  score before adjustments, to the places the text gives; or a grade other than the
  report's ("评价等级为“优”").

A clause that compares (较上年、同比、提高…) is left alone, and so is a year that a form
check already flags in the same field.  The warning's id is
``conclusion_stated.<field id>``, and it takes an 出错说明 like any warning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

from .expr import HISTORY_YEARS
from .form import Form
from .parsing import format_score

CHECK = "conclusion_stated"
TEXT_TYPES = ("text", "longtext", "lines")
# patterns, compiled on first use (re's own cache), not when the program starts
SENTENCE = r"[^。！？；;\n]+"
CLAUSE = r"[^，,]+"
COMPARING = r"较|比|同比|环比|上年|去年|上一年|以来|提高|下降|增加|减少|上升|增长|提升|降低"
YEAR = r"(?<!\d)((?:19|20)\d{2})\s*年度?(?!代)"
# bounded runs between the words, so that no text (up to a field's 20,000 characters) makes them slow
SCORE = r"(?:得分|总分|评分)[\s为是：:]{0,4}(\d{1,3}(?:\.\d{1,2})?)\s{0,2}分"


@dataclass(frozen=True)
class Stated:
    """What one text field states that the report does not: the finding's parts."""

    check: str
    field: str
    message: str
    excerpt: str


def checked_fields(form: Form) -> tuple[str, ...]:
    """The text fields of the conclusion section, in form order."""
    section = next((s for s in form.sections if s.conclusion), None)
    if section is None:
        return ()
    return tuple(fid for part in section.parts for fid in part.fields if form.fields[fid].type in TEXT_TYPES)


def check_ids(form: Form) -> set[str]:
    """The ids of the warnings this check may give (each may carry an 出错说明)."""
    return {f"{CHECK}.{fid}" for fid in checked_fields(form)}


@dataclass(frozen=True)
class Verdict:
    """What the report itself says: its year, fill year, and, when complete, total and grade."""

    year: int | None
    fill_year: int | None
    total: Decimal | None  # None while the total is incomplete
    base: Decimal | None
    grade: str
    grades: tuple[str, ...]
    largest_weight: Decimal


def verdict(form: Form, env: Mapping[str, Any], total: Decimal, base: Decimal, grade: str,
            complete: bool) -> Verdict:
    year = env.get("report.year")
    filled = env.get("report.fill_date")
    year = int(year) if year is not None else None
    fill_year = filled.year if filled is not None else (year + 1 if year is not None else None)
    return Verdict(year, fill_year, total if complete else None, base if complete else None, grade,
                   tuple(band.grade for band in form.grades), max(node.weight for node in form.indicators))


def stated_mismatches(form: Form, env: Mapping[str, Any], report: Verdict,
                      flagged: Iterable[tuple[str, str]] = ()) -> list[Stated]:
    """One :class:`Stated` per conclusion field whose text says otherwise; ``flagged`` holds
    (field id, words) already reported by the form's own checks, not reported again."""
    found = []
    flagged = set(flagged)
    for fid in checked_fields(form):
        value = env.get(fid)
        text = "\n".join(value) if isinstance(value, list) else value
        if not text:
            continue
        parts = [(words, why) for words, why in _differences(text, report)
                 if (fid, _year_digits(words)) not in flagged]
        if parts:
            label = form.fields[fid].label
            said = "；".join(f"写的是“{_quoted(words)}”，{why}" for words, why in parts)
            found.append(Stated(f"{CHECK}.{fid}", fid, f"「{label}」中{said}。请核对是否沿用了往年的结论。",
                                parts[0][0]))
    return found


def _differences(text: str, report: Verdict) -> list[tuple[str, str]]:
    """(the words as written, what the report says instead), in the order of the text."""
    result: list[tuple[str, str]] = []
    for sentence in re.findall(SENTENCE, text):
        for clause in re.findall(CLAUSE, sentence):
            if re.search(COMPARING, clause):
                continue
            result += _year(clause, report) + _score(clause, report) + _grade(clause, report)
    unique: dict[str, str] = {}
    for words, why in result:
        unique.setdefault(words, why)
    return list(unique.items())


def _year(clause: str, report: Verdict) -> list[tuple[str, str]]:
    if report.year is None:
        return []
    allowed = {report.year, report.fill_year}
    return [(match.group(0).strip(), f"本报告的评价年度为 {report.year} 年")
            for match in re.finditer(YEAR, clause)
            if int(match.group(1)) not in allowed and int(match.group(1)) > report.year - HISTORY_YEARS]


def _score(clause: str, report: Verdict) -> list[tuple[str, str]]:
    if report.total is None:
        return []
    found = []
    for match in re.finditer(SCORE, clause):
        stated = Decimal(match.group(1))
        if stated <= report.largest_weight:  # a subtotal or an indicator's score, not a total
            continue
        places = Decimal(1).scaleb(stated.as_tuple().exponent)
        if all(stated != value.quantize(places, rounding=ROUND_HALF_UP) for value in (report.total, report.base)):
            found.append((match.group(0), f"本报告的总分为 {format_score(report.total)} 分"))
    return found


def _grade(clause: str, report: Verdict) -> list[tuple[str, str]]:
    if report.total is None or not report.grades:
        return []
    names = "|".join(re.escape(g) for g in sorted(report.grades, key=len, reverse=True))
    pattern = re.compile(rf"(?:等级|等次|评为|评定为|定为)[\s为是：:“\"「『‘']{{0,4}}({names})"
                         rf"(?:秀|好|等)?[\s”\"」』’']{{0,2}}(?=[，。；、,.;\s）)]|等级|等次|$)")
    return [(match.group(0).strip(), f"本报告的评价等级为“{report.grade}”")
            for match in pattern.finditer(clause) if match.group(1) != report.grade]


def _year_digits(words: str) -> str:
    match = re.fullmatch(YEAR, words)
    return match.group(1) if match else ""


def _quoted(words: str) -> str:
    """Words quoted inside “…”: their own double quotes become single ones."""
    return words.replace("“", "‘").replace("”", "’").replace('"', "'")
