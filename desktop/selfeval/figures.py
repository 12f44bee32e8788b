"""Figures stated in words: a value in a message's format, a rate's numerator or
denominator formatted like the fields it is read from, and what such an
expression is called.

Scoring, the checks, the score table and the wizard all state figures through
these, so "1,300.50 万元" reads the same in a note, a message and a table cell.
Plain Python: nothing here knows an indicator or a field by name.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import parsing
from .form import INTEGER_TYPES

if TYPE_CHECKING:
    from .expr import Compiled
    from .form import Form


def format_value(value: Any, fmt: str) -> str:
    """Format a value for a message: money, percent (a ratio), points, number, int, date.

    Percentages (``percent`` and ``points``) always carry two decimals: "98.50%"."""
    if isinstance(value, Decimal):
        if fmt == "money":
            return parsing.format_money(value)
        if fmt == "percent":
            return parsing.format_ratio(value)
        if fmt == "points":
            return parsing.format_percentage(value)
        if fmt in ("int", "count"):
            return str(int(value))
        return parsing.format_decimal(value)
    if fmt == "date" and hasattr(value, "year"):
        return parsing.format_date_cn(value)
    return str(value)


def figure(form: Form, expression: Compiled, value: Decimal) -> str:
    """A numerator or denominator, formatted like the fields and values it is read from."""
    formats = set()
    for name in expression.names:
        if name in form.computed:
            formats.add(form.computed[name].format)
        elif name in form.fields:
            kind = form.fields[name].type
            formats.add("money" if kind == "money" else "count" if kind in INTEGER_TYPES
                        else "points" if kind == "percent" else "number")
    fmt = formats.pop() if len(formats) == 1 else "number"
    if fmt == "count" and value != value.to_integral_value():
        fmt = "number"
    return format_value(value, fmt)


def _named(form: Form, expression: Compiled) -> list:
    """The fields and computed values ``expression`` reads, in form order."""
    order = [*form.fields, *form.computed]
    names = sorted((n for n in expression.names if n in form.fields or n in form.computed), key=order.index)
    return [form.fields[n] if n in form.fields else form.computed[n] for n in names]


def expression_label(form: Form, expression: Compiled) -> str:
    """What the expression is called: the label of the field or computed value it reads
    ("调整后预算数"), or the labels of all it reads ("公用经费、“三公”经费")."""
    return "、".join(item.label for item in _named(form, expression)) or expression.source


def figure_with_unit(form: Form, expression: Compiled, value: Decimal) -> str:
    """:func:`figure` and the unit its inputs share: "1,300.50 万元", "21 人"."""
    units = {item.unit for item in _named(form, expression)}
    unit = units.pop() if len(units) == 1 else ""
    if unit == "%":
        return figure(form, expression, value)
    return f"{figure(form, expression, value)} {unit}" if unit else figure(form, expression, value)
