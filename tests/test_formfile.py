"""Loading form files: the Guangdong form against the data dictionary, and load errors."""
import re
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval.formfile import FormError, load_form

D = Decimal
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GD_FORM = ROOT / "forms" / "gd-dept-overall-2022.yaml"
SYNTHETIC = HERE / "data" / "forms" / "synthetic.yaml"


@pytest.fixture(scope="module")
def gd():
    return load_form(GD_FORM)


# data-dictionary.md: id → (label with ASCII quotes, form field type)
DICTIONARY_FIELDS = {
    "unit.name": ("单位名称", "text"),
    "unit.credit_code": ("统一社会信用代码", "credit_code"),
    "unit.region": ("所属地区（县/市）", "text"),
    "report.year": ("评价年度", "year"),
    "report.fill_date": ("填报日期", "date"),
    "unit.duties": ("部门主要职责", "longtext"),
    "unit.subordinates": ("纳入预算编制范围的下属单位", "longtext"),
    "staff.authorized_admin": ("行政编制数", "count"),
    "staff.authorized_service": ("事业编制数", "count"),
    "staff.authorized_worker": ("工勤编制数", "count"),
    "staff.in_service_admin": ("在职：行政编制人员", "count"),
    "staff.in_service_service": ("在职：事业编制人员", "count"),
    "staff.in_service_worker": ("在职：工勤人员", "count"),
    "staff.in_service_total": ("在职人数合计", "count"),
    "staff.retired": ("退休人员", "count"),
    "income.basic": ("基本支出收入", "money"),
    "income.project": ("项目支出收入", "money"),
    "income.total": ("收入合计", "money"),
    "expense.basic": ("基本支出", "money"),
    "expense.project": ("项目支出", "money"),
    "expense.total": ("支出合计", "money"),
    "budget.personnel": ("年初预算：人员类经费", "money"),
    "budget.public": ("年初预算：公用经费", "money"),
    "budget.project": ("年初预算：项目（部门职能类）经费", "money"),
    "budget.initial_total": ("年初预算合计", "money"),
    "budget.adjusted_total": ("调整后预算数", "money"),
    "carryover.year_end": ("年末结转结余", "money"),
    "public_expense.actual": ("公用经费决算数", "money"),
    "sangong.budget.abroad": ('"三公"预算：因公出国（境）费', "money"),
    "sangong.budget.vehicle": ('"三公"预算：公务用车购置及运行维护费', "money"),
    "sangong.budget.reception": ('"三公"预算：公务接待费', "money"),
    "sangong.actual.abroad": ('"三公"决算：因公出国（境）费', "money"),
    "sangong.actual.vehicle": ('"三公"决算：公务用车购置及运行维护费', "money"),
    "sangong.actual.reception": ('"三公"决算：公务接待费', "money"),
    "procurement.planned": ("政府采购计划金额", "money"),
    "procurement.actual": ("政府采购实际金额", "money"),
    "projects.total": ("项目总数", "count"),
    "projects.with_targets": ("设置绩效目标的项目数", "count"),
    "projects.planned_completion": ("计划完成的项目数", "count"),
    "projects.on_time": ("按时完成的项目数", "count"),
    "key_tasks.assigned": ("交办/计划的重点工作数", "count"),
    "key_tasks.completed": ("完成的重点工作数", "count"),
    "targets.set": ("设定的绩效指标数", "count"),
    "targets.achieved": ("已完成的绩效指标数", "count"),
    "assets.fixed_total": ("固定资产原值总额", "money"),
    "assets.fixed_in_use": ("在用固定资产原值", "money"),
    "satisfaction.rate": ("服务对象满意度（%）", "percent"),
    "disclosure.budget": ("部门预算已公开", "yesno"),
    "disclosure.final_accounts": ("部门决算已公开", "yesno"),
    "disclosure.sangong": ('"三公"经费预决算已公开', "yesno"),
    "disclosure.performance": ("上年绩效自评结果已公开", "yesno"),
    "goals.tasks": ("年度支出目标及任务完成情况", "lines"),
    "conclusion": ("自评结论", "longtext"),
    "achievements": ("主要绩效", "longtext"),
    "problems": ("存在问题", "longtext"),
    "suggestions": ("相关建议（改进措施）", "longtext"),
    "adjustments": ("加减分项", "adjustments"),
}

