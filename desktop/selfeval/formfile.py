"""Load and validate a YAML form file into a :class:`selfeval.form.Form`.

:func:`read_form_file` reads a file and checks its heading (id, edition, title: what the
report list shows), :func:`build_form` validates and compiles it; :func:`load_form` does both.

Every mistake in a form file is reported when it loads, as
``file:line: 键“key”：message`` in Chinese: unknown keys, wrong types,
unknown ids in expressions, weights that do not add up, fields that no page
shows.  The format is documented in ``forms/README.md``.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

from . import expr
from .form import (
    COLUMN_TYPES,
    COUNTED_PREFIX,
    FIELD_TYPES,
    FOR_EACH_LOCALS,
    PREVIOUS_PREFIX,
    PREVIOUS_TYPES,
    MAX_INDICATOR_LEVELS,
    OPTIONAL_FIELDS,
    PLACEHOLDER,
    REQUIRED_FIELDS,
    RULE_KINDS,
    SIGNOFF_PREFIX,
    SEVERITIES,
    AdjustmentKind,
    Adjustments,
    Check,
    ChecklistItem,
    Column,
    ComputedValue,
    Field,
    Form,
    GradeBand,
    Indicator,
    Limits,
    Part,
    Rows,
    RowComputed,
    Rule,
    Section,
    Sheet,
    subject_text,
)

MESSAGE_FORMATS = ("money", "percent", "points", "number", "int", "text", "date")
COMPUTED_FORMATS = ("money", "percent", "count", "number")
DEFAULT_TEXTS = {
    "zero_denominator": "无此类事项，按满分计",
    "zero_denominator_conflict": "「{denominator}」为 0，但「{numerator}」为 {value}：请核对",
    "missing_input": "缺少数据：{fields}",
    "required": "「{label}」为必填项，尚未填写。",
    "reason_required": "「{indicator}」自评得分 {score} 分低于满分 {weight} 分，须填写扣分原因。",
    "narrative_label": "{indicator}情况说明",
    "score_label": "{indicator}自评得分",
    "reason_label": "{indicator}扣分原因",
    "conclusion": "经自评，本部门{year}年度{subject}得分为 {total} 分（其中加减分 {adjustments} 分），"
                  "评价等级为“{grade}”。",
    "conclusion_incomplete": "经自评，本部门{year}年度尚有 {unscored} 项指标未评分，已评指标得分合计 {total} 分"
                             "（其中加减分 {adjustments} 分），评价等级待全部指标评分后确定。",
}
TEXT_PLACEHOLDERS = {
    "zero_denominator": set(), "zero_denominator_conflict": {"denominator", "numerator", "value"},
    "missing_input": {"fields"}, "required": {"label"},
    "reason_required": {"indicator", "score", "weight"}, "narrative_label": {"indicator"},
    "score_label": {"indicator"}, "reason_label": {"indicator"},
    "conclusion": {"year", "subject", "total", "adjustments", "grade"},
    "conclusion_incomplete": {"year", "subject", "unscored", "total", "adjustments"},
}
# The score table's columns: one per indicator level, then these.
TABLE_COLUMNS = ("一级指标", "二级指标", "三级指标", "评分标准", "指标值", "分值", "自评得分", "扣分原因/说明")
FIELD_TYPE_NAMES = {"text": "单行文字", "year": "年度", "date": "日期", "credit_code": "统一社会信用代码"}
LIST_TYPES = ("lines", "adjustments")
MAX_CELL_CHARS = 32767  # the most an Excel cell holds: no limit may go above it


class FormError(ValueError):
    """A mistake in a form file, located by file, line and key."""

    def __init__(self, path: str, line: int | None, key: str | None, message: str):
        self.path, self.line, self.key, self.message = path, line, key, message
        where = f"{path}:{line}" if line else path
        what = f"键“{key}”：" if key else ""
        super().__init__(f"{where}: {what}{message}")


# ----------------------------------------------------------- YAML with lines


class _Map(dict):
    line: int = 0
    lines: dict


class _Seq(list):
    line: int = 0
    lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader (libyaml when present) that keeps line numbers and reads floats as Decimal."""


_TEXT_TAG = "tag:yaml.org,2002:str"


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    """A key's or an item's value: text (most of a form file) as it is written, the rest
    through the loader (numbers, true/false, mappings, lists, anchors)."""
    if node.tag == _TEXT_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    """A mapping with the line of each key.  Keys are names, so a key YAML would
    read as true or false (``yes:``, ``no:``) stays the word that is written."""
    result = _Map()
    result.line, result.lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        if isinstance(key, bool):
            key = key_node.value
        if key in result:
            raise FormError(loader.name, key_node.start_mark.line + 1, str(key), "重复的键")
        result[key] = _construct(loader, value_node)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)
_Loader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node))
)


# ------------------------------------------------------------- typed reader


