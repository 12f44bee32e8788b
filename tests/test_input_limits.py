"""Sizes are bounded: the form's ``limits`` (and a field's max_length / max_items),
enforced by parse_input, explanations, the JSON import and the command line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from form_variants import changed_form
from selfeval.catalog import FormCatalog
from selfeval.form import Limits
from selfeval.formfile import FormError, load_form
from selfeval.interchange import MAX_FILE_BYTES
from selfeval.parsing import ParseError
from selfeval.values import ValueRejected, from_json, parse_explanation, parse_input

from test_cli import imported
from test_hostile_input import demo_document, import_problems

ROOT = Path(__file__).resolve().parents[1]
GD_FORM = ROOT / "forms" / "gd-dept-overall-2022.yaml"
FORM = FormCatalog().get("gd-dept-overall")
LIMITS = "limits: {text: 200, longtext: 20000, lines: 200, line: 1000,"


def variant(tmp_path, old: str, new: str) -> Path:
    return changed_form(GD_FORM, tmp_path, old, new, "variant.yaml")


# ------------------------------------------------------------- the form file


def test_the_form_gives_every_text_and_list_a_limit():
    assert FORM.limits == Limits()
    fields = FORM.fields
    assert fields["unit.name"].max_length == 60  # its own
    assert fields["conclusion"].max_length == 20000
    assert fields["narrative.bp_rationality"].max_length == 20000  # generated fields too
    assert (fields["goals.tasks"].max_items, fields["goals.tasks"].max_length) == (200, 1000)
    assert (fields["adjustments"].max_items, fields["adjustments"].max_length) == (50, 500)
    assert FORM.limits.explanation == 2000
    assert fields["income.basic"].max_length is None


def test_a_form_sets_its_own_limits_and_a_field_its_own(tmp_path):
    path = variant(tmp_path, LIMITS, "limits: {text: 30, longtext: 100, lines: 5, line: 1000,")
    text = path.read_text(encoding="utf-8").replace(
        "{id: goals.tasks, label: 年度支出目标及任务完成情况, type: lines,",
        "{id: goals.tasks, label: 年度支出目标及任务完成情况, type: lines, max_items: 9,")
    path.write_text(text, encoding="utf-8")
    form = load_form(path)
    assert form.fields["conclusion"].max_length == 100
    assert form.fields["reason.bp_rationality"].max_length == 100
    assert form.fields["unit.name"].max_length == 60
    assert form.fields["goals.tasks"].max_items == 9
    with pytest.raises(ParseError, match="最多100个字"):
        parse_input(form, form.fields["conclusion"], "字" * 101)


@pytest.mark.parametrize("old, new, key, words", [
    (LIMITS, "limits: {text: 0, longtext: 20000, lines: 200, line: 1000,", "text", "1 到 32767"),
    (LIMITS, "limits: {text: 200, longtext: 40000, lines: 200, line: 1000,", "longtext", "Excel"),
    (LIMITS, "limits: {text: 200, longtext: 20000, lines: 200, lien: 1000,", "lien", "未知的键"),
    (LIMITS, "limits: {text: 二百, longtext: 20000, lines: 200, line: 1000,", "text", "类型不对"),
    ("{id: unit.name, label: 单位名称, type: text,", "{id: unit.name, label: 单位名称, type: text, max_items: 3,",
     "max_items", "lines、adjustments"),
    ("carry: true, max_length: 60}", "carry: true, max_length: -1}", "max_length", "1 到 32767"),
])
def test_bad_limits_are_located_in_the_form_file(tmp_path, old, new, key, words):
    with pytest.raises(FormError) as caught:
        load_form(variant(tmp_path, old, new))
    assert f"“{key}”" in str(caught.value) and words in str(caught.value)


# ------------------------------------------------------------- parse_input and explanations


def test_long_texts_are_bounded():
    field = FORM.fields["conclusion"]
    assert parse_input(FORM, field, "字" * 20000).value == "字" * 20000
    with pytest.raises(ParseError, match="「自评结论」最多20000个字，现在有20001个字"):
        parse_input(FORM, field, "字" * 20001)
    with pytest.raises(ParseError, match="「单位名称」最多60个字"):
        parse_input(FORM, FORM.fields["unit.name"], "局" * 61)


def test_lists_are_bounded_in_items_and_item_length():
    field = FORM.fields["goals.tasks"]
    assert len(parse_input(FORM, field, "\n".join(["任务"] * 200)).value) == 200
    with pytest.raises(ParseError, match="最多填200项"):
        parse_input(FORM, field, "\n".join(["任务"] * 201))
    with pytest.raises(ParseError, match="第2项超过1000个字"):
        parse_input(FORM, field, "任务\n" + "字" * 1001)
    with pytest.raises(ValueRejected, match="最多填200项，现在有201项"):
        from_json(FORM, field, ["任务"] * 201)


def test_adjustments_are_bounded_in_entries_and_description():
    field = FORM.fields["adjustments"]
    entry = {"kind": "表彰", "level": "县级", "description": "先进单位"}
    with pytest.raises(ParseError, match="最多填50项"):
        parse_input(FORM, field, "\n".join(["表彰/县级/先进单位"] * 51))
    with pytest.raises(ValueRejected, match="最多填50项，现在有51项"):
        from_json(FORM, field, [entry] * 51)
    with pytest.raises(ValueRejected, match="最多500个字"):
        from_json(FORM, field, [dict(entry, description="字" * 501)])


def test_explanations_are_bounded():
    assert parse_explanation(FORM, "说" * 2000) == "说" * 2000
    with pytest.raises(ParseError, match="「出错说明」最多2000个字"):
        parse_explanation(FORM, "说" * 2001)


def never(*_args, **_kwargs):
    raise AssertionError("reached a parser that a size bound should have kept it from")


def test_far_too_long_text_is_refused_before_it_is_parsed(monkeypatch):
    from selfeval import parsing

    monkeypatch.setattr(parsing, "clean_input", never)  # the first step of every parse
    with pytest.raises(ParseError, match="「自评结论」内容过长（50000000个字），最多20000个字"):
        parse_input(FORM, FORM.fields["conclusion"], "字" * 50_000_000)
    with pytest.raises(ParseError, match="「基本支出收入」内容过长"):
        parse_input(FORM, FORM.fields["income.basic"], "1" * 5000)
    with pytest.raises(ParseError, match="内容过长"):
        parse_explanation(FORM, "说" * 10_000_000)


# ------------------------------------------------------------- import


def test_import_refuses_a_file_over_the_size_bound_before_reading_it(monkeypatch):
    from selfeval import interchange

    big = b'{"form": "gd-dept-overall", "values": {"conclusion": "' + b"a" * MAX_FILE_BYTES + b'"}}'
    monkeypatch.setattr(interchange.json, "loads", never)  # not even parsed as JSON
    assert "文件过大" in import_problems(big)


def test_import_refuses_a_two_million_line_list_before_reading_its_items(monkeypatch):
    from selfeval import parsing

    document = demo_document()
    document["values"]["goals.tasks"] = ["a"] * 2_000_000
    text = json.dumps(document)
    cleaned = []
    real = parsing.clean_input
    monkeypatch.setattr(parsing, "clean_input", lambda text, label: cleaned.append(label) or real(text, label))
    assert "最多填200项，现在有2000000项" in import_problems(text)
    assert cleaned.count("年度支出目标及任务完成情况") == 0  # refused on its count, no item was read


def test_import_refuses_texts_explanations_and_adjustments_beyond_their_limits():
    document = demo_document()
    values = document["values"]
    values["conclusion"] = "字" * 20001
    values["explanation.staff_control_over"] = "说" * 2001
    values["adjustments"] = [{"kind": "表彰", "level": "县级", "description": "先进"}] * 51
    problems = import_problems(document)
    assert "「自评结论」最多20000个字" in problems
    assert "“explanation.staff_control_over”：「出错说明」最多2000个字" in problems
    assert "「加减分项」最多填50项" in problems


# ------------------------------------------------------------- the command line


def test_set_and_explain_refuse_text_beyond_the_limits(cli):
    report_id = imported(cli)
    code, _, err = cli("set", report_id, "conclusion", "字" * 20001)
    assert code == 2 and "「自评结论」最多20000个字" in err
    code, _, err = cli("explain", report_id, "staff_control_over", "说" * 2001)
    assert code == 2 and "「出错说明」最多2000个字" in err
    assert cli("set", report_id, "conclusion", "字" * 20000)[0] == 0


def test_import_of_a_huge_file_is_refused(cli, tmp_path, monkeypatch):
    from selfeval import interchange

    path = tmp_path / "huge.json"
    path.write_bytes(b'{"form": "gd-dept-overall", "values": {"conclusion": "'
                     + b"a" * (50 * 1024 * 1024) + b'"}}')
    monkeypatch.setattr(interchange.json, "loads", never)  # refused on its size, never parsed
    code, _, err = cli("import", path)
    assert code == 2 and "文件过大" in err and "16 MB" in err
