"""Control characters and Word's marks at every input: one rule (parsing.clean_input)
for set, explain, import (values, explanations, lists, adjustments) and parse_input."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval.catalog import FormCatalog, demo_report_path
from selfeval.export.certs import new_self_signed
from selfeval.export.pipeline import export_report
from selfeval.interchange import InterchangeError, read_report
from selfeval.parsing import ParseError, clean_input, fold_marks, show_invisible
from selfeval.values import ValueRejected, from_json, parse_explanation, parse_input
from selfeval.workspace import Workspace

from test_cli import exported, imported

DEMO = demo_report_path()
PASSWORD = "secret-123"
FORM = FormCatalog().get("gd-dept-overall")
REFUSED = ["\x00", "\x01", "\x08", "\x0e", "\x1b", "\x1c", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
           "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


# ------------------------------------------------------------- the rule


@pytest.mark.parametrize("typed, folded", [
    ("一\r\n二", "一\n二"),
    ("一\r二", "一\n二"),
    ("一\x0b二", "一\n二"),  # Word's manual line break (Shift+Enter)
    ("一\x0c二", "一\n二"),  # page break
    ("一\u2028二\u2029三", "一\n二\n三"),
    ("甲\x07乙\x07\x07丙\x07丁\x07\x07", "甲\t乙\n丙\t丁\n"),  # a table: cells tab-separated, rows end
    ("甲\r\x07乙\r\x07\r\x07", "甲\t乙\n"),  # the same in Word's own text, \r\x07 per cell
    ("单元格\x07", "单元格\t"),  # one copied cell: the trailing tab is stripped as whitespace
    ("a\tb\nc", "a\tb\nc"),
])
def test_word_marks_fold_into_line_breaks_and_tabs(typed, folded):
    assert fold_marks(typed) == folded
    assert clean_input(typed, "自评结论") == folded


@pytest.mark.parametrize("char", REFUSED)
def test_control_and_direction_characters_are_refused_naming_field_and_code(char):
    with pytest.raises(ParseError) as caught:
        clean_input(f"某某局{char}机关", "单位名称")
    message = caught.value.message
    assert message.startswith("「单位名称」含有") and f"（U+{ord(char):04X}）" in message
    assert char not in message and message.endswith("请删去后重新输入。")


def test_the_message_for_an_override_says_it_turns_text_around():
    with pytest.raises(ParseError, match="改变文字方向的控制字符（U\\+202E）"):
        clean_input("机关\u202efdp.exe", "单位名称")
    with pytest.raises(ParseError, match="不可见的控制字符（U\\+0001）"):
        clean_input("某某局\x01", "单位名称")


@given(st.text(st.one_of(st.characters(), st.sampled_from(REFUSED + list("\r\x07\x0b\x0c\u2028")))))
def test_what_passes_the_rule_holds_no_control_character(text):
    try:
        cleaned = clean_input(text, "自评结论")
    except ParseError as error:
        assert error.message.startswith("「自评结论」含有")
        return
    assert not any(char in cleaned for char in REFUSED + list("\r\x07\x0b\x0c\u2028\u2029"))
    assert all(char in "\t\n" or not (char < " " or "\x7f" <= char <= "\x9f") for char in cleaned)


def test_show_invisible_makes_keys_printable():
    assert show_invisible("a\x1b[31m\u202eb\n") == "a<U+001B>[31m<U+202E>b\\n"


# ------------------------------------------------------------- parse_input and from_json


@pytest.mark.parametrize("field_id", ["unit.name", "conclusion", "signoff.preparer", "income.basic",
                                      "report.fill_date", "goals.tasks", "adjustments"])
def test_parse_input_refuses_control_characters_for_every_type(field_id):
    field = FORM.fields[field_id]
    with pytest.raises(ParseError, match=f"^「{field.label}」含有不可见的控制字符（U\\+001B）"):
        parse_input(FORM, field, "12\x1b[31m")
    raw = {"lines": ["甲\x00"], "adjustments": [{"kind": "表彰", "level": "县级", "description": "甲\x00"}]}
    with pytest.raises(ValueRejected, match=f"^「{field.label}」含有不可见的控制字符（U\\+0000）"):
        from_json(FORM, field, raw.get(field.type, "甲\x00"))


def test_a_value_of_the_wrong_type_is_echoed_without_its_control_characters():
    with pytest.raises(ValueRejected) as caught:
        from_json(FORM, FORM.fields["adjustments"], "甲\x1b[31m")
    assert "甲<U+001B>[31m" in str(caught.value)


def test_parse_input_folds_word_marks():
    assert parse_input(FORM, FORM.fields["conclusion"], "第一段\x0b第二段\x07").value == "第一段\n第二段"
    assert parse_input(FORM, FORM.fields["unit.name"], "某某局\x07").value == "某某局"
    assert parse_input(FORM, FORM.fields["goals.tasks"], "任务一\x0b任务二\u2029").value == ["任务一", "任务二"]
    with pytest.raises(ParseError, match="只能填一行"):  # a one-line field still takes no line break
        parse_input(FORM, FORM.fields["unit.name"], "某某\x0b局")


def test_explanations_fold_marks_and_refuse_control_characters():
    assert parse_explanation(FORM, "  已核对\x0b见附件\x07 ") == "已核对\n见附件"
    assert parse_explanation(FORM, "   ") is None
    with pytest.raises(ParseError, match="「出错说明」含有不可见的控制字符（U\\+0007）|U\\+0001"):
        parse_explanation(FORM, "已核对\x01")


# ------------------------------------------------------------- import


def demo_document() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def import_problems(document: dict | str | bytes) -> str:
    text = document if isinstance(document, (str, bytes)) else json.dumps(document)
    with pytest.raises(InterchangeError) as caught:
        read_report(FormCatalog(), text)
    return "\n".join(caught.value.problems)


def test_import_refuses_control_characters_in_values():
    document = demo_document()
    document["values"]["unit.name"] = "某某局\u0000\u0007"
    document["values"]["signoff.preparer"] = "张三\u001b[31m"
    problems = import_problems(document)
    assert "「单位名称」含有不可见的控制字符（U+0000）" in problems
    assert "「填表人」含有不可见的控制字符（U+001B）" in problems


def test_import_refuses_control_characters_in_explanations_lists_and_adjustments():
    document = demo_document()
    values = document["values"]
    values["explanation.staff_control_over"] = "已核对\u0085"
    values["goals.tasks"] = ["任务一", "任务二\u202e"]
    values["adjustments"] = [{"kind": "表彰", "level": "县级", "description": "先进\u0001单位"}]
    problems = import_problems(document)
    assert "“explanation.staff_control_over”：「出错说明」含有不可见的控制字符（U+0085）" in problems
    assert "改变文字方向的控制字符（U+202E）" in problems
    assert "含有不可见的控制字符（U+0001）" in problems


def test_import_folds_word_marks_everywhere():
    document = demo_document()
    values = document["values"]
    values["conclusion"] = "第一段\u000b第二段\r\n第三段\u0007"
    values["explanation.staff_control_over"] = "已核对\u000b见附件"
    values["goals.tasks"] = ["任务一\u000b任务二", "任务三\u0007"]
    values["adjustments"] = [{"kind": "表彰", "level": "县级", "description": "先进单位\u0007"}]
    data = read_report(FormCatalog(), json.dumps(document))
    assert data.values["conclusion"] == "第一段\n第二段\n第三段"
    assert data.explanations["staff_control_over"] == "已核对\n见附件"
    assert data.values["goals.tasks"] == ["任务一", "任务二", "任务三"]
    assert data.values["adjustments"][0]["description"] == "先进单位"


def test_an_unknown_key_with_control_characters_is_shown_harmlessly():
    document = demo_document()
    document["values"]["x\u001b[2J"] = 1
    problems = import_problems(document)
    assert "x<U+001B>[2J" in problems and "\x1b" not in problems


# ------------------------------------------------------------- the command line


@pytest.mark.parametrize("field_id, label", [("unit.name", "单位名称"), ("signoff.unit_head", "单位负责人"),
                                             ("problems", "存在问题")])
def test_set_refuses_control_characters_and_changes_nothing(cli, field_id, label):
    report_id = imported(cli)
    before = exported(cli, report_id)["values"]
    code, out, err = cli("set", report_id, field_id, "某某局\x01\x1b[31m")
    assert code == 2
    assert f"「{label}」含有不可见的控制字符（U+0001），请删去后重新输入。" in err and "\x1b" not in err
    assert exported(cli, report_id)["values"] == before


def test_set_folds_word_marks(cli):
    report_id = imported(cli)
    assert cli("set", report_id, "problems", "第一段\x0b第二段\r\n")[0] == 0
    assert exported(cli, report_id)["values"]["problems"] == "第一段\n第二段"


def test_explain_refuses_control_characters_and_folds_marks(cli):
    report_id = imported(cli)
    code, _, err = cli("explain", report_id, "staff_control_over", "已核对\x07\x1b[31m")
    assert code == 2 and "「出错说明」含有不可见的控制字符（U+001B）" in err
    assert "explanation.staff_control_over" not in exported(cli, report_id)["values"]
    assert cli("explain", report_id, "staff_control_over", "已核对\x0b见附件")[0] == 0
    assert exported(cli, report_id)["values"]["explanation.staff_control_over"] == "已核对\n见附件"


def test_import_of_a_file_with_control_characters_fails_with_the_field_named(cli, tmp_path):
    document = demo_document()
    document["values"]["unit.name"] = "某某局\u0000\u0007"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = cli("import", path)
    assert code == 2 and "「单位名称」含有不可见的控制字符（U+0000）" in err
    assert json.loads(cli("list", "--json")[1]) == []


# ------------------------------------------------------------- random text through to the package


_HOSTILE = st.sampled_from(list("\x00\x01\x07\x09\x0a\x0b\x0c\x0d\x1b\x1f\x7f\x80\x85\x9f"
                                "\u2028\u2029\u202a\u202e\u2066\u2069\ufeff\u200b"))
_TEXT = st.text(st.one_of(st.characters(codec="utf-8"), _HOSTILE), max_size=40)


@pytest.fixture(scope="module")
def pfx(tmp_path_factory):
    return new_self_signed(tmp_path_factory.mktemp("cert") / "a.pfx", unit_name="示例单位", person="张三",
                           password=PASSWORD)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit=_TEXT, preparer=_TEXT, problems=_TEXT, task=_TEXT, description=_TEXT, explanation=_TEXT)
def test_random_text_set_finalised_and_exported_never_crashes(tmp_path, pfx, unit, preparer, problems,
                                                              task, description, explanation):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        report_id = ws.import_json(DEMO.read_text(encoding="utf-8"))
        form = ws.open_report(report_id).form
        for field_id, text in (("unit.name", "某某局" + unit), ("signoff.preparer", "张" + preparer),
                               ("problems", "问题" + problems), ("goals.tasks", "任务" + task),
                               ("adjustments", "表彰/县级/" + "先进" + description)):
            try:
                ws.set_text(report_id, field_id, text)
            except ParseError as error:
                assert error.message.startswith(f"「{form.fields[field_id].label}」")
        for finding in ws.evaluate(report_id).unexplained_warnings:
            try:
                text = parse_explanation(form, "已核对" + explanation)
            except ParseError:
                text = "已核对。"
            ws.set_explanation(report_id, finding.check, text)
        ws.finalize(report_id)
        out = tmp_path / f"out-{report_id}-{abs(hash(unit)) % 10**8}"
        out.mkdir()
        result = export_report(ws, report_id, pfx=pfx, password=PASSWORD, out_dir=out)
        assert result.verdict.ok
    finally:
        ws.store.close(backup=False)


def test_a_flood_of_bad_keys_gives_a_short_list_of_problems():
    document = demo_document()
    document["values"].update({f"bad.{n}": 1 for n in range(10_000)})
    document["values"]["k" * 100_000] = 1
    with pytest.raises(InterchangeError) as caught:
        read_report(FormCatalog(), json.dumps(document))
    problems = caught.value.problems
    assert len(problems) == 51 and problems[-1] == "……另有 9951 处问题"
    assert max(len(p) for p in problems) < 200


def test_an_unknown_form_id_is_echoed_without_control_characters():
    document = demo_document()
    document["form"] = "gd\u001b[2J"
    assert "gd<U+001B>[2J" in import_problems(document)


def test_explain_echoes_an_unknown_check_without_control_characters(cli):
    code, _, err = cli("explain", imported(cli), "x\x1b[2J", "说明")
    assert code == 2 and "x<U+001B>[2J" in err and "\x1b" not in err
