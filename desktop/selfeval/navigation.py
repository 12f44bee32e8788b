"""The wizard's pages and the way through them, with no GUI toolkit involved.

Pages come from the form: one page per :class:`~selfeval.form.Part`, in section
order, then a review page where findings are explained and the report is
finalised, then an export page where a finalised report is signed and written
as a submission package.  Every field is entered on exactly one page;
:func:`pages_of` works out which, once per form, and where each computed
value and each rate's working is shown read-only: right after the last field
it is worked out from.  :class:`Navigator` keeps the
current page and answers what each page's state is, what is wrong before Next,
and whether the report may be finalised or exported (by the rules of
:mod:`selfeval.readiness`) — all from an :class:`~selfeval.engine.Evaluation`.

A required field left empty is not shown as an error the moment a report
opens: the navigator remembers which pages were visited and left and which
fields were left, and shows "required but empty" under a field only once the
field or its page has been left.  The review page lists everything.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Callable, Iterable, Mapping

from .engine import Evaluation, Finding, format_value
from .form import Form, Indicator, Part
from .readiness import REVIEW_PAGE_TITLE, export_problems, finalize_problems
from .score_table import rate_working
from .values import is_empty

REVIEW_PAGE_ID = "review"
EXPORT_PAGE_ID = "export"
EXPORT_PAGE_TITLE = "导出与报送"
PENDING = "待填写：{fields}"
REQUIRED_PREFIX = "required."  # check ids of "required but empty" findings
# findings about blanks, shown on a form page once the blank field (or its page) was left
BLANK_PREFIXES = (REQUIRED_PREFIX, "unscored.")
CARRIED_NOTICE = "本页部分内容从 {year} 年度报告转入，请逐项核对修改。"
# A computed value read only from fields of these types (填报年度 from 评价年度 and
# 填报日期) restates when the report is; it is no figure to show beside an input.
HELPER_TYPES = frozenset({"date", "year"})


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
class ComputedItem:
    """A computed value, shown read-only right after the last field it is worked out from."""

    computed: str


@dataclass(frozen=True)
class RateItem:
    """How a rate indicator's rate comes about (numerator ÷ denominator = rate),
    shown read-only right after the indicator's last input on the page."""

    indicator: str


ShownItem = ComputedItem | RateItem


@dataclass(frozen=True)
class IndicatorItem:
    """A leaf indicator: its inputs placed here, then narrative, score and reason."""

    indicator: str
    path: tuple[str, ...]  # titles of the ancestors, outermost first
    inputs: tuple[str, ...]
    narrative: str
    score: str | None  # manual leaves only
    reason: str | None
    # the block's rows in display order: its fields with read-only rows between
    rows: tuple[FieldItem | ShownItem, ...] = ()

    def __post_init__(self) -> None:
        if not self.rows:
            object.__setattr__(self, "rows", tuple(FieldItem(fid) for fid in self.fields))

    @property
    def fields(self) -> tuple[str, ...]:
        extra = tuple(f for f in (self.score, self.reason) if f)
        return (*self.inputs, self.narrative, *extra)

    @property
    def shown(self) -> tuple[ShownItem, ...]:
        return tuple(row for row in self.rows if not isinstance(row, FieldItem))


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    section_title: str
    part: Part | None  # None for the review and export pages
    items: tuple[FieldItem | ComputedItem | IndicatorItem, ...] = ()
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
            if isinstance(item, FieldItem):
                result.append(item.field)
            elif isinstance(item, IndicatorItem):
                result.extend(item.fields)
        return tuple(result)

    @property
    def shown(self) -> tuple[ShownItem, ...]:
        """The read-only rows of the page, in display order."""
        result: list[ShownItem] = []
        for item in self.items:
            if isinstance(item, ComputedItem):
                result.append(item)
            elif isinstance(item, IndicatorItem):
                result.extend(item.shown)
        return tuple(result)

    @property
    def computed(self) -> tuple[str, ...]:
        return tuple(item.computed for item in self.shown if isinstance(item, ComputedItem))

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
    parts = []
    for section in form.sections:
        for part in section.parts:
            items: list[FieldItem | IndicatorItem] = [FieldItem(fid) for fid in part.fields]
            for root_id in part.indicators:
                for leaf in form.nodes[root_id].leaves():
                    inputs = tuple(fid for fid in leaf.inputs if fid not in placed)
                    placed.update(inputs)
                    items.append(_indicator_item(form, leaf, inputs))
            parts.append((section, part, items))
    order = [fid for _, _, items in parts for item in items
             for fid in ((item.field,) if isinstance(item, FieldItem) else item.fields)]
    after = _computed_after(form, {fid: n for n, fid in enumerate(order)})
    pages = []
    for section, part, items in parts:
        shown: list[FieldItem | ComputedItem | IndicatorItem] = []
        for item in items:
            if isinstance(item, FieldItem):
                shown += [item, *after.get(item.field, ())]
            else:
                shown.append(_with_shown_rows(form, item, after))
        pages.append(Page(part.id, part.title, section.title, part, tuple(shown)))
    pages.append(Page(REVIEW_PAGE_ID, REVIEW_PAGE_TITLE, REVIEW_PAGE_TITLE, None, kind=PageKind.REVIEW))
    pages.append(Page(EXPORT_PAGE_ID, EXPORT_PAGE_TITLE, EXPORT_PAGE_TITLE, None, kind=PageKind.EXPORT))
    return tuple(pages)


