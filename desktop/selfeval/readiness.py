"""When a report may be finalised and when it may be exported, and why not, in Chinese.

A report may be finalised once nothing typed is held back as unreadable, no
check fails as an error and every warning is explained.  It may be exported
once it is final and, as stored, has no errors (a final report may gain some
when its form edition changes).  The wizard's navigator, ``Workspace.finalize``
and the export pipeline all ask here.
"""
from __future__ import annotations

from typing import Mapping

from .engine import Evaluation

REVIEW_PAGE_TITLE = "校验与定稿"  # the wizard page where a report is finalised
ALREADY_FINAL = "报告已定稿；如需修改，请先重新打开。"
NOT_FINAL = f"报告尚未定稿。只有定稿的报告才能导出，请先在“{REVIEW_PAGE_TITLE}”页说明全部警告并定稿。"


def _errors(evaluation: Evaluation) -> list[str]:
    return [f"错误：{finding.message}" for finding in evaluation.errors]


def finalize_problems(evaluation: Evaluation, parse_errors: Mapping[str, str] | None = None, *,
                      final: bool = False) -> list[str]:
    """Why the report cannot be finalised (empty when it can).

    ``parse_errors`` are texts typed but not accepted, by field; ``final`` says
    the report is final already.
    """
    if final:
        return [ALREADY_FINAL]
    problems = [f"错误：{message}" for message in (parse_errors or {}).values()]
    problems += _errors(evaluation)
    problems += [f"警告未说明：{finding.message}" for finding in evaluation.unexplained_warnings]
    return problems


def export_problems(final: bool, evaluation: Evaluation) -> list[str]:
    """Why the report cannot be exported (empty when it can)."""
    if not final:
        return [NOT_FINAL]
    if evaluation.errors:
        return [f"报告还有 {len(evaluation.errors)} 个错误，不能导出。请先重新打开报告并改正："] + _errors(evaluation)
    return []
