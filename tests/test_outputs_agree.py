"""Every number of the scores is the same in `selfeval score --json`, the PDF and the Excel workbook.

Three reports: the demo, the 乐昌 sample (23 indicators unscored) and a complete report whose
rates deduct, whose yes/no answers are partly 否 and whose adjustments add and subtract.  The
command line is run as a program; its JSON is the reference, and the PDF (read back with
pypdf) and the workbook (read back with openpyxl) must state each figure exactly as it says.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import selfeval
from selfeval.catalog import demo_report_path
from selfeval.export.pdf import render_report
from selfeval.export.xlsx import render_workbook
from selfeval.workspace import Workspace

pypdf = pytest.importorskip("pypdf")

DATA = Path(__file__).parent / "data"
REPORTS = {"demo": demo_report_path(), "lechang": DATA / "lechang-2022.json", "varied": DATA / "varied-2022.json"}
FIRST_LEAF_ROW = 4
CENT = Decimal("0.01")


def selfeval_cli(db: Path, *args) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(selfeval.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-m", "selfeval", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def percent(rate: str) -> str:
    """The JSON's rate (a ratio to 4 places) as every document states it: "98.49%"."""
    return f"{Decimal(rate) * 100:.2f}%"


def two(value) -> str:
    return f"{Decimal(value):.2f}"


class Outputs:
    def __init__(self, root: Path, source: Path):
        db = root / "db.sqlite3"
        report_id = int(selfeval_cli(db, "import", source).strip())
        self.json = json.loads(selfeval_cli(db, "score", report_id, "--json"))
        self.text = selfeval_cli(db, "score", report_id)
        workspace = Workspace.open(db)
        try:
            self.report = workspace.open_report(report_id)
            evaluation = self.report.evaluate()
            pdf = render_report(self.report, evaluation)
            self.book = load_workbook(io.BytesIO(render_workbook(self.report, evaluation)))
        finally:
            workspace.close()
        pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
        wide = [page.mediabox.width > page.mediabox.height for page in pages]
        self.body = flat("".join(p.extract_text() for p, w in zip(pages, wide) if not w))
        self.table = flat("".join(p.extract_text() for p, w in zip(pages, wide) if w))
        self.form = self.report.form

    def leaves(self):
        """(leaf, its JSON entry) in table order."""
        return [(leaf, self.json["indicators"][leaf.id]) for root in self.form.indicators for leaf in root.leaves()]

    def subtotal(self, root) -> Decimal:
        """A 一级 subtotal worked out from the JSON's leaf scores."""
        scores = [self.json["indicators"][leaf.id]["score"] for leaf in root.leaves()]
        return sum((Decimal(s) for s in scores if s is not None), Decimal(0))


@pytest.fixture(scope="module", params=list(REPORTS), ids=list(REPORTS))
def out(request, tmp_path_factory):
    return Outputs(tmp_path_factory.mktemp(request.param), REPORTS[request.param])


def test_the_json_adds_up(out):
    data = out.json
    base = sum(out.subtotal(root) for root in out.form.indicators)
    assert Decimal(data["base"]) == base
    assert Decimal(data["total"]) == max(Decimal(0), min(Decimal(100), base + Decimal(data["adjustments"])))
    assert data["unscored"] == [lid for lid, entry in data["indicators"].items() if entry["score"] is None]


