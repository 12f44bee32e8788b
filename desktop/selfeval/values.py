"""Field values: from typed text, to and from the JSON interchange, for display.

One function per direction, dispatched on the field's type from the form, so
the wizard, the command line and the importer accept exactly the same input.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import parsing, rows
from .form import DECIMAL_TYPES, INTEGER_TYPES, Field, Form
from .parsing import ParseError, Parsed


REPORT_YEAR = "report.year"  # the form's ``years`` apply to this field
EXPLANATION_LABEL = "出错说明"  # names an explanation in messages


class ValueRejected(ValueError):
    """A value for a known field that cannot be accepted; the message is Chinese."""


def parse_input(form: Form, field: Field, text: str) -> Parsed:
    """Parse what a person typed into ``field``; raises :class:`ParseError`."""
    label, kind = field.label, field.type
    _check_size(field, text)
    text = parsing.clean_input(text, label)
    if kind == "money":
        minimum = field.minimum if field.minimum is not None else Decimal(0)
        return parsing.parse_money(text, label, minimum=minimum, maximum=field.maximum)
    if kind in ("number", "score"):
        return parsing.parse_decimal(
            text, label, minimum=field.minimum, maximum=field.maximum, unit=field.unit
        )
    if kind == "percent":
        return parsing.parse_percent(
            text, label,
            minimum=field.minimum if field.minimum is not None else Decimal(0),
            maximum=field.maximum if field.maximum is not None else Decimal(100),
        )
    if kind == "count":
        return parsing.parse_count(
            text, label,
            minimum=int(field.minimum) if field.minimum is not None else 0,
            maximum=int(field.maximum) if field.maximum is not None else None,
            unit=field.unit,
        )
    if kind == "year":
        parsed = parsing.parse_year(
            text, label,
            minimum=int(field.minimum) if field.minimum is not None else 1990,
            maximum=int(field.maximum) if field.maximum is not None else 2100,
        )
        if field.id == REPORT_YEAR and parsed.value is not None and not form.applies_to(parsed.value):
            span = f"{form.first_year}–{form.last_year or ''}"
            raise ParseError(label, f"「{label}」为 {parsed.value}，表单“{form.id}”{form.edition} 版"
                                    f"只适用于 {span} 年度")
        return parsed
    if kind == "date":
        return parsing.parse_date(text, label)
    if kind == "credit_code":
        return parsing.parse_credit_code(text, label)
    if kind == "yesno":
        return parsing.parse_yesno(text, label)
    if kind in ("text", "longtext"):
        return parsing.parse_text(
            text, label, max_length=field.max_length, multiline=kind == "longtext"
        )
    if kind == "lines":
        return parsing.parse_lines(text, label, max_items=field.max_items, max_length=field.max_length)
    if kind == "adjustments":
        return Parsed(parse_adjustment_lines(form, field, text))
    if kind == "rows":
        return rows.parse_rows_text(field, text)
    raise AssertionError(f"unhandled field type {kind}")


_SIZED_TYPES = ("text", "longtext", "lines", "adjustments", "rows")  # the types limits apply to
_OTHER_BOUND = 1000  # numbers, dates, codes: far longer than any way of writing one


def _check_size(field: Field, text: str) -> None:
    """Refuse text far beyond the field's limits before any further work on it."""
    if field.max_length is None:
        if field.type not in _SIZED_TYPES:
            _refuse_beyond(field.label, text, _OTHER_BOUND, "")
        return
    # room for every item, its line break and some blank lines or indentation
    bound = (field.max_length + 2) * (field.max_items or 1) * 2 + 1000
    rule = (f"最多{field.max_length}个字，" if field.max_items is None
            else f"最多{field.max_items}项、每项最多{field.max_length}个字，")
    _refuse_beyond(field.label, text, bound, rule)


def _refuse_beyond(label: str, text: str, bound: int, rule: str) -> None:
    if len(text) > bound:
        raise ParseError(label, f"「{label}」内容过长（{len(text)}个字），{rule}请删减。")


def parse_explanation(form: Form, text: str | None, label: str = EXPLANATION_LABEL) -> str | None:
    """An 出错说明 as typed, pasted, set or imported: stripped, ``None`` when empty."""
    if text is None:
        return None
    limit = form.limits.explanation
    _refuse_beyond(label, text, limit * 2 + 1000, f"最多{limit}个字，")
    return parsing.parse_text(parsing.clean_input(text, label), label, max_length=limit,
                              multiline=True).value


