"""The score table (自评表) as an Excel workbook, with the base data and the checks.

Three sheets: 自评表 (the printed attachment), 基础数据 (every non-text value and
the computed ones) and 校验结果 (the findings).  Everything is walked from the
form; every cell holds a value, never a formula, because openpyxl stores no
cached results and other readers would see empty cells.  openpyxl is imported
only when a workbook is rendered.
"""
from __future__ import annotations

import io
import math
import unicodedata
import zipfile
from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..parsing import format_yesno
from ..score_table import LeafRow, score_rows, signoff_parts, weight_note
from ..scoring import format_rate
from .pdf_text import table_header, table_title

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..form import Form
    from ..workspace import OpenReport

BODY_FONT, HEAD_FONT = "宋体", "黑体"
SIZE = 10
LINE_HEIGHT, ROW_PADDING = 13.5, 5  # points per wrapped line of 10 pt text, and the margin
DEFAULT_ROW_HEIGHT = 15.0  # points, a row whose height is not set
A4 = (595.28, 841.89)  # points, portrait
MARGINS = (0.5, 0.6, 0.3)  # inches: left and right, top and bottom, header and footer
DIGIT_PX = 7  # a column n wide is n × 7 pixels: n digits of Calibri 11 with the cell padding

SCORE_WIDTHS = (12, 12, 18, 40, 24, 7, 9, 34)  # the form names the eight columns (Form.table_columns)
DATA_COLUMNS = (("项目", 40), ("数值", 16), ("单位", 8), ("编号", 32))
CHECK_COLUMNS = (("类别", 7), ("说明", 56), ("涉及字段", 26), ("出错说明", 30), ("校验编号", 26))

HEADER_ROW, FIRST_LEAF_ROW = 3, 4
MONEY, POINTS, RATE, WHOLE = "#,##0.00", "0.00", "0.00%", "0"
FIELD_FORMATS = {"money": MONEY, "number": MONEY, "score": POINTS, "percent": POINTS,
                 "count": WHOLE, "year": WHOLE}
COMPUTED_FORMATS = {"money": MONEY, "number": MONEY, "percent": RATE, "count": WHOLE}
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def render_workbook(report: OpenReport, evaluation: Evaluation, generated_at: datetime | None = None,
                    *, draft: bool = False) -> bytes:
    """The .xlsx file of ``report``; the same report and time give the same bytes.

    ``generated_at`` stamps the document properties and the archive entries; it
    defaults to the report's last change.  A ``draft`` says 草稿 in each sheet's
    name, printed header and the score table's title.
    """
    from openpyxl import Workbook

    when = _utc(generated_at or report.info.updated_at)
    book = Workbook()
    scores = book.active
    scores.title = "自评表"
    if report.form.sheet is not None:  # one form per report (项目支出绩效自评表)
        from .xlsx_sheet import WIDTHS, write_sheet
        write_sheet(_Sheet(scores, tuple(zip(report.form.table_columns, WIDTHS))), report, evaluation)
    else:
        _score_sheet(_Sheet(scores, tuple(zip(report.form.table_columns, SCORE_WIDTHS))), report, evaluation)
    _data_sheet(_Sheet(book.create_sheet("基础数据"), DATA_COLUMNS), report.form, evaluation)
    _check_sheet(_Sheet(book.create_sheet("校验结果"), CHECK_COLUMNS), report.form, evaluation)

    if draft:
        _mark_draft(book)
    props = book.properties
    props.title = table_title(report) + ("（草稿）" if draft else "")
    props.subject = f"{report.form.title}（{report.form.id} {report.form.edition}）"
    props.creator = props.lastModifiedBy = f"selfeval {__version__}"
    props.created = props.modified = when
    return _save(book, when)


def _mark_draft(book) -> None:
    from .pdf_layout import DRAFT_HEADER

    for sheet in book.worksheets:
        sheet.title = f"{sheet.title}（草稿）"
        sheet.oddHeader.center.text = DRAFT_HEADER
        sheet.oddHeader.center.font = BODY_FONT
    title = book.worksheets[0].cell(1, 1)
    title.value = f"{title.value}（草稿）"


# ------------------------------------------------------------------ 自评表