class _Node:
    """A mapping from the file with typed, located accessors."""

    def __init__(self, path: str, data: Any, line: int, where: str):
        if not isinstance(data, dict):
            raise FormError(path, line, where, "应为键值映射（key: value）")
        self.path, self.data, self.line, self.where = path, data, line, where
        self.used: set[str] = set()

    def line_of(self, key: str) -> int:
        return getattr(self.data, "lines", {}).get(key, self.line)

    def fail(self, key: str | None, message: str) -> FormError:
        return FormError(self.path, self.line_of(key) if key else self.line, key, message)

    def get(self, key: str, kind: type | tuple, default: Any = ..., *, convert: Callable | None = None):
        self.used.add(key)
        if key not in self.data or self.data[key] is None:
            if default is ...:
                import difflib  # only for this message

                typo = difflib.get_close_matches(key, [k for k in self.data if isinstance(k, str)], 1, 0.6)
                if typo and typo[0] != key:
                    raise self.fail(typo[0], f"未知的键，是否应为“{key}”？（在 {self.where} 中）")
                raise self.fail(None, f"缺少必需的键“{key}”（在 {self.where} 中）")
            return default
        value = self.data[key]
        if kind is Decimal:
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                raise self.fail(key, f"应为数值，实际是“{value}”")
            return Decimal(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"类型不对：“{value}”")
        return convert(value) if convert else value

    def child(self, key: str) -> "_Node":
        self.used.add(key)
        return _Node(self.path, self.data.get(key), self.line_of(key), f"{self.where}.{key}")

    def items(self, key: str, default=...) -> list[tuple["_Node", int]]:
        """The list under ``key`` as (node, line) pairs of mappings."""
        seq = self.get(key, list, default)
        lines = getattr(seq, "lines", [self.line_of(key)] * len(seq))
        return [
            (_Node(self.path, item, line, f"{key}[{index}]"), line)
            for index, (item, line) in enumerate(zip(seq, lines))
        ]

    def strings(self, key: str, default=()) -> tuple[str, ...]:
        seq = self.get(key, list, list(default))
        for item in seq:
            if not isinstance(item, str):
                raise self.fail(key, f"列表中的每一项都应为文本，实际有“{item}”")
        return tuple(seq)

    def done(self) -> None:
        unknown = [key for key in self.data if key not in self.used]
        if unknown:
            key = unknown[0]
            raise self.fail(key, f"未知的键（在 {self.where} 中；拼写是否有误？）")


# ------------------------------------------------------------------ loader


