"""The score table (自评表) attachment on landscape pages.

一级 and 二级 cells span their rows.  reportlab cannot break a table inside a
row span, so the rows are measured once and cut into one table per page here;
every page repeats the header row, and a group continued from the previous
page is labelled again with "（续）".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table, TableStyle

from ..score_table import LeafRow, score_rows, signoff_parts, weight_note
from .pdf_flow import GridParagraph
from .pdf_layout import MM
from .pdf_text import points

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..form import Indicator
    from ..workspace import OpenReport
    from .fonts import FontSet

WIDTHS_MM = (19, 19, 25, 75, 27, 10, 14, 36)  # 225 mm, the landscape type area
SIZE, LEADING, PAD = 10.5, 13.5, 3.0  # 五号


@dataclass
class _Row:
    cells: list  # eight cells: GridParagraph or ""
    root: Indicator | None = None  # None for the footer rows
    group: Indicator | None = None
    height: float = 0.0  # as the rows run on
    opening: float = 0.0  # as the first row of a page, with the group labels again


class ScoreTable:
    """The rows built and measured once; :meth:`pages` cuts them into one table per page."""

    def __init__(self, report: OpenReport, ev: Evaluation, fonts: FontSet):
        self.report, self.ev, self.fonts, self.form = report, ev, fonts, report.form
        self.widths = [w * MM for w in WIDTHS_MM]
        self.header = [self._cell(text, "center", fonts.heading) for text in self.form.table_columns]
        self.table = score_rows(self.form, report.values, ev)
        self.rows = self._leaf_rows() + self._footer_rows()
        self._measure()

    def _cell(self, text: str, align: str = "left", font: str | None = None) -> GridParagraph:
        return GridParagraph(text, font or self.fonts.body, SIZE, LEADING, align=align)

    def _label(self, node: Indicator, column: int, suffix: str = "") -> GridParagraph:
        """“资金管理（22分）”, then ``suffix`` (“（续）”); a new line before a bracket that does not fit."""
        weight = [] if node.is_leaf else [weight_note(node)]  # the 分值 column gives a leaf's
        room = self.widths[column] - 2 * PAD
        lines = [node.title]
        for part in weight + ([suffix] if suffix else []):
            if stringWidth(lines[-1] + part, self.fonts.body, SIZE) <= room:
                lines[-1] += part
            else:
                lines.append(part)
        return self._cell("\n".join(lines), "center")

    # -- rows: laid out from :mod:`selfeval.score_table`

    def _leaf_rows(self) -> list[_Row]:
        return [_Row(self._leaf_cells(row), row.root, row.group) for row in self.table.leaves]

    def _leaf_cells(self, row: LeafRow) -> list:
        return ["", "", self._cell(row.label, "center"), self._cell(row.criteria), self._cell(row.value),
                self._cell(points(row.weight), "center"), self._cell(row.shown_score, "center"),
                self._cell(row.remark)]

    def _footer_rows(self) -> list[_Row]:
        return [_Row([self._cell(row.label, "center", self.fonts.heading), "", "", self._cell(row.note), "",
                      self._cell("" if row.weight is None else points(row.weight), "center"),
                      self._cell(row.shown_score, "center"), ""])
                for row in self.table.footer]

    # -- pages

    def _measure(self) -> None:
        """Row heights without spans, with the labels in a group's first row: upper bounds."""
        def heights(opening: bool) -> list[float]:
            data = [self.header] + [self._cells(i, i if opening else 0) for i in range(len(self.rows))]
            table = Table(data, colWidths=self.widths, style=_style(self.fonts.body, []))
            table.wrap(sum(self.widths), 1e6)
            return table._rowHeights

        running, opening = heights(False), heights(True)
        self.header_height = running[0]
        for row, height, first in zip(self.rows, running[1:], opening[1:]):
            row.height, row.opening = height, first

    def pages(self, first_height: float, height: float, tail: float = 0.0) -> list[Table]:
        """One table per page, at most ``first_height`` points on the first and ``height`` after.

        The last page also keeps ``tail`` points free for what follows the table.
        """
        return [self._table(first, end) for first, end in self.cuts(first_height, height, tail)]

    def cuts(self, first_height: float, height: float, tail: float = 0.0) -> list[tuple[int, int]]:
        """The rows of each page as (first, end) indexes into ``self.rows``."""
        chunks, start, used, room = [], 0, self.header_height, first_height
        for index, row in enumerate(self.rows):
            if index > start and used + row.height > room - 2:
                chunks.append((start, index))
                start, used, room = index, self.header_height, height
            used += row.opening if index == start else row.height
        if used + tail > room - 2 and len(self.rows) - start > 1:  # no room for the tail: the last row goes over
            chunks.append((start, len(self.rows) - 1))
            start = len(self.rows) - 1
        chunks.append((start, len(self.rows)))
        return self._keep_totals(chunks, height - tail)

    def _keep_totals(self, chunks: list[tuple[int, int]], room: float) -> list[tuple[int, int]]:
        """The total rows never stand alone on the last page: they take the last group's rows along.

        The totals stay one block; of the group before them, as many rows as
        the last page holds (at least one) move over with them, unless not even
        one fits with them.
        """
        start, end = chunks[-1]
        if len(chunks) < 2 or self.rows[start].root is not None:
            return chunks
        before = chunks[-2][0]
        totals = next(index for index in range(before, end) if self.rows[index].root is None)
        pull = totals - 1
        if pull <= before:
            return chunks
        group = self.rows[pull].group
        while pull - 1 > before and self.rows[pull - 1].group is group:
            pull -= 1
        while pull < totals - 1 and self._height(pull, end) > room - 2:
            pull += 1
        if self._height(pull, end) > room - 2:  # totals taller than a page: they must break anyway
            return chunks
        return chunks[:-2] + [(before, pull), (pull, end)]

    def _height(self, first: int, end: int) -> float:
        """Rows ``first`` to ``end`` as one page's table, with the header row."""
        return self.header_height + self.rows[first].opening + sum(row.height for row in self.rows[first + 1:end])

    def _cells(self, index: int, first: int) -> list:
        """Row ``index`` with the group labels it carries on a page whose first row is ``first``."""
        row, cells = self.rows[index], list(self.rows[index].cells)
        if row.root is None:
            return cells
        previous = self.rows[index - 1] if index > 0 else None
        for column, node, before in ((0, row.root, previous and previous.root),
                                     (1, row.group, previous and previous.group)):
            if column == 1 and node is row.root:
                continue
            if before is not node or index == first:
                cells[column] = self._label(node, column, "（续）" if before is node else "")
        return cells

    def _table(self, first: int, end: int) -> Table:
        data = [self.header] + [self._cells(index, first) for index in range(first, end)]
        spans = []
        for column, key in ((0, lambda r: r.root), (1, lambda r: r.group)):
            index = first
            while index < end:
                node, stop = key(self.rows[index]), index
                while stop + 1 < end and node is not None and key(self.rows[stop + 1]) is node:
                    stop += 1
                if stop > index:
                    spans.append(("SPAN", (column, index - first + 1), (column, stop - first + 1)))
                index = stop + 1
        for i in range(first, end):
            if self.rows[i].root is None:  # footer: label over the indicator columns, note beside it
                spans += [("SPAN", (0, i - first + 1), (2, i - first + 1)),
                          ("SPAN", (3, i - first + 1), (4, i - first + 1))]
        return Table(data, colWidths=self.widths, repeatRows=1, style=_style(self.fonts.body, spans))


def _style(font: str, spans: list) -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), font, SIZE),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        *spans,
    ])


def signoff_line(report: OpenReport) -> str:
    return "　　".join(signoff_parts(report.form, report.values))