# data-dictionary.md "Indicator ids": id → (三级指标, weight)
DICTIONARY_INDICATORS = {
    "bp_rationality": ("预算编制合理性", 5),
    "bp_compliance": ("预算编制规范性", 5),
    "bp_planning": ("预算编制规划性", 4),
    "bp_scientific": ("预算编制科学性", 4),
    "ts_coverage": ("绩效目标覆盖率", 2),
    "ts_rationality": ("绩效目标合理性", 4),
    "ts_clarity": ("绩效指标明确性", 4),
    "fm_execution_rate": ("部门预算资金支出率", 3),
    "fm_carryover_rate": ("结转结余率", 3),
    "fm_treasury_stock": ("国库集中支付结转结余存量资金效率性", 3),
    "fm_procurement_rate": ("政府采购执行率", 2),
    "fm_compliance": ("财务合规性", 4),
    "fm_transfer_legality": ("资金下达合法性", 3),
    "fm_disclosure": ("预决算信息、绩效评价结果公开性", 4),
    "pm_procedure": ("项目实施程序", 2),
    "pm_supervision": ("项目监管", 5),
    "am_allocation": ("资产配置合规性", 2),
    "am_inventory": ("资产盘点情况", 2),
    "am_utilization": ("固定资产利用率", 3),
    "sm_staff_control": ("财政供养人员控制率", 2),
    "sys_management": ("制度管理", 4),
    "ec_public_expense": ("公用经费控制率", 3),
    "ec_sangong": ('"三公"经费控制率', 3),
    "ef_key_tasks": ("重点工作完成率", 3),
    "ef_target_completion": ("绩效目标完成率", 3),
    "ef_timeliness": ("项目完成及时性", 3),
    "effect": ("效果性", 10),
    "fair_satisfaction": ("服务对象满意度", 5),
}

MANUAL = {
    "bp_rationality", "bp_compliance", "bp_planning", "bp_scientific", "ts_rationality",
    "ts_clarity", "fm_treasury_stock", "fm_compliance", "fm_transfer_legality", "pm_procedure",
    "pm_supervision", "am_allocation", "am_inventory", "sys_management", "effect",
}

# domain.md §3: leaf → (kind, numerator, denominator, step)
RATE_RULES = {
    "ts_coverage": ("proportional", "projects.with_targets", "projects.total", None),
    "fm_execution_rate": ("proportional", "expense.total", "budget.adjusted_total", None),
    "fm_carryover_rate": ("deduct", "carryover.year_end", "budget.adjusted_total", "0.3"),
    "fm_procurement_rate": ("proportional", "procurement.actual", "procurement.planned", None),
    "am_utilization": ("proportional", "assets.fixed_in_use", "assets.fixed_total", None),
    "sm_staff_control": ("ceiling", "staff.in_service_total", "staff.authorized_total", "0.1"),
    "ec_public_expense": ("ceiling", "public_expense.actual", "budget.public", "0.3"),
    "ef_key_tasks": ("proportional", "key_tasks.completed", "key_tasks.assigned", None),
    "ef_target_completion": ("proportional", "targets.achieved", "targets.set", None),
    "ef_timeliness": ("proportional", "projects.on_time", "projects.planned_completion", None),
}

# domain.md §2: 一级 and 二级 nodes with their weights
TREE = {
    ("budget_prep", "预算编制情况", 28): [("预算编制", 18), ("目标设置", 10)],
    ("budget_exec", "预算执行情况", 42): [("资金管理", 22), ("项目管理", 7), ("资产管理", 7),
                                        ("人员管理", 2), ("制度管理", 4)],
    ("effectiveness", "资金使用效益", 30): [("经济性", 6), ("效率性", 9), ("效果性", 10),
                                          ("公平性", 5)],
}