class _FormBuilder:
    def __init__(self, path: str, data: Any):
        self.path = path
        self.root = _Node(path, data, 1, "表单")
        self.fields: dict[str, Field] = {}
        self.types: dict[str, str] = {}  # every id usable in expressions
        self.computed: dict[str, ComputedValue] = {}
        self.base_fields_of: dict[str, frozenset[str]] = {}
        self.field_lines: dict[str, int] = {}
        self.row_scopes: dict[str, dict[str, str]] = {}  # table field → types of a row's names
        self.pending_rows: list[tuple[str, _Node]] = []

    def compile(self, node: _Node, key: str, want: str | None, extra: dict | None = None):
        source = node.get(key, str)
        types = {**self.types, **(extra or {})}
        try:
            return expr.compile_expression(source, types, want, self.row_scopes)
        except expr.ExprError as error:
            raise node.fail(key, str(error)) from None

    def build(self) -> Form:
        root = self.root
        form_id, edition, title, subject = _heading(root)
        short_title = root.get("short_title", str, title.removesuffix("报告"))
        table_title, table_columns, sheet_node = self.table(root, short_title)
        years = root.child("years")
        first_year = years.get("first", int)
        last_year = years.get("last", int, None)
        years.done()
        total = root.get("total", Decimal, Decimal(100))
        rescale = root.get("rescale", bool, False)
        texts = dict(DEFAULT_TEXTS)
        if "texts" in root.data:
            text_node = root.child("texts")
            for key in text_node.data:
                if key not in DEFAULT_TEXTS:
                    raise text_node.fail(key, "未知的文字键")
                texts[key] = text_node.get(key, str)
                unknown = {name for name, _ in PLACEHOLDER.findall(texts[key])} - TEXT_PLACEHOLDERS[key]
                if unknown:
                    raise text_node.fail(key, f"占位符“{{{sorted(unknown)[0]}}}”不能用在这段文字中")

        for node, _ in root.items("fields"):
            self.add_field(node)
        for fid, node in self.pending_rows:
            self.fields[fid] = dataclasses.replace(self.fields[fid], rows=self.table_rows(fid, node))
            node.done()
        self.check_program_fields(root)
        counted_from, counted = self.counted(root)
        if subject and (subject not in self.fields or self.fields[subject].type != "text"):
            raise root.fail("subject", f"“{subject}”应为本表单的单行文字字段（如 project.name）")
        for node, _ in root.items("computed", []):
            self.add_computed(node)
        indicators = tuple(
            self.indicator(node, 1, None) for node, _ in root.items("indicators")
        )
        self.check_weights(root, indicators, total)
        nodes = {ind.id: ind for top in indicators for ind in top.walk()}
        leaves = {ind.id: ind for ind in nodes.values() if ind.is_leaf}
        self.add_indicator_fields(leaves.values(), texts)
        limits = self.limits(root)
        previous_fields, max_change = self.previous(root)
        checks = self.checks(root)
        retired = frozenset(str(item) for item in root.get("retired_checks", list, []))
        still_checked = sorted(retired & {check.id for check in checks})
        if still_checked:
            raise root.fail("retired_checks", f"“{still_checked[0]}”仍在 checks 中")
        grades = self.grades(root)
        adjustments = self.adjustments(root)
        sections = self.sections(root, nodes, leaves)
        sheet = self.sheet(sheet_node, leaves) if sheet_node is not None else None
        root.done()
        return Form(
            id=form_id,
            edition=edition,
            title=title,
            first_year=first_year,
            last_year=last_year,
            fields=self.fields,
            computed=self.computed,
            indicators=indicators,
            checks=checks,
            grades=grades,
            adjustments=adjustments,
            sections=sections,
            texts=texts,
            short_title=short_title,
            table_title=table_title,
            table_columns=table_columns,
            sheet=sheet,
            source=self.path,
            total_weight=total,
            limits=limits,
            previous_fields=previous_fields,
            max_change=max_change,
            rescale=rescale,
            retired_checks=retired,
            subject=subject,
            counted_from=counted_from,
            counted=counted,
            leaves=leaves,
            nodes=nodes,
            computed_order=tuple(self.computed),
            base_fields_of=self.base_fields_of,
        )

    def table(self, root: _Node, short_title: str) -> tuple[str, tuple[str, ...], _Node | None]:
        """The score table's title and column headings (``table: {title, columns}``), and its
        ``sheet`` (read once the fields and indicators are known)."""
        if "table" not in root.data:
            return short_title + "表", TABLE_COLUMNS, None
        node = root.child("table")
        title = node.get("title", str, short_title + "表")
        columns = node.strings("columns", TABLE_COLUMNS)
        if len(columns) != len(TABLE_COLUMNS):
            raise node.fail("columns", f"评分表应有 {len(TABLE_COLUMNS)} 列：{'、'.join(TABLE_COLUMNS)}")
        sheet = node.child("sheet") if "sheet" in node.data else None
        node.done()
        return title, columns, sheet

    def sheet(self, node: _Node, leaves: dict) -> Sheet:
        """``table.sheet: {header, grid: {title, field, rows, columns, indicator}, texts: {title, fields}}``."""
        def known(where: _Node, key: str, ids) -> None:
            for fid in ids:
                if fid not in self.fields:
                    raise where.fail(key, f"未知的字段“{fid}”")

        def pairs(where: _Node, key: str) -> tuple[tuple[str, str], ...]:
            mapping = where.get(key, dict)
            return tuple((str(k), str(v)) for k, v in mapping.items())

        header = node.strings("header")
        known(node, "header", header)
        params: dict[str, Any] = {"header": header}
        if "grid" in node.data:
            grid = node.child("grid")
            params.update(grid_title=grid.get("title", str), grid_field=grid.get("field", str),
                          grid_rows=pairs(grid, "rows"), grid_columns=pairs(grid, "columns"),
                          grid_indicator=grid.get("indicator", str, ""))
            known(grid, "rows", [f"{params['grid_field']}.{r}.{c}" for r, _ in params["grid_rows"]
                                 for c, _ in params["grid_columns"]])
            if params["grid_indicator"] and params["grid_indicator"] not in leaves:
                raise grid.fail("indicator", f"未知的末级指标“{params['grid_indicator']}”")
            grid.done()
        if "texts" in node.data:
            texts = node.child("texts")
            params.update(texts_title=texts.get("title", str), texts=texts.strings("fields"))
            known(texts, "fields", params["texts"])
            texts.done()
        node.done()
        return Sheet(**params)

    def check_program_fields(self, root: _Node) -> None:
        """The fields the program reads by id exist, with the type it expects."""
        for fid, ftype in REQUIRED_FIELDS.items():
            if fid not in self.fields:
                raise root.fail("fields", f"缺少字段“{fid}”（类型 {ftype}）：每个表单都须有这一字段，"
                                          "报告的单位、年度和填报日期从这里读取")
        wanted = {**REQUIRED_FIELDS, **OPTIONAL_FIELDS}
        for fid, field in self.fields.items():
            ftype = wanted.get(fid, "text" if fid.startswith(SIGNOFF_PREFIX) else None)
            if ftype is not None and field.type != ftype:
                raise FormError(self.path, self.field_lines[fid], fid,
                                f"字段“{fid}”的类型应为 {ftype}（{FIELD_TYPE_NAMES.get(ftype, ftype)}），"
                                f"现在是 {field.type}")

    # -- fields and computed values

    def new_id(self, node: _Node, key: str = "id") -> str:
        ident = node.get(key, str)
        if not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*", ident):
            raise node.fail(key, f"编号“{ident}”只能由小写字母、数字、下划线和点组成")
        if ident in self.types or ident in FOR_EACH_LOCALS:
            raise node.fail(key, f"编号“{ident}”重复")
        return ident

    def add_field(self, node: _Node) -> None:
        ident = self.new_id(node)
        ftype = node.get("type", str)
        if ftype not in FIELD_TYPES:
            raise node.fail("type", f"未知的字段类型“{ftype}”，可用：{'、'.join(FIELD_TYPES)}")
        bounds = node.get("bounds", list, [])
        if bounds and (len(bounds) != 2 or not all(b is None or isinstance(b, (int, Decimal)) for b in bounds)):
            raise node.fail("bounds", "应为 [最小值, 最大值]，不限用 null")
        minimum, maximum = (Decimal(b) if b is not None else None for b in (bounds or [None, None]))
        yes, no = self.answers(node, ftype)
        if ftype == "rows":
            self.pending_rows.append((ident, node))
            self.row_scopes[ident] = self.row_columns(node)
        self.fields[ident] = Field(
            id=ident,
            label=node.get("label", str),
            type=ftype,
            unit=node.get("unit", str, ""),
            required=node.get("required", bool, False),
            minimum=minimum,
            maximum=maximum,
            help=node.get("help", str, ""),
            carry=node.get("carry", bool, False),
            max_length=self.size(node, "max_length"),
            max_items=self.size(node, "max_items"),
            yes=yes,
            no=no,
            sum_of=self.parts(node, ftype),
        )
        if self.fields[ident].max_items is not None and ftype not in LIST_TYPES:
            raise node.fail("max_items", f"只有 {'、'.join(LIST_TYPES)} 类型的字段有项数上限")
        self.field_lines[ident] = node.line
        self.types[ident] = FIELD_TYPES[ftype]
        if ftype != "rows":
            node.done()  # a table's rows are read once every field is known

    # -- table fields (type rows)

    def row_columns(self, node: _Node) -> dict[str, str]:
        """The expression types of a row's columns (their full reading waits for table_rows)."""
        types: dict[str, str] = {}
        for column, _ in node.items("columns"):
            cid, ctype = column.get("id", str), column.get("type", str)
            if not re.fullmatch(r"[a-z][a-z0-9_]*", cid) or cid in types or cid == "row":
                raise column.fail("id", f"列编号“{cid}”应由小写字母、数字和下划线组成，且不重复（row 留作行号）")
            if ctype not in COLUMN_TYPES:
                raise column.fail("type", f"未知的列类型“{ctype}”，可用：{'、'.join(COLUMN_TYPES)}")
            types[cid] = COLUMN_TYPES[ctype]
        for computed, _ in node.items("computed", []):
            cid = computed.get("id", str)
            if not re.fullmatch(r"[a-z][a-z0-9_]*", cid) or cid in types:
                raise computed.fail("id", f"行计算值编号“{cid}”应由小写字母、数字和下划线组成，且不与列重复")
            types[cid] = "pending"
        if not types:
            raise node.fail("columns", "表格字段至少要有一列")
        return types

    def table_rows(self, fid: str, node: _Node) -> Rows:
        """``columns``, per-row ``computed`` and ``checks``, and which names are the row's
        ``score``, ``weight`` and ``applicable`` of a field of type rows."""
        scope = self.row_scopes[fid]
        row_types = {cid: t for cid, t in scope.items() if t != "pending"}
        columns = [self.column(item, row_types) for item, _ in node.items("columns")]
        computed = []
        for item, _ in node.items("computed", []):
            compiled = self.compile(item, "expr", None, row_types)
            row_types[item.get("id", str)] = compiled.type
            computed.append(RowComputed(item.get("id", str), item.get("label", str, ""), compiled))
            item.done()
        scope.clear()
        scope.update(row_types)
        by_id = {c.id: c for c in columns}
        for column in columns:
            if column.depends and (column.depends not in by_id or by_id[column.depends].type != "choice"
                                   or columns.index(by_id[column.depends]) > columns.index(column)):
                raise node.fail("columns", f"列“{column.id}”依赖的“{column.depends}”应为排在它之前的选择列")
        roles = {}
        for key, want in (("score", expr.NUMBER), ("weight", expr.NUMBER), ("applicable", expr.BOOL)):
            name = node.get(key, str, "")
            if name and row_types.get(name) != want:
                raise node.fail(key, f"“{name}”应为本表格中{expr.TYPE_NAMES[want]}类型的列或行计算值")
            roles[key] = name
        if roles["applicable"] and (by_id.get(roles["applicable"]) is None):
            raise node.fail("applicable", "适用与否应为一列（yesno）")
        checks = self.row_checks(node, fid, row_types)
        min_rows = node.get("min_rows", int, 0)
        max_rows = self.size(node, "max_rows", 200)
        return Rows(tuple(columns), tuple(computed), checks, roles["score"], roles["weight"],
                    roles["applicable"], min_rows, max_rows, **self.row_print(node, row_types))

    def row_print(self, node: _Node, row_types: dict[str, str]) -> dict[str, str]:
        """``print: {group, title, reason}`` (names of the row) and ``{criteria, value}``
        (templates over the row): how a row is laid out in the score table."""
        if "print" not in node.data:
            return {}
        spec = node.child("print")
        result = {}
        for key in ("group", "title", "reason"):
            name = spec.get(key, str, "")
            if name and name not in row_types:
                raise spec.fail(key, f"“{name}”不是本表格的列或行计算值")
            result[f"print_{key}"] = name
        for key in ("criteria", "value"):
            template = spec.get(key, str, "")
            self.check_placeholders(spec, template, set(row_types), key=key)
            result[f"print_{key}"] = template
        spec.done()
        return result

    def column(self, node: _Node, row_types: dict[str, str]) -> Column:
        ctype = node.get("type", str)
        required = node.get("required", (bool, str), False)
        if required is True:
            required = expr.compile_expression("true", {})
        elif isinstance(required, str):
            required = self.compile(node, "required", expr.BOOL, row_types)
        else:
            required = None
        choices, choices_by, depends = (), (), node.get("depends", str, "")
        if ctype == "choice":
            raw = node.get("choices", (list, dict))
            if depends:
                if not isinstance(raw, dict):
                    raise node.fail("choices", "依赖上一列的选择列，choices 应为 {上一列的选项: [本列选项, …]}")
                choices_by = tuple((str(key), tuple(str(v) for v in value)) for key, value in raw.items())
                choices = tuple(option for _, options in choices_by for option in options)
            else:
                if not isinstance(raw, list):
                    raise node.fail("choices", "choices 应为选项列表")
                choices = tuple(str(v) for v in raw)
            if not choices:
                raise node.fail("choices", "选择列至少要有一个选项")
        elif "choices" in node.data or depends:
            raise node.fail("choices" if "choices" in node.data else "depends", "只有选择列（type: choice）有选项")
        default = node.get("default", (bool, str, int, Decimal), None)
        if default is not None and ctype == "yesno" and not isinstance(default, bool):
            raise node.fail("default", "是/否列的默认值应为 true 或 false")
        bounds = node.get("bounds", list, [])
        minimum, maximum = (Decimal(b) if b is not None else None for b in (bounds or [None, None]))
        suggest = []
        for other, by_value in node.get("suggest", dict, {}).items():
            if other not in row_types or not isinstance(by_value, dict):
                raise node.fail("suggest", "应为 {本表格的列: {该列的值: [建议的选项, …]}}")
            suggest += [(str(other), str(value), tuple(str(c) for c in options)) for value, options in by_value.items()]
        column = Column(node.get("id", str), node.get("label", str), ctype, required, choices, depends,
                        choices_by, default, minimum, maximum, self.size(node, "max_length"),
                        node.get("width", int, 0), tuple(suggest))
        node.done()
        return column

    def row_checks(self, node: _Node, fid: str, row_types: dict[str, str]) -> tuple[Check, ...]:
        result, seen = [], set()
        local = {**row_types, "row": expr.NUMBER}
        for item, _ in node.items("checks", []):
            ident, severity = self.check_head(item, seen)
            if severity != "error":  # a finding's 出错说明 is kept by its id, which moves with the rows
                raise item.fail("severity", "表格各行的检查只能是 error：行内的警告无法填写出错说明"
                                            "（行增删、移动后编号会变），未说明的警告又会使报告无法定稿")
            condition = self.compile(item, "assert", expr.BOOL, local)
            when = self.compile(item, "when", expr.BOOL, local) if "when" in item.data else None
            message = item.get("message", str)
            self.check_placeholders(item, message, set(local))
            result.append(Check(ident, severity, message, condition, when, (), (fid,)))
            item.done()
        return tuple(result)

    def parts(self, node: _Node, ftype: str) -> tuple[str, ...]:
        """``sum_of``: fields above this one, of its type, whose sum it takes when left empty."""
        parts = tuple(node.strings("sum_of"))
        if parts and ftype not in ("money", "count", "number"):
            raise node.fail("sum_of", "只有金额、人数（个数）或数值字段才能按各项之和计算")
        for part in parts:
            if part not in self.fields:
                raise node.fail("sum_of", f"“{part}”不是写在本字段之前的字段")
            if self.fields[part].type != ftype:
                raise node.fail("sum_of", f"“{part}”的类型是 {self.fields[part].type}，与本字段（{ftype}）不同")
        return parts

    @staticmethod
    def answers(node: _Node, ftype: str) -> tuple[str, str]:
        """A yes/no field's wording for each answer: both or neither, and different."""
        given = [key for key in ("yes", "no") if key in node.data]
        if given and ftype != "yesno":
            raise node.fail(given[0], "只有是/否字段（type: yesno）才能写 yes、no 两种表述")
        yes, no = node.get("yes", str, ""), node.get("no", str, "")
        if len(given) == 1:
            missing = "no" if given == ["yes"] else "yes"
            raise node.fail(given[0], f"yes 与 no 应成对填写：缺少“{missing}”，否则另一种回答无从表述")
        for key, text in (("yes", yes), ("no", no)):
            if given and (not text.strip() or text != text.strip()):
                raise node.fail(key, "表述不能为空，首尾也不能有空格")
        if given and yes == no:
            raise node.fail("no", "yes 与 no 的表述相同，读者无法分辨回答是“是”还是“否”")
        return yes, no

    @staticmethod
    def size(node: _Node, key: str, default: int | None = None) -> int | None:
        value = node.get(key, int, default)
        if value is not None and not 1 <= value <= MAX_CELL_CHARS:
            raise node.fail(key, f"应为 1 到 {MAX_CELL_CHARS} 之间的整数（Excel 单元格最多容纳 {MAX_CELL_CHARS} 个字）")
        return value

    def limits(self, root: _Node) -> Limits:
        """``limits:`` (the form's default sizes), then each field's own limits or these."""
        limits = Limits()
        if "limits" in root.data:
            node = root.child("limits")
            limits = Limits(**{key.name: self.size(node, key.name, key.default)
                               for key in dataclasses.fields(Limits)})
            node.done()
        defaults = {"text": (limits.text, None), "longtext": (limits.longtext, None),
                    "lines": (limits.line, limits.lines),
                    "adjustments": (limits.adjustment, limits.adjustments)}
        for fid, field in self.fields.items():
            if field.type in defaults:
                length, items = defaults[field.type]
                self.fields[fid] = dataclasses.replace(
                    field, max_length=field.max_length or length, max_items=field.max_items or items)
        return limits

    def add_computed(self, node: _Node) -> None:
        ident = self.new_id(node)
        compiled = self.compile(node, "expr", None)
        fmt = node.get("format", str, "number")
        if fmt not in COMPUTED_FORMATS:
            raise node.fail("format", f"应为 {'、'.join(COMPUTED_FORMATS)} 之一")
        self.computed[ident] = ComputedValue(
            ident, node.get("label", str), compiled, fmt, node.get("unit", str, "")
        )
        self.types[ident] = compiled.type
        self.base_fields_of[ident] = self.expand(compiled.names)
        node.done()

    def expand(self, names) -> frozenset[str]:
        result: set[str] = set()
        for name in names:
            result |= self.base_fields_of.get(name, {name})
        return frozenset(result)

    # -- indicators

    def indicator(self, node: _Node, level: int, parent: str | None) -> Indicator:
        ident = node.get("id", str)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
            raise node.fail("id", f"指标编号“{ident}”只能由小写字母、数字和下划线组成")
        if ident in self.types:
            raise node.fail("id", f"编号“{ident}”重复")
        self.types[ident] = "indicator"  # reserves the id; not usable in expressions
        if level > MAX_INDICATOR_LEVELS:
            raise node.fail("id", f"指标“{ident}”是第 {level} 级：指标体系最多 {MAX_INDICATOR_LEVELS} 级"
                                  "（一级、二级、三级指标），评分表每级一列")
        title = node.get("title", str)
        weight = node.get("weight", Decimal)
        criteria = node.get("criteria", str, "")
        statement = node.get("statement", str, "")
        children = tuple(
            self.indicator(child, level + 1, ident) for child, _ in node.items("children", [])
        )
        rule, inputs = None, ()
        if children and sum((c.weight for c in children), Decimal(0)) != weight:
            raise node.fail("children", f"指标“{title}”的下级指标分值之和不等于 {weight}")
        if children:
            if "rule" in node.data:
                raise node.fail("rule", "有下级指标的指标不能再有评分规则")
        else:
            rule = self.rule(node.child("rule"), weight)
            inputs = self.inputs(node, rule)
        if statement:
            self.check_placeholders(node, statement, {"rate", "score"}, key="statement")
        node.done()
        return Indicator(ident, title, weight, level, parent, children, rule, criteria, inputs, statement)

    def rule(self, node: _Node, weight: Decimal) -> Rule:
        kind = node.get("kind", str)
        if kind not in RULE_KINDS:
            raise node.fail("kind", f"未知的评分规则“{kind}”，可用：{'、'.join(RULE_KINDS)}")
        params: dict[str, Any] = {"kind": kind}
        if kind in ("proportional", "ceiling", "deduct", "floor"):
            if "percent" in node.data:
                params["percent"] = self.compile(node, "percent", expr.NUMBER)
            else:
                params["numerator"] = self.compile(node, "numerator", expr.NUMBER)
                params["denominator"] = self.compile(node, "denominator", expr.NUMBER)
        if kind in ("proportional", "ceiling", "deduct", "floor"):
            params["rate_places"] = node.get("rate_places", int, None)
            zero = node.get("zero_denominator", str, "full")
            if zero not in ("full", "not_applicable"):
                raise node.fail("zero_denominator", "应为 full（按满分计）或 not_applicable（不适用）")
            params["zero_not_applicable"] = zero == "not_applicable"
        if kind == "rows":
            table = node.get("table", str)
            spec = self.pending_spec(table)
            if spec is None or not spec.score or not spec.weight:
                raise node.fail("table", f"“{table}”不是写明了 score 和 weight 的表格字段（type: rows）")
            params["table"] = table
            if "where" in node.data:
                params["where"] = self.compile(node, "where", expr.BOOL, self.row_scopes[table])
        if kind in ("ceiling", "deduct", "floor"):
            params["step"] = node.get("step", Decimal)
        if kind == "floor":
            params["threshold"] = node.get("threshold", Decimal)
        if kind == "manual":
            params["reason_below_full"] = node.get("reason_below_full", bool, True)
        if kind == "checklist":
            items = []
            for item, _ in node.items("items"):
                fid = item.get("field", str)
                if self.fields.get(fid) is None or self.fields[fid].type != "yesno":
                    raise item.fail("field", f"“{fid}”不是已定义的是/否字段")
                items.append(ChecklistItem(fid, item.get("points", Decimal)))
                item.done()
            if sum((i.points for i in items), Decimal(0)) != weight:
                raise node.fail("items", f"各项分值之和应等于指标分值 {weight}")
            params["items"] = tuple(items)
        node.done()
        return Rule(**params)

    def pending_spec(self, fid: str) -> Rows | None:
        field = self.fields.get(fid)
        return field.rows if field is not None else None

    def inputs(self, node: _Node, rule: Rule) -> tuple[str, ...]:
        names: set[str] = set()
        if rule.table:
            names.add(rule.table)
        for compiled in (rule.numerator, rule.denominator, rule.percent):
            if compiled is not None:
                names |= compiled.names
        names |= {item.field for item in rule.items}
        extra = node.strings("inputs")
        for fid in extra:
            if fid not in self.fields:
                raise node.fail("inputs", f"未知的字段“{fid}”")
        wanted = self.expand(names) | set(extra)
        return tuple(fid for fid in self.fields if fid in wanted)

    def check_weights(self, root: _Node, indicators, total: Decimal) -> None:
        if sum((i.weight for i in indicators), Decimal(0)) != total:
            raise root.fail("indicators", f"一级指标分值之和应为 {total}")

    def add_indicator_fields(self, leaves, texts: dict[str, str]) -> None:
        for leaf in leaves:
            generated = [
                Field(f"narrative.{leaf.id}", texts["narrative_label"].format(indicator=leaf.title),
                      "longtext", carry=True, indicator=leaf.id),
            ]
            if leaf.rule.kind == "manual":
                generated += [
                    Field(f"score.{leaf.id}", texts["score_label"].format(indicator=leaf.title),
                          "score", unit="分", minimum=Decimal(0), maximum=leaf.weight,
                          indicator=leaf.id),
                    Field(f"reason.{leaf.id}", texts["reason_label"].format(indicator=leaf.title),
                          "longtext", indicator=leaf.id),
                ]
            for fld in generated:
                if fld.id in self.fields:
                    raise self.root.fail("fields", f"字段“{fld.id}”由指标自动生成，不能另行定义")
                self.fields[fld.id] = fld
                self.types[fld.id] = fld.expr_type

    def counted(self, root: _Node) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``counted: {from: form id, fields: {count field: condition}}``: checks see
        ``counted.<field>``; the conditions are read against that form by the catalog."""
        if "counted" not in root.data:
            return "", ()
        node = root.child("counted")
        other = node.get("from", str)
        fields = node.get("fields", dict)
        result = []
        for fid, condition in fields.items():
            if fid not in self.fields or self.fields[fid].type != "count":
                raise node.fail("fields", f"“{fid}”不是本表单的计数字段（type: count）")
            if not isinstance(condition, str) or not condition.strip():
                raise node.fail("fields", f"“{fid}”的计数条件应为表达式文字，例如 \"true\"")
            result.append((fid, condition))
            self.types[COUNTED_PREFIX + fid] = expr.NUMBER
        node.done()
        return other, tuple(result)

    def previous(self, root: _Node) -> tuple[tuple[str, ...], Decimal]:
        """``previous: {fields: [...], max_change: 0.3}``: last year's values that checks read."""
        default = Form.__dataclass_fields__["max_change"].default
        if "previous" not in root.data:
            return (), default
        node = root.child("previous")
        ids = node.strings("fields")
        for fid in ids:
            if fid not in self.fields:
                raise node.fail("fields", f"未知的字段“{fid}”")
            if self.fields[fid].type not in PREVIOUS_TYPES:
                raise node.fail("fields", f"字段“{fid}”不是数值，不能与上年比较")
            self.types[PREVIOUS_PREFIX + fid] = self.fields[fid].expr_type
        share = node.get("max_change", Decimal, default)
        if not Decimal(0) < share <= Decimal(10):
            raise node.fail("max_change", "应为大于 0 的比例，例如 0.3 表示 30%")
        self.types[PREVIOUS_PREFIX + "max_change"] = expr.NUMBER
        node.done()
        return ids, share

    # -- checks, grades, adjustments

    @staticmethod
    def check_head(node: _Node, seen: set[str]) -> tuple[str, str]:
        """A check's id (not used before in ``seen``) and its severity."""
        ident = node.get("id", str)
        if ident in seen:
            raise node.fail("id", f"校验编号“{ident}”重复")
        seen.add(ident)
        severity = node.get("severity", str)
        if severity not in SEVERITIES:
            raise node.fail("severity", "应为 error（错误）或 warning（警告）")
        return ident, severity

    def checks(self, root: _Node) -> tuple[Check, ...]:
        result, seen = [], set()
        for node, _ in root.items("checks", []):
            ident, severity = self.check_head(node, seen)
            for_each = node.strings("for_each")
            extra = {}
            if for_each:
                if set(for_each) <= {"text", "longtext", "lines"}:
                    extra = dict.fromkeys(FOR_EACH_LOCALS, expr.TEXT)
                elif set(for_each) == {"money"}:
                    extra = {"this": expr.NUMBER}  # each amount in turn
                else:
                    raise node.fail("for_each", "只能是 text、longtext、lines，或只是 money")
            condition = self.compile(node, "assert", expr.BOOL, extra)
            when = self.compile(node, "when", expr.BOOL, extra) if "when" in node.data else None
            show = []
            if "show" in node.data:
                show_node = node.child("show")
                for name in show_node.data:
                    show.append((name, self.compile(show_node, name, None, extra)))
                    show_node.used.add(name)
            message = node.get("message", str)
            self.check_placeholders(node, message, {n for n, _ in show} | ({"label"} if for_each else set()))
            fields = node.strings("fields")
            for fid in fields:
                if fid not in self.fields:
                    raise node.fail("fields", f"未知的字段“{fid}”")
            if not fields and not for_each:
                read = self.expand(condition.names)
                fields = tuple(f for f in self.fields if f in read)
            result.append(Check(ident, severity, message, condition, when, tuple(show), fields, for_each))
            node.done()
        return tuple(result)

    def check_placeholders(self, node: _Node, message: str, local: set[str], key: str = "message") -> None:
        for name, fmt in PLACEHOLDER.findall(message):
            if name not in local and name not in self.fields and name not in self.computed \
                    and not (name.startswith((PREVIOUS_PREFIX, COUNTED_PREFIX)) and name in self.types):
                raise node.fail(key, f"占位符“{{{name}}}”不是已知的编号")
            if fmt and fmt not in MESSAGE_FORMATS:
                raise node.fail(key, f"占位符格式“{fmt}”应为 {'、'.join(MESSAGE_FORMATS)} 之一")

    def grades(self, root: _Node) -> tuple[GradeBand, ...]:
        bands = []
        for node, _ in root.items("grades"):
            bands.append(GradeBand(node.get("grade", str), node.get("min", Decimal)))
            node.done()
        mins = [b.minimum for b in bands]
        if mins != sorted(mins, reverse=True) or not bands or mins[-1] != 0:
            raise root.fail("grades", "等级应按下限从高到低排列，最后一级下限为 0")
        return tuple(bands)

    def adjustments(self, root: _Node) -> Adjustments | None:
        if "adjustments" not in root.data:
            return None
        node = root.child("adjustments")
        fid = node.get("field", str)
        if self.fields.get(fid) is None or self.fields[fid].type != "adjustments":
            raise node.fail("field", f"“{fid}”不是已定义的加减分项字段")
        kinds = []
        for kind_node, _ in node.items("kinds"):
            points_node = kind_node.child("points")
            points = tuple((level, points_node.get(level, Decimal)) for level in points_node.data)
            cap = kind_node.get("cap", Decimal)
            if any((p > 0) != (cap > 0) for _, p in points):
                raise kind_node.fail("cap", "上限的正负应与各级分值一致")
            kinds.append(AdjustmentKind(kind_node.get("kind", str), points, cap, kind_node.get("example", str, "")))
            kind_node.done()
        final = node.child("final") if "final" in node.data else None
        result = Adjustments(
            fid,
            tuple(kinds),
            final.get("min", Decimal, Decimal(0)) if final else Decimal(0),
            final.get("max", Decimal, Decimal(100)) if final else Decimal(100),
        )
        if final:
            final.done()
        node.done()
        return result

    # -- sections and placement of every field

    def sections(self, root: _Node, nodes: dict, leaves: dict) -> tuple[Section, ...]:
        sections, placed, leaf_home = [], {}, {}
        for snode, _ in root.items("sections"):
            sid = snode.get("id", str)
            title = snode.get("title", str)
            printed = snode.get("printed", bool, True)
            conclusion = snode.get("conclusion", bool, False)
            if conclusion and (not printed or any(sec.conclusion for sec in sections)):
                raise snode.fail("conclusion", "只能有一个印入报告的章节标明 conclusion: true")
            if "parts" in snode.data:
                part_nodes = [n for n, _ in snode.items("parts")]
            else:
                part_nodes = [snode]
            parts = []
            for pnode in part_nodes:
                is_self = pnode is snode
                part = Part(
                    id=sid if is_self else f"{sid}.{pnode.get('id', str)}",
                    title=title if is_self else pnode.get("title", str),
                    fields=pnode.strings("fields"),
                    indicators=pnode.strings("indicators"),
                    intro=pnode.get("intro", str, ""),
                    statements=pnode.strings("statements"),
                )
                for template in part.statements:
                    self.check_placeholders(pnode, template, set(), key="statements")
                for fid in part.fields:
                    if fid not in self.fields:
                        raise pnode.fail("fields", f"未知的字段“{fid}”")
                    if fid in placed:
                        raise pnode.fail("fields", f"字段“{fid}”已在“{placed[fid]}”中填写，每项数据只录入一次")
                    placed[fid] = part.id
                for iid in part.indicators:
                    if iid not in nodes:
                        raise pnode.fail("indicators", f"未知的指标“{iid}”")
                    for leaf in nodes[iid].leaves():
                        if leaf.id in leaf_home:
                            raise pnode.fail("indicators", f"指标“{leaf.title}”已放在“{leaf_home[leaf.id]}”")
                        leaf_home[leaf.id] = part.id
                if not is_self:
                    pnode.done()
                parts.append(part)
            snode.done()
            sections.append(Section(sid, title, tuple(parts), printed, conclusion))
        if not any(section.conclusion for section in sections):
            raise root.fail("sections", "须有一个章节标明 conclusion: true（自评结论，报告在其末尾写明总分和等级）")
        for leaf in leaves.values():
            if leaf.id not in leaf_home:
                raise root.fail("sections", f"指标“{leaf.title}”（{leaf.id}）没有放进任何页面")
            for fid in (*leaf.inputs, *(f for f in self.fields if self.fields[f].indicator == leaf.id)):
                placed.setdefault(fid, leaf_home[leaf.id])
        for fid in self.fields:
            if fid not in placed:
                raise FormError(self.path, self.field_lines.get(fid), fid, "该字段没有放进任何页面，填报时无处录入")
        return tuple(sections)


