from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval.parsing import (
    CREDIT_CODE_CHARS,
    ParseError,
    Parsed,
    credit_code_check_char,
    format_count,
    format_date,
    format_date_cn,
    format_decimal,
    format_money,
    format_percent,
    format_yesno,
    normalize,
    parse_count,
    parse_credit_code,
    parse_date,
    parse_decimal,
    parse_lines,
    parse_money,
    parse_percent,
    parse_text,
    parse_year,
    parse_yesno,
)

LABEL = "基本支出"


def rejects(parser, text, *words, **options):
    with pytest.raises(ParseError) as info:
        parser(text, LABEL, **options)
    message = str(info.value)
    assert message.startswith(f"「{LABEL}」"), message
    assert info.value.label == LABEL
    assert info.value.message == message
    for word in words:
        assert word in message, (word, message)
    return message


def exact(a, b):
    """Equal value and the same exponent (so "36.50" stays Decimal("36.50"))."""
    return a == b and a.as_tuple() == b.as_tuple()


# ---------------------------------------------------------------- basics

def test_parse_error_is_value_error():
    err = ParseError("x", "「x」不对")
    assert isinstance(err, ValueError)
    assert str(err) == "「x」不对" and err.label == "x" and err.message == "「x」不对"


def test_normalize():
    assert normalize("  １２３４．５６，ＡＢ％ ") == "1234.56,AB%"
    assert normalize("\u3000abc\u00a0") == "abc"


ALL_PARSERS = [parse_money, parse_decimal, parse_percent, parse_count, parse_year,
               parse_date, parse_credit_code, parse_yesno, parse_text, parse_lines]


@pytest.mark.parametrize("parser", ALL_PARSERS)
@pytest.mark.parametrize("text", ["", "   ", "\u3000", "\n\t ", "\u00a0"])
def test_empty_is_none(parser, text):
    assert parser(text, LABEL) == Parsed(None)


# ---------------------------------------------------------------- money

@pytest.mark.parametrize("text, expected", [
    ("628.76", "628.76"),
    (" 628.76 ", "628.76"),
    ("628.760", "628.76"),
    ("628.7600", "628.76"),
    ("36.5", "36.5"),
    ("36.50", "36.50"),
    ("0", "0"),
    ("-0", "0"),
    ("1234.56", "1234.56"),
    ("１２３４．５６", "1234.56"),
    ("1 234.56", "1234.56"),
    ("1\u3000234.56", "1234.56"),
    ("1,234.56", "1234.56"),
    ("1，234.56", "1234.56"),
    ("12,345.6", "12345.6"),
    ("+5", "5"),
    ("1,234.56万元", "1234.56"),
    ("1234.56万", "1234.56"),
    ("1234.56 万 元", "1234.56"),
    ("￥1,234.56", "1234.56"),
    ("¥1,234.56", "1234.56"),
    ("¥ 1,234.56 万元", "1234.56"),
    (".5", "0.5"),
])
def test_money_valid(text, expected):
    result = parse_money(text, LABEL)
    assert exact(result.value, D(expected))
    assert result.warning is None


def test_money_keeps_typed_exponent():
    assert format_decimal(parse_money("36.5", LABEL).value) == "36.5"
    assert parse_money("36.50", LABEL).value.as_tuple().exponent == -2


@pytest.mark.parametrize("text, words", [
    ("481.395", ["两位小数", "万元", "481.395"]),
    ("12,34", ["分隔符", "12,34", "小数点"]),
    ("1,2345", ["分隔符"]),
    ("1e5", ["数字", "1e5"]),
    ("1E5", ["数字"]),
    ("nan", ["数字"]),
    ("NaN", ["数字"]),
    ("Infinity", ["数字"]),
    ("inf", ["数字"]),
    ("abc", ["数字", "abc"]),
    ("1.2.3", ["数字"]),
    ("--5", ["数字"]),
    ("万元", ["数字"]),
    ("-5", ["负数", "-5"]),
    ("－5", ["负数"]),
    ("\u22125", ["负数"]),
    ("1" * 50, ["位数过多"]),
])
def test_money_invalid(text, words):
    rejects(parse_money, text, *words)


