"""The JSON interchange format: exact round trips and all-or-nothing reading."""
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval.catalog import FormCatalog
from selfeval.interchange import InterchangeError, read_report, report_from_dict, report_to_dict
from selfeval.parsing import strip_item_number

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CATALOG = FormCatalog(ROOT / "forms")
FORM = CATALOG.get("gd-dept-overall", "2022.1")
DEMO = ROOT / "resources" / "demo" / "gd-dept-overall-2022-demo.json"
SAMPLE = HERE / "data" / "lechang-2022.json"

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEWER = settings(SETTINGS, max_examples=25)

# GB 32100-2015: 18 characters, the last a check character over the first 17
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_char(first17):
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(first17, CODE_WEIGHTS))
    return CODE_CHARS[(31 - total % 31) % 31]


def test_check_char_of_a_known_code():
    # the example code of GB 32100-2015's annex
    assert check_char("91350100M000100Y4") == "3"


WARNING_CHECKS = ["staff_control_over", "public_expense_over", "income_balance",
                  "adjusted_but_claimed_none", "stray_year.narrative.effect",
                  "repeated_words.achievements", "stray_latin.goals.tasks"]
ADJUSTMENT_LEVELS = {"表彰": ["县级", "地市级", "省级及以上"], "批评问责": ["县级", "地市级", "省级及以上"]}

# ------------------------------------------------------------- strategies

# without the bidirectional overrides and isolates, which every input refuses
CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                      blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def one_line(max_size=30):
    return st.text(CHARS, min_size=1, max_size=max_size).filter(lambda s: s == s.strip() and s)


def long_text():
    line = st.text(CHARS, max_size=25).filter(lambda s: s == s.rstrip())
    return st.lists(line, min_size=1, max_size=4).map("\n".join).filter(
        lambda s: s and s == s.strip())


money = st.from_regex(r"(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?", fullmatch=True)
percent = st.from_regex(r"(0|[1-9][0-9]?)(\.[0-9]{1,2})?|100(\.0{1,2})?", fullmatch=True)


def score_text(weight):
    whole = int(weight)
    below = st.builds(lambda i, f: f"{i}{f}", st.integers(0, whole - 1),
                      st.from_regex(r"(\.[0-9]{1,2})?", fullmatch=True))
    return below | st.sampled_from([f"{whole}", f"{whole}.0", f"{whole}.00"])


credit_code = st.text(st.sampled_from(CODE_CHARS), min_size=17, max_size=17).map(
    lambda s: s + check_char(s))

adjustment = st.sampled_from(sorted(ADJUSTMENT_LEVELS)).flatmap(
    lambda kind: st.fixed_dictionaries({
        "kind": st.just(kind),
        "level": st.sampled_from(ADJUSTMENT_LEVELS[kind]),
        "description": one_line(20),
    }))


def strategy_for(field):
    kind = field.type
    if kind == "money":
        return money
    if kind == "percent":
        return percent
    if kind == "score":
        return score_text(field.maximum)
    if kind == "count":
        return st.integers(0, 10**9)
    if kind == "year":
        return st.integers(2000, 2100)
    if kind == "date":
        return st.dates().map(date.isoformat)
    if kind == "yesno":
        return st.booleans()
    if kind == "credit_code":
        return credit_code
    if kind == "text":
        return one_line(min(field.max_length or 30, 30))
    if kind == "longtext":
        return long_text()
    if kind == "lines":  # an item as stored: no numbering of its own before it ("0." alone is none)
        return st.lists(one_line(20).filter(lambda s: strip_item_number(s) == s), min_size=1, max_size=4)
    if kind == "adjustments":
        return st.lists(adjustment, min_size=1, max_size=4)
    raise AssertionError(kind)


def test_every_gd_field_type_has_a_strategy():
    assert {f.type for f in FORM.fields.values()} == {
        "text", "longtext", "credit_code", "year", "date", "count", "money", "percent",
        "score", "yesno", "lines", "adjustments"}
    for field in FORM.fields.values():
        strategy_for(field)