def _computed_after(form: Form, position: Mapping[str, int]) -> dict[str, list[ComputedItem]]:
    """Field id → the computed values shown right after it: each after the last of
    its base fields in display order (so on the page of its last input).  Values
    read only from date and year fields are helpers and shown nowhere."""
    after: dict[str, list[ComputedItem]] = {}
    for cid in form.computed:
        bases = [fid for fid in form.base_fields([cid]) if fid in position]
        if all(form.fields[fid].type in HELPER_TYPES for fid in bases):
            continue
        after.setdefault(max(bases, key=position.__getitem__), []).append(ComputedItem(cid))
    return after


def _with_shown_rows(form: Form, item: IndicatorItem, after: Mapping[str, list[ComputedItem]]) -> IndicatorItem:
    """``item`` with computed values after their last inputs, and for a rate
    worked out from a numerator and a denominator, its working after all inputs."""
    rows: list[FieldItem | ShownItem] = []
    for fid in item.inputs:
        rows += [FieldItem(fid), *after.get(fid, ())]
    rule = form.leaves[item.indicator].rule
    if rule is not None and rule.is_rate and rule.numerator is not None and rule.denominator is not None:
        rows.append(RateItem(item.indicator))
    for fid in item.fields[len(item.inputs):]:
        rows += [FieldItem(fid), *after.get(fid, ())]
    return replace(item, rows=tuple(rows))


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


def side_list(pages: tuple[Page, ...]) -> list[Page | str]:
    """The wizard's side list, top to bottom: every page, and above the pages of a chapter of several
    pages (一、部门的基本情况 over its （一）（二）（三）) the chapter's title, which is no page."""
    entries: list[Page | str] = []
    heading_of = None
    for page in pages:
        if in_chapter(page) and page.section_title != heading_of:
            entries.append(page.section_title)
        heading_of = page.section_title if in_chapter(page) else None
        entries.append(page)
    return entries


def in_chapter(page: Page) -> bool:
    """A page that is one part of its chapter (listed under the chapter's title), not a chapter itself."""
    return page.part is not None and page.title != page.section_title


def field_page_index(form: Form) -> dict[str, int]:
    """Field id → index of the page it is entered on."""
    return {fid: index for index, page in enumerate(pages_of(form)) for fid in page.fields}


def computed_page_index(form: Form) -> dict[str, int]:
    """Computed value id → index of the page it is shown on (helpers shown nowhere are left out)."""
    return {cid: index for index, page in enumerate(pages_of(form)) for cid in page.computed}


def shown_label(form: Form, item: ShownItem) -> str:
    """The label of a read-only row: the computed value's label, or the rate indicator's title."""
    if isinstance(item, ComputedItem):
        return form.computed[item.computed].label
    return form.leaves[item.indicator].title


@dataclass(frozen=True)
class Shown:
    """What a read-only row shows: a figure with its unit, or a note in words."""

    text: str
    unit: str = ""
    note: bool = False  # inputs still missing, or nothing to work out

    def __str__(self) -> str:
        return f"{self.text} {self.unit}" if self.unit else self.text