def parse_adjustment_lines(form: Form, field: Field, text: str) -> list[dict] | None:
    """``表彰/县级/献血先进单位`` one per line (the command line's way to enter the list)."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if len(entries) == field.max_items:
            raise ParseError(field.label, f"「{field.label}」最多填{field.max_items}项，请删减。")
        parts = [p.strip() for p in line.replace("／", "/").split("/", 2)]
        if len(parts) != 3:
            raise ParseError(
                field.label,
                f"「{field.label}」第 {number} 行应写成“类别/级别/说明”，例如“表彰/县级/献血先进单位”。",
            )
        entries.append(adjustment_entry(form, field, dict(zip(("kind", "level", "description"), parts))))
    return entries or None


def adjustment_entry(form: Form, field: Field, raw: Any) -> dict:
    rules = form.adjustments
    if not isinstance(raw, dict) or set(raw) != {"kind", "level", "description"}:
        raise ParseError(field.label, f"「{field.label}」每一项应包含 kind、level、description 三项。")
    kind, level, description = (parsing.clean_input(raw[key], field.label) if isinstance(raw[key], str)
                                else raw[key] for key in ("kind", "level", "description"))
    kinds = [k.name for k in rules.kinds] if rules else []
    if kind not in kinds:
        raise ParseError(field.label, f"「{field.label}」的类别应为{'或'.join(kinds)}，收到“{kind}”。")
    levels = [name for name, _ in rules.kind(kind).points]
    if level not in levels:
        raise ParseError(field.label, f"「{field.label}」的级别应为{'、'.join(levels)}之一，收到“{level}”。")
    if not isinstance(description, str) or not description.strip():
        raise ParseError(field.label, f"「{field.label}」每一项都要写明表彰或问责的内容。")
    description = parsing.parse_text(description, field.label, max_length=field.max_length).value
    return {"kind": kind, "level": level, "description": description}


def _check_count(field: Field, raw: list) -> None:
    if field.max_items is not None and len(raw) > field.max_items:
        raise ParseError(field.label, f"「{field.label}」最多填{field.max_items}项，现在有{len(raw)}项，请删减。")


def _rejected(field: Field, raw: Any, what: str) -> ValueRejected:
    shown = repr(raw) if not isinstance(raw, str) else f"“{parsing.show_invisible(raw)}”"
    return ValueRejected(f"「{field.label}」（{field.id}）{what}，收到 {shown}。")


def from_json(form: Form, field: Field, raw: Any) -> Any:
    """A JSON interchange value → the typed value; raises :class:`ValueRejected`."""
    if raw is None:
        return None
    kind = field.type
    try:
        if kind in DECIMAL_TYPES or kind == "date" or kind in ("text", "longtext", "credit_code"):
            if not isinstance(raw, str):
                expected = "日期字符串，例如 \"2023-01-15\"" if kind == "date" else (
                    "文本" if kind in ("text", "longtext", "credit_code") else "字符串形式的数字，例如 \"628.76\"")
                raise _rejected(field, raw, f"应为{expected}")
            return parse_input(form, field, raw).value
        if kind in INTEGER_TYPES:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise _rejected(field, raw, "应为整数")
            return parse_input(form, field, str(raw)).value
        if kind == "yesno":
            if not isinstance(raw, bool):
                raise _rejected(field, raw, "应为 true 或 false")
            return raw
        if kind == "lines":
            if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
                raise _rejected(field, raw, "应为文本列表")
            _check_count(field, raw)
            return parse_input(form, field, "\n".join(raw)).value
        if kind == "adjustments":
            if not isinstance(raw, list):
                raise _rejected(field, raw, "应为列表")
            _check_count(field, raw)
            return [adjustment_entry(form, field, item) for item in raw] or None
        if kind == "rows":
            return rows.rows_from_json(field, raw)
    except ParseError as error:
        raise ValueRejected(f"{error.message}（{field.id}）") from None
    raise AssertionError(f"unhandled field type {kind}")


def to_json(field: Field, value: Any) -> Any:
    """The typed value → its JSON interchange form (decimals as strings)."""
    if value is None:
        return None
    if field.type in DECIMAL_TYPES:
        return format(value, "f")
    if field.type == "date":
        return value.isoformat()
    if field.type == "rows":
        return rows.rows_to_json(field, value)
    if field.type in ("lines", "adjustments"):
        return [dict(item) if isinstance(item, dict) else item for item in value]
    return value


def to_env(field: Field, value: Any) -> Any:
    """The typed value as expressions see it: numbers are Decimal, empty is None."""
    if is_empty(value):
        return None
    if field.type in INTEGER_TYPES:
        return Decimal(value)
    return value


def display(field: Field, value: Any) -> str:
    """How a value is shown to a person (in messages, the wizard, exports)."""
    if value is None:
        return ""
    kind = field.type
    if kind == "money":
        return parsing.format_money(value)
    if kind in ("number", "score", "percent"):
        return parsing.format_decimal(value)
    if kind in INTEGER_TYPES:
        return str(value)
    if kind == "date":
        return parsing.format_date_cn(value)
    if kind == "yesno":
        return parsing.format_yesno(value)
    if kind == "lines":
        return "\n".join(value)
    if kind == "rows":
        return rows.display_rows(field, value)
    if kind == "adjustments":
        return "\n".join(f"{e['kind']}（{e['level']}）：{e['description']}" for e in value)
    return str(value)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []
