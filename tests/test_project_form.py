"""The 项目支出绩效自评表 (forms/project-self-eval-2022.yaml): scores worked out by hand.

The rules are those of /work/shared/reference/project-form.md §2: rates rounded half-up to
4 places before use, scores to 2; 不适用 rows and indicators leave the total, which is then
Σ scores ÷ Σ applicable weights × 100.

Demo 1 (resources/demo/project-self-eval-2022-demo-1.json):
    预算执行率 82.17 ÷ 86.50 = 0.94994 → 0.9499; 10 × 0.9499 = 9.499 → 9.50
    产出 15 (≥ 14/12, capped) + 10 (≥ 100/100) + 9.44 (≥ 10 × 0.9444) + 4.50 (定性, typed)
         + 9.38 (≤ 10 × 0.45/0.48 = 10 × 0.9375) = 48.32
    效益 15 (≥ 9/8, capped) + 9.60 (= 10 × (1 − 4/100)); the 生态 row (5) 不适用 = 24.60 of 25
    满意度 10 (≥ 93.5/90)
    total (9.50 + 48.32 + 24.60 + 10) ÷ (10 + 50 + 25 + 10) × 100 = 92.42 ÷ 95 × 100 = 97.28 → 优
Demo 2: 25.00 ÷ 36.40 = 0.6868 → 6.87; 产出 10 + 15 + 10.5; 效益 12 + 15; 满意度 10;
    all rows apply: total 79.37 → 中
"""
import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval.catalog import FormCatalog
from selfeval.engine import evaluate
from selfeval.interchange import InterchangeError, report_from_dict

D = Decimal
ROOT = Path(__file__).resolve().parents[1]
DEMO = [ROOT / "resources" / "demo" / f"project-self-eval-2022-demo-{n}.json" for n in (1, 2)]


@pytest.fixture(scope="module")
def catalog():
    return FormCatalog(ROOT / "forms")


def demo(n: int) -> dict:
    return json.loads(DEMO[n - 1].read_text(encoding="utf-8"))


def run(catalog, document: dict):
    data = report_from_dict(catalog, document)
    return data, evaluate(data.form, data.values)


def finding_ids(ev) -> set[str]:
    return {f.check for f in ev.findings}


def test_demo_one_is_scored_as_worked_out_by_hand(catalog):
    _, ev = run(catalog, demo(1))
    scores = {leaf: s.score for leaf, s in ev.scores.items()}
    assert scores == {"budget_execution": D("9.50"), "output": D("48.32"),
                      "benefit": D("24.60"), "satisfaction": D("10.00")}
    assert ev.scores["budget_execution"].rate == D("0.9499")
    rows = [r.score for r in ev.rows["indicators"]]
    assert rows == [D("15.00"), D("10.00"), D("9.44"), D("4.50"), D("9.38"), D("15.00"), D("9.60"),
                    None, D("10.00")]
    assert ev.scores["benefit"].counted_weight == D(25)
    assert (ev.base, ev.total, ev.grade, ev.complete) == (D("92.42"), D("97.28"), "优", True)
    assert ev.findings == ()


def test_demo_two_has_every_row_applicable_and_the_plain_sum(catalog):
    _, ev = run(catalog, demo(2))
    assert ev.scores["budget_execution"].score == D("6.87")
    assert [r.score for r in ev.rows["indicators"]] == [D("10.00"), D("15.00"), D("10.50"), D("12.00"),
                                                        D("15.00"), D("10.00")]
    assert (ev.total, ev.grade) == (D("79.37"), "中")
    assert ev.total == ev.base


def with_row(row: dict) -> dict:
    """Demo 1 with its first row (产出/数量, weight 15) replaced."""
    document = demo(1)
    document["values"]["indicators"][0] = {"level1": "产出指标", "level2": "数量指标", "name": "测试指标",
                                           "weight": "15", **row}
    return document