def _score_sheet(sheet: _Sheet, report: OpenReport, ev: Evaluation) -> None:
    from openpyxl.worksheet.pagebreak import Break

    form, width = report.form, len(SCORE_WIDTHS)
    title_rows(sheet, report, width)
    sheet.header(HEADER_ROW)

    table = score_rows(form, report.values, ev)
    for row, leaf in enumerate(table.leaves, FIRST_LEAF_ROW):
        _leaf_row(sheet, row, leaf)
    row = FIRST_LEAF_ROW + len(table.leaves)
    for footer in table.footer:
        sheet.put(row, 1, footer.label, span=5, align="center", font=(HEAD_FONT, SIZE, False))
        sheet.put(row, 6, None if footer.weight is None else float(footer.weight), fmt=POINTS, align="center")
        sheet.put(row, 7, footer.grade if footer.score is None else float(footer.score), fmt=POINTS,
                  align="center")
        sheet.put(row, 8, footer.note)
        sheet.fit(row)
        row += 1
    sheet.put(row + 1, 1, "　　　　".join(signoff_parts(form, report.values)), span=width, border=False)
    sheet.fit(row + 1)

    ws = sheet.ws
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    sheet.print_setup(landscape=True)
    breaks = _page_breaks(sheet, table.leaves, row + 1)
    _label_groups(sheet, table.leaves, breaks)
    for last in breaks:
        ws.row_breaks.append(Break(id=last))


def title_rows(sheet: _Sheet, report: OpenReport, width: int) -> None:
    """The table's title on row 1; 填报单位, 填报日期 and 金额单位 on row 2."""
    unit, date, amount = table_header(report)
    sheet.put(1, 1, table_title(report), span=width, font=(HEAD_FONT, 16, True), align="center", border=False)
    sheet.put(2, 1, unit, span=4, border=False)
    sheet.put(2, 5, date, span=3, border=False)
    sheet.put(2, width, amount, align="right", border=False)
    sheet.fit(2)


def _leaf_row(sheet: _Sheet, row: int, leaf: LeafRow) -> None:
    sheet.put(row, 3, leaf.label)
    sheet.put(row, 4, leaf.criteria)
    sheet.put(row, 5, leaf.value)
    sheet.put(row, 6, float(leaf.weight), fmt=POINTS, align="center")
    sheet.put(row, 7, None if leaf.score is None else float(leaf.score), fmt=POINTS, align="center")
    sheet.put(row, 8, leaf.remark)
    sheet.fit(row)


def _group_keys(leaf: LeafRow) -> tuple:
    """The merged 一级 and 二级 cells a leaf row sits in (None: no 二级 cell of its own)."""
    return leaf.root, None if leaf.group.is_leaf else leaf.group


def _page_breaks(sheet: _Sheet, leaves: tuple[LeafRow, ...], last: int) -> list[int]:
    """The last row of each printed page but the final one, up to row ``last``.

    Pages are filled with whole 二级 groups (the leaves under one merged 二级
    cell, a 一级 cell of its own otherwise); only a group taller than a page is
    broken between its rows.  Row heights are the ones :meth:`_Sheet.fit` set,
    the page height the A4 landscape type area at the fit-to-width scale.
    """
    room = sheet.page_height(landscape=True)
    header = sheet.height(HEADER_ROW)
    blocks: list[list[int]] = []
    for offset, leaf in enumerate(leaves):
        keys = _group_keys(leaf)
        if offset and keys[1] is not None and _group_keys(leaves[offset - 1]) == keys:
            blocks[-1].append(FIRST_LEAF_ROW + offset)
        else:
            blocks.append([FIRST_LEAF_ROW + offset])
    blocks += [[row] for row in range(FIRST_LEAF_ROW + len(leaves), last + 1)]
    breaks, used = [], sum(sheet.height(row) for row in range(1, FIRST_LEAF_ROW))
    for block in blocks:
        size = sum(sheet.height(row) for row in block)
        if used + size > room and used > header:
            breaks.append(block[0] - 1)
            used = header
        for row in block:
            if used + sheet.height(row) > room and used > header:  # a group taller than a page
                breaks.append(row - 1)
                used = header
            used += sheet.height(row)
    return breaks


