"""The wizard's pages and the way through them, with no GUI toolkit involved.

Pages come from the form: one page per :class:`~selfeval.form.Part`, in section
order, then a review page where findings are explained and the report is
finalised, then an export page where a finalised report is signed and written
as a submission package.  Every field is entered on exactly one page;
:func:`pages_of` works out which, once per form.  :class:`Navigator` keeps the
current page and answers what each page's state is, what is wrong before Next,
and whether the report may be finalised or exported — all from an
:class:`~selfeval.engine.Evaluation`.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Mapping

from .engine import Evaluation, Finding
from .form import Form, Indicator, Part
from .values import is_empty

REVIEW_PAGE_ID = "review"
REVIEW_PAGE_TITLE = "校验与定稿"
EXPORT_PAGE_ID = "export"
EXPORT_PAGE_TITLE = "导出与报送"


class PageKind(Enum):
    FORM = "form"  # fields of one part of the form
    REVIEW = "review"  # findings, explanations, finalising
    EXPORT = "export"  # signing and writing the submission package


class PageState(Enum):
    NOT_STARTED = "not_started"  # nothing entered on the page yet
    IN_PROGRESS = "in_progress"  # no problems, but an indicator on the page is not scored yet
    COMPLETE = "complete"
    WARNINGS = "warnings"  # unexplained warnings, no errors
    ERRORS = "errors"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    PageState.NOT_STARTED: "未开始",
    PageState.IN_PROGRESS: "填写中",
    PageState.COMPLETE: "已完成",
    PageState.WARNINGS: "有警告",
    PageState.ERRORS: "有错误",
}


@dataclass(frozen=True)
class FieldItem:
    """A field entered on its own (not under an indicator)."""

    field: str


@dataclass(frozen=True)
class IndicatorItem:
    """A leaf indicator: its inputs placed here, then narrative, score and reason."""

    indicator: str
    path: tuple[str, ...]  # titles of the ancestors, outermost first
    inputs: tuple[str, ...]
    narrative: str
    score: str | None  # manual leaves only
    reason: str | None

    @property
    def fields(self) -> tuple[str, ...]:
        extra = tuple(f for f in (self.score, self.reason) if f)
        return (*self.inputs, self.narrative, *extra)


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    section_title: str
    part: Part | None  # None for the review and export pages
    items: tuple[FieldItem | IndicatorItem, ...] = ()
    kind: PageKind = PageKind.FORM

    @property
    def is_review(self) -> bool:
        return self.kind is PageKind.REVIEW

    @property
    def is_export(self) -> bool:
        return self.kind is PageKind.EXPORT

    @property
    def fields(self) -> tuple[str, ...]:
        result: list[str] = []
        for item in self.items:
            result.extend((item.field,) if isinstance(item, FieldItem) else item.fields)
        return tuple(result)

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(item.indicator for item in self.items if isinstance(item, IndicatorItem))


_PAGE_CACHE: dict[int, tuple[Form, tuple[Page, ...]]] = {}


def pages_of(form: Form) -> tuple[Page, ...]:
    """The wizard's pages for ``form``, computed once per form object."""
    cached = _PAGE_CACHE.get(id(form))
    if cached is not None and cached[0] is form:
        return cached[1]
    pages = _build_pages(form)
    _PAGE_CACHE[id(form)] = (form, pages)
    return pages


def _build_pages(form: Form) -> tuple[Page, ...]:
    placed: set[str] = {fid for section in form.sections for part in section.parts for fid in part.fields}
    pages = []
    for section in form.sections:
        for part in section.parts:
            items: list[FieldItem | IndicatorItem] = [FieldItem(fid) for fid in part.fields]
            for root_id in part.indicators:
                for leaf in form.nodes[root_id].leaves():
                    inputs = tuple(fid for fid in leaf.inputs if fid not in placed)
                    placed.update(inputs)
                    items.append(_indicator_item(form, leaf, inputs))
            pages.append(Page(part.id, part.title, section.title, part, tuple(items)))
    pages.append(Page(REVIEW_PAGE_ID, REVIEW_PAGE_TITLE, REVIEW_PAGE_TITLE, None, kind=PageKind.REVIEW))
    pages.append(Page(EXPORT_PAGE_ID, EXPORT_PAGE_TITLE, EXPORT_PAGE_TITLE, None, kind=PageKind.EXPORT))
    return tuple(pages)


def _indicator_item(form: Form, leaf: Indicator, inputs: tuple[str, ...]) -> IndicatorItem:
    path, parent = [], leaf.parent
    while parent is not None:
        node = form.nodes[parent]
        path.insert(0, node.title)
        parent = node.parent
    manual = leaf.rule is not None and leaf.rule.kind == "manual"
    score, reason = f"score.{leaf.id}", f"reason.{leaf.id}"
    return IndicatorItem(
        leaf.id,
        tuple(path),
        inputs,
        f"narrative.{leaf.id}",
        score if manual and score in form.fields else None,
        reason if manual and reason in form.fields else None,
    )


def field_page_index(form: Form) -> dict[str, int]:
    """Field id → index of the page it is entered on."""
    return {fid: index for index, page in enumerate(pages_of(form)) for fid in page.fields}


def page_findings(page: Page, evaluation: Evaluation) -> tuple[Finding, ...]:
    """Findings that name a field entered on ``page``; every finding for the review page, none for export."""
    if page.is_review:
        return evaluation.findings
    if page.is_export:
        return ()
    here = set(page.fields)
    return tuple(f for f in evaluation.findings if here.intersection(f.fields))