REQUIRED = {"unit.name": one_line(30), "report.year": st.integers(2022, 2026)}  # the years the form covers
OPTIONAL = {fid: strategy_for(field) for fid, field in FORM.fields.items() if fid not in REQUIRED}
OPTIONAL.update({f"explanation.{check}": long_text() for check in WARNING_CHECKS})

documents = st.fixed_dictionaries(REQUIRED, optional=OPTIONAL).map(
    lambda values: {"form": "gd-dept-overall", "form_version": "2022.1", "values": values})


# --------------------------------------------------------------- round trip


@SETTINGS
@given(documents)
def test_round_trip_of_canonical_documents(document):
    data = report_from_dict(CATALOG, document)
    assert data.form is FORM
    assert report_to_dict(data.form, data.values, data.explanations) == document
    text = json.dumps(document, ensure_ascii=False).encode("utf-8")
    data = read_report(CATALOG, text)
    again = json.dumps(report_to_dict(data.form, data.values, data.explanations), ensure_ascii=False)
    assert json.loads(again) == document


@pytest.mark.parametrize("path", [DEMO, SAMPLE], ids=["demo", "sample"])
def test_round_trip_of_the_shipped_documents(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    data = read_report(CATALOG, path.read_bytes())
    assert report_to_dict(data.form, data.values, data.explanations) == document


def test_typed_values():
    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    values = report_from_dict(CATALOG, document).values
    assert str(values["income.total"]) == "628.76"
    assert str(values["budget.project"]) == "126.40"
    assert values["staff.retired"] == 25 and type(values["staff.retired"]) is int
    assert values["budget.no_adjustment"] is True
    assert values["adjustments"][0] == {"kind": "表彰", "level": "县级",
                                        "description": "“献血先进单位”，由乐昌市人民政府办公室授予。"}


# ----------------------------------------------------------- all or nothing


def altered_code(code):
    last = code[-1]
    other = CODE_CHARS[(CODE_CHARS.index(last) + 1) % len(CODE_CHARS)]
    return code[:-1] + other


INVALID = [
    ("income.bogus", "1"),
    ("narrative.no_such_indicator", "文字"),
    ("score.ts_coverage", "1"),  # a computed indicator has no manual score
    ("income.basic", 481.39),
    ("income.basic", 481),
    ("income.basic", True),
    ("income.basic", "481.391"),
    ("income.basic", "-1"),
    ("income.basic", "四百"),
    ("income.basic", "1e3"),
    ("income.basic", "NaN"),
    ("staff.retired", "25"),
    ("staff.retired", 2.5),
    ("staff.retired", -1),
    ("staff.retired", True),
    ("report.year", "2022"),
    ("report.year", 1999),
    ("report.year", 2101),
    ("report.fill_date", "2023-02-30"),
    ("report.fill_date", 20230115),
    ("report.fill_date", "2023-01"),
    ("unit.name", 5),
    ("unit.name", "第一行\n第二行"),
    ("unit.name", "名" * 61),
    ("unit.credit_code", "12345"),
    ("unit.credit_code", "91350100M000100Y4"),
    ("unit.credit_code", "91350100M000100YI3"),
    ("unit.credit_code", "91350100M000100Y44"),
    ("satisfaction.rate", "100.01"),
    ("satisfaction.rate", "-0.5"),
    ("satisfaction.rate", 95),
    ("score.effect", "10.01"),
    ("score.effect", "9.555"),
    ("disclosure.budget", "true"),
    ("disclosure.budget", 1),
    ("goals.tasks", "一项任务"),
    ("goals.tasks", [1, 2]),
    ("adjustments", {"kind": "表彰", "level": "县级", "description": "x"}),
    ("adjustments", [{"kind": "奖励", "level": "县级", "description": "x"}]),
    ("adjustments", [{"kind": "表彰", "level": "乡镇级", "description": "x"}]),
    ("adjustments", [{"kind": "表彰", "level": "县级"}]),
    ("adjustments", [{"kind": "表彰", "level": "县级", "description": "x", "points": 3}]),
    ("adjustments", [{"kind": "表彰", "level": "县级", "description": "   "}]),
    ("adjustments", ["表彰/县级/某奖"]),
    ("explanation.income_sum", "错误不能用说明代替"),
    ("explanation.nope", "说明"),
    ("explanation.staff_control_over", 5),
]


@FEWER
@given(documents, st.sampled_from(INVALID))
def test_a_single_invalid_entry_rejects_the_whole_document(document, bad):
    key, value = bad
    document["values"][key] = value
    with pytest.raises(InterchangeError) as info:
        report_from_dict(CATALOG, document)
    problems = info.value.problems
    assert len(problems) == 1, problems
    assert key in problems[0]


@SETTINGS
@given(credit_code)
def test_credit_codes_need_the_right_check_character(code):
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    document["values"]["unit.credit_code"] = code
    assert report_from_dict(CATALOG, document).values["unit.credit_code"] == code
    document["values"]["unit.credit_code"] = altered_code(code)
    with pytest.raises(InterchangeError) as info:
        report_from_dict(CATALOG, document)
    assert "unit.credit_code" in info.value.problems[0]


@FEWER
@given(documents, st.lists(st.sampled_from(INVALID), min_size=2, max_size=4,
                           unique_by=lambda bad: bad[0]))
def test_every_problem_is_listed(document, bads):
    for key, value in bads:
        document["values"][key] = value
    with pytest.raises(InterchangeError) as info:
        report_from_dict(CATALOG, document)
    problems = info.value.problems
    assert len(problems) == len(bads), problems
    for key, _ in bads:
        assert any(key in problem for problem in problems), key
    assert str(info.value) == "\n".join(problems)


@pytest.mark.parametrize("key", ["unit.name", "report.year"])
def test_missing_required_keys(key):
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    del document["values"][key]
    with pytest.raises(InterchangeError) as info:
        report_from_dict(CATALOG, document)
    assert len(info.value.problems) == 1 and key in info.value.problems[0]


@pytest.mark.parametrize(
    "document, word",
    [
        ([], "对象"),
        ({"form": "gd-dept-overall", "form_version": "2022.1", "values": {}, "extra": 1}, "extra"),
        ({"form_version": "2022.1", "values": {}}, "form"),
        ({"form": "no-such-form", "form_version": "2022.1", "values": {}}, "no-such-form"),
        ({"form": "gd-dept-overall", "form_version": "1999.9", "values": {}}, "1999.9"),
        ({"form": "gd-dept-overall", "form_version": 2022.1, "values": {}}, "form_version"),
        ({"form": "gd-dept-overall", "form_version": "2022.1", "values": []}, "values"),
    ],
)
def test_malformed_documents(document, word):
    with pytest.raises(InterchangeError) as info:
        report_from_dict(CATALOG, document)
    assert word in str(info.value)


@pytest.mark.parametrize("text", [b"", b"{", b"\xff\xfe{}", b"[1, 2", "{'form': 1}"])
def test_text_that_is_not_json(text):
    with pytest.raises(InterchangeError) as info:
        read_report(CATALOG, text)
    assert "JSON" in str(info.value)


def test_blank_explanations_are_dropped_and_others_stripped():
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    document["values"]["explanation.staff_control_over"] = "  超编人员随退休消化。 "
    document["values"]["explanation.income_balance"] = "   "
    data = report_from_dict(CATALOG, document)
    assert data.explanations == {"staff_control_over": "超编人员随退休消化。"}


def test_an_explanation_of_a_warning_the_edition_no_longer_has_is_set_aside():
    """Files and signed reports made before three warnings became a scoring rule still read."""
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    document["values"]["explanation.sangong_without_budget"] = "无“三公”经费预算，支出系上级专项。"
    data = report_from_dict(CATALOG, document)
    assert "sangong_without_budget" not in data.explanations
    document["values"]["explanation.sangong_without_budgets"] = "拼错的编号仍然报错"
    with pytest.raises(InterchangeError, match="sangong_without_budgets"):
        report_from_dict(CATALOG, document)
