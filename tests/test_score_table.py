"""The score table's rows, and yes/no answers stated truly whichever way they go.

The rows are checked as built; then the PDF is read back with pypdf to see that every
sentence and cell built from a yes/no reads right for 是, for 否 and when empty, and every
statement template of the form with a yes/no in it is rendered all three ways.
"""
from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval.catalog import FormCatalog, demo_report_path, forms_dir
from selfeval.engine import evaluate, statement
from selfeval.export.pdf import render_report
from selfeval.export.pdf_text import report_blocks, score_sentence
from selfeval.interchange import report_from_dict
from selfeval.score_table import NO_FIGURE, score_rows
from selfeval.workspace import OpenReport, Workspace

pypdf = pytest.importorskip("pypdf")

D = Decimal
VARIED = Path(__file__).parent / "data" / "varied-2022.json"
CHECKLIST = ("disclosure.budget", "disclosure.final_accounts", "disclosure.sangong", "disclosure.performance")


@pytest.fixture(scope="module")
def form():
    return FormCatalog(forms_dir()).forms()[0]


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """The demo and the varied report, opened from a workspace."""
    workspace = Workspace.open(tmp_path_factory.mktemp("rows") / "db.sqlite3")
    reports = {name: workspace.open_report(workspace.import_json(path.read_text("utf-8")))
               for name, path in (("demo", demo_report_path()), ("varied", VARIED))}
    yield reports
    workspace.close()


def rows_by_id(report: OpenReport, values=None):
    values = report.values if values is None else values
    table = score_rows(report.form, values, evaluate(report.form, values, report.explanations))
    return {row.leaf.id: row for row in table.leaves}, table.footer


