"""A score table printed as one form (``table.sheet``) as an Excel sheet: the same cells as
the PDF page (placed by :mod:`selfeval.sheet_layout`), values not formulas."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..score_table import signoff_parts
from ..sheet_layout import COLUMNS, sheet_cells

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..workspace import OpenReport

WIDTHS = (10, 12, 18, 20, 18, 7, 9, 38)
FIRST_ROW = 3


def write_sheet(sheet, report: OpenReport, ev: Evaluation) -> None:
    """The sheet's cells from row 3, under the title and the 填报单位 line."""
    from .xlsx import BODY_FONT, HEAD_FONT, MONEY, POINTS, SIZE, title_rows

    form = report.form
    title_rows(sheet, report, COLUMNS)
    cells, rows = sheet_cells(form, report.values, ev)
    for cell in cells:  # every cell a span covers gets its border first
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                sheet.put(FIRST_ROW + row, col + 1, "")
    for cell in cells:
        row, col = FIRST_ROW + cell.row, cell.col + 1
        value = float(cell.number) if cell.number is not None else cell.text
        sheet.put(row, col, value, span=1 if cell.rowspan > 1 else cell.colspan, align=cell.align,
                  fmt={"money": MONEY, "points": POINTS}.get(cell.fmt),
                  font=(HEAD_FONT if cell.head else BODY_FONT, SIZE, False),
                  fill="D9D9D9" if cell.head else None)
        if cell.rowspan > 1:
            sheet.ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1,
                                 end_column=col + cell.colspan - 1)
    for row in range(FIRST_ROW, FIRST_ROW + rows):
        sheet.fit(row)
    last = FIRST_ROW + rows + 1
    sheet.put(last, 1, "　　　　".join(signoff_parts(form, report.values)), span=COLUMNS, border=False)
    sheet.fit(last)
    sheet.ws.row_dimensions[1].height = 30
    sheet.print_setup(landscape=True)