def plain_quotes(text):
    return text.replace("“", '"').replace("”", '"')


# ---------------------------------------------------------- the GD form


def test_gd_form_identity(gd):
    assert gd.id == "gd-dept-overall"
    assert gd.edition == "2022.1"
    assert gd.applies_to(2022) and not gd.applies_to(2021)
    assert gd.total_weight == 100


def test_gd_leaves_are_the_dictionary_indicators(gd):
    assert len(gd.leaves) == 28
    assert set(gd.leaves) == set(DICTIONARY_INDICATORS)
    for leaf_id, (title, weight) in DICTIONARY_INDICATORS.items():
        leaf = gd.leaves[leaf_id]
        assert plain_quotes(leaf.title) == title, leaf_id
        assert leaf.weight == weight, leaf_id
        assert leaf.level == 3, leaf_id
    assert sum(leaf.weight for leaf in gd.leaves.values()) == 100


def test_gd_tree_levels_and_sums(gd):
    tops = {(n.id, n.title, n.weight) for n in gd.indicators}
    assert tops == set(TREE)
    assert sum(n.weight for n in gd.indicators) == 100
    for top in gd.indicators:
        expected = TREE[(top.id, top.title, top.weight)]
        assert [(c.title, c.weight) for c in top.children] == [(t, D(w)) for t, w in expected]
        assert sum(c.weight for c in top.children) == top.weight
        for second in top.children:
            assert second.level == 2 and second.parent == top.id
            assert sum(leaf.weight for leaf in second.children) == second.weight


def test_gd_budget_level_sums(gd):
    sums = {top.id: sum(leaf.weight for leaf in top.leaves()) for top in gd.indicators}
    assert sums == {"budget_prep": 28, "budget_exec": 42, "effectiveness": 30}


def test_gd_dictionary_fields_present_with_types(gd):
    for fid, (label, ftype) in DICTIONARY_FIELDS.items():
        assert fid in gd.fields, fid
        field = gd.fields[fid]
        assert field.type == ftype, fid
        assert plain_quotes(field.label) == label, fid
    assert gd.fields["unit.name"].required
    assert gd.fields["satisfaction.rate"].minimum == 0
    assert gd.fields["satisfaction.rate"].maximum == 100


def test_gd_generated_indicator_fields(gd):
    for leaf_id, leaf in gd.leaves.items():
        narrative = gd.fields[f"narrative.{leaf_id}"]
        assert narrative.type == "longtext" and narrative.indicator == leaf_id
        assert leaf.title in narrative.label
        if leaf_id in MANUAL:
            score = gd.fields[f"score.{leaf_id}"]
            assert score.type == "score"
            assert score.minimum == 0 and score.maximum == leaf.weight
            assert score.indicator == leaf_id
            reason = gd.fields[f"reason.{leaf_id}"]
            assert reason.type == "longtext" and reason.indicator == leaf_id
        else:
            assert f"score.{leaf_id}" not in gd.fields
            assert f"reason.{leaf_id}" not in gd.fields
    generated = [f for f in gd.fields if f.split(".")[0] in ("narrative", "score", "reason")]
    assert len(generated) == 28 + 2 * len(MANUAL)


def test_gd_rules_follow_the_domain_defaults(gd):
    kinds = {leaf_id: leaf.rule.kind for leaf_id, leaf in gd.leaves.items()}
    assert {k for k, v in kinds.items() if v == "manual"} == MANUAL
    for leaf_id, (kind, numerator, denominator, step) in RATE_RULES.items():
        rule = gd.leaves[leaf_id].rule
        assert rule.kind == kind, leaf_id
        assert rule.numerator.source == numerator, leaf_id
        assert rule.denominator.source == denominator, leaf_id
        assert rule.step == (D(step) if step else None), leaf_id
    sangong = gd.leaves["ec_sangong"].rule
    assert sangong.kind == "ceiling" and sangong.step == D("0.3")
    assert {"sangong.actual.abroad", "sangong.actual.vehicle", "sangong.actual.reception"} <= set(
        gd.base_fields(sangong.numerator.names))
    satisfaction = gd.leaves["fair_satisfaction"].rule
    assert satisfaction.kind == "floor"
    assert satisfaction.percent.source == "satisfaction.rate"
    assert satisfaction.threshold == 90 and satisfaction.step == D("0.25")
    disclosure = gd.leaves["fm_disclosure"].rule
    assert disclosure.kind == "checklist"
    assert [(i.field, i.points) for i in disclosure.items] == [
        ("disclosure.budget", 1), ("disclosure.final_accounts", 1),
        ("disclosure.sangong", 1), ("disclosure.performance", 1)]
    # 编制数 = 行政 + 事业 + 工勤
    assert set(gd.base_fields(["staff.authorized_total"])) == {
        "staff.authorized_admin", "staff.authorized_service", "staff.authorized_worker"}