def test_money_rejects_yuan_with_conversion():
    msg = rejects(parse_money, "4813900元", "万元", "4813900元", "481.39万元")
    assert "换算" in msg
    rejects(parse_money, "4,813,900 元", "481.39万元")
    rejects(parse_money, "¥4813950元", "≈", "481.4万元")
    rejects(parse_money, "多少元", "数字", "万元")
    rejects(parse_money, "5亿元", "数字")


def test_money_bounds():
    assert parse_money("-5", LABEL, minimum=None).value == D("-5")
    assert parse_money("-5", LABEL, minimum=D("-10")).value == D("-5")
    rejects(parse_money, "-11", "-10", minimum=D("-10"))
    rejects(parse_money, "1000.01", "不能大于", "1000万元", maximum=D("1000"))
    assert parse_money("1000", LABEL, maximum=D("1000")).value == D("1000")
    rejects(parse_money, "5", "不能小于", "10", minimum=10)


def test_money_yuan_warning():
    result = parse_money("4813900", LABEL)
    assert result.value == D("4813900")
    assert result.warning and LABEL in result.warning and "481.39万元" in result.warning
    assert parse_money("99999.99", LABEL).warning is None
    assert parse_money("100000", LABEL).warning is not None
    assert parse_money("500", LABEL, yuan_warning_above=D("100")).warning is not None
    assert parse_money("4813900", LABEL, yuan_warning_above=None).warning is None


# ---------------------------------------------------------------- decimal / percent

@pytest.mark.parametrize("text, options, expected", [
    ("36.5", {}, "36.5"),
    ("36.50", {}, "36.50"),
    ("36.5分", {"unit": "分"}, "36.5"),
    ("1,234.5", {}, "1234.5"),
    ("-3.25", {}, "-3.25"),
    ("3.125", {"places": 3}, "3.125"),
    ("7.000", {"places": 0}, "7"),
    ("８", {}, "8"),
])
def test_decimal_valid(text, options, expected):
    assert exact(parse_decimal(text, LABEL, **options).value, D(expected))


@pytest.mark.parametrize("text, options, words", [
    ("3.125", {}, ["两位小数"]),
    ("3.1", {"places": 0}, ["整数"]),
    ("36.5分", {}, ["数字"]),
    ("36.5个", {"unit": "分"}, ["数字", "分"]),
    ("101", {"maximum": 100, "unit": "分"}, ["不能大于", "100分"]),
    ("-1", {"minimum": 0}, ["负数"]),
    ("1e-3", {}, ["数字"]),
])
def test_decimal_invalid(text, options, words):
    rejects(parse_decimal, text, *words, **options)


@pytest.mark.parametrize("text, expected", [
    ("86.4%", "86.4"), ("86.4％", "86.4"), ("86.4", "86.4"), ("８６．４ ％", "86.4"),
    ("0.86", "0.86"), ("100", "100"), ("0%", "0"), ("+12.5%", "12.5"),
])
def test_percent_valid(text, expected):
    assert parse_percent(text, LABEL).value == D(expected)


def test_percent_does_not_guess_fraction():
    assert parse_percent("0.86", LABEL).value == D("0.86")
    assert parse_percent("0.864", LABEL, places=3).value == D("0.864")


@pytest.mark.parametrize("text, words, options", [
    ("100.1", ["不能大于", "100%"], {}),
    ("-1", ["负数"], {}),
    ("0.864", ["两位小数"], {}),
    ("86.4%%", ["数字"], {}),
    ("%86", ["数字"], {}),
    ("50", ["不能小于", "60%"], {"minimum": 60}),
])
def test_percent_invalid(text, words, options):
    rejects(parse_percent, text, *words, **options)


# ---------------------------------------------------------------- count / year

