"""Table fields (type ``rows``): rows the clerk adds, removes and reorders.

A row is a dict from column id to a typed value (text, Decimal, bool); an empty
cell is left out.  This module reads rows from typed text and from JSON, writes
them back, and works out each row's computed values and score.  The engine
calls :func:`row_envs` and :func:`row_results`; the wizard's table page, the
importer and the command line use the parsers here, so they accept exactly the
same cells.  Plain Python: no GUI toolkit is imported here.
"""
from __future__ import annotations

import json
from collections import ChainMap
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from . import parsing
from .form import Column, Field
from .parsing import ParseError, Parsed
from .scoring import NOT_APPLICABLE, ZERO, Score, clamp, round2, unscored_words


def _where(field: Field, number: int | None, column: Column | None = None) -> str:
    """「绩效指标」第 3 行「二级指标」."""
    row = f"第 {number} 行" if number is not None else ""
    cell = f"「{column.label}」" if column is not None else ""
    return f"「{field.label}」{row}{cell}"


def parse_cell(field: Field, column: Column, text: str, row: Mapping[str, Any] | None = None,
               number: int | None = None) -> Any:
    """What a person typed (or pasted) into one cell → its typed value, None when empty."""
    label = _where(field, number, column)
    text = parsing.clean_input(text, label)
    kind = column.type
    if kind in ("number", "score"):
        value = parsing.parse_decimal(text, label, minimum=column.minimum, maximum=column.maximum).value
    elif kind == "yesno":
        compact = text.strip()
        value = False if compact == NOT_APPLICABLE else parsing.parse_yesno(text, label).value
    elif kind == "choice":
        value = parsing.normalize(text) or None
        options = column.options(row or {}) if column.depends else column.choices
        if value is not None and value not in options:
            if column.depends and not options:
                raise ParseError(label, f"{label}须先选定「{column.depends}」。")
            raise ParseError(label, f"{label}应为{'、'.join(options)}之一，收到“{value}”。")
    else:
        limit = column.max_length or (20000 if kind == "longtext" else 200)
        value = parsing.parse_text(text, label, max_length=limit, multiline=kind == "longtext").value
    return value


def new_row(field: Field) -> dict:
    """A row as it is added: each column's default."""
    return {c.id: c.default for c in field.rows.columns if c.default is not None}


def row_from_json(field: Field, raw: Any, number: int) -> dict:
    """One row of the JSON list → the typed row; raises :class:`ParseError`."""
    spec = field.rows
    if not isinstance(raw, dict):
        raise ParseError(field.label, f"{_where(field, number)}应为对象（{{\"列\": 值, …}}）。")
    known = {c.id for c in spec.columns}
    unknown = [key for key in raw if key not in known]
    if unknown:
        raise ParseError(field.label, f"{_where(field, number)}有未知的列“{unknown[0]}”，"
                                      f"可用：{'、'.join(c.id for c in spec.columns)}。")
    row = new_row(field)
    for column in spec.columns:  # in column order, so a dependent choice sees its parent
        value = raw.get(column.id)
        if value is None:
            continue
        label = _where(field, number, column)
        if column.type == "yesno":
            if not isinstance(value, bool):
                raise ParseError(label, f"{label}应为 true 或 false，收到 {json.dumps(value, ensure_ascii=False)}。")
            row[column.id] = value
            continue
        if not isinstance(value, str):
            what = "字符串形式的数字，例如 \"10\"" if column.type in ("number", "score") else "文本"
            raise ParseError(label, f"{label}应为{what}，收到 {json.dumps(value, ensure_ascii=False)}。")
        typed = parse_cell(field, column, value, row, number)
        if typed is None:
            row.pop(column.id, None)
        else:
            row[column.id] = typed
    return row


def rows_from_json(field: Field, raw: Any) -> list[dict] | None:
    if not isinstance(raw, list):
        raise ParseError(field.label, f"「{field.label}」应为行的列表（[{{…}}, {{…}}]）。")
    if len(raw) > field.rows.max_rows:
        raise ParseError(field.label, f"「{field.label}」最多 {field.rows.max_rows} 行，现在有 {len(raw)} 行，请删减。")
    return [row_from_json(field, item, number) for number, item in enumerate(raw, 1)] or None


def cell_json(column: Column, value: Any) -> Any:
    if value is None or column.type in ("yesno", "text", "longtext", "choice"):
        return value
    return format(value, "f")


def rows_to_json(field: Field, rows: list[dict]) -> list[dict]:
    """Rows as JSON objects; an empty cell, or one holding its column's default, is left out."""
    return [{c.id: cell_json(c, row[c.id]) for c in field.rows.columns
             if row.get(c.id) is not None and row[c.id] != c.default}
            for row in rows]


def parse_rows_text(field: Field, text: str) -> Parsed:
    """Rows typed on the command line or pasted: a JSON list, or one row a line with the
    cells separated by tabs (as Excel and Word copy them), in column order."""
    stripped = text.strip()
    if not stripped:
        return Parsed(None)
    if stripped.startswith("["):
        try:
            raw = json.loads(stripped)
        except ValueError as error:
            raise ParseError(field.label, f"「{field.label}」不是有效的 JSON 列表：{error}") from None
        return Parsed(rows_from_json(field, raw))
    return Parsed(rows_from_cells(field, text) or None)


