"""What a form is, once loaded: fields, computed values, indicators, checks.

The objects here are plain, immutable data built by :mod:`selfeval.formfile`
from a YAML form file.  Nothing about a particular framework or edition lives
in code: the engine, the wizard and the exports only walk these objects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal
from typing import Any, Iterable, Iterator

from .expr import BOOL, DATE, LIST, NUMBER, TEXT, Compiled
from .parsing import format_yesno

# Field types and the expression type each one has.
FIELD_TYPES = {
    "text": TEXT,
    "longtext": TEXT,
    "credit_code": TEXT,
    "year": NUMBER,
    "count": NUMBER,
    "money": NUMBER,
    "percent": NUMBER,
    "number": NUMBER,
    "score": NUMBER,
    "date": DATE,
    "yesno": BOOL,
    "lines": LIST,
    "adjustments": LIST,
    "rows": LIST,  # a table whose rows the clerk adds (see Column and Rows)
}
INTEGER_TYPES = frozenset({"year", "count"})
DECIMAL_TYPES = frozenset({"money", "percent", "number", "score"})

# Ids the program itself reads: every form has these fields, with these types.
REQUIRED_FIELDS = {"unit.name": "text", "report.year": "year", "report.fill_date": "date"}
# Ids the program reads when a form has them; their type is fixed too.
OPTIONAL_FIELDS = {"unit.credit_code": "credit_code", "unit.region": "text"}
SIGNOFF_PREFIX = "signoff."  # sign-off fields: short texts printed under the score table
MAX_INDICATOR_LEVELS = 3  # the score table has a column for each level

RULE_KINDS = ("manual", "proportional", "ceiling", "deduct", "floor", "checklist", "rows")
# Column types of a table field, with the expression type of each; a choice column is text.
COLUMN_TYPES = {"text": TEXT, "longtext": TEXT, "number": NUMBER, "score": NUMBER,
                "yesno": BOOL, "choice": TEXT}
SEVERITIES = ("error", "warning")
# Names a per-field check (for_each) sees besides the report's ids: the field's text, the
# 评分标准 of the indicator whose 情况说明 it is ('' for other fields), and the text of the fields of the same
# types before it in the form.
FOR_EACH_LOCALS = ("this", "criteria", "earlier")
PREVIOUS_PREFIX = "previous."  # previous.<field id>: the value in the report this one was started from
PREVIOUS_TYPES = ("money", "count", "percent", "number")
COUNTED_PREFIX = "counted."  # counted.<field id>: how many of the unit's reports of another form count
# "{name}" or "{name:format}" in a check's message or a statement: a value filled in
PLACEHOLDER = re.compile(r"\{([^{}:]+)(?::([^{}]+))?\}")


@dataclass(frozen=True)
class Column:
    """One column of a table field: each row holds a value of this type under ``id``."""

    id: str
    label: str
    type: str  # a key of COLUMN_TYPES
    required: Compiled | None = None  # over the row: when true, an empty cell is an error
    choices: tuple[str, ...] = ()  # choice: the options (of every parent option, in order)
    depends: str = ""  # choice: the column whose value picks the options
    choices_by: tuple[tuple[str, tuple[str, ...]], ...] = ()  # parent option → options
    default: Any = None  # the value of a new row (yesno: true or false)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int | None = None
    width: int = 0  # a hint for the table page: characters shown
    # offered choices (not enforced) when another column holds a value: ((column, value, choices), …)
    suggest: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def expr_type(self) -> str:
        return COLUMN_TYPES[self.type]

    def options(self, row: dict) -> tuple[str, ...]:
        """The choices this row may take (for a dependent column, those under its parent)."""
        if not self.depends:
            return self.choices
        return dict(self.choices_by).get(row.get(self.depends), ())

    def suggestions(self, row: dict) -> tuple[str, ...]:
        """The answers offered for this row (a 定性 row's three bands), else ()."""
        return next((choices for column, value, choices in self.suggest if row.get(column) == value), ())


@dataclass(frozen=True)
class RowComputed:
    """A value computed in each row of a table field (``rows``), by an expression over the row."""

    id: str
    label: str
    expr: Compiled


@dataclass(frozen=True)
class Rows:
    """What a table field (type ``rows``) holds and how each row is scored and checked."""

    columns: tuple[Column, ...]
    computed: tuple[RowComputed, ...] = ()  # per row, in order; later ones see earlier ones
    checks: tuple["Check", ...] = ()  # per row; messages may name {row}, the row's number
    score: str = ""  # the computed value that is a row's score, rounded half-up and clamped
    weight: str = ""  # the column holding a row's 分值
    applicable: str = ""  # the yes/no column; false marks a 不适用 row
    min_rows: int = 0
    max_rows: int = 200
    # how a row prints in the score table: the 二级 cell it is grouped by, the 三级 cell, the
    # 评分标准 and 指标值 cells (templates over the row: "{target}{unit}") and the 原因 column
    print_group: str = ""
    print_title: str = ""
    print_criteria: str = ""
    print_value: str = ""
    print_reason: str = ""

    def column(self, cid: str) -> Column | None:
        return next((c for c in self.columns if c.id == cid), None)


@dataclass(frozen=True)
class Field:
    """One input of the form: its id, label, type and what it accepts."""

    id: str
    label: str
    type: str
    unit: str = ""
    required: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    help: str = ""
    carry: bool = False  # copied into next year's report
    max_length: int | None = None  # characters; for lists, of each item or description
    max_items: int | None = None  # lines and adjustments: entries
    indicator: str | None = None  # for narrative/score/reason fields of an indicator
    yes: str = ""  # yes/no fields: what is true when the answer is 是 …
    no: str = ""  # … and when it is 否
    sum_of: tuple[str, ...] = ()  # a total left empty takes the sum of these fields
    rows: Rows | None = None  # a table field: its columns, per-row values and checks

    @property
    def expr_type(self) -> str:
        return FIELD_TYPES[self.type]

    def answer(self, value: bool | None) -> str:
        """A yes/no answer as a statement that holds for it: the form's wording for
        是 or 否 ("上年绩效自评结果未公开"), else "标签：是/否"; "标签：未填" without one."""
        wording = None if value is None else (self.yes if value else self.no)
        return wording or f"{self.label}：{format_yesno(value)}"


@dataclass(frozen=True)
class Limits:
    """The largest input accepted anywhere, unless a field sets its own ``max_length``/``max_items``."""

    text: int = 200  # characters of a one-line text
    longtext: int = 20000  # characters of a multi-line text
    lines: int = 200  # items of a list
    line: int = 1000  # characters of one list item
    adjustments: int = 50  # entries of the 加减分 list
    adjustment: int = 500  # characters of one entry's description
    explanation: int = 2000  # characters of an 出错说明


@dataclass(frozen=True)
class ComputedValue:
    """A value computed from fields by an expression (``computed``), with its label and format."""

    id: str
    label: str
    expr: Compiled
    format: str = "number"  # money | percent (a ratio shown ×100) | count | number
    unit: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    """One yes/no field of a checklist rule and the points it is worth."""

    field: str
    points: Decimal


@dataclass(frozen=True)
class Rule:
    """How a leaf indicator is scored: its kind and what that kind needs."""

    kind: str
    numerator: Compiled | None = None
    denominator: Compiled | None = None
    percent: Compiled | None = None  # a rate entered in points (0–100)
    step: Decimal | None = None  # per percentage point
    threshold: Decimal | None = None  # floor: full marks at or above, in points
    items: tuple[ChecklistItem, ...] = ()
    reason_below_full: bool = True  # manual: a reason is required below full marks
    rate_places: int | None = None  # rate rules: the rate rounded to these places before use
    zero_not_applicable: bool = False  # rate rules: a zero denominator makes the indicator 不适用
    table: str = ""  # rows: the table field whose rows are scored here …
    where: Compiled | None = None  # … those for which this holds

    @property
    def is_rate(self) -> bool:
        return self.kind in ("proportional", "ceiling", "deduct", "floor")


@dataclass(frozen=True)
class Indicator:
    """One node of the indicator tree: its weight, its children or, as a leaf, its rule."""

    id: str
    title: str
    weight: Decimal
    level: int
    parent: str | None
    children: tuple["Indicator", ...] = ()
    rule: Rule | None = None
    criteria: str = ""  # 评分标准, printed in the score table
    inputs: tuple[str, ...] = ()  # fields that feed the score, in display order
    statement: str = ""  # sentence template stating the figures, printed in the report

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator["Indicator"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator["Indicator"]:
        return (node for node in self.walk() if node.is_leaf)


@dataclass(frozen=True)
class Check:
    """A condition over the report's values that must hold; a finding (error or warning) when it does not."""

    id: str
    severity: str
    message: str
    condition: Compiled  # must hold; False is a finding, missing is undecided
    when: Compiled | None = None
    show: tuple[tuple[str, Compiled], ...] = ()
    fields: tuple[str, ...] = ()
    for_each: tuple[str, ...] = ()  # field types: one instance per field of these types


@dataclass(frozen=True)
class Sheet:
    """A score table printed as one form (``table.sheet``): header fields, a grid of amounts
    with its rate indicator on the first row, text fields, then the indicator rows."""

    header: tuple[str, ...] = ()  # fields shown as label | value
    grid_title: str = ""  # 项目资金（万元）
    grid_field: str = ""  # the fields <grid_field>.<row>.<column>
    grid_rows: tuple[tuple[str, str], ...] = ()  # (id, label)
    grid_columns: tuple[tuple[str, str], ...] = ()
    grid_indicator: str = ""  # a leaf shown beside the first row (分值, 执行率, 得分)
    texts_title: str = ""  # 年度总体目标
    texts: tuple[str, ...] = ()  # fields shown as label | text


@dataclass(frozen=True)
class GradeBand:
    """The lowest total that earns ``grade``."""

    grade: str
    minimum: Decimal


@dataclass(frozen=True)
class AdjustmentKind:
    """A kind of 加减分项 (表彰, 批评问责): the points of each level and the cap of their total."""

    name: str  # 表彰 / 批评问责
    points: tuple[tuple[str, Decimal], ...]  # level → points (negative for penalties)
    cap: Decimal  # largest total magnitude, same sign as the points
    example: str = ""  # a typical description, shown as the input's placeholder


@dataclass(frozen=True)
class Adjustments:
    """The 加减分项 of the form: the table field holding them, their kinds and the final total's bounds."""

    field: str
    kinds: tuple[AdjustmentKind, ...]
    final_min: Decimal = Decimal(0)
    final_max: Decimal = Decimal(100)

    def kind(self, name: str) -> AdjustmentKind | None:
        return next((k for k in self.kinds if k.name == name), None)

    @property
    def levels(self) -> tuple[str, ...]:
        seen: list[str] = []
        for kind in self.kinds:
            seen.extend(level for level, _ in kind.points if level not in seen)
        return tuple(seen)


@dataclass(frozen=True)
class Part:
    """A page of the wizard and a sub-chapter of the report."""

    id: str
    title: str
    fields: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()  # indicator ids whose leaves are filled in here
    intro: str = ""
    statements: tuple[str, ...] = ()  # sentence templates stating figures, printed in the report


@dataclass(frozen=True)
class Section:
    """A chapter of the report (一、… 六、); one or more wizard pages."""

    id: str
    title: str
    parts: tuple[Part, ...]
    printed: bool = True  # False for form-only sections such as the sign-off
    conclusion: bool = False  # the report's verdict (total and grade) is stated at its end


@dataclass(frozen=True)
class Form:
    """A form file read and checked: its fields, indicators, checks, grades and pages."""

    id: str
    edition: str
    title: str
    first_year: int
    last_year: int | None
    fields: dict[str, Field]
    computed: dict[str, ComputedValue]
    indicators: tuple[Indicator, ...]
    checks: tuple[Check, ...]
    grades: tuple[GradeBand, ...]
    adjustments: Adjustments | None
    sections: tuple[Section, ...]
    texts: dict[str, str] = dataclass_field(default_factory=dict)
    short_title: str = ""  # the kind of report without 报告: names packages and the signing reason
    table_title: str = ""  # the score table's name: 部门整体支出绩效自评表
    table_columns: tuple[str, ...] = ()  # the score table's eight column headings
    sheet: Sheet | None = None  # the score table as one printed form (a project's 自评表)
    subject: str = ""  # a text field naming what one report is about (project.name), before the title
    # count fields that the unit's reports of the same year of another form (its projects) can fill:
    # the form, and each field with the condition (over one such report) that makes a report count
    counted_from: str = ""
    counted: tuple[tuple[str, str], ...] = ()
    source: str = ""
    total_weight: Decimal = Decimal(100)
    limits: Limits = Limits()
    # last year's values the checks may read as previous.<field id>, and the largest change
    # from them (a share) that passes the year-over-year checks
    previous_fields: tuple[str, ...] = ()
    max_change: Decimal = Decimal("0.3")
    # 不适用 indicators and rows leave the total: it is scaled to total_weight from the
    # weights that apply (the 项目支出 rule); otherwise the total is the plain sum
    rescale: bool = False
    # warnings an earlier release of this edition had: an 出错说明 for one, in a file or a signed
    # report made then, is accepted and set aside instead of refusing the whole file
    retired_checks: frozenset[str] = frozenset()
    # derived lookups, filled by the loader
    leaves: dict[str, Indicator] = dataclass_field(default_factory=dict)
    nodes: dict[str, Indicator] = dataclass_field(default_factory=dict)
    computed_order: tuple[str, ...] = ()
    base_fields_of: dict[str, frozenset[str]] = dataclass_field(default_factory=dict)

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def base_fields(self, names: Iterable[str]) -> tuple[str, ...]:
        """Fields behind ``names``, looking through computed values, in form order."""
        wanted: set[str] = set()
        for name in names:
            wanted |= self.base_fields_of.get(name, {name} if name in self.fields else set())
        return tuple(fid for fid in self.fields if fid in wanted)

    def walk(self) -> Iterator[Indicator]:
        for root in self.indicators:
            yield from root.walk()

    def text(self, key: str) -> str:
        return self.texts[key]

    @property
    def money_unit(self) -> str:
        """The unit every money field is entered in (万元), or '' when the form has none."""
        units = {f.unit for f in self.fields.values() if f.type == "money"}
        return units.pop() if len(units) == 1 else ""

    def subject_of(self, values) -> str:
        """The report's own subject (a project's name) when the form has one, else ''."""
        return subject_text(self.subject, values)

    @property
    def signoff_fields(self) -> tuple[str, ...]:
        """The sign-off fields (单位负责人, 财务负责人, …) printed under the score table."""
        return tuple(fid for fid in self.fields if fid.startswith(SIGNOFF_PREFIX))


def subject_text(subject: str, values) -> str:
    """The report's own subject (a project's name, the value of the form's ``subject`` field)
    when the form has one, else ''."""
    return str(values.get(subject) or "") if subject else ""