def test_gd_grades_and_adjustments(gd):
    assert [(b.grade, b.minimum) for b in gd.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    adj = gd.adjustments
    assert adj.field == "adjustments"
    assert (adj.final_min, adj.final_max) == (0, 100)
    praise, blame = adj.kind("表彰"), adj.kind("批评问责")
    assert dict(praise.points) == {"县级": D("0.5"), "地市级": 1, "省级及以上": 2}
    assert praise.cap == 3
    assert dict(blame.points) == {"县级": -1, "地市级": -1, "省级及以上": -1}
    assert blame.cap == -5


def test_gd_checks_of_domain_section_7(gd):
    severities = {c.id: c.severity for c in gd.checks}
    for check_id in ("income_sum", "expense_sum", "budget_sum", "sangong_budget_sum",
                     "sangong_actual_sum", "staff_sum", "staff_year_end"):
        assert severities[check_id] == "error", check_id
    for check_id in ("staff_control_over", "public_expense_over", "sangong_over", "procurement_over",
                     "income_balance", "adjusted_but_claimed_none", "stray_year"):
        assert severities[check_id] == "warning", check_id
    stray = next(c for c in gd.checks if c.id == "stray_year")
    assert set(stray.for_each) == {"longtext", "lines"}
    claimed = next(c for c in gd.checks if c.id == "adjusted_but_claimed_none")
    assert claimed.when is not None


def test_gd_every_field_is_on_a_page(gd):
    on_pages = {fid for section in gd.sections for part in section.parts for fid in part.fields}
    leaf_pages = {leaf for section in gd.sections for part in section.parts
                  for iid in part.indicators for leaf in (n.id for n in gd.nodes[iid].leaves())}
    assert leaf_pages == set(gd.leaves)
    assert "income.total" in on_pages and "adjustments" in on_pages


def test_tables_above_match_the_data_dictionary(shared_dir):
    text = (shared_dir / "reference" / "data-dictionary.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([a-z_.]+) \| ([^|]+?) \| ([^|]+?) \|$", text, re.M)
    fields = {fid: label for fid, label, _ in rows if "." in fid or fid in DICTIONARY_FIELDS}
    assert {k: v for k, v in fields.items() if k in DICTIONARY_FIELDS} == {
        k: v[0] for k, v in DICTIONARY_FIELDS.items()}
    assert set(fields) == set(DICTIONARY_FIELDS)
    indicators = {i: (t, int(w)) for i, t, w in rows if i in DICTIONARY_INDICATORS}
    assert indicators == DICTIONARY_INDICATORS


# ------------------------------------------------------------ load errors


def line_of(text, marker):
    """The line holding ``marker``; "^x" means a line starting with x; a multi-line marker
    gives the line where it starts."""
    if "\n" in marker:
        assert text.count(marker) == 1, marker
        return text.count("\n", 0, text.index(marker)) + 1
    if marker.startswith("^"):
        hits = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(marker[1:])]
    else:
        hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(hits) == 1, (marker, hits)
    return hits[0]


def write_broken(tmp_path, old, new):
    text = SYNTHETIC.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    broken = text.replace(old, new)
    path = tmp_path / "broken-form.yaml"
    path.write_text(broken, encoding="utf-8")
    return path, broken