def shown_value(form: Form, item: ShownItem, evaluation: Evaluation) -> Shown:
    """What a read-only row shows now.

    A computed value is formatted as its ``format`` says (counts as integers,
    money with separators and two decimals) with its unit; a rate as
    "93.12 ÷ 94.55 = 98.49%", each figure formatted like the field or value it
    is read from.  While inputs are missing the note is "待填写：" and their
    labels; a rate over a zero denominator says it is scored in full, or, beside a
    non-zero numerator, which two figures disagree.
    """
    if isinstance(item, ComputedItem):
        computed = form.computed[item.computed]
        value = evaluation.computed.get(item.computed)
        if value is None:
            return _pending(form, [fid for fid in form.base_fields([item.computed]) if fid not in evaluation.env])
        return Shown(format_value(value, computed.format), "" if computed.format == "percent" else computed.unit)
    score = evaluation.scores[item.indicator]
    if not score.scored:  # inputs missing, or figures that disagree (a zero denominator)
        return Shown(score.note, note=True) if score.conflict else _pending(form, score.missing)
    working = rate_working(form, form.leaves[item.indicator], evaluation)
    return Shown(working) if working else Shown(score.note, note=True)  # nothing to divide by


def shown_text(form: Form, item: ShownItem, evaluation: Evaluation) -> str:
    """The read-only row as one line: "编制数合计：19 人"."""
    return f"{shown_label(form, item)}：{shown_value(form, item, evaluation)}"


def _pending(form: Form, missing: Iterable[str]) -> Shown:
    labels = "、".join(form.fields[fid].label for fid in missing if fid in form.fields)
    return Shown(PENDING.format(fields=labels) if labels else PENDING.format(fields="").rstrip("："), note=True)


def is_required_finding(finding: Finding) -> bool:
    """A "required but empty" finding (「…」为必填项，尚未填写)."""
    return finding.check.startswith(REQUIRED_PREFIX)


def carried_notice(page: Page, unchanged: Iterable[str], year: int | None) -> str | None:
    """The notice at the top of a page holding values carried over from the
    ``year`` report and not changed since; ``None`` for a page without any."""
    if year is None or not set(page.fields).intersection(unchanged):
        return None
    return CARRIED_NOTICE.format(year=year)


def page_findings(page: Page, evaluation: Evaluation) -> tuple[Finding, ...]:
    """Findings that name a field entered on ``page``; every finding for the review page, none for export."""
    if page.is_review:
        return evaluation.findings
    if page.is_export:
        return ()
    here = set(page.fields)
    return tuple(f for f in evaluation.findings if here.intersection(f.fields))


def page_state(
    page: Page,
    evaluation: Evaluation,
    values: Mapping[str, Any],
    parse_errors: Mapping[str, str] | None = None,
    *,
    final: bool = False,
    exported: bool = False,
    shows: Callable[[Finding], bool] | None = None,
    visited: bool = True,
) -> PageState:
    """The state shown beside a page in the side list.

    ``shows`` tells which findings are shown yet (all when not given); one not
    shown yet leaves a page in progress, never in error.  The review page lists
    every finding, so once ``visited`` it counts them all.

    The export page is not started until the report is final, in progress
    once it may be exported, complete after an export in this session, and in
    error when a final report still has errors (a form edition changed since).
    """
    parse_errors = parse_errors or {}
    shows = shows or (lambda _finding: True)
    if page.is_export:
        if not final:
            return PageState.NOT_STARTED
        if export_problems(final, evaluation):
            return PageState.ERRORS
        return PageState.COMPLETE if exported else PageState.IN_PROGRESS
    if page.is_review:
        if any(visited or shows(f) for f in evaluation.errors):
            return PageState.ERRORS
        if evaluation.unexplained_warnings:
            return PageState.WARNINGS
        done = evaluation.complete and not evaluation.errors
        return PageState.COMPLETE if done else PageState.IN_PROGRESS
    here = page.fields
    held = [fid for fid in here if fid in parse_errors]
    every = page_findings(page, evaluation)
    findings = [f for f in every if shows(f)]
    if held or any(f.severity == "error" for f in findings):
        return PageState.ERRORS
    if all(is_empty(values.get(fid)) for fid in here):
        return PageState.NOT_STARTED
    if any(f.severity == "warning" and not f.explained for f in findings):
        return PageState.WARNINGS
    if len(findings) < len(every) or any(not evaluation.scores[leaf].scored for leaf in page.indicators):
        return PageState.IN_PROGRESS
    return PageState.COMPLETE


