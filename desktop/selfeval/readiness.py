"""When a report may be finalised and when it may be exported, and why not, in Chinese.

A report may be finalised once nothing typed is held back as unreadable, every
indicator is scored, no check fails as an error and every warning is
explained.  It may be exported once it is final and, as it stands, has no errors
and no unexplained warning: a final report may gain some after it was finalised
(its form edition changed, or the unit's project reports it counts changed), and
a signed report must not say "（尚未填写说明）".  The wizard's
navigator, ``Workspace.finalize`` and the export pipeline all ask here.

Every reason that blocks finalising is an error :class:`~selfeval.engine.Finding`
naming the fields to go to: besides the form's checks, a typed text not
accepted (``parse.<field>``) and an indicator that cannot be scored because a
value it needs is blank, or because it divides a non-zero figure by 0
(``unscored.<indicator>``); a blank's message offers "确无此类事项时填 0" only
where 0 would be consistent.  :func:`with_blocking` adds them to an
evaluation, so that every count and list shows them.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Mapping

from .engine import Evaluation, Finding

if TYPE_CHECKING:
    from .form import Form

REVIEW_PAGE_TITLE = "校验与定稿"  # the wizard page where a report is finalised
ALREADY_FINAL = "报告已定稿；如需修改，请先重新打开。"
NOT_FINAL = f"报告尚未定稿。只有定稿的报告才能导出，请先在“{REVIEW_PAGE_TITLE}”页说明全部警告并定稿。"
UNSCORED = "「{indicator}」无法评分：{missing}。请补填{zero}。"
UNSCORED_ZERO = "（确无此类事项时填 0）"  # only where 0 would be consistent (Score.zero_fits)
UNSCORED_CONFLICT = "「{indicator}」无法评分：{missing}。"  # the note names both figures
UNSCORED_MANUAL = "「{indicator}」尚未自评打分。"
PARSE_PREFIX = "parse."
UNSCORED_PREFIX = "unscored."
BLOCKING_PREFIXES = (PARSE_PREFIX, UNSCORED_PREFIX)


def is_blocking_finding(finding: Finding) -> bool:
    """A finding added here, not by the form's checks."""
    return finding.check.startswith(BLOCKING_PREFIXES)


def blocking_findings(form: "Form | None", evaluation: Evaluation,
                      parse_errors: Mapping[str, str] | None = None) -> tuple[Finding, ...]:
    """Texts typed but not accepted, and indicators left unscored by a blank, as errors."""
    found = [Finding(f"{PARSE_PREFIX}{fid}", "error", message, (fid,))
             for fid, message in (parse_errors or {}).items()]
    # 0 is offered for a blank only where it fits every indicator that reads that blank
    unfit = {fid for score in evaluation.scores.values() if not score.scored and not score.zero_fits
             for fid in score.missing}
    for leaf_id, score in evaluation.scores.items():
        if score.scored:
            continue
        leaf = form.leaves.get(leaf_id) if form is not None else None
        title = leaf.title if leaf is not None else leaf_id
        manual = leaf is not None and leaf.rule is not None and leaf.rule.kind == "manual"
        text = UNSCORED_MANUAL if manual else UNSCORED_CONFLICT if score.conflict else UNSCORED
        zero = UNSCORED_ZERO if score.zero_fits and not unfit & set(score.missing) else ""
        found.append(Finding(f"{UNSCORED_PREFIX}{leaf_id}", "error",
                             text.format(indicator=title, missing=score.note, zero=zero), tuple(score.missing)))
    return tuple(found)


def with_blocking(form: "Form", evaluation: Evaluation, parse_errors: Mapping[str, str] | None = None) -> Evaluation:
    """``evaluation`` with :func:`blocking_findings` among its findings (after the checks' own)."""
    own = tuple(f for f in evaluation.findings if not is_blocking_finding(f))
    return replace(evaluation, findings=own + blocking_findings(form, evaluation, parse_errors))


def _errors(evaluation: Evaluation) -> list[str]:
    return [f"错误：{finding.message}" for finding in evaluation.errors]


def _unexplained(evaluation: Evaluation) -> list[str]:
    return [f"警告未说明：{finding.message}" for finding in evaluation.unexplained_warnings]


def finalize_problems(evaluation: Evaluation, parse_errors: Mapping[str, str] | None = None, *,
                      final: bool = False, form: "Form | None" = None) -> list[str]:
    """Why the report cannot be finalised (empty when it can).

    ``parse_errors`` are texts typed but not accepted, by field; ``final`` says
    the report is final already; ``form`` names the unscored indicators.
    """
    if final:
        return [ALREADY_FINAL]
    return _errors(with_blocking(form, evaluation, parse_errors)) + _unexplained(evaluation)


def export_problems(final: bool, evaluation: Evaluation) -> list[str]:
    """Why the report cannot be exported (empty when it can)."""
    if not final:
        return [NOT_FINAL]
    if evaluation.errors:
        return [f"报告还有 {len(evaluation.errors)} 个错误，不能导出。请先重新打开报告并改正："] + _errors(evaluation)
    unexplained = _unexplained(evaluation)
    if unexplained:
        return [f"报告定稿后出现了 {len(unexplained)} 个未说明的警告（本单位的项目报告或表单在定稿后有变动），"
                "不能导出。请先重新打开报告，核对并说明后再定稿："] + unexplained
    return []