def page_state(
    form: Form,
    page: Page,
    evaluation: Evaluation,
    values: Mapping[str, Any],
    parse_errors: Mapping[str, str] | None = None,
    *,
    final: bool = False,
    exported: bool = False,
) -> PageState:
    """The state shown beside a page in the side list.

    The export page is not started until the report is final, in progress
    once it may be exported, complete after an export in this session, and in
    error when a final report still has errors (a form edition changed since).
    """
    parse_errors = parse_errors or {}
    if page.is_export:
        if not final:
            return PageState.NOT_STARTED
        if export_problems(final, evaluation):
            return PageState.ERRORS
        return PageState.COMPLETE if exported else PageState.IN_PROGRESS
    if page.is_review:
        if evaluation.errors:
            return PageState.ERRORS
        if evaluation.unexplained_warnings:
            return PageState.WARNINGS
        return PageState.COMPLETE if evaluation.complete else PageState.IN_PROGRESS
    here = page.fields
    held = [fid for fid in here if fid in parse_errors]
    if not held and all(is_empty(values.get(fid)) for fid in here):
        return PageState.NOT_STARTED
    findings = page_findings(page, evaluation)
    if held or any(f.severity == "error" for f in findings):
        return PageState.ERRORS
    if any(f.severity == "warning" and not f.explained for f in findings):
        return PageState.WARNINGS
    if any(not evaluation.scores[leaf].scored for leaf in page.indicators):
        return PageState.IN_PROGRESS
    return PageState.COMPLETE


def finalize_problems(evaluation: Evaluation, parse_errors: Mapping[str, str] | None = None) -> list[str]:
    """Why the report cannot be finalised yet (empty when it can), in Chinese."""
    problems = [f"错误：{message}" for message in (parse_errors or {}).values()]
    problems += [f"错误：{f.message}" for f in evaluation.errors]
    problems += [f"警告未说明：{f.message}" for f in evaluation.unexplained_warnings]
    return problems


def export_problems(final: bool, evaluation: Evaluation) -> list[str]:
    """Why the report cannot be exported (empty when it can), in Chinese."""
    if not final:
        return [f"报告尚未定稿。只有定稿的报告才能导出，请先在“{REVIEW_PAGE_TITLE}”页说明全部警告并定稿。"]
    if evaluation.errors:
        return [f"报告还有 {len(evaluation.errors)} 个错误，不能导出。请先重新打开报告并改正："] + [
            f"错误：{f.message}" for f in evaluation.errors]
    return []


class Navigator:
    """Where the clerk is in one report's wizard.

    Nothing hard-blocks moving between pages: errors are shown on the pages
    they concern, and only finalising is refused while any remain.  A final
    report is read-only on every page, yet may still be exported.
    """

    def __init__(self, form: Form, *, final: bool = False):
        self.form = form
        self.pages = pages_of(form)
        self.index = 0
        self.final = final
        self.exported = False  # a package was written since this navigator was made
        self._field_page = field_page_index(form)

    # -- where we are

    @property
    def current(self) -> Page:
        return self.pages[self.index]

    @property
    def read_only(self) -> bool:
        return self.final

    def page(self, page_id: str) -> Page:
        return self.pages[self.index_of(page_id)]

    def index_of(self, page_id: str) -> int:
        for index, page in enumerate(self.pages):
            if page.id == page_id:
                return index
        raise KeyError(page_id)

    def page_of_field(self, field_id: str) -> Page:
        return self.pages[self._field_page[field_id]]

    # -- moving

    @property
    def can_back(self) -> bool:
        return self.index > 0

    @property
    def can_next(self) -> bool:
        return self.index < len(self.pages) - 1

    def next(self) -> Page:
        if self.can_next:
            self.index += 1
        return self.current

    def back(self) -> Page:
        if self.can_back:
            self.index -= 1
        return self.current

    def go(self, page_id: str) -> Page:
        self.index = self.index_of(page_id)
        return self.current

    def go_to_field(self, field_id: str) -> Page:
        self.index = self._field_page[field_id]
        return self.current

    # -- judging

    def states(self, evaluation: Evaluation, values: Mapping[str, Any],
               parse_errors: Mapping[str, str] | None = None) -> dict[str, PageState]:
        return {page.id: page_state(self.form, page, evaluation, values, parse_errors,
                                    final=self.final, exported=self.exported)
                for page in self.pages}

    def next_notices(self, evaluation: Evaluation,
                     parse_errors: Mapping[str, str] | None = None) -> list[str]:
        """What is wrong on the current page; shown on leaving it, never blocking."""
        page = self.current
        if page.is_review or page.is_export:
            return []
        held = [message for fid, message in (parse_errors or {}).items() if fid in page.fields]
        return held + [f.message for f in page_findings(page, evaluation) if not f.explained]

    def can_finalize(self, evaluation: Evaluation, parse_errors: Mapping[str, str] | None = None) -> bool:
        return not self.final and not finalize_problems(evaluation, parse_errors)

    def finalize_problems(self, evaluation: Evaluation,
                          parse_errors: Mapping[str, str] | None = None) -> list[str]:
        if self.final:
            return ["报告已定稿；如需修改，请先重新打开。"]
        return finalize_problems(evaluation, parse_errors)

    def can_export(self, evaluation: Evaluation) -> bool:
        return not export_problems(self.final, evaluation)

    def export_problems(self, evaluation: Evaluation) -> list[str]:
        return export_problems(self.final, evaluation)


def first_field_of(pages: Iterable[Page], finding: Finding) -> str | None:
    """The first field of ``finding`` that some page holds (to jump to it)."""
    held = {fid for page in pages for fid in page.fields}
    return next((fid for fid in finding.fields if fid in held), None)
