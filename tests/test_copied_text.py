"""Checks for text copied from another report: other places, other departments, typos,
template text left in place, paragraphs pasted twice."""
from __future__ import annotations

from pathlib import Path

import pytest

from selfeval import copytext
from selfeval.engine import evaluate
from selfeval.formfile import load_form
from selfeval.catalog import FormCatalog
from selfeval.interchange import read_report

ROOT = Path(__file__).resolve().parents[1]
FORM = ROOT / "forms" / "gd-dept-overall-2022.yaml"
DEMO = ROOT / "resources" / "demo" / "gd-dept-overall-2022-demo.json"
UNIT = {"unit.name": "政协乐昌市委员会机关", "unit.region": "广东省韶关市乐昌市"}
COPY_CHECKS = ("foreign_place", "foreign_department", "typo", "template_text", "repeated_paragraph")


@pytest.fixture(scope="module")
def form():
    return load_form(FORM)


def warnings(form, values) -> dict[str, str]:
    return {f.check: f.message for f in evaluate(form, values).findings if f.severity == "warning"}


def copy_warnings(form, values) -> dict[str, str]:
    return {k: v for k, v in warnings(form, values).items() if k.split(".")[0] in COPY_CHECKS}


@pytest.mark.parametrize("region", ["乐昌", "乐昌市", "广东省韶关市乐昌市", "韶关市乐昌市"])
def test_the_units_own_region_in_full_or_short_is_no_foreign_place(region):
    text = "本机关执行《乐昌市政协机关财务管理制度》，配合韶关市政协办公室和广东省政协开展调研。"
    assert copytext.foreign_places(text, region, "") == ""
    assert copytext.foreign_places("执行《东昌市政协机关财务管理制度》。", region, "") == "东昌市"


def test_a_place_that_is_no_real_division_is_caught_in_a_title_or_after_a_province():
    # 东昌市 is not in the list (it has 东昌区 and 东昌府区)
    assert "东昌市" not in {d.name for d in copytext._places().divisions}
    assert copytext.foreign_places("《东昌市政协机关财务管理制度》", "乐昌市", "") == "东昌市"
    assert copytext.foreign_places("广东省东昌市财政局印发的通知", "乐昌市", "") == "东昌市"
    # words before 市 in running text are no place
    assert copytext.foreign_places("承担市政协全体会议的组织服务，结合市委部署。", "乐昌市", "") == ""


def test_a_real_division_is_caught_with_an_organ_after_it_but_not_in_passing():
    assert copytext.foreign_places("完成南雄市财政局布置的任务。", "乐昌市", "") == "南雄市"
    assert copytext.foreign_places("赴南雄市学习考察。", "乐昌市", "") == ""
    # a superior's subordinate is not the unit's own, the unit's superior is
    assert copytext.foreign_places("韶关市人民政府办公室通知", "乐昌市", "") == ""


def test_no_place_is_told_apart_when_the_units_place_is_unknown():
    assert copytext.foreign_places("《东昌市政协机关财务管理制度》", "", "某某局") == ""


def test_another_kind_of_department_written_as_the_unit():
    name = "政协乐昌市委员会机关"
    assert copytext.foreign_departments("部门完成省市民政局年度工作要点。", name) == "民政局年度工作要点"
    assert copytext.foreign_departments("本局严格执行预算。", name) == "本局"
    # the unit's own kind, and another department named as what it is, are fine
    assert copytext.foreign_departments("完成市政协年度工作要点。", name) == ""
    assert copytext.foreign_departments("要求市教育局将建议梳理成台账。", name) == ""
    assert copytext.foreign_departments("本局严格执行预算。", "乐昌市民政局") == ""


def test_typos_name_the_right_word():
    assert copytext.typos("本度公用经费预算34.5万元。") == "本度（应为“本年度”）"
    assert copytext.typos("助力推动民生事实办好办细，按时拔付资金。") == \
        "民生事实（应为“民生实事”）、拔付（应为“拨付”）"
    assert copytext.typos("本年度基本度过难关，按排名先后拨付。") == ""