@pytest.mark.parametrize("text, options, expected", [
    ("21", {}, 21), ("21人", {}, 21), ("3个", {}, 3), ("4项", {}, 4), ("5件", {}, 5),
    ("1,200", {}, 1200), ("２１ 人", {}, 21), ("12人次", {"unit": "人次"}, 12),
    ("7户", {"unit": "户"}, 7), ("0", {}, 0), ("2.0", {}, 2), ("-3", {"minimum": None}, -3),
])
def test_count_valid(text, options, expected):
    value = parse_count(text, LABEL, **options).value
    assert value == expected and type(value) is int


@pytest.mark.parametrize("text, options, words", [
    ("2.5", {}, ["整数", "2.5"]),
    ("-1", {}, ["负数"]),
    ("7户", {}, ["数字"]),
    ("12,00", {}, ["分隔符"]),
    ("11", {"maximum": 10, "unit": "人"}, ["不能大于", "10人"]),
    ("1", {"minimum": 2}, ["不能小于", "2"]),
])
def test_count_invalid(text, options, words):
    rejects(parse_count, text, *words, **options)


@pytest.mark.parametrize("text", ["2022", "2022年", "２０２２", " 2022 年", "２０２２年"])
def test_year_valid(text):
    assert parse_year(text, LABEL).value == 2022


@pytest.mark.parametrize("text, options, words", [
    ("22", {}, ["四位数"]),
    ("2022.5", {}, ["四位数"]),
    ("二〇二二", {}, ["四位数"]),
    ("1989", {}, ["1990", "2100"]),
    ("2101", {}, ["2100"]),
    ("2019", {"minimum": 2020, "maximum": 2030}, ["2020年到2030年"]),
])
def test_year_invalid(text, options, words):
    rejects(parse_year, text, *words, **options)


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("text", [
    "2023-01-15", "2023-1-15", "2023/1/15", "2023.1.15", "2023年1月15日", "2023年01月15号",
    "2023年1月15", "20230115", "２０２３－０１－１５", "2023 年 1 月 15 日", " 2023/01/15 ",
    "２０２３年１月１５日", "2023．1．15",
])
def test_date_valid(text):
    assert parse_date(text, LABEL).value == date(2023, 1, 15)


def test_date_leap_day():
    assert parse_date("2024-02-29", LABEL).value == date(2024, 2, 29)


@pytest.mark.parametrize("text, words", [
    ("2023-02-30", ["2月", "30日", "28天"]),
    ("2023-02-29", ["29日"]),
    ("2023-04-31", ["30天"]),
    ("2023-13-01", ["13月"]),
    ("2023-00-10", ["0月"]),
    ("2023-01-00", ["0日"]),
    ("0000-01-01", ["年份"]),
    ("2023.1", ["年月日"]),
    ("2023年1月", ["年月日"]),
    ("2023-01", ["年月日"]),
    ("2023", ["年月日"]),
    ("202301", ["年月日"]),
    ("2023-1/15", ["格式"]),
    ("15/01/2023", ["格式"]),
    ("明天", ["格式", "2023-01-15"]),
])
def test_date_invalid(text, words):
    rejects(parse_date, text, *words)


def test_format_dates():
    assert format_date(date(2023, 1, 15)) == "2023-01-15"
    assert format_date_cn(date(2023, 1, 15)) == "2023年1月15日"
    assert format_date_cn(date(2023, 11, 5)) == "2023年11月5日"


# ---------------------------------------------------------------- credit code

