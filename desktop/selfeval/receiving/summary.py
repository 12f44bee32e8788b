"""The 汇总表: every received package on one sheet, values only, printable on A4 landscape."""
from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from ..export.certs import grouped
from ..files import write_atomic
from .registry import ACCEPTED, PENDING, Received

TITLE = "部门整体支出绩效自评受理汇总表"
HEAD = ("单位", "年度", "表单", "项目名称", "总分", "等级")
TAIL = ("警告数", "已说明", "签署人", "签署时间", "证书指纹", "验证结论", "版本")


def indicator_columns(received: list[Received]) -> list[tuple[str, str]]:
    """(leaf id, title) of every indicator scored in ``received``, in the order first met."""
    columns: dict[str, str] = {}
    for item in received:
        columns.update({leaf: title for leaf, title in item.rescore.get("titles", {}).items() if leaf not in columns})
    return list(columns.items())


def verdict_text(item: Received) -> str:
    text = item.state_name
    if item.state == PENDING:
        text = "证书变更，待决定" if item.note.startswith("证书变更") else "证书待人工登记"
    if item.state == ACCEPTED and not item.rescore_ok:
        text += "；重新评分不一致" if item.rescore.get("scores") else "；无法重新评分"
    if item.warnings:
        text += f"；注意 {len(item.warnings)} 项"
    return text


def version_text(item: Received) -> str:
    if not item.version:
        return ""
    return f"第{item.version}版/共{item.versions}版" + ("（最新）" if item.newest else "")


def rows(received: list[Received], catalog=None) -> tuple[list[str], list[list]]:
    """The heading and one row per package: unit, year, form and project, then scores, then the checks
    (``catalog``: the bureau's form files, naming the form of a package that could not be read)."""
    from .desk import BureauForms, short_title

    catalog = catalog or BureauForms()
    leaves = indicator_columns(received)
    heading = [*HEAD, *(title for _leaf, title in leaves), *TAIL]
    body = []
    for item in sorted(received, key=lambda r: (r.unit, r.year or 0, r.form_id, r.version or 0, r.id)):
        trusted = item.state != "failed"
        score = item.rescore if trusted else {}
        body.append([
            item.unit, item.year, score.get("form") or short_title(catalog, item.form_id, item.form_edition),
            score.get("subject") or "",
            _number(item.total) if trusted else None, item.grade if trusted else None,
            *(_number(score.get("scores", {}).get(leaf)) for leaf, _title in leaves),
            score.get("warnings"), score.get("explained"), item.signer,
            item.signed_at.replace("T", " ")[:16] if item.signed_at else "",
            grouped(item.fingerprint) if item.fingerprint else "", verdict_text(item), version_text(item),
        ])
    return heading, body


def _number(text):
    if text in (None, ""):
        return None
    try:
        return float(text)
    except ValueError:
        return text


def workbook_bytes(received: list[Received], *, generated_at: datetime | None = None, catalog=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    heading, body = rows(received, catalog)
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总表"
    moment = (generated_at or datetime.now()).astimezone()
    sheet.append([TITLE])
    sheet.append([f"生成时间：{moment:%Y-%m-%d %H:%M}　共 {len(body)} 份报送包"])
    sheet.append(heading)
    for row in body:
        sheet.append(row)
    width = len(heading)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=3, max_row=3 + len(body)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if cell.row == 3:
                cell.font = Font(bold=True)
    widths = {"单位": 22, "表单": 18, "项目名称": 18, "签署人": 18, "签署时间": 16, "证书指纹": 24, "验证结论": 20, "版本": 14}
    for index, name in enumerate(heading, 1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(name, 9)
    for row in sheet.iter_rows(min_row=4, max_row=3 + len(body)):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    sheet.freeze_panes = "B4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_summary(path: Path | str, received: list[Received], catalog=None) -> Path:
    path = Path(path)
    write_atomic(path, workbook_bytes(received, catalog=catalog))
    return path