def test_template_text_is_a_definition_or_the_scoring_standard():
    assert copytext.template_text("本部门整体绩效目标的明细化。", "") == "本部门整体绩效目标的明细化。"
    assert copytext.template_text(
        "该项指标反映和考核部门重点项目的落实情况。重点工作完成率是指部门完成年度工作要点的程度。", "")
    criteria = "资产专人管理、定期盘点、账实相符的，得满分；未盘点或账实不符的酌情扣分。"
    assert copytext.template_text("资产专人管理、定期盘点、账实相符的，得满分。", criteria)
    assert copytext.template_text("本单位资产由专人管理，年末进行了全面盘点，账实相符。", criteria) == ""
    assert copytext.template_text("本单位整体绩效目标完成地较好。", "") == ""


def test_a_paragraph_pasted_twice_is_reported_on_the_later_field(form):
    paragraph = "组织召开市政协十一届二次会议，积极为全市经济建设、政治建设建言献策，会议圆满成功。"
    values = {**UNIT, "goals.tasks": ["(1) " + paragraph, "做好提案工作。"],
              "narrative.effect": "本年度效果良好。\n（1）" + paragraph}
    found = copy_warnings(form, values)
    assert list(found) == ["repeated_paragraph.narrative.effect"]
    assert "组织召开市政协十一届二次会议" in found["repeated_paragraph.narrative.effect"]


def test_messages_name_the_words_found(form):
    values = {**UNIT, "narrative.sys_management": "执行《东昌市政协机关财务管理制度》。",
              "narrative.ef_key_tasks": "完成省市民政局年度工作要点，工作完成较好。",
              "narrative.ec_public_expense": "本度公用经费预算34.5万元。",
              "narrative.ts_clarity": "本部门整体绩效目标的明细化。"}
    found = copy_warnings(form, values)
    assert "“东昌市”" in found["foreign_place.narrative.sys_management"]
    assert "“民政局年度工作要点”" in found["foreign_department.narrative.ef_key_tasks"]
    assert "本度（应为“本年度”）" in found["typo.narrative.ec_public_expense"]
    assert "“本部门整体绩效目标的明细化。”" in found["template_text.narrative.ts_clarity"]
    assert len(found) == 4


def test_the_demo_report_has_no_copied_text(form):
    report = read_report(FormCatalog(ROOT / "forms"), DEMO.read_text(encoding="utf-8"))
    assert copy_warnings(report.form, report.values) == {}


def test_the_samples_correct_paragraphs_pass_and_its_copies_are_caught(shared_dir):
    text = (shared_dir / "samples" / "lechang-cppcc-2022-self-evaluation.txt").read_text(encoding="utf-8")
    region, name = "广东省韶关市乐昌市", "政协乐昌市委员会机关"
    hits = {}
    for paragraph in filter(None, map(str.strip, text.splitlines())):
        for check, found in (("place", copytext.foreign_places(paragraph, region, name)),
                             ("department", copytext.foreign_departments(paragraph, name)),
                             ("typo", copytext.typos(paragraph))):
            if found:
                hits.setdefault(check, set()).add(found)
    assert hits == {"place": {"东昌市"}, "department": {"民政局年度工作要点"},
                    "typo": {"本度（应为“本年度”）", "民生事实（应为“民生实事”）"}}


@pytest.mark.parametrize("sentence", ["组织委员赴深圳市举办的培训班学习。", "优化深圳市布局的建议。",
                                      "委托广州市专业机构开展评估。", "接待韶关市各县（市、区）政协来乐调研。"])
def test_another_place_named_in_passing_is_no_finding(sentence):
    assert copytext.foreign_places(sentence, "乐昌市", "政协乐昌市委员会机关") == ""


@pytest.mark.parametrize("sentence, found", [("广州市财政局通知", "广州市"), ("东莞市政协机关", "东莞市"),
                                             ("按南雄市委部署", "南雄市"), ("《仁化县机关事务管理办法》", "仁化县")])
def test_another_place_with_its_organ_or_in_a_title_is_found(sentence, found):
    assert copytext.foreign_places(sentence, "乐昌市", "政协乐昌市委员会机关") == found
