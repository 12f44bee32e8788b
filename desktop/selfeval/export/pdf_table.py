"""The score table (自评表) attachment on landscape pages.

一级 and 二级 cells span their rows.  reportlab cannot break a table inside a
row span, so the rows are measured once and cut into one table per page here;
every page repeats the header row, and a group continued from the previous
page is labelled again with "（续）".
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table, TableStyle

from ..parsing import format_decimal, format_money
from ..scoring import adjustment_lines
from .pdf_flow import GridParagraph
from .pdf_layout import MM
from .pdf_text import points

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..form import Form, Indicator
    from ..workspace import OpenReport
    from .fonts import FontSet

HEADERS = ("一级指标", "二级指标", "三级指标", "评分标准", "指标值", "分值", "自评\n得分", "扣分原因/说明")
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
        self.header = [self._cell(text, "center", fonts.heading) for text in HEADERS]
        self.rows = self._leaf_rows() + self._footer_rows()
        self._measure()

    def _cell(self, text: str, align: str = "left", font: str | None = None) -> GridParagraph:
        return GridParagraph(text, font or self.fonts.body, SIZE, LEADING, align=align)

    def _label(self, node: Indicator, column: int, suffix: str = "") -> GridParagraph:
        """“资金管理（22分）”, then ``suffix`` (“（续）”); a new line before a bracket that does not fit."""
        weight = [] if node.is_leaf else [f"（{format_decimal(node.weight)}分）"]  # the 分值 column gives a leaf's
        room = self.widths[column] - 2 * PAD
        lines = [node.title]
        for part in weight + ([suffix] if suffix else []):
            if stringWidth(lines[-1] + part, self.fonts.body, SIZE) <= room:
                lines[-1] += part
            else:
                lines.append(part)
        return self._cell("\n".join(lines), "center")

    # -- rows

    def _leaf_rows(self) -> list[_Row]:
        return [_Row(self._leaf_cells(leaf), root, group)
                for root in self.form.indicators
                for group in root.children or (root,)
                for leaf in group.leaves()]

    def _leaf_cells(self, leaf: Indicator) -> list:
        score = self.ev.scores[leaf.id]
        shown = score_text(score.score) if score.scored else "未评分"
        return ["", "", self._label(leaf, 2), self._cell(leaf.criteria), self._cell(self._value(leaf)),
                self._cell(points(leaf.weight), "center"), self._cell(shown, "center"),
                self._cell(self._remark(leaf))]

    def _value(self, leaf: Indicator) -> str:
        rule, score, env = leaf.rule, self.ev.scores[leaf.id], self.ev.env
        if rule.kind == "checklist":
            return "\n".join(f"{self.form.fields[item.field].label}：{yesno(env.get(item.field))}"
                             for item in rule.items)
        if not rule.is_rate:
            return "—"
        rate = percent(score.rate)
        if rule.percent is not None or score.rate is None:
            return rate or score.note or "—"
        numerator, denominator = rule.numerator(env), rule.denominator(env)
        return (f"{amount(self.form, rule.numerator.source, numerator)} ÷ "
                f"{amount(self.form, rule.denominator.source, denominator)} = {rate}")

    def _remark(self, leaf: Indicator) -> str:
        score = self.ev.scores[leaf.id]
        if not score.scored:
            return f"未评分：{score.note}"
        lines = [score.note] if score.note else []
        if score.score < leaf.weight:
            lost = f"扣 {points(leaf.weight - score.score)} 分"
            if leaf.rule.kind == "manual":
                lines.append(f"{lost}：{self.ev.env.get(f'reason.{leaf.id}') or '（未填写扣分原因）'}")
            else:
                lines.append(f"{lost}（按评分标准计算）")
        return "\n".join(lines)

    def _footer_rows(self) -> list[_Row]:
        ev, form = self.ev, self.form

        def row(label: str, weight, score, note: str = "") -> _Row:
            return _Row([self._cell(label, "center", self.fonts.heading), "", "", self._cell(note), "",
                         self._cell("" if weight is None else points(weight), "center"),
                         self._cell(score if isinstance(score, str) else score_text(score), "center"), ""])

        rows = []
        for root in form.indicators:
            unscored = sum(1 for leaf in root.leaves() if not ev.scores[leaf.id].scored)
            rows.append(row(f"{root.title}小计", root.weight, ev.subtotals[root.id],
                            f"含未评分指标 {unscored} 个" if unscored else ""))
        rows.append(row("指标得分合计", form.total_weight, ev.base))
        if form.adjustments:
            rows.append(row("加减分项", None, ev.adjustments, adjustment_note(form, self.report.values, ev)))
        rows.append(row("总分", form.total_weight, ev.total,
                        "" if ev.complete else f"尚有 {len(ev.unscored)} 个指标未评分，总分不完整"))
        rows.append(row("评价等级", None, ev.grade))
        return rows

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


def score_text(value: Decimal) -> str:
    """Scores in the table with two decimals, as in the Excel table (29.40, not 29.4)."""
    return f"{value:.2f}"


def percent(rate: Decimal | None) -> str:
    return "" if rate is None else f"{format_decimal(rate * 100)}%"


def yesno(value) -> str:
    return "未填" if value is None else ("是" if value else "否")


def amount(form: Form, source: str, value: Decimal | None) -> str:
    if value is None:
        return "（未填）"
    name = source.strip()
    field, computed = form.fields.get(name), form.computed.get(name)
    if (field and field.type == "money") or (computed and computed.format == "money"):
        return format_money(value)
    return format_decimal(value)


def adjustment_note(form: Form, values: dict, ev: Evaluation) -> str:
    rules = form.adjustments
    entries = values.get(rules.field) if rules else None
    return "\n".join(adjustment_lines(rules, entries, ev.adjustments)) or "无"


def signoff_line(report: OpenReport) -> str:
    form = report.form
    return "　　".join(f"{field.label}：{report.values.get(fid) or ''}"
                      for fid, field in form.fields.items() if fid.startswith("signoff."))