def with_values(report: OpenReport, **changes) -> OpenReport:
    values = {**report.values, **{key.replace("__", "."): value for key, value in changes.items()}}
    return OpenReport(report.info, report.form, {k: v for k, v in values.items() if v is not None},
                      report.explanations)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(report: OpenReport) -> str:
    pdf = render_report(report, report.evaluate())
    return flat("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


# ------------------------------------------------------------------ the rows


def test_rows_of_the_demo(opened):
    leaves, footer = rows_by_id(opened["demo"])
    procurement = leaves["fm_procurement_rate"]
    assert [node.title for node in procurement.path] == ["预算执行情况", "资金管理", "政府采购执行率"]
    assert (procurement.root.id, procurement.group.id, procurement.label) == ("budget_exec", "fund_mgmt", "政府采购执行率")
    assert procurement.value == "93.12 ÷ 94.55 = 98.49%"
    assert (procurement.weight, procurement.score, procurement.shown_score) == (D(2), D("1.97"), "1.97")
    assert procurement.remark == "扣 0.03 分（按评分标准计算）"
    assert leaves["ts_coverage"].value == "12 ÷ 12 = 100.00%"  # always two decimals
    assert leaves["sm_staff_control"].value == "21 ÷ 19 = 110.53%"
    assert leaves["fair_satisfaction"].value == "100.00%"  # entered as a percentage
    assert leaves["bp_rationality"].value == NO_FIGURE and leaves["bp_rationality"].remark == ""
    assert leaves["bp_rationality"].shown_score == "5.00"
    assert leaves["bp_scientific"].deduction == "扣 1.00 分：" + opened["demo"].values["reason.bp_scientific"]
    assert [(row.label, row.shown_score) for row in footer] == [
        ("预算编制情况小计", "26.50"), ("预算执行情况小计", "39.77"), ("资金使用效益小计", "29.40"),
        ("指标得分合计", "95.67"), ("加减分项", "1.00"), ("总分", "96.67"), ("评价等级", "优")]
    assert footer[4].note.splitlines()[1] == "表彰（县级）：被乐昌市人民政府和市政协评为提案办理工作先进单位 +0.5"
    assert footer[-1].note == ""


def test_rows_when_nothing_to_divide_by_and_when_inputs_are_missing(opened):
    demo = opened["demo"]
    none = {**demo.values, "procurement.planned": D(0), "procurement.actual": D(0)}
    row = rows_by_id(demo, none)[0]["fm_procurement_rate"]
    assert (row.value, row.shown_score, row.remark) == (NO_FIGURE, "2.00", "无此类事项，按满分计")
    missing = {k: v for k, v in demo.values.items() if k not in ("procurement.actual", "score.effect")}
    leaves, footer = rows_by_id(demo, missing)
    assert (leaves["fm_procurement_rate"].value, leaves["fm_procurement_rate"].shown_score) == (NO_FIGURE, "未评分")
    assert leaves["fm_procurement_rate"].remark == "未评分：缺少数据：政府采购实际金额"
    assert footer[-2].note == "尚有 2 项指标未评分，总分不完整"  # as the report text says it
    assert footer[-1].note == "按已评指标得分暂定，待全部指标评分后确定"


def test_the_varied_report_adds_and_subtracts(opened):
    leaves, footer = rows_by_id(opened["varied"])
    assert leaves["fm_execution_rate"].value == "3,844.04 ÷ 4,079.55 = 94.23%"  # money as entered
    assert leaves["ec_public_expense"].value == "128.66 ÷ 121.80 = 105.63%"
    adjust = next(row for row in footer if row.label == "加减分项")
    assert adjust.shown_score == "1.00" and adjust.note.splitlines()[1].endswith(" -1")


# ------------------------------------------------------------------ yes/no, both ways


def test_checklist_rows_state_each_answer(opened):
    varied = opened["varied"]
    row = rows_by_id(varied)[0]["fm_disclosure"]
    assert row.value.splitlines() == ["部门预算已公开", "部门决算已公开", "“三公”经费预决算未公开", "上年绩效自评结果未公开"]
    assert row.deduction == "扣 2.00 分（“三公”经费预决算未公开；上年绩效自评结果未公开）"
    empty = with_values(varied, disclosure__performance=None)
    row = rows_by_id(empty)[0]["fm_disclosure"]
    assert row.value.splitlines()[-1] == "上年绩效自评结果已公开：未填"
    assert row.score is None and row.deduction == "" and row.remark.startswith("未评分：")


@pytest.mark.parametrize("answer", [True, False])
def test_every_checklist_sentence_and_cell_reads_right_in_the_pdf(opened, answer):
    """Each item answered one way and the others the other way: the PDF states every
    item's wording for its answer, never the opposite, and the score sentence names
    exactly the items answered 否."""
    form = opened["varied"].form
    for fid in CHECKLIST:
        answers = {f: (answer if f == fid else not answer) for f in CHECKLIST}
        report = with_values(opened["varied"], **{f.replace(".", "__"): a for f, a in answers.items()})
        text = pdf_text(report)
        for f, given in answers.items():
            field = form.fields[f]
            said, opposite = flat(field.answer(given)), flat(field.answer(not given))
            assert said in text, (fid, f, said)
            assert opposite not in text, (fid, f, opposite)
        unmet = [form.fields[f].answer(False) for f in CHECKLIST if not answers[f]]
        lost = len(unmet)
        assert flat(f"自评得分 {4 - lost}.00 分，扣 {lost}.00 分（{'；'.join(unmet)}）。") in text, fid


def test_an_empty_checklist_answer_is_unscored_in_the_pdf(opened):
    report = with_values(opened["varied"], disclosure__performance=None)
    text = pdf_text(report)
    assert flat("上年绩效自评结果已公开：未填") in text
    assert "该指标尚未评分（缺少数据：上年绩效自评结果已公开）" in text
    assert "上年绩效自评结果未公开" not in text


def test_a_checklist_without_wording_states_label_and_answer(tmp_path):
    text = (forms_dir() / "gd-dept-overall-2022.yaml").read_text(encoding="utf-8")
    text = re.sub(r",\s*yes: [^,]+, no: [^}]+\}", "}", text)
    (tmp_path / "form.yaml").write_text(text, encoding="utf-8")
    form = FormCatalog(tmp_path).forms()[0]
    assert all(not f.yes and not f.no for f in form.fields.values())
    values = report_from_dict(FormCatalog(tmp_path), json.loads(VARIED.read_text("utf-8"))).values
    ev = evaluate(form, values)
    leaf = form.leaves["fm_disclosure"]
    row = next(r for r in score_rows(form, values, ev).leaves if r.leaf is leaf)
    assert row.value.splitlines()[2:] == ["“三公”经费预决算已公开：否", "上年绩效自评结果已公开：否"]
    assert score_sentence(form, ev, leaf) == (
        "自评得分 2.00 分，扣 2.00 分（“三公”经费预决算已公开：否；上年绩效自评结果已公开：否）。")


def yes_no_templates(form):
    """Every statement template of the form, with the yes/no fields it names."""
    templates = [(t, None) for section in form.sections for part in section.parts for t in part.statements]
    templates += [(leaf.statement, leaf.id) for leaf in form.leaves.values() if leaf.statement]
    for template, leaf_id in templates:
        names = re.findall(r"\{([^{}:]+)", template)
        yield template, leaf_id, [n for n in names if n in form.fields and form.fields[n].type == "yesno"]


def test_every_statement_template_reads_right_for_yes_no_and_empty(opened):
    demo = opened["demo"]
    form = demo.form
    templates = list(yes_no_templates(form))
    assert any(fids for _, _, fids in templates), "the form states a yes/no somewhere"
    for template, leaf_id, fids in templates:
        assert statement(form, demo.evaluate(), template, leaf_id) is not None, template  # all filled in
        for fid in fids:
            field = form.fields[fid]
            for answer in (True, False, None):
                values = {**demo.values, fid: answer} if answer is not None else \
                    {k: v for k, v in demo.values.items() if k != fid}
                text = statement(form, evaluate(form, values), template, leaf_id)
                if answer is None:
                    assert text is None, template  # nothing is claimed while unanswered
                else:
                    assert field.answer(answer) in text and field.answer(not answer) not in text


@pytest.mark.parametrize("answer", [True, False, None])
def test_the_budget_adjustment_answer_in_the_pdf(opened, answer):
    """本年度按年初预算执行: the sentence of section 一 and the checks that rest on it."""
    report = with_values(opened["demo"], budget__no_adjustment=answer)
    field = report.form.fields["budget.no_adjustment"]
    text = pdf_text(report)
    blocks = "".join(block.text for block in report_blocks(report, report.evaluate()))
    warned = {f.check for f in report.evaluate().findings}
    if answer is None:
        assert field.answer(True) not in blocks and field.answer(False) not in blocks
    else:
        assert flat(field.answer(answer) + "。") in text
        assert field.answer(not answer) not in blocks
    # the demo's budget was adjusted (470.41 → 628.76): only a claim of none is questioned
    claimed = {"adjusted_but_claimed_none", "income_exceeds_unadjusted_budget"}
    assert claimed & warned == (claimed if answer is True else set())
    assert ("已声明本年度按年初预算执行" in text) is (answer is True)