def rows_from_cells(field: Field, text: str, first_number: int = 1) -> list[dict]:
    """Tab-separated lines → rows; cells beyond the columns are refused, short lines padded."""
    columns = field.rows.columns
    lines = [line for line in parsing.fold_marks(text).split("\n") if line.strip()]
    if len(lines) > field.rows.max_rows:
        raise ParseError(field.label, f"「{field.label}」最多 {field.rows.max_rows} 行，粘贴的内容有 {len(lines)} 行。")
    rows = []
    for offset, line in enumerate(lines):
        number = first_number + offset
        cells = line.split("\t")
        if len(cells) > len(columns):
            raise ParseError(field.label, f"{_where(field, number)}有 {len(cells)} 格，"
                                          f"表格只有 {len(columns)} 列：{'、'.join(c.label for c in columns)}。")
        row = new_row(field)
        for column, cell in zip(columns, cells):
            value = parse_cell(field, column, cell, row, number)
            if value is not None:
                row[column.id] = value
        rows.append(row)
    return rows


def display_rows(field: Field, rows: list[dict]) -> str:
    """Rows as text, one a line with the cells separated by tabs."""
    return "\n".join("\t".join(display_cell(c, row.get(c.id)) for c in field.rows.columns) for row in rows)


def display_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.type == "yesno":
        return parsing.format_yesno(value)
    if column.type in ("number", "score"):
        return parsing.format_decimal(value, places=4)
    return str(value)


# --------------------------------------------------------------- evaluation


def row_envs(field: Field, rows: list[dict] | None, env: Mapping[str, Any]) -> list[dict]:
    """Each row as expressions see it: its cells, then its computed values in order
    (which also see the report's fields)."""
    result = []
    for row in rows or ():
        local = {c.id: row.get(c.id) for c in field.rows.columns}
        local = {k: (None if v == "" else v) for k, v in local.items()}
        scope = ChainMap(local, env)
        for computed in field.rows.computed:
            local[computed.id] = computed.expr(scope)
        result.append(local)
    return result


@dataclass(frozen=True)
class RowScore:
    """One row's 得分: None while an input is missing; a 不适用 row is not scored."""

    number: int  # 1-based, as the clerk sees it
    weight: Decimal | None
    score: Decimal | None
    applicable: bool

    @property
    def scored(self) -> bool:
        return self.score is not None or not self.applicable

    def json(self) -> dict:
        return {"row": self.number,
                "weight": None if self.weight is None else str(self.weight),
                "score": None if self.score is None else str(self.score),
                "applicable": self.applicable}


def row_results(field: Field, envs: list[dict]) -> list[RowScore]:
    spec = field.rows
    results = []
    for number, local in enumerate(envs, 1):
        applicable = local.get(spec.applicable) is not False if spec.applicable else True
        weight = local.get(spec.weight) if spec.weight else None
        score = local.get(spec.score) if spec.score and applicable else None
        if score is not None:
            score = round2(clamp(score, ZERO, weight) if weight is not None else max(score, ZERO))
        results.append(RowScore(number, weight, score, applicable))
    return results


def leaf_rows(form, leaf, env: Mapping[str, Any], results: list[RowScore]) -> list[RowScore]:
    """The rows a ``rows`` rule scores: those of its table whose ``where`` holds."""
    rule = leaf.rule
    envs = env.get(rule.table) or []
    if rule.where is None:
        return list(results)
    return [result for result, local in zip(results, envs) if rule.where(ChainMap(local, env)) is True]


def score_rows_leaf(form, leaf, env: Mapping[str, Any], results: list[RowScore]) -> Score:
    """A ``rows`` indicator: the sum of its rows' scores; the weights of its 不适用 rows
    leave the rescaled total; unscored while one of its rows is, with the sum of the rows
    scored so far (``partial``) and how many are not (``pending``), each row being one
    三级 indicator."""
    chosen = leaf_rows(form, leaf, env, results)
    applicable = [r for r in chosen if r.applicable]
    if not chosen:
        return Score(leaf.id, leaf.weight, None, missing=(leaf.rule.table,), note="尚未填写指标行")
    if not applicable:
        return Score(leaf.id, leaf.weight, ZERO, note=NOT_APPLICABLE, applicable=False)
    weight = sum((r.weight for r in applicable if r.weight is not None), ZERO)
    waiting = [r.number for r in applicable if r.score is None]
    if waiting:
        rows = "、".join(str(n) for n in waiting)
        scored = round2(sum((r.score for r in applicable if r.score is not None), ZERO))
        return Score(leaf.id, leaf.weight, None, missing=(leaf.rule.table,), applicable_weight=weight,
                     note=f"第 {rows} 行尚未评分", partial=scored, pending=len(waiting))
    return Score(leaf.id, leaf.weight, round2(sum((r.score for r in applicable), ZERO)),
                 applicable_weight=weight)


def rows_summary(form, field: Field, envs: list[dict], results: list[RowScore]) -> str:
    """The line above a table page's rows: "共 10 行，得分合计 82.92（尚有 1 项指标未评分）".

    The sum and the count are those of the rows the indicator tree scores (every row when no
    ``rows`` leaf reads the table), as the subtotals, the score panel and the exports state them."""
    leaves = [leaf for leaf in form.leaves.values() if leaf.rule.kind == "rows" and leaf.rule.table == field.id]
    env = {field.id: envs}
    taken = {r.number: r for leaf in leaves for r in leaf_rows(form, leaf, env, results)} if leaves else \
        {r.number: r for r in results}
    total = sum((r.score for r in taken.values() if r.score is not None), ZERO)
    waiting = sum(1 for r in taken.values() if r.applicable and r.score is None)
    line = f"共 {len(results)} 行，得分合计 {parsing.format_score(total)}"
    return line + (f"（{unscored_words(waiting)}）" if waiting else "")