def _heading(root: _Node) -> tuple[str, str, str, str]:
    """The form's id, edition, title and subject field: what the report list shows of it."""
    return (root.get("id", str), str(root.get("edition", (str, Decimal, int))), root.get("title", str),
            root.get("subject", str, ""))


@dataclasses.dataclass(frozen=True)
class FormFile:
    """A form file read and its heading checked, not yet built into a :class:`Form`: enough
    for the report list, which therefore builds no form (:func:`build_form` does)."""

    path: str
    id: str
    edition: str
    title: str
    subject: str
    data: Any = dataclasses.field(repr=False, compare=False)

    def subject_of(self, values) -> str:
        return subject_text(self.subject, values)


def read_form_file(path: str | Path) -> FormFile:
    """Read one form file (YAML) and check its heading."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FormError(str(path), None, None, f"无法读取表单文件：{error}") from None
    loader = _Loader(text)
    loader.name = str(path)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise FormError(str(path), line, None, f"YAML 格式错误：{error.problem}") from None
    finally:
        loader.dispose()
    return FormFile(str(path), *_heading(_Node(str(path), data, 1, "表单")), data)


def build_form(file: FormFile) -> Form:
    """Validate and compile a form file that was read."""
    return _FormBuilder(file.path, file.data).build()


def load_form(path: str | Path) -> Form:
    """Read, validate and compile one form file."""
    return build_form(read_form_file(path))