class Navigator:
    """Where the clerk is in one report's wizard.

    Nothing hard-blocks moving between pages: errors are shown on the pages
    they concern, and only finalising is refused while any remain.  A final
    report is read-only on every page, yet may still be exported.

    It remembers where the clerk has been: the pages visited, the pages left
    (by Next, Back or a jump) and the fields left.  A required field still
    empty is shown as an error once it or its page has been left (or it was
    jumped to from a finding); before that it only keeps its page in progress.
    """

    def __init__(self, form: Form, *, final: bool = False):
        self.form = form
        self.pages = pages_of(form)
        self.index = 0
        self.final = final
        self.exported = False  # a package was written since this navigator was made
        self._field_page = field_page_index(form)
        self.visited: set[str] = {self.current.id}
        self.left_pages: set[str] = set()
        self.left_fields: set[str] = set()  # left, or jumped to from a finding

    def remember(self, other: "Navigator") -> None:
        """Take over where the clerk has been from ``other`` (the same report reloaded)."""
        self.index = other.index
        self.visited = set(other.visited) | {self.current.id}
        self.left_pages = set(other.left_pages)
        self.left_fields = set(other.left_fields)

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

    def move(self, index: int) -> Page:
        """Show page ``index``; the page shown before counts as left."""
        if index != self.index:
            self.left_pages.add(self.current.id)
            self.index = index
            self.visited.add(self.current.id)
        return self.current

    def next(self) -> Page:
        return self.move(self.index + 1) if self.can_next else self.current

    def back(self) -> Page:
        return self.move(self.index - 1) if self.can_back else self.current

    def go(self, page_id: str) -> Page:
        return self.move(self.index_of(page_id))

    def go_to_field(self, field_id: str) -> Page:
        """Jump to a field (from a finding): its findings are shown from now on."""
        self.reveal(field_id)
        return self.move(self._field_page[field_id])

    def reveal(self, field_id: str) -> None:
        """The field was left, or jumped to from a finding: show its findings from now on."""
        self.left_fields.add(field_id)

    # -- judging

    def shows(self, finding: Finding) -> bool:
        """Whether ``finding`` is shown on the pages of its fields (and counts in
        their states) yet: a required field's only once it or its page was left."""
        if not finding.check.startswith(BLANK_PREFIXES):
            return True
        # a blank that keeps an indicator unscored shows once every blank it names was left
        return all(fid in self.left_fields or self.pages[self._field_page[fid]].id in self.left_pages
                   for fid in finding.fields if fid in self._field_page)

    def shown_findings(self, page: Page, evaluation: Evaluation) -> tuple[Finding, ...]:
        """The findings shown on ``page`` now; the review page shows every one."""
        findings = page_findings(page, evaluation)
        return findings if page.is_review else tuple(f for f in findings if self.shows(f))

    def hidden_errors(self, evaluation: Evaluation) -> tuple[Finding, ...]:
        """Errors not shown on any page yet: required fields on pages not yet left."""
        return tuple(f for f in evaluation.errors if not self.shows(f))

    def states(self, evaluation: Evaluation, values: Mapping[str, Any],
               parse_errors: Mapping[str, str] | None = None) -> dict[str, PageState]:
        return {page.id: page_state(page, evaluation, values, parse_errors,
                                    final=self.final, exported=self.exported, shows=self.shows,
                                    visited=page.id in self.visited)
                for page in self.pages}

    def next_notices(self, evaluation: Evaluation,
                     parse_errors: Mapping[str, str] | None = None) -> list[str]:
        """What is wrong on the current page; shown on leaving it, never blocking."""
        page = self.current
        if page.is_review or page.is_export:
            return []
        held = [message for fid, message in (parse_errors or {}).items() if fid in page.fields]
        return held + [f.message for f in page_findings(page, evaluation)
                       if not f.explained and f.message not in held]

    def can_finalize(self, evaluation: Evaluation, parse_errors: Mapping[str, str] | None = None) -> bool:
        return not self.finalize_problems(evaluation, parse_errors)

    def finalize_problems(self, evaluation: Evaluation,
                          parse_errors: Mapping[str, str] | None = None) -> list[str]:
        return finalize_problems(evaluation, parse_errors, final=self.final, form=self.form)

    def can_export(self, evaluation: Evaluation) -> bool:
        return not export_problems(self.final, evaluation)

    def export_problems(self, evaluation: Evaluation) -> list[str]:
        return export_problems(self.final, evaluation)


def first_field_of(pages: Iterable[Page], finding: Finding) -> str | None:
    """The first field of ``finding`` that some page holds (to jump to it)."""
    held = {fid for page in pages for fid in page.fields}
    return next((fid for fid in finding.fields if fid in held), None)