# Values: 0-9 -> 0-9, A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24 R25
# T26 U27 W28 X29 Y30.  Weights 3^(i-1) mod 31 for i = 1..17:
#   1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
#
# "91350100M000100Y4":
#   9*1 + 1*3 + 3*9 + 5*27 + 0*19 + 1*26 + 0*16 + 0*17 + M21*20 + 0*29 + 0*25 + 0*13
#   + 1*8 + 0*24 + 0*10 + Y30*30 + 4*28
#   = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640;  1640 = 52*31 + 28
#   31 - 28 = 3  -> check char "3"
# "12345678901234567":
#   1*1 + 2*3 + 3*9 + 4*27 + 5*19 + 6*26 + 7*16 + 8*17 + 9*20 + 0*29 + 1*25 + 2*13
#   + 3*8 + 4*24 + 5*10 + 6*30 + 7*28
#   = 1+6+27+108+95+156+112+136+180+0+25+26+24+96+50+180+196 = 1418
#   1418 = 45*31 + 23;  31 - 23 = 8  -> "8"
# "11100000000000000":  1*1 + 1*3 + 1*9 = 13;  31 - 13 = 18  -> "J" (I is skipped)
# "10000000000000000":  1;  31 - 1 = 30  -> "Y"
# "00000000000000000":  0;  31 - 0 = 31  -> 0  -> "0"
HAND_COMPUTED = [
    ("91350100M000100Y4", "3"),
    ("12345678901234567", "8"),
    ("11100000000000000", "J"),
    ("10000000000000000", "Y"),
    ("00000000000000000", "0"),
]
VALID_CODE = "91350100M000100Y43"


@pytest.mark.parametrize("first17, check", HAND_COMPUTED)
def test_credit_code_hand_computed(first17, check):
    assert credit_code_check_char(first17) == check
    assert parse_credit_code(first17 + check, LABEL).value == first17 + check


@pytest.mark.parametrize("bad", ["123", "1" * 18, "I" * 17])
def test_credit_code_check_char_needs_17_valid_chars(bad):
    with pytest.raises(ValueError):
        credit_code_check_char(bad)


@pytest.mark.parametrize("text", [
    "91350100m000100y43", " 9135 0100 M000 100Y 43 ", "９１３５０１００Ｍ０００１００Ｙ４３",
    "91350100M000100Y43\u3000",
])
def test_credit_code_valid_forms(text):
    assert parse_credit_code(text, LABEL).value == VALID_CODE


@pytest.mark.parametrize("text, words", [
    ("91350100M000100Y4", ["18位", "17位"]),
    ("91350100M000100Y433", ["18位", "19位"]),
    ("91350100O000100Y43", ["第9位", "O", "数字0"]),
    ("I1350100M000100Y43", ["第1位", "I"]),
    ("91350100M000100Y4Z", ["第18位", "Z"]),
    ("91350100M000100Y4-", ["第18位", "-"]),
    ("91350100M000100Y44", ["校验位", "应为“3”"]),
    ("统一社会信用代码统一社会信用代码统一", ["第1位"]),
])
def test_credit_code_invalid(text, words):
    rejects(parse_credit_code, text, *words)


def test_credit_code_single_change_detected():
    for pos in range(18):
        for char in CREDIT_CODE_CHARS:
            if char == VALID_CODE[pos]:
                continue
            changed = VALID_CODE[:pos] + char + VALID_CODE[pos + 1:]
            rejects(parse_credit_code, changed, "校验位")


# ---------------------------------------------------------------- yes / no

@pytest.mark.parametrize("text", ["是", "有", "对", "已", "√", "✓", "Y", "y", "YES", "Yes",
                                  "true", "TRUE", "1", "１", " 是 ", "Ｙ"])
def test_yes(text):
    assert parse_yesno(text, LABEL).value is True


@pytest.mark.parametrize("text", ["否", "无", "错", "未", "×", "✗", "N", "n", "no", "NO",
                                  "false", "False", "0", "０"])
def test_no(text):
    assert parse_yesno(text, LABEL).value is False


@pytest.mark.parametrize("text", ["是否", "2", "maybe", "不知道", "x"])
def test_yesno_invalid(text):
    rejects(parse_yesno, text, "是", "否", "Y/N")


# ---------------------------------------------------------------- text / lines

def test_text():
    assert parse_text("  项目名称 ", LABEL).value == "项目名称"
    assert parse_text("\u3000全角，标点。", LABEL).value == "全角，标点。"
    rejects(parse_text, "第一行\n第二行", "一行", "换行")
    rejects(parse_text, "第一行\r\n第二行", "一行")
    assert parse_text("ab\n", LABEL).value == "ab"
    assert parse_text("一二三", LABEL, max_length=3).value == "一二三"
    rejects(parse_text, "一二三四", "3个字", "4个字", max_length=3)


