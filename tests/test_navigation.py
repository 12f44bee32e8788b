"""The wizard's pages and navigation, tested with no GUI toolkit loaded."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from selfeval.catalog import FormCatalog, demo_report_path, forms_dir
from selfeval.engine import evaluate
from selfeval.interchange import read_report
from selfeval.navigation import (
    EXPORT_PAGE_ID,
    REVIEW_PAGE_ID,
    ComputedItem,
    FieldItem,
    IndicatorItem,
    Navigator,
    PageKind,
    PageState,
    carried_notice,
    field_page_index,
    first_field_of,
    computed_page_index,
    is_required_finding,
    page_findings,
    pages_of,
    shown_text,
    shown_value,
)
from selfeval.readiness import export_problems


def test_no_gui_toolkit_is_imported():
    # pytest-qt loads PySide6 into this process as a plugin, so the module is
    # imported and exercised in a clean interpreter.
    script = (
        "import sys\n"
        "import selfeval.navigation as nav\n"
        "from selfeval.catalog import FormCatalog\n"
        "form = FormCatalog().forms()[0]\n"
        "nav.Navigator(form).next()\n"
        "assert 'PySide6' not in sys.modules, 'PySide6 imported'\n"
        "assert not [m for m in sys.modules if m.startswith('selfeval.ui')]\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


@pytest.fixture(scope="module")
def catalog():
    return FormCatalog()


@pytest.fixture(scope="module")
def form(catalog):
    return catalog.get("gd-dept-overall", "2022.1")


@pytest.fixture(scope="module")
def demo(catalog):
    return read_report(catalog, demo_report_path().read_text(encoding="utf-8"))


def test_one_page_per_part_in_section_order_then_review_then_export(form):
    pages = pages_of(form)
    expected = [part.id for section in form.sections for part in section.parts]
    assert [p.id for p in pages] == expected + [REVIEW_PAGE_ID, EXPORT_PAGE_ID]
    assert pages[-2].is_review and pages[-2].fields == () and pages[-2].kind is PageKind.REVIEW
    assert pages[-1].is_export and not pages[-1].is_review and pages[-1].fields == ()
    assert pages[-1].title == "导出与报送"
    assert all(p.kind is PageKind.FORM for p in pages[:-2])
    assert pages[0].title == "（一）部门整体概况" and pages[0].section_title == "一、部门的基本情况"


def test_every_field_is_entered_on_exactly_one_page(form):
    placed = [fid for page in pages_of(form) for fid in page.fields]
    assert sorted(placed) == sorted(form.fields)
    assert len(placed) == len(set(placed))


def test_placement_is_computed_once_per_form(form):
    assert pages_of(form) is pages_of(form)


def test_indicator_inputs_not_entered_elsewhere_follow_their_indicator(form):
    index = field_page_index(form)
    pages = pages_of(form)
    effectiveness = pages[index["public_expense.actual"]]
    assert effectiveness.id == "analysis.effectiveness"
    item = next(i for i in effectiveness.items if isinstance(i, IndicatorItem) and i.indicator == "ec_public_expense")
    # budget.public is entered with the finances; only the actual figure comes here
    assert item.inputs == ("public_expense.actual",)
    assert pages[index["budget.public"]].id == "basic.finance"
    assert item.fields == ("public_expense.actual", "narrative.ec_public_expense")


def block(form, leaf_id: str) -> IndicatorItem:
    page = pages_of(form)[field_page_index(form)[f"narrative.{leaf_id}"]]
    return next(i for i in page.items if isinstance(i, IndicatorItem) and i.indicator == leaf_id)


def rows(item: IndicatorItem) -> list[str]:
    return [r.field if isinstance(r, FieldItem) else getattr(r, "computed", "rate") for r in item.rows]


def test_computed_values_follow_the_last_of_their_inputs_on_the_page(form):
    overview = pages_of(form)[0]
    items = list(overview.items)
    total = items.index(ComputedItem("staff.authorized_total"))
    assert items[total - 1] == FieldItem("staff.authorized_worker")
    assert items[total + 1] == FieldItem("staff.in_service_admin")
    by_category = items.index(ComputedItem("staff.in_service_by_category"))
    assert items[by_category - 1] == FieldItem("staff.in_service_worker")
    assert items[by_category + 1] == FieldItem("staff.in_service_total")
    assert overview.computed == ("staff.authorized_total", "staff.in_service_by_category")
    # the computed rows hold no field: every field is still entered exactly once
    assert "staff.authorized_total" not in overview.fields


def test_sangong_sums_sit_in_their_block_after_their_three_inputs(form):
    sangong = block(form, "ec_sangong")
    assert rows(sangong) == [
        "sangong.budget.abroad", "sangong.budget.vehicle", "sangong.budget.reception", "sangong.budget.sum",
        "sangong.budget.total", "sangong.budget.amount",
        "sangong.actual.abroad", "sangong.actual.vehicle", "sangong.actual.reception", "sangong.actual.sum",
        "sangong.actual.total", "sangong.actual.amount",
        "rate", "narrative.ec_sangong",
    ]
    assert sangong.fields == tuple(r for r in rows(sangong) if r in form.fields)
    assert pages_of(form)[computed_page_index(form)["sangong.actual.amount"]].id == "analysis.effectiveness"


def test_helpers_read_only_from_dates_and_years_are_shown_nowhere(form):
    # 填报年度 restates 评价年度 and 填报日期; every other computed value is shown once
    shown = [cid for page in pages_of(form) for cid in page.computed]
    assert "filing_year" not in shown
    assert sorted(shown) == sorted(set(form.computed) - {"filing_year"})
    assert set(computed_page_index(form)) == set(shown)


def test_rate_working_follows_the_last_input_and_is_first_without_inputs(form):
    assert rows(block(form, "fm_procurement_rate")) == [
        "procurement.planned", "procurement.actual", "rate", "narrative.fm_procurement_rate"]
    # 财政供养人员控制率: its figures are entered on the overview page
    assert rows(block(form, "sm_staff_control")) == ["rate", "narrative.sm_staff_control"]
    # a rate entered as a percentage has no working, a manual score none either
    assert rows(block(form, "fair_satisfaction")) == ["satisfaction.rate", "narrative.fair_satisfaction"]
    assert block(form, "bp_rationality").shown == ()


def test_shown_values_are_formatted_like_their_inputs(form, demo):
    evaluation = evaluate(form, demo.values)
    texts = {item.computed if isinstance(item, ComputedItem) else item.indicator: shown_text(form, item, evaluation)
             for page in pages_of(form) for item in page.shown}
    assert texts["staff.authorized_total"] == "编制数合计：19 人"
    assert texts["sangong.budget.sum"] == "“三公”预算三项之和：9.40 万元"
    assert texts["fm_procurement_rate"] == "政府采购执行率：93.12 ÷ 94.55 = 98.49%"
    assert texts["ts_coverage"] == "绩效目标覆盖率：12 ÷ 12 = 100.00%"
    assert texts["sm_staff_control"] == "财政供养人员控制率：21 ÷ 19 = 110.53%"
    shown = shown_value(form, block(form, "fm_procurement_rate").shown[0], evaluation)
    assert not shown.note and shown.unit == ""


def test_shown_values_with_thousands_missing_inputs_and_nothing_to_work_out(form, demo):
    rate = block(form, "fm_procurement_rate").shown[0]
    big = {**demo.values, "procurement.planned": Decimal("12345.6"), "procurement.actual": Decimal("12159.06")}
    assert shown_text(form, rate, evaluate(form, big)) == "政府采购执行率：12,159.06 ÷ 12,345.60 = 98.49%"
    none = {**demo.values, "procurement.planned": Decimal(0), "procurement.actual": Decimal(0)}
    assert shown_value(form, rate, evaluate(form, none)).text == "无此类事项，按满分计"
    missing = {k: v for k, v in demo.values.items() if k not in ("procurement.planned", "procurement.actual")}
    pending = shown_value(form, rate, evaluate(form, missing))
    assert pending.note and pending.text == "待填写：政府采购计划金额、政府采购实际金额"
    staff = {k: v for k, v in demo.values.items() if k != "staff.authorized_worker"}
    total = shown_value(form, ComputedItem("staff.authorized_total"), evaluate(form, staff))
    assert (total.text, total.unit, total.note) == ("待填写：工勤编制数", "", True)


def test_a_computed_value_from_several_pages_is_shown_after_its_last_input(tmp_path):
    text = (forms_dir() / "gd-dept-overall-2022.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  - {id: filing_year,",
        "  - {id: expense.per_staff, label: 人均支出, format: money, unit: 万元,\n"
        "     expr: \"expense.total / staff.in_service_total\"}\n"
        "  - {id: filing_year,",
    )
    (tmp_path / "form.yaml").write_text(text, encoding="utf-8")
    changed = FormCatalog(tmp_path).forms()[0]
    finance = pages_of(changed)[computed_page_index(changed)["expense.per_staff"]]
    assert finance.id == "basic.finance"  # 在职人数合计 is on the overview page, 支出合计 after it
    items = list(finance.items)
    assert items[items.index(ComputedItem("expense.per_staff")) - 1] == FieldItem("expense.total")
    assert "expense.per_staff" not in pages_of(changed)[0].computed


def test_manual_leaves_get_score_and_reason_others_only_narrative(form):
    page = pages_of(form)[field_page_index(form)["score.bp_rationality"]]
    manual = next(i for i in page.items if isinstance(i, IndicatorItem) and i.indicator == "bp_rationality")
    assert (manual.score, manual.reason) == ("score.bp_rationality", "reason.bp_rationality")
    assert manual.path == ("预算编制情况", "预算编制")
    rate = next(i for i in page.items if isinstance(i, IndicatorItem) and i.indicator == "ts_coverage")
    assert rate.score is None and rate.reason is None
    assert rate.inputs == ("projects.total", "projects.with_targets")


def required(findings) -> list[str]:
    return [f.check for f in findings if is_required_finding(f)]


def test_a_new_report_is_not_red_before_anything_is_typed(form):
    values = {"unit.name": "某局", "report.year": 2022}
    evaluation = evaluate(form, values)
    nav = Navigator(form)
    states = nav.states(evaluation, values)
    # required fields are missing on the first page, but nobody has left it yet
    assert states["basic.overview"] is PageState.IN_PROGRESS
    assert states["basic.finance"] is PageState.NOT_STARTED
    # the review page has one warning to show: the sign-off is blank
    assert [f.check for f in evaluation.warnings] == ["signoff_blank"]
    assert states[REVIEW_PAGE_ID] is PageState.WARNINGS
    assert PageState.ERRORS not in states.values()
    assert nav.shown_findings(nav.current, evaluation) == ()
    assert nav.hidden_errors(evaluation) == evaluation.errors and len(evaluation.errors) == 11
    # the review page lists everything, always
    assert nav.shown_findings(nav.page(REVIEW_PAGE_ID), evaluation) == evaluation.findings


def test_a_required_field_is_shown_once_it_is_left(form):
    values = {"unit.name": "某局", "report.year": 2022}
    evaluation = evaluate(form, values)
    nav = Navigator(form)
    nav.reveal("unit.duties")
    assert required(nav.shown_findings(nav.current, evaluation)) == ["required.unit.duties"]
    assert nav.states(evaluation, values)["basic.overview"] is PageState.ERRORS
    assert len(nav.hidden_errors(evaluation)) == 10


def test_leaving_a_page_shows_its_required_fields_and_counts_them(form):
    values = {"unit.name": "某局", "report.year": 2022}
    evaluation = evaluate(form, values)
    nav = Navigator(form)
    assert nav.next().id == "basic.finance"
    assert nav.left_pages == {"basic.overview"} and nav.visited == {"basic.overview", "basic.finance"}
    assert required(nav.shown_findings(nav.page("basic.overview"), evaluation)) == [
        "required.unit.duties", "required.unit.subordinates", "required.staff.in_service_total"]
    states = nav.states(evaluation, values)
    assert states["basic.overview"] is PageState.ERRORS
    assert states["basic.finance"] is PageState.NOT_STARTED  # visited, not left, nothing typed
    assert states[REVIEW_PAGE_ID] is PageState.ERRORS  # an error shown on a page
    assert len(nav.hidden_errors(evaluation)) == 8
    nav.back()  # Back leaves a page as well
    states = nav.states(evaluation, values)
    assert states["basic.finance"] is PageState.ERRORS  # empty, yet visited and left
    assert states["basic.goals"] is PageState.NOT_STARTED  # nobody has been there
    assert states["conclusion"] is PageState.NOT_STARTED
    assert len(nav.hidden_errors(evaluation)) == 5


def test_jumping_away_or_to_a_field_shows_its_findings(form):
    values = {"unit.name": "某局", "report.year": 2022}
    evaluation = evaluate(form, values)
    nav = Navigator(form)
    nav.go(REVIEW_PAGE_ID)  # jumped away from the first page
    assert nav.states(evaluation, values)["basic.overview"] is PageState.ERRORS
    # a visited review page counts every error, as it lists them
    assert nav.states(evaluation, values)[REVIEW_PAGE_ID] is PageState.ERRORS
    assert nav.go_to_field("achievements").id == "achievements"
    assert required(nav.shown_findings(nav.current, evaluation)) == ["required.achievements"]
    assert nav.states(evaluation, values)["achievements"] is PageState.ERRORS
    assert nav.states(evaluation, values)["problems"] is PageState.NOT_STARTED


def test_an_unvisited_page_with_values_but_a_required_field_missing_is_in_progress(form, demo):
    # 在职人数合计 and one of its parts: the total cannot be summed either
    values = {k: v for k, v in demo.values.items() if k not in ("staff.in_service_total", "staff.in_service_admin")}
    evaluation = evaluate(form, values, {"staff_control_over": "x"})
    nav = Navigator(form)
    nav.go("basic.finance")
    assert nav.states(evaluation, values)["basic.overview"] is PageState.ERRORS
    fresh = Navigator(form)  # the report opened again: its first page not left yet
    assert fresh.states(evaluation, values)["basic.overview"] is PageState.IN_PROGRESS
    # the count of errors never misses one: the hidden one is counted apart
    assert [f.check for f in fresh.hidden_errors(evaluation)] == ["required.staff.in_service_total"]
    assert fresh.finalize_problems(evaluation)  # and still stops finalising


def test_a_reloaded_navigator_remembers_where_the_clerk_has_been(form):
    values = {"unit.name": "某局", "report.year": 2022}
    evaluation = evaluate(form, values)
    nav = Navigator(form)
    nav.reveal("conclusion")
    nav.go("basic.finance")
    again = Navigator(form, final=True)
    again.remember(nav)
    assert again.current.id == "basic.finance" and again.final
    assert again.hidden_errors(evaluation) == nav.hidden_errors(evaluation)


def test_carried_notice_names_the_year_on_pages_with_unchanged_carried_texts(form):
    pages = {page.id: page for page in pages_of(form)}
    unchanged = {"unit.duties", "conclusion"}
    assert carried_notice(pages["basic.overview"], unchanged, 2023) == "本页部分内容从 2023 年度报告转入，请逐项核对修改。"
    assert carried_notice(pages["conclusion"], unchanged, 2023) is not None
    assert carried_notice(pages["basic.finance"], unchanged, 2023) is None
    assert carried_notice(pages["basic.overview"], set(), 2023) is None
    assert carried_notice(pages["basic.overview"], unchanged, None) is None


def test_states_of_the_demo(form, demo):
    evaluation = evaluate(form, demo.values, demo.explanations)
    nav = Navigator(form)
    states = nav.states(evaluation, demo.values)
    assert states["basic.overview"] is PageState.WARNINGS  # staff over the authorised number
    assert states["basic.finance"] is PageState.COMPLETE
    assert states[REVIEW_PAGE_ID] is PageState.WARNINGS
    assert not nav.can_finalize(evaluation)
    explained = {"staff_control_over": "超编 2 人系历史原因，正在逐步消化。"}
    evaluation = evaluate(form, demo.values, explained)
    states = nav.states(evaluation, demo.values)
    assert states["basic.overview"] is PageState.COMPLETE
    assert states[REVIEW_PAGE_ID] is PageState.COMPLETE
    assert nav.can_finalize(evaluation)
    assert nav.finalize_problems(evaluation) == []


def test_unscored_indicator_leaves_the_page_in_progress(form, demo):
    values = {k: v for k, v in demo.values.items() if k != "score.bp_rationality"}
    values.pop("reason.bp_rationality", None)
    evaluation = evaluate(form, values, {"staff_control_over": "x"})
    assert Navigator(form).states(evaluation, values)["analysis.budget_prep"] is PageState.IN_PROGRESS


def test_cross_field_error_marks_every_page_holding_one_of_its_fields(form, demo):
    values = dict(demo.values, **{"income.total": Decimal("1")})
    evaluation = evaluate(form, values, {"staff_control_over": "x"})
    states = Navigator(form).states(evaluation, values)
    assert states["basic.finance"] is PageState.ERRORS
    finance = pages_of(form)[1]
    assert any(f.check == "income_sum" for f in page_findings(finance, evaluation))


def test_parse_errors_held_for_a_page_mark_it_even_when_empty(form):
    values = {"unit.name": "某局", "report.year": 2022}
    evaluation = evaluate(form, values)
    nav = Navigator(form)
    held = {"income.total": "「收入合计」应填写数字"}
    assert nav.states(evaluation, values, held)["basic.finance"] is PageState.ERRORS
    nav.go("basic.finance")
    assert nav.next_notices(evaluation, held)[0] == held["income.total"]
    assert "错误：「收入合计」应填写数字" in nav.finalize_problems(evaluation, held)


def test_next_back_and_jump(form):
    nav = Navigator(form)
    assert nav.current.id == "basic.overview" and not nav.can_back
    assert nav.back().id == "basic.overview"
    assert nav.next().id == "basic.finance"
    assert nav.go(REVIEW_PAGE_ID).is_review and nav.can_next
    assert nav.next().id == EXPORT_PAGE_ID and nav.current.is_export and not nav.can_next
    assert nav.next().id == EXPORT_PAGE_ID
    assert nav.back().id == REVIEW_PAGE_ID
    assert nav.go_to_field("score.effect").id == "analysis.effectiveness"
    assert nav.page_of_field("report.fill_date").id == "signoff"
    with pytest.raises(KeyError):
        nav.go("no-such-page")


def test_errors_never_block_next(form):
    values = {"report.year": 2022}
    evaluation = evaluate(form, values)
    nav = Navigator(form)
    assert nav.next_notices(evaluation)  # unit.name is required
    for _ in nav.pages:
        nav.next()
    assert nav.current.is_export
    assert nav.next_notices(evaluation) == []
    nav.back()
    assert nav.current.is_review
    assert nav.next_notices(evaluation) == []


def test_final_reports_are_read_only_and_cannot_be_finalised_again(form, demo):
    evaluation = evaluate(form, demo.values, {"staff_control_over": "x"})
    nav = Navigator(form, final=True)
    assert nav.read_only
    assert not nav.can_finalize(evaluation)
    assert nav.finalize_problems(evaluation)


def test_first_field_of_a_finding_for_jumping(form, demo):
    evaluation = evaluate(form, demo.values)
    finding = evaluation.warnings[0]
    assert first_field_of(pages_of(form), finding) == finding.fields[0]


def test_a_part_added_to_a_form_file_appears_as_a_page(tmp_path):
    text = (forms_dir() / "gd-dept-overall-2022.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  - {id: signoff.phone, label: 联系电话, type: text, carry: true, max_length: 30}\n",
        "  - {id: signoff.phone, label: 联系电话, type: text, carry: true, max_length: 30}\n"
        "  - {id: signoff.email, label: 电子邮箱, type: text}\n"
        "  - {id: extra.note, label: 其他需要说明的情况, type: longtext}\n",
    )
    text = text.replace(
        "      - id: adjustments\n        title: （四）加减分项\n        fields: [adjustments]\n",
        "      - id: adjustments\n        title: （四）加减分项\n        fields: [adjustments]\n"
        "      - id: other\n        title: （五）其他情况\n        fields: [extra.note]\n",
    )
    text = text.replace("signoff.preparer, signoff.phone]", "signoff.preparer, signoff.phone, signoff.email]")
    (tmp_path / "form.yaml").write_text(text, encoding="utf-8")
    changed = FormCatalog(tmp_path).forms()[0]
    ids = [p.id for p in pages_of(changed)]
    assert ids.index("analysis.other") == ids.index("analysis.adjustments") + 1
    other = pages_of(changed)[ids.index("analysis.other")]
    assert other.items == (FieldItem("extra.note"),) and other.title == "（五）其他情况"
    assert pages_of(changed)[ids.index("signoff")].fields[-1] == "signoff.email"
    nav = Navigator(changed)
    values = {"extra.note": "无"}
    assert nav.states(evaluate(changed, values), values)["analysis.other"] is PageState.COMPLETE


def test_only_a_final_report_without_errors_may_be_exported(form, demo):
    explained = evaluate(form, demo.values, {"staff_control_over": "x"})
    draft = Navigator(form)
    assert not draft.can_export(explained)
    assert "尚未定稿" in draft.export_problems(explained)[0] and "校验与定稿" in draft.export_problems(explained)[0]
    final = Navigator(form, final=True)
    assert final.can_export(explained) and final.export_problems(explained) == []
    # a final report whose stored values no longer pass (say, a changed form edition)
    broken = evaluate(form, {**demo.values, "income.basic": Decimal("500")}, {"staff_control_over": "x"})
    problems = export_problems(True, broken)
    assert "不能导出" in problems[0] and any("错误：" in line for line in problems[1:])


def test_export_page_state_follows_final_and_exported(form, demo):
    explained = evaluate(form, demo.values, {"staff_control_over": "x"})
    assert Navigator(form).states(explained, demo.values)[EXPORT_PAGE_ID] is PageState.NOT_STARTED
    final = Navigator(form, final=True)
    assert final.states(explained, demo.values)[EXPORT_PAGE_ID] is PageState.IN_PROGRESS
    final.exported = True
    assert final.states(explained, demo.values)[EXPORT_PAGE_ID] is PageState.COMPLETE
    broken = evaluate(form, {**demo.values, "income.basic": Decimal("500")}, {"staff_control_over": "x"})
    assert final.states(broken, demo.values)[EXPORT_PAGE_ID] is PageState.ERRORS
    # the export page holds no fields and no findings of its own
    page = final.page(EXPORT_PAGE_ID)
    assert page_findings(page, broken) == () and page.fields == ()


def test_the_side_list_has_the_title_of_each_chapter_of_several_pages():
    from selfeval.navigation import side_list

    catalog = FormCatalog(forms_dir())
    entries = side_list(pages_of(catalog.get("gd-dept-overall")))
    titles = [entry if isinstance(entry, str) else entry.title for entry in entries]
    assert titles[:10] == ["一、部门的基本情况", "（一）部门整体概况", "（二）部门整体收支情况", "（三）部门整体支出目标及任务",
                           "二、自评结论", "三、绩效分析", "（一）预算编制情况", "（二）预算执行情况", "（三）资金使用效益",
                           "（四）加减分项"]
    assert [entry for entry in entries if isinstance(entry, str)] == ["一、部门的基本情况", "三、绩效分析"]
    assert [entry for entry in entries if not isinstance(entry, str)] == list(pages_of(catalog.get("gd-dept-overall")))
    for form in catalog.forms():  # every chapter's title once, right above its first page
        entries = side_list(pages_of(form))
        headings = [n for n, entry in enumerate(entries) if isinstance(entry, str)]
        assert len(headings) == len(set(entries[n] for n in headings))
        assert all(entries[n + 1].section_title == entries[n] for n in headings)
