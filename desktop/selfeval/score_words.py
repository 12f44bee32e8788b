"""How a report's total and grade read while some indicators are not scored yet.

The grade is decided only once every indicator is scored (the PDF says 评价等级待全部指标评分后确定),
and the total so far is the sum of what has been scored, not the report's total: an empty report
is not 0 分, 差. The score panel and the report list show both the same way, from the evaluation
or from the total, grade and ``complete`` flag the store keeps beside each report.
"""
from __future__ import annotations

PENDING_GRADE = "待评分"
PENDING_GRADE_NOTE = "评价等级待全部指标评分后确定"
PARTIAL_TOTAL = "已评 {total}"
PARTIAL_TOTAL_NOTE = "已评指标得分合计；尚有指标未评分，总分待全部指标评分后确定"


def grade_text(grade: str | None, complete: bool | None) -> str:
    """The grade once every indicator is scored, else 待评分 ("" when there is none at all)."""
    if not grade:
        return ""
    return grade if complete else PENDING_GRADE


def total_text(total: str, complete: bool | None) -> str:
    """``total`` (already written out: "85.72") once every indicator is scored, else 已评 85.72."""
    if not total:
        return ""
    return total if complete else PARTIAL_TOTAL.format(total=total)