def load_error(path) -> FormError:
    with pytest.raises(FormError) as info:
        load_form(path)
    return info.value


def assert_located(error, path, line, key):
    text = str(error)
    assert path.name in text
    assert f"{path}:{line}:" in text, text
    assert error.line == line, text
    if key is not None:
        assert f"“{key}”" in text, text


# (case, old text, new text, marker of the expected line, key named in the message, word)
CASES = [
    ("unknown id in a computed expression",
     'expr: "cost.budget_a + cost.budget_b"', 'expr: "cost.budget_a + cost.budget_x"',
     'cost.budget_x"', "expr", "cost.budget_x"),
    ("unknown id in a rule",
     "numerator: output.done, denominator: output.target",
     "numerator: output.done, denominator: output.tagret",
     "output.tagret", "denominator", "output.tagret"),
    ("unknown id in a check",
     'assert: "fund.left == 0"', 'assert: "fund.lft == 0"',
     'fund.lft == 0', "assert", "fund.lft"),
    ("type error: number + yes/no",
     'expr: "fund.used + fund.left"', 'expr: "fund.used + claim.no_change"',
     "fund.used + claim.no_change", "expr", "是/否"),
    ("type error: a check that is not yes/no",
     'assert: "fund.left == 0"', 'assert: "fund.left + 1"',
     'assert: "fund.left + 1"', "assert", "是/否"),
    ("unknown key in a flow mapping",
     "type: text, required: true, max_length: 40",
     "type: text, requried: true, max_length: 40",
     "requried", "requried", "未知的键"),
    ("unknown key in a block mapping",
     "criteria: 计划完整的得满分。", "critera: 计划完整的得满分。",
     "critera", "critera", "未知的键"),
    ("unknown top-level key",
     "total: 100\n", "total: 100\nnotes: 多余\n",
     "notes: 多余", "notes", "未知的键"),
    ("top-level weights do not add up to the total",
     "total: 100\n", "total: 90\n",
     "^indicators:", "indicators", "90"),
    ("unknown rule kind",
     "kind: ceiling", "kind: cieling",
     "cieling", "kind", "cieling"),
    ("checklist points do not add up",
     "{field: pub.c, points: 3}", "{field: pub.c, points: 2}",
     "        items:", "items", "12"),
    ("duplicate field id",
     "{id: fund.left, label: 年末结余", "{id: fund.used, label: 年末结余",
     "label: 年末结余", "id", "重复"),
    ("duplicate YAML key",
     "{id: pub.c, label: 公开丙, type: yesno}", "{id: pub.c, label: 公开丙, type: yesno, label: 公开丁}",
     "公开丁", "label", "重复"),
    ("field on no page",
     "fields: [unit.name, report.year, report.fill_date, notes, tasks]", "fields: [unit.name, report.year, report.fill_date, tasks]",
     "{id: notes,", "notes", "页面"),
    ("field placed twice",
     "fields: [bonus]", "fields: [bonus, notes]",
     "fields: [bonus, notes]", "fields", "notes"),
    ("unknown placeholder in a message",
     "年末结余 {fund.left} 万元。", "年末结余 {fund.leftover} 万元。",
     "fund.leftover", "message", "fund.leftover"),
    ("unknown placeholder in a statement",
     "实际 {cost.actual} 万元", "实际 {cost.actua} 万元",
     "cost.actua}", "statement", "cost.actua"),
    ("unknown placeholder format",
     "多出 {over:money} 万元", "多出 {over:yuan} 万元",
     "over:yuan", "message", "yuan"),
    ("unknown field type",
     "{id: pub.b, label: 公开乙, type: yesno}", "{id: pub.b, label: 公开乙, type: boolean}",
     "type: boolean", "type", "boolean"),
    ("a weight that is not a number",
     "    title: 产出\n    weight: 50", "    title: 产出\n    weight: 五十",
     "weight: 五十", "weight", "五十"),
    ("adjustment cap with the wrong sign",
     "cap: -6", "cap: 6",
     "cap: 6", "cap", "正负"),
    ("grades not in descending order",
     "{grade: 较好, min: 70}", "{grade: 较好, min: 90}",
     "grades:", "grades", "从高到低"),
    ("checklist on a field that is not yes/no",
     "{field: pub.a, points: 5}", "{field: fund.plan, points: 5}",
     "field: fund.plan", "field", "fund.plan"),
    ("yes/no wording on a field that is not yes/no",
     "{id: fund.left, label: 年末结余, type: money, unit: 万元}",
     "{id: fund.left, label: 年末结余, type: money, unit: 万元, yes: 有结余, no: 无结余}",
     "yes: 有结余", "yes", "yesno"),
    ("yes wording without no",
     "{id: pub.a, label: 公开甲, type: yesno}", "{id: pub.a, label: 公开甲, type: yesno, yes: 甲已公开}",
     "yes: 甲已公开", "yes", "成对"),
    ("no wording without yes",
     "{id: pub.a, label: 公开甲, type: yesno}", "{id: pub.a, label: 公开甲, type: yesno,\n     no: 甲未公开}",
     "no: 甲未公开", "no", "成对"),
    ("the same wording for both answers",
     "{id: pub.a, label: 公开甲, type: yesno}", "{id: pub.a, label: 公开甲, type: yesno, yes: 甲已公开,\n     no: 甲已公开}",
     "no: 甲已公开", "no", "相同"),
    ("empty wording",
     "{id: pub.a, label: 公开甲, type: yesno}", "{id: pub.a, label: 公开甲, type: yesno, yes: '', no: 甲未公开}",
     "yes: ''", "yes", "不能为空"),
    ("an indicator with children and a rule",
     "        title: 产出交付\n", "        title: 产出交付\n        rule: {kind: manual}\n",
     "        rule: {kind: manual}\n        weight: 35", "rule", "下级"),
]


