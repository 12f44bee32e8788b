"""A score table printed as one form (``table.sheet`` in the form file): the cells of the page.

The 项目支出绩效自评表 is one page per project: the header fields, the funds grid with
分值 / 执行率 / 得分 on its first row, the goals, then the indicator rows grouped by
一级/二级 with merged cells, 总分 and 自评等级.  This module places every cell on an
eight-column grid (the score table's columns); the PDF and the Excel sheet only draw
what is placed here, and the indicator rows come from :func:`selfeval.score_table.score_rows`
like every other output's.  Plain Python: no document library is imported here.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from .engine import Evaluation
from .form import Form
from .parsing import format_decimal, format_money, format_ratio, format_score
from .score_table import NO_FIGURE, PROVISIONAL_GRADE, UNSCORED, score_rows, total_note, weighted
from .scoring import NOT_APPLICABLE
from .values import display

COLUMNS = 8


@dataclass(frozen=True)
class SheetCell:
    row: int
    col: int
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # left | center | right
    head: bool = False  # a heading: bold, shaded
    number: Decimal | None = None  # the value Excel keeps (not a formula)
    fmt: str = ""  # money | points: how Excel shows ``number``


class _Grid:
    def __init__(self):
        self.cells: list[SheetCell] = []
        self.row = 0

    def put(self, col: int, text: str, **options) -> None:
        self.cells.append(SheetCell(self.row, col, text, **options))

    def next(self, rows: int = 1) -> None:
        self.row += rows


def sheet_cells(form: Form, values: Mapping[str, Any], ev: Evaluation) -> tuple[list[SheetCell], int]:
    """Every cell of the sheet and the number of rows."""
    sheet, grid = form.sheet, _Grid()
    for fid in sheet.header:
        grid.put(0, form.fields[fid].label, colspan=2, align="center", head=True)
        grid.put(2, _shown(form, values, fid), colspan=COLUMNS - 2)
        grid.next()
    if sheet.grid_field:
        _funds(form, values, ev, grid)
    if sheet.texts:
        grid.put(0, sheet.texts_title, rowspan=len(sheet.texts), align="center", head=True)
        for fid in sheet.texts:
            grid.put(1, form.fields[fid].label, align="center", head=True)
            grid.put(2, _shown(form, values, fid), colspan=COLUMNS - 2)
            grid.next()
    _indicators(form, values, ev, grid)
    return grid.cells, grid.row


def _shown(form: Form, values: Mapping[str, Any], fid: str) -> str:
    return display(form.fields[fid], values.get(fid))


def _funds(form: Form, values: Mapping[str, Any], ev: Evaluation, grid: _Grid) -> None:
    sheet = form.sheet
    rows = sheet.grid_rows
    grid.put(0, sheet.grid_title, rowspan=len(rows) + 1, align="center", head=True)
    grid.put(1, "", head=True)
    for offset, (_, label) in enumerate(sheet.grid_columns):
        grid.put(2 + offset, label, align="center", head=True)
    for col, label in ((5, "分值"), (6, "执行率"), (7, "得分")):
        grid.put(col, label, align="center", head=True)
    grid.next()
    score = ev.scores.get(sheet.grid_indicator) if sheet.grid_indicator else None
    for index, (row_id, label) in enumerate(rows):
        grid.put(1, label, align="center", head=True)
        for offset, (column, _) in enumerate(sheet.grid_columns):
            amount = values.get(f"{sheet.grid_field}.{row_id}.{column}")
            grid.put(2 + offset, "" if amount is None else format_money(amount), align="right",
                     number=amount, fmt="money")
        if index == 0 and score is not None:
            rate = NOT_APPLICABLE if not score.applicable else (
                format_ratio(score.rate) if score.rate is not None else NO_FIGURE)
            shown = NOT_APPLICABLE if not score.applicable else (
                UNSCORED if score.score is None else format_score(score.score))
            grid.put(5, format_decimal(score.weight), align="center", number=score.weight, fmt="points")
            grid.put(6, rate, align="center")
            grid.put(7, shown, align="center",
                     number=score.score if score.applicable else None, fmt="points")
        elif index == 1:
            grid.put(5, NO_FIGURE, colspan=3, rowspan=len(rows) - 1, align="center")
        grid.next()


def _indicators(form: Form, values: Mapping[str, Any], ev: Evaluation, grid: _Grid) -> None:
    for col, label in enumerate(form.table_columns):
        grid.put(col, label, align="center", head=True)
    grid.next()
    table = score_rows(form, values, ev)
    leaves = [row for row in table.leaves if row.leaf.id != form.sheet.grid_indicator]
    for column, key in ((0, lambda r: r.root), (1, lambda r: r.group)):
        index = 0
        while index < len(leaves):
            node, stop = key(leaves[index]), index
            while stop + 1 < len(leaves) and key(leaves[stop + 1]) is node:
                stop += 1
            text = weighted(node) if column == 0 else ("" if node is leaves[index].root else node.title)
            grid.cells.append(SheetCell(grid.row + index, column, text, rowspan=stop - index + 1,
                                        align="center"))
            index = stop + 1
    for leaf in leaves:
        grid.put(2, leaf.label, align="center")
        grid.put(3, leaf.criteria)
        grid.put(4, leaf.value)
        grid.put(5, format_decimal(leaf.weight), align="center", number=leaf.weight, fmt="points")
        grid.put(6, leaf.shown_score, align="center", number=leaf.score if leaf.applicable else None,
                 fmt="points")
        grid.put(7, leaf.remark)
        grid.next()
    grid.put(0, "总分", colspan=5, align="center", head=True)
    grid.put(5, format_decimal(form.total_weight), align="center", number=form.total_weight, fmt="points")
    grid.put(6, format_score(ev.total), align="center", number=ev.total, fmt="points")
    grid.put(7, total_note(form, ev))
    grid.next()
    grid.put(0, "自评等级", colspan=5, align="center", head=True)
    grid.put(5, ev.grade, colspan=2, align="center")
    grid.put(7, "" if ev.complete else PROVISIONAL_GRADE)
    grid.next()
