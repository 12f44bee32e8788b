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
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..parsing import format_date_cn, format_decimal, format_money
from ..scoring import adjustment_lines
from .pdf_text import amount_unit, table_title

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..form import Form, Indicator
    from ..workspace import OpenReport

BODY_FONT, HEAD_FONT = "宋体", "黑体"
SIZE = 10
LINE_HEIGHT, ROW_PADDING = 13.5, 5  # points per wrapped line of 10 pt text, and the margin

SCORE_COLUMNS = (("一级指标", 12), ("二级指标", 12), ("三级指标", 18), ("评分标准", 40),
                 ("指标值", 24), ("分值", 7), ("自评得分", 9), ("扣分原因/说明", 34))
DATA_COLUMNS = (("项目", 40), ("数值", 16), ("单位", 8), ("编号", 32))
CHECK_COLUMNS = (("类别", 7), ("说明", 56), ("涉及字段", 26), ("出错说明", 30), ("校验编号", 26))

MONEY, POINTS, RATE, WHOLE = "#,##0.00", "0.00", "0.00%", "0"
FIELD_FORMATS = {"money": MONEY, "number": MONEY, "score": POINTS, "percent": POINTS,
                 "count": WHOLE, "year": WHOLE}
COMPUTED_FORMATS = {"money": MONEY, "number": MONEY, "percent": RATE, "count": WHOLE}
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
SEVERITY = {"error": "错误", "warning": "警告"}


def render_workbook(report: OpenReport, evaluation: Evaluation, generated_at: datetime | None = None) -> bytes:
    """The .xlsx file of ``report``; the same report and time give the same bytes.

    ``generated_at`` stamps the document properties and the archive entries; it
    defaults to the report's last change.
    """
    from openpyxl import Workbook

    when = _utc(generated_at or report.info.updated_at)
    book = Workbook()
    scores = book.active
    scores.title = "自评表"
    _score_sheet(_Sheet(scores, SCORE_COLUMNS), report, evaluation)
    _data_sheet(_Sheet(book.create_sheet("基础数据"), DATA_COLUMNS), report.form, evaluation)
    _check_sheet(_Sheet(book.create_sheet("校验结果"), CHECK_COLUMNS), report.form, evaluation)

    props = book.properties
    props.title = _title(report)
    props.subject = f"{report.form.title}（{report.form.id} {report.form.edition}）"
    props.creator = props.lastModifiedBy = f"selfeval {__version__}"
    props.created = props.modified = when
    return _save(book, when)


# ------------------------------------------------------------------ 自评表

def _score_sheet(sheet: _Sheet, report: OpenReport, ev: Evaluation) -> None:
    form, width = report.form, len(SCORE_COLUMNS)
    fill_date = report.values.get("report.fill_date")
    sheet.put(1, 1, _title(report), span=width, font=(HEAD_FONT, 16, True), align="center", border=False)
    sheet.put(2, 1, f"填报单位（盖章）：{report.info.unit_name}", span=4, border=False)
    sheet.put(2, 5, f"填报日期：{format_date_cn(fill_date) if fill_date else ''}", span=3, border=False)
    sheet.put(2, width, amount_unit(form), align="right", border=False)
    sheet.fit(2)
    sheet.header(3)

    row = 4
    for root in form.indicators:
        first = row
        for child in root.children or (root,):
            child_first = row
            for leaf in child.leaves():
                _leaf_row(sheet, row, form, leaf, ev)
                row += 1
            if child is root or child.is_leaf:
                for blank in range(child_first, row):
                    sheet.put(blank, 2, None)
            else:
                _label_group(sheet, 2, child, child_first, row - 1)
        _label_group(sheet, 1, root, first, row - 1)

    def footer(label: str, weight, score, note: str = "") -> None:
        nonlocal row
        sheet.put(row, 1, label, span=5, align="center", font=(HEAD_FONT, SIZE, False))
        sheet.put(row, 6, None if weight is None else float(weight), fmt=POINTS, align="center")
        sheet.put(row, 7, float(score) if isinstance(score, Decimal) else score, fmt=POINTS, align="center")
        sheet.put(row, 8, note)
        sheet.fit(row)
        row += 1

    for root in form.indicators:
        unscored = sum(1 for leaf in root.leaves() if not ev.scores[leaf.id].scored)
        footer(f"{root.title}小计", root.weight, ev.subtotals[root.id],
               f"含未评分指标 {unscored} 个" if unscored else "")
    footer("指标得分合计", form.total_weight, ev.base)
    if form.adjustments:
        footer("加减分项", None, ev.adjustments, _adjustment_lines(form, report.values, ev))
    footer("总分", form.total_weight, ev.total,
           "" if ev.complete else f"尚有 {len(ev.unscored)} 个指标未评分，总分不完整")
    footer("评价等级", None, ev.grade)

    signers = [f"{field.label}：{report.values.get(fid) or ''}"
               for fid, field in form.fields.items() if fid.startswith("signoff.")]
    sheet.put(row + 1, 1, "　　　　".join(signers), span=width, border=False)
    sheet.fit(row + 1)

    ws = sheet.ws
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    sheet.print_setup(landscape=True)