@pytest.mark.parametrize("case, old, new, marker, key, word", CASES, ids=[c[0] for c in CASES])
def test_load_error_names_file_line_and_key(tmp_path, case, old, new, marker, key, word):
    path, text = write_broken(tmp_path, old, new)
    error = load_error(path)
    assert_located(error, path, line_of(text, marker), key)
    assert word in str(error)


def test_leaf_without_rule(tmp_path):
    path, text = write_broken(tmp_path, "        rule: {kind: manual}\n        criteria: 计划完整的得满分。\n",
                              "        criteria: 计划完整的得满分。\n")
    error = load_error(path)
    assert_located(error, path, line_of(text, "- id: in_plan"), None)
    assert "rule" in str(error)


def test_bad_yaml_syntax(tmp_path):
    path, text = write_broken(tmp_path, "title: 合成测试表单\n", "title: 合成测试表单: 坏\n")
    error = load_error(path)
    assert_located(error, path, line_of(text, "合成测试表单: 坏"), None)
    assert "YAML" in str(error)


def test_unreadable_file(tmp_path):
    missing = tmp_path / "no-such-form.yaml"
    error = load_error(missing)
    assert "no-such-form.yaml" in str(error)


def test_not_a_mapping(tmp_path):
    path = tmp_path / "list-form.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert "list-form.yaml" in str(load_error(path))


def test_nested_weights_not_adding_up_point_at_the_parent(tmp_path):
    path, text = write_broken(tmp_path, "            weight: 10\n", "            weight: 11\n")
    error = load_error(path)
    assert "成本管理" in str(error) and "17" in str(error)
    parent = line_of(text, "- id: proc_cost")
    assert error.line in (parent, parent + 2, parent + 3), str(error)
    assert path.name in str(error)


def test_misspelt_required_key_is_named(tmp_path):
    path, text = write_broken(tmp_path, "        title: 计划编制\n", "        titel: 计划编制\n")
    error = load_error(path)
    assert_located(error, path, line_of(text, "titel: 计划编制"), "titel")


def test_indicator_id_in_an_expression(tmp_path):
    path, text = write_broken(tmp_path, 'assert: "fund.left == 0"', 'assert: "in_plan == 0"')
    error = load_error(path)
    assert_located(error, path, line_of(text, "in_plan == 0"), "assert")