def _label_groups(sheet: _Sheet, leaves: tuple[LeafRow, ...], breaks: list[int]) -> None:
    """Label and merge the 一级 and 二级 cells; a group a page break cuts is merged
    on each page and labelled again there with "（续）", as in the PDF."""
    for column in (1, 2):
        start = 0
        while start < len(leaves):
            node, stop = _group_keys(leaves[start])[column - 1], start
            while (stop + 1 < len(leaves) and _group_keys(leaves[stop + 1])[column - 1] is node
                   and FIRST_LEAF_ROW + stop not in breaks):
                stop += 1
            first, last = FIRST_LEAF_ROW + start, FIRST_LEAF_ROW + stop
            if node is None:
                for row in range(first, last + 1):
                    sheet.put(row, column, None)
            else:
                continued = start > 0 and _group_keys(leaves[start - 1])[column - 1] is node
                label = node.title + ("（续）" if continued else "") + weight_note(node)
                sheet.put(first, column, _wrap_weight(label, SCORE_WIDTHS[column - 1]), align="center")
                if last > first:
                    sheet.ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
            start = stop + 1


def _data_sheet(sheet: _Sheet, form: Form, ev: Evaluation) -> None:
    sheet.header(1)
    row = 2

    def group(title: str, rows: list[tuple]) -> None:
        nonlocal row
        if not rows:
            return
        sheet.put(row, 1, title, span=len(DATA_COLUMNS), font=(HEAD_FONT, SIZE, False), fill="F2F2F2")
        row += 1
        for label, value, fmt, unit, ident in rows:
            sheet.put(row, 1, label)
            sheet.put(row, 2, value, fmt=fmt, align="left" if isinstance(value, str) else "right")
            sheet.put(row, 3, unit, align="center")
            sheet.put(row, 4, ident)
            sheet.fit(row)
            row += 1

    for title, fids in _placement(form):
        rows = []
        for fid in fids:
            field, value = form.fields[fid], ev.env.get(fid)
            if value is None:
                continue
            if field.type in FIELD_FORMATS:
                number = int(value) if FIELD_FORMATS[field.type] == WHOLE else float(value)
                rows.append((field.label, number, FIELD_FORMATS[field.type], field.unit, fid))
            elif field.type == "date":
                rows.append((field.label, value, DATE_FORMAT, "", fid))
            elif field.type == "yesno":
                rows.append((field.label, format_yesno(value), None, "", fid))
        group(title, rows)

    computed = []
    for cid, item in form.computed.items():
        value = ev.computed.get(cid)
        if isinstance(value, Decimal):
            fmt = COMPUTED_FORMATS.get(item.format, MONEY)
            computed.append((item.label, int(value) if fmt == WHOLE else float(value), fmt, item.unit, cid))
    group("计算值", computed)
    group("指标比率", [(form.leaves[lid].title, float(format_rate(score.rate)), RATE, "", lid)
                   for lid, score in ev.scores.items() if score.rate is not None])
    sheet.ws.freeze_panes = "A2"
    sheet.ws.print_title_rows = "1:1"
    sheet.print_setup(landscape=False)


def _placement(form: Form) -> list[tuple[str, list[str]]]:
    """Each part's title and its fields: listed ones, then the inputs of its indicators."""
    taken = {fid for section in form.sections for part in section.parts for fid in part.fields}
    groups = []
    for section in form.sections:
        for part in section.parts:
            fids = list(part.fields)
            for leaf in (leaf for iid in part.indicators for leaf in form.nodes[iid].leaves()):
                own = [*leaf.inputs, *(fid for fid, f in form.fields.items() if f.indicator == leaf.id)]
                for fid in own:
                    if fid not in taken:
                        taken.add(fid)
                        fids.append(fid)
            title = part.title if part.title == section.title else f"{section.title} {part.title}"
            groups.append((title, fids))
    return groups


# ------------------------------------------------------------------ 校验结果

def _check_sheet(sheet: _Sheet, form: Form, ev: Evaluation) -> None:
    sheet.header(1)
    if not ev.findings:
        sheet.put(2, 1, "未发现问题", span=len(CHECK_COLUMNS), align="center")
    for row, finding in enumerate(ev.findings, 2):
        labels = "、".join(_label_of(form, fid) for fid in finding.fields)
        sheet.put(row, 1, finding.severity_name, align="center")
        sheet.put(row, 2, finding.message)
        sheet.put(row, 3, labels)
        sheet.put(row, 4, finding.explanation or "未说明")
        sheet.put(row, 5, finding.check)
        sheet.fit(row)
    sheet.ws.freeze_panes = "A2"
    sheet.ws.print_title_rows = "1:1"
    sheet.print_setup(landscape=True)


def _label_of(form: Form, ident: str) -> str:
    if ident in form.fields:
        return form.fields[ident].label
    if ident in form.computed:
        return form.computed[ident].label
    return ident


