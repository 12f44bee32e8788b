"""A score table printed as one form (``table.sheet``): the 项目支出绩效自评表 page.

The cells are placed by :mod:`selfeval.sheet_layout`; this module only draws them as one
table on the landscape type area, with the header cells shaded.  A sheet too tall for one
page is scaled down to fit it, so that a project stays one page.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from ..sheet_layout import COLUMNS, sheet_cells
from .pdf_flow import GridParagraph
from .pdf_layout import MM
from .pdf_table import PAD, signoff_line

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..workspace import OpenReport
    from .fonts import FontSet

MIN_SIZE = 7.5  # the smallest text a sheet is scaled to (小六 is 6.5 pt); a taller sheet runs on to a second page
WIDTHS_MM = (18, 20, 30, 36, 30, 11, 14, 66)  # 225 mm, the landscape type area


def sheet_table(report: OpenReport, ev: Evaluation, fonts: FontSet, height: float) -> Table:
    """The sheet as one table at most ``height`` points tall (smaller text when it must)."""
    size = 10.5
    while True:
        table = _table(report, ev, fonts, size)
        _, used = table.wrap(sum(WIDTHS_MM) * MM, 1e6)
        if used <= height or size <= MIN_SIZE:
            return table
        size = max(MIN_SIZE, size - 0.5)


def _table(report: OpenReport, ev: Evaluation, fonts: FontSet, size: float) -> Table:
    cells, rows = sheet_cells(report.form, report.values, ev)
    data = [[""] * COLUMNS for _ in range(rows)]
    leading = round(size * 9 / 7, 1)
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.body, size),
        ("GRID", (0, 0), (-1, rows - 1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *[(key, (0, 0), (-1, -1), PAD * size / 10.5)
          for key in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")],
    ]
    for cell in cells:
        data[cell.row][cell.col] = GridParagraph(cell.text, fonts.heading if cell.head else fonts.body,
                                                 size, leading, align=cell.align)
        end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
        if cell.colspan > 1 or cell.rowspan > 1:
            style.append(("SPAN", (cell.col, cell.row), end))
        if cell.head:
            style.append(("BACKGROUND", (cell.col, cell.row), end, colors.Color(0.92, 0.92, 0.92)))
    # the sign-off line is the table's last row, without lines: it is measured with the sheet and
    # stays with its last rows, never alone on a page of its own
    data.append([GridParagraph(signoff_line(report), fonts.body, size, leading, align="left")]
                + [""] * (COLUMNS - 1))
    style += [("SPAN", (0, rows), (-1, rows)), ("LEFTPADDING", (0, rows), (-1, rows), 0),
              ("TOPPADDING", (0, rows), (-1, rows), 8 * size / 10.5),
              ("NOSPLIT", (0, max(rows - 2, 0)), (-1, rows))]  # a sheet that runs on: 总分 and 等级 go along
    return Table(data, colWidths=[w * MM for w in WIDTHS_MM], style=TableStyle(style))