def test_yes_no_wording_is_read_with_the_yaml_words_as_keys(tmp_path):
    path, _ = write_broken(tmp_path, "{id: pub.a, label: 公开甲, type: yesno}",
                           "{id: pub.a, label: 公开甲, type: yesno, yes: 甲已公开, no: 甲未公开}")
    field = load_form(path).fields["pub.a"]
    assert (field.yes, field.no) == ("甲已公开", "甲未公开")
    assert [field.answer(v) for v in (True, False, None)] == ["甲已公开", "甲未公开", "公开甲：未填"]
    plain = load_form(SYNTHETIC).fields["pub.b"]  # without wording: the label and the answer
    assert [plain.answer(v) for v in (True, False, None)] == ["公开乙：是", "公开乙：否", "公开乙：未填"]


def test_gd_yes_no_fields_say_both_answers(gd):
    yesno = [field for field in gd.fields.values() if field.type == "yesno"]
    assert len(yesno) == 5
    for field in yesno:
        assert field.yes and field.no and field.yes != field.no, field.id
    assert gd.fields["disclosure.performance"].answer(False) == "上年绩效自评结果未公开"


def test_the_catalog_names_a_form_from_its_file_and_builds_it_when_asked(tmp_path):
    import shutil

    from selfeval.catalog import FormCatalog

    for path in (ROOT / "forms").glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / GD_FORM.name  # the heading stays right, an expression does not
    text = GD_FORM.read_text("utf-8")
    old = 'assert: "abs(income.total - (income.basic + income.project)) <= 0.01"'
    assert text.count(old) == 1
    broken.write_text(text.replace(old, 'assert: "in_plan == 0"'), "utf-8")
    catalog = FormCatalog(tmp_path)
    dept = catalog.heading("gd-dept-overall", "2022.1")
    assert (dept.title, dept.subject) == ("部门整体支出绩效自评报告", "")
    project = catalog.heading("project-self-eval", "2022.1")
    assert project.subject_of({"project.name": "政协委员履职服务保障"}) == "政协委员履职服务保障"
    with pytest.raises(LookupError):
        catalog.heading("gd-dept-overall", "2099.1")
    with pytest.raises(FormError, match="in_plan"):
        catalog.forms()
    assert FormCatalog().get("gd-dept-overall", "2022.1").title == dept.title


def test_the_same_form_and_edition_twice_is_refused(tmp_path):
    import shutil

    from selfeval.catalog import FormCatalog

    shutil.copy(GD_FORM, tmp_path / "a.yaml")
    shutil.copy(GD_FORM, tmp_path / "b.yaml")
    with pytest.raises(FormError, match="版本 2022.1 重复"):
        FormCatalog(tmp_path).heading("gd-dept-overall", "2022.1")


def test_yaml_anchors_that_loop_or_multiply_are_refused_quickly(tmp_path):
    looping = tmp_path / "loop.yaml"
    looping.write_text('id: x\nedition: "1"\ntitle: t\nloop: &a [*a]\n', encoding="utf-8")
    with pytest.raises(FormError, match="YAML"):
        load_form(looping)
    text, previous = 'id: x\nedition: "1"\ntitle: t\na: &a [' + ", ".join(["lol"] * 9) + "]\n", "a"
    for name in "bcdefghijk":  # 9 ** 10 strings, were the aliases copied
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(text, encoding="utf-8")
    with pytest.raises(FormError, match="years"):  # read (each list made once), then found wanting
        load_form(bomb)


def test_a_retired_check_may_not_be_a_check_as_well(tmp_path):
    from form_variants import changed_form

    source = Path(__file__).resolve().parents[1] / "forms" / "gd-dept-overall-2022.yaml"
    path = changed_form(source, tmp_path, "retired_checks: [staff_without_authorization,",
                        "retired_checks: [staff_control_over, staff_without_authorization,")
    with pytest.raises(FormError, match="staff_control_over"):
        load_form(path)
