"""A row's value typed with its unit ("100%", copied from Excel) beside the unit column "%".

The project form prints a row's 年度指标值 as "{sign}{target}{unit}" and its 实际完成值 as
"{actual}{unit}". The stored value stays as typed ("100%"); the unit is not appended a second
time, so every output reads "=100%" and "98%", never "=100%%" and "98%%".
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from selfeval.catalog import FormCatalog, forms_dir
from selfeval.engine import evaluate
from selfeval.export.pdf import render_report
from selfeval.export.xlsx import render_workbook
from selfeval.interchange import report_from_dict
from selfeval.rows_table import join_units
from selfeval.score_table import score_rows
from selfeval.workspace import Workspace

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo" / "project-self-eval-2022-demo-1.json"


def document() -> dict:
    """Demo 1 with its 委员履职档案建档率 row (= 100 %, actual 96) typed as copied from Excel."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    row = next(r for r in data["values"]["indicators"] if r["name"] == "委员履职档案建档率")
    row.update({"target": "100%", "unit": "%", "actual": "98%"})
    return data


@pytest.mark.parametrize("pieces, joined", [
    ([("100%", True), ("%", True)], "100%"),
    ([("=", True), ("100%", True), ("%", True)], "=100%"),
    ([("98", True), ("%", True)], "98%"),
    ([("0.48万元", True), ("万元", True)], "0.48万元"),
    ([("100", True), (" ", False), ("%", True)], "100 %"),  # literal text between: both kept
    ([("达成年度指标", True), ("", True)], "达成年度指标"),
    ([("≥", True), ("", True), ("次", True)], "≥次"),
])
def test_a_unit_the_value_already_ends_with_is_not_added_again(pieces, joined):
    assert join_units(pieces) == joined


def test_the_score_table_and_the_stored_value(tmp_path):
    data = report_from_dict(FormCatalog(forms_dir()), document())
    ev = evaluate(data.form, data.values)
    row = next(r for r in score_rows(data.form, data.values, ev).leaves if r.label == "委员履职档案建档率")
    assert (row.criteria, row.value, row.shown_score) == ("=100%", "98%", "9.80")
    stored = next(r for r in data.values["indicators"] if r["name"] == "委员履职档案建档率")
    assert (stored["target"], stored["actual"]) == ("100%", "98%")  # kept as typed


def test_the_command_line_pdf_and_excel_never_double_the_unit(cli, tmp_path):
    source = tmp_path / "percent.json"
    source.write_text(json.dumps(document(), ensure_ascii=False), encoding="utf-8")
    code, out, _ = cli("import", source)
    report = out.strip()
    code, out, _ = cli("score", report)
    line = next(x for x in out.splitlines() if "委员履职档案建档率" in x)
    assert "98%" in line and "%%" not in out

    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        opened = ws.open_report(ws.import_json(source.read_text(encoding="utf-8")))
        ev = opened.evaluate()
        pdf, book = render_report(opened, ev), load_workbook(io.BytesIO(render_workbook(opened, ev)))
    finally:
        ws.close()
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "委员履职档案建档率=100%98%109.80" in text and "%%" not in text
    cells = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "=100%" in cells and "98%" in cells
    assert not any("%%" in str(value) for value in cells)