@pytest.mark.parametrize("kind, target, actual, expected", [
    ("≥", "12", "9", "11.25"),        # 15 × 0.75
    ("≥", "7", "5", "10.71"),         # 5/7 = 0.714285… → 0.7143; 15 × 0.7143 = 10.7145 → 10.71
    ("≥", "12", "30", "15.00"),       # capped at the weight
    ("≥", "0", "3", "15.00"),         # target 0: full marks
    ("≤", "0.45", "0.48", "14.06"),   # 0.45/0.48 = 0.9375; 15 × 0.9375 = 14.0625 → 14.06
    ("≤", "30", "25", "15.00"),       # at or under the target: full
    ("≤", "0", "0", "15.00"),         # actual 0: full
    ("≤", "3", "9", "5.00"),          # 3/9 → 0.3333; 15 × 0.3333 = 4.9995, half-up → 5.00
    ("=", "100", "96", "14.40"),      # 15 × (1 − 0.04)
    ("=", "100", "104", "14.40"),     # the same distance above
    ("=", "50", "50", "15.00"),
    ("=", "50", "130", "0.00"),       # 1 − 1.6 < 0: no marks, not negative
    ("定性", "按时完成", "部分达成年度指标并具有一定效果", "10.50"),  # typed score, inside [9, 12)
])
def test_each_kind_scores_a_row_by_the_default_rules(catalog, kind, target, actual, expected):
    row = {"kind": kind, "target": target, "actual": actual, "reason": "说明"}
    if kind == "定性":
        row["score"] = "10.5"
    _, ev = run(catalog, with_row(row))
    assert ev.rows["indicators"][0].score == D(expected)
    assert not {f for f in finding_ids(ev) if f.startswith("indicators.1.")}


@pytest.mark.parametrize("actual, score, ok", [
    ("达成年度指标", "15", True), ("达成年度指标", "12", True), ("达成年度指标", "11.99", False),
    ("部分达成年度指标并具有一定效果", "9", True), ("部分达成年度指标并具有一定效果", "12", False),
    ("部分达成年度指标并具有一定效果", "8.99", False),
    ("未达成年度指标且效果较差", "0", True), ("未达成年度指标且效果较差", "9", False),
])
def test_a_qualitative_score_outside_its_band_is_an_error(catalog, actual, score, ok):
    row = {"kind": "定性", "target": "按时完成", "actual": actual, "score": score, "reason": "说明"}
    _, ev = run(catalog, with_row(row))
    found = [f for f in ev.errors if f.check == "indicators.1.score_band"]
    assert bool(found) is not ok
    if found:
        assert found[0].row == 1 and "测试指标" in found[0].message


def test_a_qualitative_row_needs_one_of_the_three_answers_and_a_score(catalog):
    _, ev = run(catalog, with_row({"kind": "定性", "target": "按时完成", "actual": "基本完成"}))
    assert {"indicators.1.actual_band", "indicators.1.required.score"} <= finding_ids(ev)
    assert ev.scores["output"].score is None and not ev.complete


def test_a_row_below_its_weight_without_a_reason_is_an_error(catalog):
    document = demo(1)
    del document["values"]["indicators"][2]["reason"]  # 委员培训覆盖率, 9.44 of 10
    _, ev = run(catalog, document)
    errors = {f.check: f for f in ev.errors}
    assert set(errors) == {"indicators.3.reason"}
    assert errors["indicators.3.reason"].row == 3
    assert "9.44" in errors["indicators.3.reason"].message and "偏差原因" in errors["indicators.3.reason"].message


def test_weights_that_do_not_add_up_to_their_level_one_are_an_error(catalog):
    document = demo(1)
    document["values"]["indicators"][0]["weight"] = "12"
    _, ev = run(catalog, document)
    errors = {f.check: f.message for f in ev.errors}
    assert errors == {"weights_output": "产出指标各行分值之和为 47 分，应为 50 分。"}


def test_a_funds_total_that_is_not_the_sum_of_its_rows_is_an_error(catalog):
    document = demo(2)
    document["values"]["funds.total.annual"] = "36.00"
    _, ev = run(catalog, document)
    errors = {f.check: f.message for f in ev.errors}
    assert set(errors) == {"funds_annual_sum"}
    assert "36.40" in errors["funds_annual_sum"]


def test_spending_above_the_budget_is_a_warning(catalog):
    document = demo(2)
    values = document["values"]
    values["funds.other.actual"], values["funds.total.actual"] = "1.00", "26.00"
    _, ev = run(catalog, document)
    assert {f.check for f in ev.warnings} == {"funds_other_over"}


def test_no_annual_budget_makes_the_execution_rate_not_applicable_and_rescales(catalog):
    document = demo(1)
    values = document["values"]
    for column in ("annual", "actual"):
        values[f"funds.total.{column}"] = values[f"funds.fiscal.{column}"] = "0.00"
    _, ev = run(catalog, document)
    score = ev.scores["budget_execution"]
    assert not score.applicable and score.note == "不适用"
    assert {f.check for f in ev.warnings} == {"funds_no_budget"}
    # (48.32 + 24.60 + 10) ÷ (50 + 25 + 10) × 100 = 82.92 ÷ 85 × 100 = 97.5529…
    assert ev.total == D("97.55")