def test_text_multiline():
    text = "  第一段  \r\n\r\n  第二段\t\r\n"
    assert parse_text(text, LABEL, multiline=True).value == "第一段\n\n  第二段"
    assert parse_text("a\rb", LABEL, multiline=True).value == "a\nb"
    rejects(parse_text, "ab\ncd", "3个字", max_length=3, multiline=True)


def test_lines():
    assert parse_lines(" 甲 \n\n乙\r\n  \n丙", LABEL).value == ["甲", "乙", "丙"]
    assert parse_lines("甲\n乙", LABEL, max_items=2).value == ["甲", "乙"]
    rejects(parse_lines, "甲\n乙\n丙", "2项", max_items=2)
    rejects(parse_lines, "甲\n乙乙乙", "第2项", "2个字", max_length=2)


# ---------------------------------------------------------------- formatting

@pytest.mark.parametrize("value, grouped, plain", [
    (D("1234.56"), "1,234.56", "1234.56"),
    (D("1234.565"), "1,234.57", "1234.57"),
    (D("0.005"), "0.01", "0.01"),
    (D("-0.004"), "0.00", "0.00"),
    (D("5"), "5.00", "5.00"),
    (D("1E+6"), "1,000,000.00", "1000000.00"),
    (D("-1234567.8"), "-1,234,567.80", "-1234567.80"),
    (D("123456789012345678901234567890.125"),
     "123,456,789,012,345,678,901,234,567,890.13", "123456789012345678901234567890.13"),
])
def test_format_money(value, grouped, plain):
    assert format_money(value) == grouped
    assert format_money(value, grouping=False) == plain


@pytest.mark.parametrize("value, places, expected", [
    (D("4.50"), 2, "4.5"), (D("5"), 2, "5"), (D("5.00"), 2, "5"), (D("1E+5"), 2, "100000"),
    (D("1E-7"), 2, "0"), (D("0.125"), 2, "0.13"), (D("2.5"), 0, "3"), (D("-0"), 2, "0"),
    (D("86.40"), 2, "86.4"), (D("1.23456"), 4, "1.2346"),
])
def test_format_decimal(value, places, expected):
    assert format_decimal(value, places=places) == expected


def test_other_formats():
    assert format_percent(D("86.40")) == "86.4"
    assert format_count(1200) == "1200"
    assert format_yesno(True) == "是" and format_yesno(False) == "否"


# ---------------------------------------------------------------- properties

NUMBER_TOKENS = list("0123456789０１２３４５６７８９,，.．+-－ 　%％eE¥￥年月日号/:") + [
    "万元", "万", "元", "人", "个", "项", "件", "nan", "inf", "\n", "\u00a0", "I", "O", "Y",
    "M", "是", "否", "√", "yes", "no",
]
number_like = st.lists(st.sampled_from(NUMBER_TOKENS), max_size=25).map("".join)
any_text = st.one_of(st.text(), number_like)

PARSER_CALLS = [
    lambda t: parse_money(t, LABEL),
    lambda t: parse_money(t, LABEL, minimum=None, maximum=D("1000")),
    lambda t: parse_decimal(t, LABEL, unit="分"),
    lambda t: parse_decimal(t, LABEL, places=0, minimum=D("-5"), maximum=D("5")),
    lambda t: parse_percent(t, LABEL),
    lambda t: parse_count(t, LABEL, unit="人次"),
    lambda t: parse_year(t, LABEL),
    lambda t: parse_date(t, LABEL),
    lambda t: parse_credit_code(t, LABEL),
    lambda t: parse_yesno(t, LABEL),
    lambda t: parse_text(t, LABEL, max_length=10),
    lambda t: parse_text(t, LABEL, multiline=True),
    lambda t: parse_lines(t, LABEL, max_items=3, max_length=5),
]