# ------------------------------------------------------------------ helpers

class _Sheet:
    """A worksheet with fixed column widths, styled cells and estimated row heights."""

    def __init__(self, ws, columns: tuple[tuple[str, int], ...]):
        from openpyxl.utils import get_column_letter

        self.ws, self.columns, self.lines = ws, columns, {}
        self._styles: dict = {}
        for index, (_, width) in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = width

    def header(self, row: int) -> None:
        for column, (name, _) in enumerate(self.columns, 1):
            self.put(row, column, name, align="center", font=(HEAD_FONT, SIZE, False), fill="D9D9D9")
        self.fit(row)

    def put(self, row: int, column: int, value: Any, *, span: int = 1, fmt: str | None = None,
            align: str = "left", font: tuple = (BODY_FONT, SIZE, False), border: bool = True,
            fill: str | None = None) -> None:
        cell = self.ws.cell(row=row, column=column, value=value if value != "" else None)
        font_, alignment, border_, fill_ = self._style(font, align, border, fill)
        cell.font, cell.alignment, cell.border, cell.fill = font_, alignment, border_, fill_
        if fmt:
            cell.number_format = fmt
        for extra in range(column + 1, column + span):
            self.ws.cell(row=row, column=extra).border = border_
        if span > 1:
            self.ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
        if isinstance(value, str):
            width = sum(w for _, w in self.columns[column - 1:column - 1 + span])
            needed = _line_count(value, width) * font[1] / SIZE
            self.lines[row] = max(self.lines.get(row, 1), needed)

    def fit(self, row: int) -> None:
        self.ws.row_dimensions[row].height = round(self.lines.get(row, 1) * LINE_HEIGHT + ROW_PADDING, 1)

    def height(self, row: int) -> float:
        """The height of ``row`` in points, as set by :meth:`fit` (Excel's default otherwise)."""
        return self.ws.row_dimensions[row].height or DEFAULT_ROW_HEIGHT

    def scale(self, *, landscape: bool) -> float:
        """The print scale fit-to-width gives: the printable width over the columns' width,
        in whole percent as Excel sets it, never above 100%."""
        width = (A4[1] if landscape else A4[0]) - 2 * MARGINS[0] * 72
        columns = sum(w for _, w in self.columns) * DIGIT_PX * 0.75  # pixels at 96 dpi, to points
        return min(100, math.floor(100 * width / columns)) / 100

    def page_height(self, *, landscape: bool) -> float:
        """How many points of rows fit on one printed page at :meth:`scale`."""
        height = (A4[0] if landscape else A4[1]) - 2 * MARGINS[1] * 72
        return height / self.scale(landscape=landscape)

    def print_setup(self, *, landscape: bool) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        margins = ws.page_margins
        margins.left = margins.right = MARGINS[0]
        margins.top = margins.bottom = MARGINS[1]
        margins.header = margins.footer = MARGINS[2]
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.font = BODY_FONT

    def _style(self, font: tuple, align: str, border: bool, fill: str | None):
        key = (font, align, border, fill)
        if key not in self._styles:
            from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

            name, size, bold = font
            thin = Side(style="thin")
            self._styles[key] = (
                Font(name=name, size=size, bold=bold),
                Alignment(horizontal=align, vertical="center", wrap_text=True),
                Border(left=thin, right=thin, top=thin, bottom=thin) if border else Border(),
                PatternFill("solid", fgColor=fill) if fill else PatternFill(),
            )
        return self._styles[key]


def _save(book, when: datetime) -> bytes:
    """The workbook as bytes, every archive entry stamped with ``when`` (reproducible output)."""
    from openpyxl.writer.excel import ExcelWriter

    raw, out = io.BytesIO(), io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    stamp = max(when, datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, stamp)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            target.writestr(entry, source.read(item))
    return out.getvalue()


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _wrap_weight(label: str, width: int) -> str:
    """Break before the last “（n分）” when the label does not fit on one line."""
    head, sep, tail = label.rpartition("（")
    return f"{head}\n{sep}{tail}" if sep and _units(label) > width - 1.5 else label


def _line_count(text: str, width: float) -> int:
    """Wrapped lines of ``text`` in a column ``width`` characters wide (CJK counts double)."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(_units(line) / usable)) for line in text.split("\n"))


def _units(text: str) -> int:
    """Width in column units at 10 pt: a Chinese character (or full-width mark) counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)
