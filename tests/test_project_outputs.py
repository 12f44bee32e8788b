"""The 项目支出绩效自评表 as one printed form: the cells (sheet_layout), the PDF page and the
Excel sheet, all from the demo project of resources/demo (scores as in test_project_form)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval.export.pdf import render_report
from selfeval.export.xlsx import render_workbook
from selfeval.sheet_layout import sheet_cells
from selfeval.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo" / "project-self-eval-2022-demo-1.json"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    ws = Workspace.open(tmp_path_factory.mktemp("project") / "db.sqlite3")
    report_id = ws.import_json(DEMO.read_text("utf-8"))
    return ws.open_report(report_id), ws.evaluate(report_id)


def rows_of(cells) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = {}
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(cell.text)
    return rows


def test_the_sheet_has_header_funds_goals_rows_total_and_grade(project):
    report, ev = project
    cells, count = sheet_cells(report.form, report.values, ev)
    rows = list(rows_of(cells).values())
    assert rows[0] == ["项目名称", "政协委员履职服务保障"]
    assert rows[4] == ["年度资金总额", "80.00", "86.50", "82.17", "10", "94.99%", "9.50"]
    assert rows[8][:2] == ["年度总体目标", "预期目标"]
    assert rows[-2] == ["总分", "100", "97.28", "不适用项不计分值：92.42 ÷ 95 × 100 = 97.28"]
    assert rows[-1] == ["自评等级", "优", ""]
    one = [c for c in cells if c.col == 0 and c.text.startswith("产出指标")]
    assert len(one) == 1 and one[0].rowspan == 5  # five 产出 rows under one merged 一级 cell
    two = [c for c in cells if c.col == 1 and c.text == "数量指标"]
    assert two[0].rowspan == 2
    na = [c for c in cells if c.text == "不适用" and c.col == 6]
    assert len(na) == 1  # the 生态效益 row
    assert max(c.row + c.rowspan for c in cells) == count


def test_the_pdf_and_the_workbook_lay_out_the_same_sheet(project):
    report, ev = project
    assert render_report(report, ev).startswith(b"%PDF")
    book = load_workbook(io.BytesIO(render_workbook(report, ev)))
    sheet = book["自评表"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3, max_col=8)]
    total = next(row for row in values if row[0] == "总分")
    assert total[5:7] == [100, 97.28]
    funds = next(row for row in values if row[1] == "年度资金总额")
    assert funds[2:8] == [80, 86.5, 82.17, 10, "94.99%", 9.5]
    merged = list(sheet.merged_cells.ranges)
    assert all(a.isdisjoint(b) for i, a in enumerate(merged) for b in merged[i + 1:])


@pytest.mark.parametrize("demo", ["project-self-eval-2022-demo-1.json", "project-self-eval-2022-demo-2.json"])
def test_the_sign_off_line_goes_with_the_total_and_grade(tmp_path, demo):
    pypdf = pytest.importorskip("pypdf")
    ws = Workspace.open(tmp_path / "db.sqlite3")
    report_id = ws.import_json((DEMO.parent / demo).read_text("utf-8"))
    report = ws.open_report(report_id)
    pdf = render_report(report, report.evaluate())
    ws.close()
    pages = ["".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    (signed,) = [text for text in pages if "单位负责人：" in text]
    assert "总分" in signed and "自评等级" in signed  # never a page holding the sign-off alone
    if demo.endswith("2.json"):  # six rows: the whole sheet on one page
        assert "项目支出绩效自评表" in signed and "项目名称" in signed