@pytest.mark.parametrize("call", PARSER_CALLS)
@given(text=any_text)
def test_only_parse_error_escapes(call, text):
    try:
        result = call(text)
    except ParseError as err:
        assert str(err).startswith(f"「{LABEL}」")
    else:
        assert isinstance(result, Parsed)
        if result.warning is not None:
            assert LABEL in result.warning


def two_places(min_value=None, max_value=None):
    return st.decimals(min_value=min_value, max_value=max_value, places=2,
                       allow_nan=False, allow_infinity=False)


@given(value=two_places(0, 10**15), grouping=st.booleans())
def test_money_round_trip(value, grouping):
    assert parse_money(format_money(value, grouping=grouping), LABEL).value == value


@given(value=two_places(-(10**12), 10**12), grouping=st.booleans())
def test_money_round_trip_negative_allowed(value, grouping):
    text = format_money(value, grouping=grouping)
    assert parse_money(text, LABEL, minimum=None).value == value


@given(places=st.integers(0, 6), data=st.data())
def test_decimal_round_trip(places, data):
    value = data.draw(st.decimals(min_value=-(10**12), max_value=10**12, places=places,
                                  allow_nan=False, allow_infinity=False))
    text = format_decimal(value, places=places)
    assert "E" not in text and "e" not in text
    assert parse_decimal(text, LABEL, places=places).value == value


@given(value=two_places(0, 100))
def test_percent_round_trip(value):
    assert parse_percent(format_percent(value), LABEL).value == value
    assert parse_percent(format_percent(value) + "%", LABEL).value == value


@given(value=st.integers(0, 10**15))
def test_count_round_trip(value):
    assert parse_count(format_count(value), LABEL).value == value
    assert parse_count(f"{value:,}", LABEL).value == value


@given(value=st.integers(1990, 2100))
def test_year_round_trip(value):
    assert parse_year(format_count(value), LABEL).value == value
    assert parse_year(f"{value}年", LABEL).value == value


@given(value=st.dates(min_value=date(1000, 1, 1)))
def test_date_round_trip(value):
    assert parse_date(format_date(value), LABEL).value == value
    assert parse_date(format_date_cn(value), LABEL).value == value


credit_bodies = st.text(alphabet=CREDIT_CODE_CHARS, min_size=17, max_size=17)


@given(body=credit_bodies)
def test_credit_code_round_trip(body):
    code = body + credit_code_check_char(body)
    assert parse_credit_code(code, LABEL).value == code
    assert parse_credit_code(code.lower(), LABEL).value == code


@given(body=credit_bodies, pos=st.integers(0, 17), data=st.data())
def test_credit_code_detects_single_substitution(body, pos, data):
    code = body + credit_code_check_char(body)
    char = data.draw(st.sampled_from(CREDIT_CODE_CHARS.replace(code[pos], "")))
    with pytest.raises(ParseError, match="校验位"):
        parse_credit_code(code[:pos] + char + code[pos + 1:], LABEL)


@given(value=st.booleans())
def test_yesno_round_trip(value):
    assert parse_yesno(format_yesno(value), LABEL).value is value


@given(value=st.text().map(str.strip).filter(lambda s: s and len(s.splitlines()) == 1))
def test_text_round_trip(value):
    assert parse_text(value, LABEL).value == value


def test_list_items_lose_the_numbering_typed_before_them():
    text = "（1）(1) 组织召开会议\n2. 开展调研\n3、办理提案\n④ 编印简报\n五、举办活动\n1.5亿元资金已拨付\n2022年完成"
    assert parse_lines(text, LABEL).value == [
        "组织召开会议", "开展调研", "办理提案", "编印简报", "举办活动", "1.5亿元资金已拨付", "2022年完成"]


def test_a_message_example_fits_the_field():
    with pytest.raises(ParseError) as score:
        parse_decimal("十分", LABEL, maximum=D(10))
    assert "例如 8.5" in score.value.message and "1234.56" not in score.value.message
    with pytest.raises(ParseError) as money:
        parse_decimal("abc", LABEL)
    assert "例如 1234.56" in money.value.message