def _leaf_row(sheet: _Sheet, row: int, form: Form, leaf: Indicator, ev: Evaluation) -> None:
    path, score = _path(form, leaf), ev.scores[leaf.id]
    label = " · ".join(_weighted(node) for node in path[2:]) if len(path) > 2 else _weighted(leaf)
    sheet.put(row, 3, _wrap_weight(label, SCORE_COLUMNS[2][1]))
    sheet.put(row, 4, leaf.criteria)
    sheet.put(row, 5, _indicator_value(form, leaf, ev))
    sheet.put(row, 6, float(leaf.weight), fmt=POINTS, align="center")
    sheet.put(row, 7, float(score.score) if score.scored else None, fmt=POINTS, align="center")
    sheet.put(row, 8, _remark(leaf, score, ev))
    sheet.fit(row)


def _label_group(sheet: _Sheet, column: int, node: Indicator, first: int, last: int) -> None:
    sheet.put(first, column, _wrap_weight(_weighted(node), SCORE_COLUMNS[column - 1][1]), align="center")
    if last > first:
        sheet.ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)


def _indicator_value(form: Form, leaf: Indicator, ev: Evaluation) -> str:
    rule, score = leaf.rule, ev.scores[leaf.id]
    if rule.kind == "checklist":
        return "\n".join(f"{form.fields[item.field].label}：{_yesno(ev.env.get(item.field))}"
                         for item in rule.items)
    if not rule.is_rate:
        return ""
    if rule.percent is not None:
        return _percent(score.rate)
    numerator, denominator = rule.numerator(ev.env), rule.denominator(ev.env)
    if numerator is None or denominator is None:
        return ""
    shown = f"{_amount(form, rule.numerator.source, numerator)} / {_amount(form, rule.denominator.source, denominator)}"
    return f"{shown} = {_percent(score.rate)}" if score.rate is not None else shown


def _remark(leaf: Indicator, score, ev: Evaluation) -> str:
    if not score.scored:
        return f"未评分：{score.note}"
    lines = [score.note] if score.note else []
    if leaf.rule.kind == "manual" and score.score < leaf.weight:
        lines.append(ev.env.get(f"reason.{leaf.id}") or "（未填写扣分原因）")
    return "\n".join(lines)


def _adjustment_lines(form: Form, values: dict, ev: Evaluation) -> str:
    rules = form.adjustments
    entries = values.get(rules.field) if rules else None
    return "\n".join(adjustment_lines(rules, entries, ev.adjustments))


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
                rows.append((field.label, _yesno(value), None, "", fid))
        group(title, rows)

    computed = []
    for cid, item in form.computed.items():
        value = ev.computed.get(cid)
        if isinstance(value, Decimal):
            fmt = COMPUTED_FORMATS.get(item.format, MONEY)
            computed.append((item.label, int(value) if fmt == WHOLE else float(value), fmt, item.unit, cid))
    group("计算值", computed)
    group("指标比率", [(form.leaves[lid].title, float(score.rate), RATE, "", lid)
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
        sheet.put(row, 1, SEVERITY.get(finding.severity, finding.severity), align="center")
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

    def print_setup(self, *, landscape: bool) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        margins = ws.page_margins
        margins.left = margins.right = 0.5
        margins.top = margins.bottom = 0.6
        margins.header = margins.footer = 0.3
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


def _title(report: OpenReport) -> str:
    return table_title(report)


def _path(form: Form, node: Indicator) -> list[Indicator]:
    path = [node]
    while path[0].parent:
        path.insert(0, form.nodes[path[0].parent])
    return path


def _weighted(node: Indicator) -> str:
    return f"{node.title}（{format_decimal(node.weight)}分）"


def _wrap_weight(label: str, width: int) -> str:
    """Break before the last “（n分）” when the label does not fit on one line."""
    head, sep, tail = label.rpartition("（")
    return f"{head}\n{sep}{tail}" if sep and _units(label) > width - 1.5 else label


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f"{(rate * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def _amount(form: Form, source: str, value: Decimal) -> str:
    name = source.strip()
    field, computed = form.fields.get(name), form.computed.get(name)
    if (field and field.type == "money") or (computed and computed.format == "money"):
        return format_money(value)
    return format_decimal(value)


def _yesno(value) -> str:
    return "未填" if value is None else ("是" if value else "否")


def _line_count(text: str, width: float) -> int:
    """Wrapped lines of ``text`` in a column ``width`` characters wide (CJK counts double)."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(_units(line) / usable)) for line in text.split("\n"))


def _units(text: str) -> int:
    """Width in column units at 10 pt: a Chinese character (or full-width mark) counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)