def test_every_row_of_a_level_not_applicable_leaves_it_out(catalog):
    document = demo(1)
    for row in document["values"]["indicators"]:
        if row["level1"] == "满意度指标":
            row["applicable"] = False
    _, ev = run(catalog, document)
    assert not ev.scores["satisfaction"].applicable
    # (9.50 + 48.32 + 24.60) ÷ 85 × 100 = 96.9647…
    assert ev.total == D("96.96")


def test_score_json_lists_each_rows_score(catalog):
    _, ev = run(catalog, demo(1))
    out = ev.score_json()
    assert out["indicators"]["budget_execution"] == {"rate": "0.9499", "score": "9.50", "weight": "10"}
    assert out["rows"]["indicators"][7] == {"row": 8, "weight": "5", "score": None, "applicable": False}
    assert (out["total"], out["grade"]) == ("97.28", "优")


@pytest.mark.parametrize("change, words", [
    ({"level2": "社会效益指标"}, "二级指标"),
    ({"colour": "红"}, "未知的列"),
    ({"weight": 15}, "分值"),
    ({"kind": ">"}, "指标性质"),
    ({"applicable": "否"}, "true 或 false"),
])
def test_a_bad_row_is_refused_on_import_naming_the_row(catalog, change, words):
    document = demo(1)
    document["values"]["indicators"][1].update(change)
    with pytest.raises(InterchangeError) as caught:
        report_from_dict(catalog, document)
    assert "第 2 行" in str(caught.value) and words in str(caught.value)


def test_rows_round_trip_through_the_json(catalog):
    from selfeval.interchange import report_to_dict

    for n in (1, 2):
        original = demo(n)
        data = report_from_dict(catalog, copy.deepcopy(original))
        assert report_to_dict(data.form, data.values, data.explanations) == original


def test_the_command_line_takes_a_project_report_through(cli, tmp_path):
    code, out, _ = cli("new", "--unit", "政协乐昌市委员会机关", "--year", "2022", "--form", "project-self-eval")
    assert code == 0
    report = out.strip()
    rows = "产出指标\t数量指标\t培训场次\t≥\t4\t场\t3\t50\t\t是\t场地改造，延期一场\n" \
           "效益指标\t社会效益指标\t受训人数\t≥\t200\t人\t220\t30\n" \
           "满意度指标\t服务对象满意度指标\t学员满意度\t定性\t满意\t\t达成年度指标\t10\t9"
    code, out, err = cli("set", report, "indicators", rows)
    assert code == 0, err
    code, out, _ = cli("score", report, "--json")
    scores = json.loads(out)
    assert [r["score"] for r in scores["rows"]["indicators"]] == ["37.50", "30.00", "9.00"]
    code, out, _ = cli("check", report, "--json")
    checks = {c["check"] for c in json.loads(out)}
    assert "weights_output" not in checks and "indicators.1.reason" not in checks
    assert "required.project.name" in checks
    assert code == 1

    code, out, _ = cli("import", DEMO[0])
    assert code == 0
    code, out, _ = cli("score", out.strip(), "--json")
    assert json.loads(out)["total"] == "97.28"


def test_two_projects_of_one_unit_export_to_packages_of_their_own_and_verify(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_PFX_PASSWORD", "project-test-pass")
    pfx = tmp_path / "unit.pfx"
    assert cli("cert", "new", "--out", pfx, "--unit", "政协乐昌市委员会机关", "--person", "陈明")[0] == 0
    out = tmp_path / "out"
    out.mkdir()
    for path in DEMO:
        report = cli("import", path)[1].strip()
        assert cli("finalize", report)[0] == 0
        code, _, err = cli("export", report, "--pfx", pfx, "--out", out)
        assert code == 0, err
    packages = sorted(p.name for p in out.iterdir())
    assert packages == ["2022_政协乐昌市委员会机关_政协委员履职服务保障项目支出绩效自评",
                        "2022_政协乐昌市委员会机关_文史资料编纂出版项目支出绩效自评"]
    for name in packages:
        code, text, _ = cli("verify", out / name)
        assert code == 0, text
    code, text, _ = cli("receive", out)  # the bureau's desk: two projects, not two versions of one
    assert code == 0 and "受理 2" in text and "重新报送" not in text, text
