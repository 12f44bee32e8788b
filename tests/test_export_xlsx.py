"""The Excel score table: values (never formulas), layout, print setup, other sheets."""
from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval import __version__
from selfeval.catalog import demo_report_path
from selfeval.export.xlsx import render_workbook
from selfeval.workspace import Workspace

LECHANG = Path(__file__).parent / "data" / "lechang-2022.json"
STAMP = datetime(2023, 1, 15, 8, 30)
FIRST_LEAF_ROW = 4


def _open(tmp_path, source: Path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    report = ws.open_report(ws.import_json(source.read_text("utf-8")))
    ws.close()
    return report


def _load(data: bytes):
    return load_workbook(io.BytesIO(data))


def _plain(value) -> str:
    return str(value or "").replace("\n", "")


def _row_of(sheet, column: int, text: str) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, column).value == text:
            return row
    raise AssertionError(f"no row with {text!r} in column {column}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    report = _open(tmp_path_factory.mktemp("demo"), demo_report_path())
    evaluation = report.evaluate()
    data = render_workbook(report, evaluation, generated_at=STAMP)
    return report, evaluation, data, _load(data)


def test_sheets_and_title(demo):
    report, _, _, book = demo
    assert book.sheetnames == ["自评表", "基础数据", "校验结果"]
    sheet = book["自评表"]
    assert sheet["A1"].value == "2022年度政协乐昌市委员会机关部门整体支出绩效自评表"
    assert sheet["A1"].font.bold and sheet["A1"].font.size > sheet["D4"].font.size
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "填报单位（盖章）：政协乐昌市委员会机关"
    assert sheet["E2"].value == "填报日期：2023年1月15日"
    assert sheet["H2"].value == "金额单位：万元"
    header = [sheet.cell(3, c).value for c in range(1, 9)]
    assert header == ["一级指标", "二级指标", "三级指标", "评分标准", "指标值", "分值", "自评得分", "扣分原因/说明"]


def test_every_leaf_row_holds_weight_and_score_as_numbers(demo):
    report, evaluation, _, book = demo
    sheet = book["自评表"]
    leaves = [leaf for root in report.form.indicators for leaf in root.leaves()]
    assert len(leaves) == len(evaluation.scores)
    for row, leaf in enumerate(leaves, FIRST_LEAF_ROW):
        score = evaluation.scores[leaf.id]
        assert sheet.cell(row, 3).value == leaf.title  # the weight stands in the 分值 column
        assert sheet.cell(row, 4).value == leaf.criteria
        weight, points = sheet.cell(row, 6), sheet.cell(row, 7)
        assert isinstance(weight.value, (int, float)) and isinstance(points.value, (int, float))
        assert Decimal(str(weight.value)) == leaf.weight
        assert Decimal(str(points.value)).quantize(Decimal("0.01")) == score.score
        assert weight.number_format == points.number_format == "0.00"


def test_indicator_values_and_remarks(demo):
    report, evaluation, _, book = demo
    sheet = book["自评表"]
    row = {leaf: FIRST_LEAF_ROW + i for i, leaf in enumerate(
        leaf.id for root in report.form.indicators for leaf in root.leaves())}
    assert sheet.cell(row["fm_procurement_rate"], 5).value == "93.12 ÷ 94.55 = 98.49%"
    assert sheet.cell(row["sm_staff_control"], 5).value == "21 ÷ 19 = 110.53%"
    assert sheet.cell(row["fair_satisfaction"], 5).value == "100.00%"
    assert sheet.cell(row["fm_disclosure"], 5).value.splitlines() == [
        "部门预算已公开", "部门决算已公开", "“三公”经费预决算已公开", "上年绩效自评结果已公开"]
    assert sheet.cell(row["bp_rationality"], 5).value == "—"
    # below full marks the deduction and its reason; full marks carry nothing
    assert sheet.cell(row["bp_scientific"], 8).value == "扣 1.00 分：" + report.values["reason.bp_scientific"]
    assert sheet.cell(row["fm_procurement_rate"], 8).value == "扣 0.03 分（按评分标准计算）"
    assert sheet.cell(row["bp_rationality"], 8).value is None


def test_group_cells_are_merged_and_labelled_with_weights(demo):
    """A group's cell is merged over its rows on each page, and labelled again with （续）
    on the page after a break."""
    report, _, _, book = demo
    sheet = book["自评表"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    breaks = {brk.id for brk in sheet.row_breaks.brk}

    def pieces(first: int, count: int) -> list[tuple[int, int]]:
        cuts = [b for b in sorted(breaks) if first <= b < first + count - 1]
        starts, ends = [first, *(b + 1 for b in cuts)], [*cuts, first + count - 1]
        return list(zip(starts, ends))

    def labelled(column: str, node, first: int, count: int) -> None:
        for number, (start, end) in enumerate(pieces(first, count)):
            more = "（续）" if number else ""
            assert _plain(sheet[f"{column}{start}"].value) == f"{node.title}{more}（{node.weight}分）"
            if end > start:
                assert f"{column}{start}:{column}{end}" in merged

    row = FIRST_LEAF_ROW
    for root in report.form.indicators:
        first = row
        for child in root.children:
            count = sum(1 for _ in child.leaves())
            labelled("B", child, row, count)
            row += count
        labelled("A", root, first, row - first)
    assert _plain(sheet.cell(FIRST_LEAF_ROW, 1).value) == "预算编制情况（28分）"
    assert any(_plain(sheet.cell(r, 2).value) == "资金管理（22分）" for r in range(FIRST_LEAF_ROW, row))


def test_footer_rows(demo):
    report, evaluation, _, book = demo
    sheet = book["自评表"]
    for root in report.form.indicators:
        r = _row_of(sheet, 1, f"{root.title}小计")
        assert Decimal(str(sheet.cell(r, 7).value)) == evaluation.subtotals[root.id]
    base = _row_of(sheet, 1, "指标得分合计")
    assert Decimal(str(sheet.cell(base, 7).value)) == evaluation.base == Decimal("95.67")
    adjust = _row_of(sheet, 1, "加减分项")
    assert Decimal(str(sheet.cell(adjust, 7).value)) == evaluation.adjustments == Decimal("1.00")
    assert sheet.cell(adjust, 8).value.splitlines()[0] == "表彰（县级）：被乐昌市人民政府办公室评为“献血先进单位” +0.5"
    total = _row_of(sheet, 1, "总分")
    assert isinstance(sheet.cell(total, 7).value, float)
    assert Decimal(str(sheet.cell(total, 7).value)) == evaluation.total == Decimal("96.67")
    assert sheet.cell(total, 7).number_format == "0.00"
    assert sheet.cell(_row_of(sheet, 1, "评价等级"), 7).value == evaluation.grade == "优"
    signers = sheet.cell(_row_of(sheet, 1, "评价等级") + 2, 1).value
    for part in ("单位负责人：陈明", "财务负责人：李红", "填表人：王芳", "联系电话：0751-5550123"):
        assert part in signers


def test_no_formulas_anywhere(demo):
    book = demo[3]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate


def test_print_setup(demo):
    sheet = demo[3]["自评表"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.print_options.horizontalCentered
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["D"].width >= 30
    assert sheet["D4"].alignment.wrap_text and sheet["D4"].border.left.style == "thin"
    assert sheet["D4"].font.name == "宋体" and sheet["A3"].font.name == "黑体"
    assert sheet.row_dimensions[4].height > 15


def test_base_data_sheet(demo):
    report, evaluation, _, book = demo
    sheet = book["基础数据"]
    assert [sheet.cell(1, c).value for c in range(1, 5)] == ["项目", "数值", "单位", "编号"]

    def value(ident):
        return sheet.cell(_row_of(sheet, 4, ident), 2)

    income = value("income.total")
    assert income.value == 628.76 and income.number_format == "#,##0.00"
    assert sheet.cell(_row_of(sheet, 4, "income.total"), 3).value == "万元"
    staff = value("staff.in_service_total")
    assert staff.value == 21 and isinstance(staff.value, int)
    assert value("budget.no_adjustment").value == "否"
    assert value("disclosure.budget").value == "是"
    assert value("report.fill_date").value == datetime(2023, 1, 15)
    assert value("sangong.budget.amount").value == 9.4
    assert value("staff.authorized_total").value == 19
    rate = value("fm_procurement_rate")
    assert rate.number_format == "0.00%" and abs(rate.value - 0.98487) < 1e-4
    # text fields stay out; groups carry the part titles; computed values come last
    idents = {sheet.cell(r, 4).value for r in range(2, sheet.max_row + 1)}
    assert "unit.duties" not in idents and "unit.name" not in idents
    titles = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1) if sheet.cell(r, 4).value is None]
    assert "一、部门的基本情况 （二）部门整体收支情况" in titles
    assert titles[-2:] == ["计算值", "指标比率"]
    assert _row_of(sheet, 4, "income.total") < _row_of(sheet, 1, "计算值") < _row_of(sheet, 4, "filing_year")


def test_check_sheet(demo):
    report, evaluation, _, book = demo
    sheet = book["校验结果"]
    assert [sheet.cell(1, c).value for c in range(1, 6)] == ["类别", "说明", "涉及字段", "出错说明", "校验编号"]
    row = _row_of(sheet, 5, "staff_control_over")
    finding = next(f for f in evaluation.findings if f.check == "staff_control_over")
    assert sheet.cell(row, 1).value == "警告"
    assert sheet.cell(row, 2).value == finding.message
    assert "在职人数合计" in sheet.cell(row, 3).value
    assert sheet.cell(row, 4).value == "未说明"


def test_check_sheet_shows_explanations_and_says_when_clean(tmp_path):
    report = _open(tmp_path, demo_report_path())
    explained = dataclasses.replace(report, explanations={"staff_control_over": "超编2人为历史遗留，将随退休消化。"})
    sheet = _load(render_workbook(explained, explained.evaluate()))["校验结果"]
    assert sheet.cell(_row_of(sheet, 5, "staff_control_over"), 4).value == "超编2人为历史遗留，将随退休消化。"

    clean = dataclasses.replace(report, values={**report.values, "staff.authorized_admin": 19})
    evaluation = clean.evaluate()
    assert not evaluation.findings
    sheet = _load(render_workbook(clean, evaluation))["校验结果"]
    assert sheet["A2"].value == "未发现问题"


def test_zero_denominator_note(tmp_path):
    report = _open(tmp_path, demo_report_path())
    values = {**report.values, "projects.total": 0, "projects.with_targets": 0}
    changed = dataclasses.replace(report, values=values)
    evaluation = changed.evaluate()
    sheet = _load(render_workbook(changed, evaluation))["自评表"]
    row = FIRST_LEAF_ROW + list(evaluation.scores).index("ts_coverage")
    assert sheet.cell(row, 7).value == 2
    assert sheet.cell(row, 8).value == "无此类事项，按满分计"


def test_report_with_gaps_renders_blanks_and_notes(tmp_path):
    report = _open(tmp_path, LECHANG)
    evaluation = report.evaluate()
    assert not evaluation.complete
    book = _load(render_workbook(report, evaluation))
    sheet = book["自评表"]
    assert sheet["E2"].value == "填报日期："
    for row, (leaf, score) in enumerate(evaluation.scores.items(), FIRST_LEAF_ROW):
        if score.scored:
            assert Decimal(str(sheet.cell(row, 7).value)).quantize(Decimal("0.01")) == score.score
        else:
            assert sheet.cell(row, 7).value is None
            assert sheet.cell(row, 8).value == f"未评分：{score.note}"
    total = _row_of(sheet, 1, "总分")
    assert Decimal(str(sheet.cell(total, 7).value)) == evaluation.total
    assert "未评分" in sheet.cell(total, 8).value
    checks = book["校验结果"]
    row = _row_of(checks, 5, "required.report.fill_date")
    assert checks.cell(row, 1).value == "错误" and checks.cell(row, 3).value == "填报日期"
    assert len([r for r in range(2, checks.max_row + 1) if checks.cell(r, 5).value]) == len(evaluation.findings)


def test_output_is_reproducible_and_carries_properties(demo):
    report, evaluation, data, book = demo
    assert render_workbook(report, evaluation, generated_at=STAMP) == data
    assert render_workbook(report, evaluation) == render_workbook(report, evaluation)
    # every archive entry carries the given time, not the moment of writing
    assert {item.date_time for item in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2023, 1, 15, 8, 30, 0)}
    props = book.properties
    assert props.creator == f"selfeval {__version__}"
    assert props.title == "2022年度政协乐昌市委员会机关部门整体支出绩效自评表"
    assert props.subject and report.form.title in props.subject
    assert props.created == props.modified == STAMP


