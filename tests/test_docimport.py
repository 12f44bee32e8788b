"""Importing last year's report from Word: texts placed, figures proposed, nothing stored unconfirmed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval import docimport
from selfeval.catalog import FormCatalog
from selfeval.interchange import read_report

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo" / "gd-dept-overall-2022-demo.json"
CN = "一二三四五六七八九十"
TEXT_TYPES = ("longtext", "lines")


@pytest.fixture(scope="module")
def demo():
    return read_report(FormCatalog(ROOT / "forms"), DEMO.read_text(encoding="utf-8"))


def demo_texts(demo) -> dict:
    """The demo's texts the import should find: every longtext and list, less the reasons."""
    return {fid: value for fid, value in demo.values.items()
            if demo.form.fields[fid].type in TEXT_TYPES and not fid.startswith("reason.")}


def build_docx(path: Path, demo) -> Path:
    """A Word report written the way clerks write them, from the demo's own texts."""
    import docx

    form, values = demo.form, demo.values
    document = docx.Document()
    document.add_heading("2022年度部门整体支出绩效自评报告", 0)
    document.add_paragraph("一、部门的基本情况", style="Heading 1")
    document.add_paragraph("（一）部门整体概况", style="Heading 2")
    document.add_paragraph("1. 部门主要职责。")
    document.add_paragraph(values["unit.duties"])
    document.add_paragraph("2、纳入预算编制范围下属单位")
    document.add_paragraph(values["unit.subordinates"])
    document.add_paragraph("3、部门人员编制构成")
    document.add_paragraph("年末实有人数46人，其中在职人员21人，退休人员25人。")
    document.add_paragraph("（二）部门整体收支情况")
    document.add_paragraph("本年度部门收入合计628.76万元，其中基本支出收入4,813,900元，项目支出收入147.37万元。")
    document.add_paragraph("“三公”经费预算、决算情况（单位：万元）")
    table = document.add_table(rows=4, cols=3)
    for row, cells in zip(table.rows, [("项目", "预算数", "决算数"), ("因公出国（境）费", "5.40", "0"),
                                        ("公务用车购置及运行维护费", "2.00", "0.06"),
                                        ("公务接待费", "2.00", "0")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("（三）部门整体支出目标及任务")
    document.add_paragraph(values["goals.summary"])
    for number, task in enumerate(values["goals.tasks"], 1):
        document.add_paragraph(f"（{number}）{task}")
    document.add_paragraph("二、自评结论", style="Heading 1")
    document.add_paragraph(values["conclusion"])
    document.add_paragraph("三、绩效分析", style="Heading 1")
    document.add_paragraph("为使各项指标的得分情况更清晰，针对涉及的评价指标逐一进行分析。")
    for i, top in enumerate(form.indicators):
        document.add_paragraph(f"（{CN[i]}）{top.title}")
        for j, middle in enumerate(top.children, 1):
            document.add_paragraph(f"{j}. {middle.title}。指标分值 {middle.weight} 分，该指标主要从以下方面进行考核。")
            for k, leaf in enumerate(middle.children, 1):
                weight = f"（{leaf.weight}分）" if k % 2 else ""  # with and without the weight
                document.add_paragraph(f"（{k}）{leaf.title}{weight}")
                document.add_paragraph(values[f"narrative.{leaf.id}"])
    for number, fid in zip("四五六", ("achievements", "problems", "suggestions")):
        title = form.fields[fid].label.split("（")[0]
        document.add_paragraph(f"{number}、{title}", style="Heading 1")
        document.add_paragraph(values[fid])
    document.save(path)
    return path


@pytest.fixture
def demo_docx(tmp_path, demo):
    return build_docx(tmp_path / "上年报告.docx", demo)


def test_every_text_lands_in_its_field(demo, demo_docx):
    plan = docimport.plan_import(demo.form, docimport.read_blocks(demo_docx))
    expected = demo_texts(demo)
    got = {fid: text for fid, text in plan.narratives.items()}
    got["goals.tasks"] = got["goals.tasks"].split("\n")
    assert got == expected
    reasons = {u.reason for u in plan.unplaced}
    assert "表单中没有与“部门人员编制构成”对应的栏目" in reasons
    assert any("预算编制" in r and "指标说明" in r for r in reasons)


def test_every_figure_is_proposed_with_its_sentence(demo, demo_docx):
    plan = docimport.plan_import(demo.form, docimport.read_blocks(demo_docx))
    found = {(p.field, p.value) for p in plan.proposals}
    assert {("staff.year_end_total", "46"), ("staff.in_service_total", "21"), ("staff.retired", "25"),
            ("income.total", "628.76"), ("income.basic", "481.39"), ("income.project", "147.37"),
            ("sangong.budget.abroad", "5.4"), ("sangong.actual.abroad", "0"),
            ("sangong.budget.vehicle", "2"), ("sangong.actual.vehicle", "0.06"),
            ("sangong.budget.reception", "2"), ("sangong.actual.reception", "0")} <= found
    basic = next(p for p in plan.proposals if p.field == "income.basic")
    assert basic.found == "4,813,900元" and "已换算为 481.39 万元" in basic.note
    assert basic.sentence.startswith("本年度部门收入合计628.76万元")
    table = next(p for p in plan.proposals if p.field == "sangong.actual.vehicle")
    assert table.sentence == "表格（“三公”经费预算、决算情况（单位：万元））：公务用车购置及运行维护费｜决算数：0.06"
    # each figure of the narratives is proposed too, with the sentence it stands in
    for proposal in plan.proposals:
        assert proposal.found.replace(" ", "") in proposal.sentence.replace(" ", "").replace("｜", "").replace("：", "") \
            or proposal.sentence.startswith("表格")


def test_nothing_is_stored_without_the_clerks_yes(cli, demo, demo_docx):
    code, out, err = cli("import-doc", demo_docx)
    assert code == 0, err
    assert "没有保存" in out and "原文：本年度部门收入合计628.76万元" in out
    assert cli("list", "--json")[1].strip() == "[]"

    code, out, err = cli("import-doc", demo_docx, "--unit", "政协乐昌市委员会机关", "--year", "2022", "--json")
    assert code == 0, err
    result = json.loads(out)
    report = result["report"]
    exported = json.loads(cli("export-json", report)[1])["values"]
    for fid, text in demo_texts(demo).items():
        assert exported[fid] == text
    # figures were proposed, not stored
    assert result["proposals"] and not any(p["accepted"] for p in result["proposals"])
    assert not {"income.total", "staff.in_service_total", "sangong.budget.abroad"} & set(exported)
    history = cli("history", report)[1]
    assert "从文档导入 narrative.effect" in history

    code, out, err = cli("import-doc", demo_docx, "--into", report, "--accept-all")
    assert code == 0, err
    exported = json.loads(cli("export-json", report)[1])["values"]
    assert exported["income.total"] == "628.76" and exported["income.basic"] == "481.39"
    assert exported["staff.in_service_total"] == 21 and exported["sangong.actual.vehicle"] == "0.06"


def test_texts_already_written_are_kept_unless_replaced(cli, demo_docx):
    report = cli("new", "--unit", "政协乐昌市委员会机关", "--year", "2022")[1].strip()
    cli("set", report, "problems", "本年度自己写的问题。")
    out = cli("import-doc", demo_docx, "--into", report)[1]
    assert "存在问题（problems）" in out and "已保留原有内容" in out
    assert json.loads(cli("export-json", report)[1])["values"]["problems"] == "本年度自己写的问题。"
    cli("import-doc", demo_docx, "--into", report, "--replace")
    assert json.loads(cli("export-json", report)[1])["values"]["problems"] != "本年度自己写的问题。"


def test_imported_texts_are_marked_until_changed(tmp_path, demo, demo_docx):
    from selfeval.workspace import Workspace

    ws = Workspace.open(tmp_path / "db.sqlite3", FormCatalog(ROOT / "forms"))
    try:
        report = ws.new_report("政协乐昌市委员会机关", 2022)
        plan = docimport.plan_import(ws.open_report(report).form, docimport.read_blocks(demo_docx))
        docimport.apply_import(ws, report, plan)
        assert "narrative.effect" in ws.imported_unchanged(report)
        ws.set_text(report, "narrative.effect", "本年度改写过的说明。")
        marked = ws.imported_unchanged(report)
        assert "narrative.effect" not in marked and "narrative.ec_sangong" in marked
    finally:
        ws.close()


def test_an_old_doc_file_gets_a_clear_message(cli, tmp_path):
    old = tmp_path / "上年报告.doc"
    old.write_bytes(docimport.OLE_MAGIC + b"\0" * 512)
    code, out, err = cli("import-doc", old)
    assert code == 2
    assert "旧版 Word 文档（.doc）" in err and "另存为" in err and ".docx" in err
    broken = tmp_path / "坏文件.docx"
    broken.write_bytes(b"PK\x03\x04not really a zip")
    code, out, err = cli("import-doc", broken)
    assert code == 2 and "不是有效的 Word 文档" in err


def test_amounts_counts_and_percentages_in_a_sentence():
    found = docimport.figures("本年度收入合计1,234.5万元，在职人员21人，服务对象满意度为96.5%，另有基本支出收入50000元。")
    assert [(p.field, p.value, p.found) for p in found] == [
        ("income.total", "1234.5", "1,234.5万元"), ("staff.in_service_total", "21", "21人"),
        ("satisfaction.rate", "96.5", "96.5%"), ("income.basic", "5", "50000元")]


def test_the_sample_report_places_its_texts(shared_dir, cli):
    sample = shared_dir / "samples" / "lechang-cppcc-2022-self-evaluation.txt"
    form = FormCatalog(ROOT / "forms").get("gd-dept-overall")
    plan = docimport.plan_import(form, docimport.read_blocks(sample))
    leaves = {f"narrative.{leaf}" for leaf in form.leaves}
    assert leaves <= set(plan.narratives)
    assert {"unit.duties", "unit.subordinates", "goals.summary", "goals.tasks", "conclusion",
            "achievements", "problems", "suggestions"} <= set(plan.narratives)
    assert plan.narratives["narrative.fm_procurement_rate"].startswith("2022年本部门采购计划金额合计数为94.55万元")
    procurement = next(p for p in plan.proposals if p.field == "procurement.planned")
    assert procurement.value == "94.55" and "采购计划金额" in procurement.sentence

    report = cli("import-doc", sample, "--unit", "政协乐昌市委员会机关", "--year", "2022")[1].split("\n")[0]
    report = report.removeprefix("报告编号：")
    checks = {f["check"] for f in json.loads(cli("check", report, "--json")[1])}
    assert {"foreign_place.narrative.sys_management", "foreign_department.narrative.ef_key_tasks",
            "typo.narrative.ec_public_expense", "template_text.narrative.ts_clarity",
            "repeated_paragraph.narrative.effect"} <= checks


def test_headings_numbered_by_word_itself_are_matched_by_their_titles(tmp_path, demo):
    """Word's automatic numbering is not in the text: a heading is then its bare title."""
    import docx

    document = docx.Document()
    for heading, text in (("自评结论", "结论的文字。"), ("政府采购执行率（2分）", "采购的文字，采购计划金额94.55万元。"),
                          ("存在问题", "问题的文字。")):
        document.add_paragraph(heading, style="Heading 2")
        document.add_paragraph(text)
    path = tmp_path / "自动编号.docx"
    document.save(path)
    plan = docimport.plan_import(demo.form, docimport.read_blocks(path))
    assert plan.narratives == {"conclusion": "结论的文字。", "narrative.fm_procurement_rate": "采购的文字，采购计划金额94.55万元。",
                               "problems": "问题的文字。"}
    assert [(p.field, p.value) for p in plan.proposals] == [("procurement.planned", "94.55")]


def test_a_text_file_in_gb18030_is_read(tmp_path, demo):
    path = tmp_path / "上年报告.txt"
    path.write_bytes("五、存在问题\r\n预算编制的可预见性不强。\r\n".encode("gb18030"))
    plan = docimport.plan_import(demo.form, docimport.read_blocks(path))
    assert plan.narratives == {"problems": "预算编制的可预见性不强。"}


def test_a_score_table_gives_no_figures():
    rows = (("三级指标", "分值", "自评得分"), ("预算编制合理性", "5", "5"), ("政府采购执行率", "2", "1.97"))
    assert docimport.table_figures(rows, "部门整体支出绩效自评表") == []
    budget = (("项目", "金额（万元）"), ("年初预算合计", "470.41"), ("调整后预算数", "628.76"))
    assert [(p.field, p.value) for p in docimport.table_figures(budget, "预算情况表")] == [
        ("budget.initial_total", "470.41"), ("budget.adjusted_total", "628.76")]


def test_a_long_unnumbered_word_heading_is_not_joined_to_its_text(tmp_path, demo):
    import docx

    document = docx.Document()
    document.add_paragraph("国库集中支付结转结余存量资金效率性", style="Heading 3")
    document.add_paragraph("存量资金已按规定清理")
    path = tmp_path / "长标题.docx"
    document.save(path)
    plan = docimport.plan_import(demo.form, docimport.read_blocks(path))
    assert plan.narratives == {"narrative.fm_treasury_stock": "存量资金已按规定清理"}


def test_short_list_items_stay_in_the_text_and_an_unknown_heading_ends_it(demo):
    blocks = [docimport.Block(text=t) for t in (
        "（3）项目完成及时性（3分）", "本年度项目按计划推进：", "1、召开全会；", "2、办理提案。",
        "五、存在问题", "预算编制不够准确。", "七、其他需要说明的情况", "无。")]
    plan = docimport.plan_import(demo.form, blocks)
    assert plan.narratives["narrative.ef_timeliness"] == "本年度项目按计划推进：\n1、召开全会；\n2、办理提案。"
    assert plan.narratives["problems"] == "预算编制不够准确。"
    assert [u.text for u in plan.unplaced] == ["七、其他需要说明的情况", "无。"]


def test_any_text_is_planned_without_an_error(demo):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["一、", "（二）", "3.", "（4）", "(5)", "政府采购执行率", "（2分）", "存在问题",
                              "效果性", "。", "，", "；", "628.76", "万元", "元", "21", "人", "%", "《", "》",
                              "1,234", ".5", "\t", " ", "预算", "决算", "三公", "经费"])
    lines = st.lists(st.lists(pieces, max_size=12).map("".join), max_size=30)

    @settings(max_examples=200, deadline=None)
    @given(lines)
    def plan(texts):
        result = docimport.plan_import(demo.form, [docimport.Block(text=t) for t in texts if t.strip()])
        for proposal in result.proposals:
            assert proposal.sentence and proposal.found

    plan()
