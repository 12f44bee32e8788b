"""Table fields (type rows) as a general part of the form format, on the synthetic form.

The synthetic form's 走访记录 table: place (required), mode 入户/电话, topic depending on mode,
planned and reached households, points, counted (default yes); per row share = reached ÷
planned and earned = points × min(share, 1); a per-row error when reached > 1.5 × planned.
At form level: visits.reached = Σ reached over counted 入户 rows, and an error when no row is
入户.
"""
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval import rows
from selfeval.engine import evaluate
from selfeval.expr import ExprError, compile_expression
from selfeval.formfile import FormError, load_form
from selfeval.parsing import ParseError
from selfeval.values import ValueRejected, from_json, parse_input, to_json

D = Decimal
HERE = Path(__file__).resolve().parent
SYNTHETIC = HERE / "data" / "forms" / "synthetic.yaml"


@pytest.fixture(scope="module")
def form():
    return load_form(SYNTHETIC)


VISITS = [
    {"place": "东村", "mode": "入户", "topic": "慰问", "planned": "10", "reached": "8", "points": "6"},
    {"place": "西村", "mode": "电话", "topic": "回访", "planned": "4", "reached": "7", "points": "3"},
    {"place": "南村", "mode": "入户", "planned": "5", "points": "2", "counted": False},
]


def test_rows_are_read_typed_and_written_back(form):
    field = form.fields["visits"]
    typed = from_json(form, field, VISITS)
    assert typed[0] == {"place": "东村", "mode": "入户", "topic": "慰问", "planned": D(10), "reached": D(8),
                        "points": D(6), "counted": True}
    assert typed[2]["counted"] is False
    assert to_json(field, typed) == VISITS


def test_per_row_values_scores_and_checks(form):
    values = {"unit.name": "测试单位", "report.year": 2023,
              "visits": from_json(form, form.fields["visits"], VISITS)}
    ev = evaluate(form, values)
    results = ev.rows["visits"]
    # 6 × 0.8 = 4.80; 3 × min(7/4, 1) = 3.00; the third row is not counted
    assert [(r.score, r.applicable) for r in results] == [(D("4.80"), True), (D("3.00"), True), (None, False)]
    assert ev.computed["visits.reached"] == D(8)
    over = [f for f in ev.findings if f.check == "visits.2.over"]
    assert over and over[0].severity == "error" and over[0].row == 2
    assert over[0].message == "第 2 行（西村）走到 7 户，远超计划的 4 户。"
    assert "visits.3.required.reached" not in {f.check for f in ev.findings}  # required only when counted


def test_a_row_missing_a_required_cell_and_a_form_check_over_rows(form):
    raw = [{"place": "北村", "mode": "电话", "planned": "3", "points": "1"}]
    ev = evaluate(form, {"unit.name": "测试单位", "report.year": 2023,
                         "visits": from_json(form, form.fields["visits"], raw)})
    found = {f.check: f for f in ev.errors}
    assert found["visits.1.required.reached"].message == "「走访记录」第 1 行「走到户数」尚未填写。"
    assert found["visits_home"].message == "走访记录中至少要有一次入户走访。"


def test_a_dependent_choice_takes_only_the_options_under_its_parent(form):
    field = form.fields["visits"]
    with pytest.raises(ValueRejected, match="第 1 行「事项」应为回访之一"):
        from_json(form, field, [{"place": "东村", "mode": "电话", "topic": "慰问"}])
    column = field.rows.column("topic")
    assert column.options({"mode": "入户"}) == ("慰问", "核查")


def test_tab_separated_lines_become_rows(form):
    field = form.fields["visits"]
    parsed = parse_input(form, field, "东村\t入户\t核查\t10\t9\t5\n西村\t电话\t回访\t2\t2\t1\t否\n")
    assert [row["place"] for row in parsed.value] == ["东村", "西村"]
    assert parsed.value[1]["counted"] is False and parsed.value[0]["counted"] is True
    with pytest.raises(ParseError, match="第 1 行有 8 格"):
        rows.rows_from_cells(field, "\t".join("12345678"))


def test_number_reads_numbers_written_as_text():
    run = compile_expression("number(t)", {"t": "text"})
    assert [run({"t": text}) for text in ("1,200", "95%", "３０", "0.5", "约100", "")] == \
        [D(1200), D(95), D(30), D("0.5"), None, None]


def test_row_functions_need_a_table_and_type_check_their_row_expressions():
    scopes = {"items": {"qty": "number", "ok": "bool"}}
    types = {"items": "list", "limit": "number"}
    compiled = compile_expression("sum_rows(items, qty * limit, ok) + count_rows(items)", types, None, scopes)
    env = {"limit": D(2), "items": [{"qty": D(3), "ok": True}, {"qty": D(5), "ok": False}]}
    assert compiled(env) == D(8) and compiled.names == {"items", "limit"}
    with pytest.raises(ExprError, match="表格字段"):
        compile_expression("sum_rows(limit, 1)", types, None, scopes)
    with pytest.raises(ExprError, match="需要是/否"):
        compile_expression("sum_rows(items, qty, qty)", types, None, scopes)


def write_broken(tmp_path, old, new):
    text = SYNTHETIC.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, words", [
    ("{id: topic, label: 事项, type: choice, depends: mode,", "{id: topic, label: 事项, type: choice, depends: place,",
     "依赖"),
    ("{id: mode, label: 方式, type: choice, required: true, choices: [入户, 电话]}",
     "{id: mode, label: 方式, type: text, required: true, choices: [入户, 电话]}", "只有选择列"),
    ("{id: share, label: 完成比例, expr: \"reached / planned\"}",
     "{id: share, label: 完成比例, expr: \"reached / plan\"}", "未知的编号“plan”"),
    ("    score: earned\n", "    score: place\n", "数值类型"),
    ("{id: counted, label: 计入, type: yesno, default: true}",
     "{id: counted, label: 计入, type: money, default: true}", "未知的列类型"),
    ("message: 第 {row} 行（{place}）", "message: 第 {row} 行（{where}）", "占位符"),
    ("      - id: over\n        severity: error", "      - id: over\n        severity: warning", "只能是 error"),
])
def test_table_mistakes_are_reported_with_file_and_line(tmp_path, old, new, words):
    path = write_broken(tmp_path, old, new)
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert words in str(caught.value) and str(path) in str(caught.value)
    assert caught.value.line is not None