def test_openpyxl_is_loaded_only_when_rendering():
    script = (
        "import sys\n"
        "import selfeval.workspace, selfeval.engine, selfeval.cli\n"
        "import selfeval.export.xlsx\n"
        "assert 'openpyxl' not in sys.modules, 'openpyxl imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


VARIED = Path(__file__).parent / "data" / "varied-2022.json"


@pytest.mark.parametrize("source", [demo_report_path(), LECHANG, VARIED], ids=["demo", "lechang", "varied"])
def test_page_breaks_fall_between_groups_and_pages_hold_their_rows(tmp_path, source):
    """The 自评表 prints A4 landscape fit to width: a manual break ends each page between
    two 二级 groups (never inside a merged cell), and no page holds more rows than fit."""
    report = _open(tmp_path, source)
    sheet = _load(render_workbook(report, report.evaluate(), generated_at=STAMP))["自评表"]
    breaks = sorted(brk.id for brk in sheet.row_breaks.brk)
    assert breaks, "the table is longer than one page"
    for merged in sheet.merged_cells.ranges:
        assert not any(merged.min_row <= last < merged.max_row for last in breaks), (str(merged), breaks)
    leaves = [leaf for root in report.form.indicators for leaf in root.leaves()]
    groups = [leaf.parent for leaf in leaves]
    for last in breaks:
        index = last - FIRST_LEAF_ROW  # the leaf row ending the page, when it is one
        if 0 <= index < len(leaves) - 1:
            assert groups[index] != groups[index + 1], f"row {last} splits {groups[index]}"

    # the page: A4 landscape less the margins, at the scale fit-to-width gives (Excel: 7 px a width unit)
    margins = sheet.page_margins
    columns = sum(sheet.column_dimensions[letter].width for letter in "ABCDEFGH") * 7 * 0.75
    scale = min(100, (841.89 - 72 * (margins.left + margins.right)) * 100 // columns) / 100
    room = (595.28 - 72 * (margins.top + margins.bottom)) / scale
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$3:$3"

    def height(row: int) -> float:
        return sheet.row_dimensions[row].height or 15

    ends = [*breaks, sheet.max_row]
    starts = [1, *(last + 1 for last in breaks)]
    for number, (first, last) in enumerate(zip(starts, ends)):
        used = sum(height(row) for row in range(first, last + 1)) + (height(3) if number else 0)
        assert used <= room, (number, first, last, used, room)
        if number < len(breaks):  # a page ends only when the next group would not fit
            nxt = last + 1
            group_end = nxt
            while group_end - FIRST_LEAF_ROW + 1 < len(leaves) and nxt >= FIRST_LEAF_ROW and \
                    groups[group_end - FIRST_LEAF_ROW + 1] == groups[nxt - FIRST_LEAF_ROW]:
                group_end += 1
            following = sum(height(row) for row in range(nxt, group_end + 1))
            assert used + following > room, (number, nxt, group_end)