def test_excel_states_every_score_rate_subtotal_total_and_grade(out):
    sheet, data = out.book["自评表"], out.json
    for row, (leaf, entry) in enumerate(out.leaves(), FIRST_LEAF_ROW):
        assert sheet.cell(row, 3).value == leaf.title
        assert Decimal(str(sheet.cell(row, 6).value)) == Decimal(entry["weight"])
        score = sheet.cell(row, 7).value
        if entry["score"] is None:
            assert score is None and sheet.cell(row, 8).value.startswith("未评分：")
        else:
            assert Decimal(str(score)).quantize(CENT) == Decimal(entry["score"]), leaf.id
        value = sheet.cell(row, 5).value
        if entry["rate"] is not None:
            assert value.endswith(percent(entry["rate"])), (leaf.id, value)
        else:
            assert "%" not in value, (leaf.id, value)

    def footer(label: str):
        row = next(r for r in range(FIRST_LEAF_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
        return sheet.cell(row, 7).value

    for root in out.form.indicators:
        assert Decimal(str(footer(f"{root.title}小计"))).quantize(CENT) == out.subtotal(root)
    assert Decimal(str(footer("指标得分合计"))).quantize(CENT) == Decimal(data["base"])
    assert Decimal(str(footer("加减分项"))).quantize(CENT) == Decimal(data["adjustments"])
    assert Decimal(str(footer("总分"))).quantize(CENT) == Decimal(data["total"])
    assert footer("评价等级") == data["grade"]

    rates = {}
    base_data = out.book["基础数据"]
    for row in range(2, base_data.max_row + 1):
        if base_data.cell(row, 4).value in data["indicators"]:
            rates[base_data.cell(row, 4).value] = base_data.cell(row, 2).value
    assert {lid: Decimal(str(value)) for lid, value in rates.items()} == {
        lid: Decimal(entry["rate"]) for lid, entry in data["indicators"].items() if entry["rate"] is not None}


def test_pdf_table_states_every_score_rate_subtotal_total_and_grade(out):
    """The table read back in order: each row's rate, then its 分值 and 自评得分 side by side;
    then the footer rows, each label followed by its score."""
    text, data, at = out.table, out.json, 0

    def expect(token: str, what) -> None:
        nonlocal at
        found = text.find(token, at)
        assert found >= 0, (what, token, text[at:at + 200])
        at = found + len(token)

    for leaf, entry in out.leaves():
        expect(flat(leaf.title), leaf.id)
        if entry["rate"] is not None:
            expect(percent(entry["rate"]), leaf.id)
        expect(entry["weight"] + (two(entry["score"]) if entry["score"] is not None else "未评分"), leaf.id)
    for root in out.form.indicators:
        expect(f"{root.title}小计", root.id)
        expect(f"{root.weight}{two(out.subtotal(root))}", root.id)
    expect("指标得分合计", "base")
    expect(f"100{two(data['base'])}", "base")
    expect("加减分项", "adjustments")
    expect(two(data["adjustments"]), "adjustments")
    expect("总分", "total")
    expect(f"100{two(data['total'])}", "total")
    expect("评价等级", "grade")
    expect(data["grade"], "grade")


def test_pdf_text_states_every_score_and_the_total(out):
    """Section 三 states each 一级 subtotal and then each scored leaf's score; section 二 the total."""
    data = out.json
    written = re.findall(r"自评得分(\d+(?:\.\d+)?)分", out.body)
    assert all(re.fullmatch(r"\d+\.\d\d", n) for n in written), written  # as the table: "9.50"
    stated = [Decimal(n) for n in written]
    expected = []
    for root in out.form.indicators:
        expected.append(out.subtotal(root))
        expected += [Decimal(data["indicators"][leaf.id]["score"]) for leaf in root.leaves()
                     if data["indicators"][leaf.id]["score"] is not None]
    assert stated == expected
    assert out.body.count("该指标尚未评分") == len(data["unscored"])
    if data["complete"]:
        assert f"自评得分为{two(data['total'])}分" in out.body
        assert f"评价等级为“{data['grade']}”" in out.body
    else:
        assert f"尚有{len(data['unscored'])}项指标未评分" in out.body and "评价等级为" not in out.body
    for leaf, entry in out.leaves():
        if entry["rate"] is not None and "{rate:percent}" in leaf.statement:
            assert percent(entry["rate"]) in out.body, leaf.id


def test_score_text_of_the_command_line_states_the_same(out):
    data, lines = out.json, out.text.splitlines()
    for leaf, entry in out.leaves():
        shown = two(entry["score"]) if entry["score"] is not None else "未评分"
        line = next(x for x in lines if x.strip().startswith(f"{leaf.title}（{entry['weight']}分）："))
        assert line.strip().split("：", 1)[1].split()[0] == shown, line
        if entry["rate"] is not None:
            assert percent(entry["rate"]) in line
    for root in out.form.indicators:
        assert any(x.startswith(f"{root.title}小计：{two(out.subtotal(root))}（满分 {root.weight} 分）")
                   for x in lines)
    assert any(x.startswith(f"指标得分合计：{two(data['base'])}") for x in lines)
    assert any(x.startswith(f"加减分项：{two(data['adjustments'])}") for x in lines)
    assert any(x.startswith(f"总分：{two(data['total'])}") for x in lines)
    assert any(x.startswith(f"评价等级：{data['grade']}") for x in lines)
