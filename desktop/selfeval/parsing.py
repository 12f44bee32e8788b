"""Turn what a clerk types into typed values, and format values back.

Every parser takes the raw text and the field's label, returns a :class:`Parsed`
(``value`` is ``None`` for empty input) and raises only :class:`ParseError`,
whose message is plain Chinese naming the field.  Money is ``Decimal`` in 万元.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

__all__ = [
    "ParseError", "Parsed", "clean_input", "fold_marks", "normalize", "credit_code_check_char", "CREDIT_CODE_CHARS",
    "parse_money", "parse_decimal", "parse_percent", "parse_count", "parse_year",
    "parse_date", "parse_credit_code", "parse_yesno", "parse_text", "parse_lines", "strip_item_number",
    "format_money", "format_decimal", "format_score", "format_percent", "format_count",
    "format_date", "format_date_cn", "format_yesno", "format_percentage", "format_ratio",
]


class ParseError(ValueError):
    """Rejected input; ``str(err)`` is the message to show next to the field."""

    def __init__(self, label: str, message: str):
        super().__init__(message)
        self.label = label
        self.message = message


@dataclass(frozen=True)
class Parsed:
    """What a parser made of the typed text: the value (None for empty input) and a warning to show."""

    value: object
    warning: str | None = None


EMPTY = Parsed(None)
_CTX = Context(prec=100, rounding=ROUND_HALF_UP)
_MAX_DIGITS = 40
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# The patterns below are given to re.fullmatch, re.sub…, which compile each on its first use
# (and keep it): the program does not compile them all when it starts.
_PLAIN_NUM = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
_GROUPED_NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?"
_CN_PLACES = {1: "一", 2: "两", 3: "三", 4: "四"}


def normalize(text: str) -> str:
    """NFKC (full-width digits, letters and punctuation become ASCII), then strip."""
    return unicodedata.normalize("NFKC", text).strip()


def has_surrogates(text: str) -> bool:
    """True for text that cannot be stored as UTF-8 (a lone surrogate from JSON or argv)."""
    return any("\ud800" <= char <= "\udfff" for char in text)


# Marks that Word and other programs put into copied text.  A table cell ends with
# \x07 (in Word's own text \r\x07); two in a row end a table row.
_CELL_MARK = "\r?\x07"
_ROW_END = "\x07\x07"
_LINE_MARKS = "\r\n|[\r\x0b\x0c\u2028\u2029]"
# What is left after folding the marks and is never accepted: C0 controls other than
# tab and line feed, DEL, C1 controls, and the bidirectional overrides and isolates.
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f]"
_BIDI = "[\u202a-\u202e\u2066-\u2069]"


def fold_marks(text: str) -> str:
    r"""Word's line, paragraph, page and cell marks as plain line breaks and tabs.

    \r\n, \r, \x0b (manual line break), \x0c (page break), U+2028 and U+2029 become
    \n.  Table cells become tab-separated, rows end with \n: a cell mark (\x07 or
    \r\x07) is a tab, two in a row (the end of a row) a line break.
    """
    if "\x07" in text:
        text = re.sub(_ROW_END, "\n", re.sub(_CELL_MARK, "\x07", text)).replace("\x07", "\t")
    return re.sub(_LINE_MARKS, "\n", text)


def clean_input(text: str, label: str) -> str:
    """The one rule for every piece of text that comes in (typed, pasted, set, imported).

    Returns the text with :func:`fold_marks` applied; raises :class:`ParseError`
    naming the field and the character for anything invisible that would be
    stored, exported or shown as something else than what the clerk sees.
    """
    if has_surrogates(text):
        raise ParseError(label, f"「{label}」含有无法识别的字符（不是有效的 UTF-8 文字），请重新输入。")
    text = fold_marks(text)
    found = re.search(_CONTROL, text)
    if found:
        raise ParseError(label, f"「{label}」含有不可见的控制字符（U+{ord(found[0]):04X}），"
                                "请删去后重新输入。")
    found = re.search(_BIDI, text)
    if found:
        raise ParseError(label, f"「{label}」含有改变文字方向的控制字符（U+{ord(found[0]):04X}），"
                                "请删去后重新输入。")
    return text


def show_invisible(text: str) -> str:
    """``text`` for a message: every character :func:`clean_input` refuses as <U+XXXX>."""
    def mark(found: re.Match) -> str:
        return f"<U+{ord(found[0]):04X}>"

    return re.sub(_BIDI, mark, re.sub(_CONTROL, mark, text.replace("\n", "\\n").replace("\t", "\\t")))


def _no_odd_digits(text: str) -> str:
    """Keep full-width digits, but not ones NFKC would make from ², ①, 𝟏 or ⒈ (those stay unparseable)."""
    if text.isascii():
        return text
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        odd = (folded != char and any("0" <= c <= "9" for c in folded)
               and not unicodedata.decomposition(char).startswith(("<wide>", "<narrow>")))
        out.append("\ufffd" if odd else char)
    return "".join(out)


def _compact(text: str) -> str:
    """normalize() and also drop every whitespace / zero-width character."""
    s = normalize(_no_odd_digits(text)).translate(_INVISIBLE).replace("\u2212", "-")
    return "".join(s.split())


def _show(text: str) -> str:
    s = " ".join(text.split())
    return s if len(s) <= 20 else s[:20] + "…"


def _fail(label: str, problem: str, text: str, fix: str = "") -> ParseError:
    return ParseError(label, f"「{label}」{problem}，收到“{_show(text)}”。{fix}")


def _plain(value: Decimal) -> str:
    """Fixed-point text without trailing fractional zeros and without exponent."""
    s = format(value, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _unit_hint(unit: str) -> str:
    return f"（单位：{unit}）" if unit else ""


def _example(places: int, maximum) -> str:
    """A value to show in a message that the field takes: "例如 1234.56", or within a small maximum."""
    if maximum is None or Decimal(str(maximum)) >= 1234:
        return "例如 1234.56" if places else "例如 12"
    top = Decimal(str(maximum))
    if not places:
        return f"例如 {max(int(top * Decimal('0.8')), 0)}"
    return f"例如 {_plain((top * Decimal('0.85')).quantize(Decimal('0.1')))}"


def _to_decimal(text: str, label: str, *, places: int, unit: str = "",
                suffixes: tuple[str, ...] = (), shown: str | None = None, maximum=None) -> Decimal | None:
    """Shared "clean a number string" step; ``None`` for empty input."""
    shown = text if shown is None else shown
    s = _compact(text)
    if not s:
        return None
    if s[:1] == "¥":
        s = s[1:]
    for suffix in sorted(filter(None, suffixes), key=len, reverse=True):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = s[0], s[1:]
    example = _example(places, maximum)
    if re.fullmatch(_PLAIN_NUM, s):
        digits = s
    elif re.fullmatch(_GROUPED_NUM, s):
        digits = s.replace(",", "")
    elif "," in s and re.fullmatch(_PLAIN_NUM, s.replace(",", "")):
        raise _fail(label, "的千位分隔符“,”位置不对", shown,
                    "如果逗号是小数点，请改为“.”。")
    else:
        raise _fail(label, f"应填写数字{_unit_hint(unit)}", shown, f"{example}。")
    if len(digits) > _MAX_DIGITS:
        raise _fail(label, "的数字位数过多", shown, "请检查后重新填写。")
    value = Decimal(sign + digits)
    if value.is_zero():
        value = value.copy_abs()
    if value.as_tuple().exponent < -places:
        rounded = value.quantize(Decimal(1).scaleb(-places), context=_CTX)
        if rounded != value:
            if places == 0:
                raise _fail(label, "应为整数", shown, f"{example}。")
            raise _fail(label, f"最多保留{_CN_PLACES.get(places, places)}位小数"
                        f"{_unit_hint(unit)}", shown)
        value = rounded
    return value


def _check_range(value, label: str, text: str, minimum, maximum, unit: str) -> None:
    if minimum is not None and value < minimum:
        problem = ("不能为负数" if minimum == 0
                   else f"不能小于{_plain(Decimal(str(minimum)))}{unit}")
        raise _fail(label, problem, text)
    if maximum is not None and value > maximum:
        raise _fail(label, f"不能大于{_plain(Decimal(str(maximum)))}{unit}", text)


def _wan_from_yuan(yuan: Decimal) -> str:
    wan = yuan.scaleb(-4, context=_CTX)
    rounded = wan.quantize(Decimal("0.01"), context=_CTX)
    sign = "=" if rounded == wan else "≈"
    return f"{_plain(yuan)}元 {sign} {_plain(rounded)}万元"


def parse_money(text: str, label: str, *, minimum=Decimal("0"), maximum=None,
                yuan_warning_above=Decimal("100000")) -> Parsed:
    """Amount in 万元 with at most two decimals."""
    s = _compact(text)
    if s.endswith("元") and not s.endswith("万元"):
        try:
            yuan = _to_decimal(s[:-1], label, places=2, shown=text)
        except ParseError:
            yuan = None
        if yuan is not None:
            raise _fail(label, "的单位是万元，不能按元填写", text,
                        f"请换算成万元后填写：{_wan_from_yuan(yuan)}。")
    value = _to_decimal(text, label, places=2, unit="万元", suffixes=("万元", "万"))
    if value is None:
        return EMPTY
    _check_range(value, label, text, minimum, maximum, "万元")
    warning = None
    if yuan_warning_above is not None and value >= yuan_warning_above:
        warning = (f"「{label}」填了{format_money(value)}万元，数额特别大，请确认没有把元"
                   f"当成万元填写（如果是元，{_wan_from_yuan(value)}）。")
    return Parsed(value, warning)


def parse_decimal(text: str, label: str, *, places: int = 2, minimum=None, maximum=None,
                  unit: str = "") -> Parsed:
    value = _to_decimal(text, label, places=places, unit=unit, suffixes=(unit,), maximum=maximum)
    if value is None:
        return EMPTY
    _check_range(value, label, text, minimum, maximum, unit)
    return Parsed(value)


def parse_percent(text: str, label: str, *, minimum=Decimal("0"), maximum=Decimal("100"),
                  places: int = 2) -> Parsed:
    """Percentage in points: "86.4%" -> Decimal("86.4")."""
    value = _to_decimal(text, label, places=places, unit="%", suffixes=("%",), maximum=maximum)
    if value is None:
        return EMPTY
    _check_range(value, label, text, minimum, maximum, "%")
    return Parsed(value)


def parse_count(text: str, label: str, *, minimum: int | None = 0, maximum: int | None = None,
                unit: str = "") -> Parsed:
    value = _to_decimal(text, label, places=0, unit=unit,
                        suffixes=(unit, "个", "项", "人", "件"), maximum=maximum)
    if value is None:
        return EMPTY
    _check_range(value, label, text, minimum, maximum, unit)
    return Parsed(int(value))


def parse_year(text: str, label: str, *, minimum: int = 1990, maximum: int = 2100) -> Parsed:
    s = _compact(text)
    if not s:
        return EMPTY
    digits = s[:-1] if s.endswith("年") else s
    if not re.fullmatch(r"[0-9]{4}", digits):
        raise _fail(label, "应填写四位数年份", text, "例如 2023。")
    year = int(digits)
    if not minimum <= year <= maximum:
        raise _fail(label, f"应在{minimum}年到{maximum}年之间", text)
    return Parsed(year)


_DATE_PATTERNS = (
    r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})",
    r"([0-9]{4})(年)([0-9]{1,2})月([0-9]{1,2})[日号]?",
    r"([0-9]{4})()([0-9]{2})([0-9]{2})",
)
_PARTIAL_DATE = r"[0-9]{4}(?:[0-9]{2}|[-/.][0-9]{1,2}[-/.]?|年(?:[0-9]{1,2}月?)?)?"


def parse_date(text: str, label: str) -> Parsed:
    s = _compact(text)
    if not s:
        return EMPTY
    match = next(filter(None, (re.fullmatch(p, s) for p in _DATE_PATTERNS)), None)
    if match is None:
        if re.fullmatch(_PARTIAL_DATE, s):
            raise _fail(label, "需要完整的年月日", text, "例如 2023-01-15 或 2023年1月15日。")
        raise _fail(label, "日期格式不对", text, "请按 2023-01-15 或 2023年1月15日 填写。")
    year, month, day = int(match[1]), int(match[3]), int(match[4])
    if year < 1:
        raise _fail(label, "的年份不对", text)
    if not 1 <= month <= 12:
        raise _fail(label, f"没有{month}月，月份应在1到12之间", text)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise _fail(label, f"所填日期不存在：{year}年{month}月没有{day}日（该月共{last}天）",
                    text)
    return Parsed(date(year, month, day))


CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_LOOKALIKES = {"O": "0", "I": "1", "Z": "2", "S": "5"}


def credit_code_check_char(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters of a code."""
    if len(first17) != 17 or any(c not in CREDIT_CODE_CHARS for c in first17):
        raise ValueError(f"need 17 characters from {CREDIT_CODE_CHARS!r}: {first17!r}")
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def parse_credit_code(text: str, label: str) -> Parsed:
    code = _compact(text).upper()
    if not code:
        return EMPTY
    if len(code) != 18:
        raise _fail(label, f"应为18位，现在是{len(code)}位", text, "请对照营业执照或登记证书核对。")
    for pos, char in enumerate(code, start=1):
        if char not in CREDIT_CODE_CHARS:
            hint = f"是否应为数字{_LOOKALIKES[char]}？" if char in _LOOKALIKES else ""
            raise _fail(label, f"第{pos}位的“{char}”不是统一社会信用代码使用的字符", text,
                        f"代码只含数字和大写字母（不用 I、O、Z、S、V）。{hint}")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise _fail(label, f"校验位不对：按前17位计算，第18位应为“{expected}”，"
                    f"现在是“{code[17]}”", text, "请核对是否有字符录错。")
    return Parsed(code)


_YES = {"是", "有", "对", "已", "√", "✓", "✔", "y", "yes", "true", "1"}
_NO = {"否", "无", "错", "未", "×", "✗", "✘", "n", "no", "false", "0"}


def parse_yesno(text: str, label: str) -> Parsed:
    s = _compact(text).casefold()
    if not s:
        return EMPTY
    if s in _YES:
        return Parsed(True)
    if s in _NO:
        return Parsed(False)
    raise _fail(label, "请填“是”或“否”", text,
                "也可填 有/无、对/错、已/未、√/×、Y/N、1/0。")


def parse_text(text: str, label: str, *, max_length: int | None = None,
               multiline: bool = False) -> Parsed:
    s = text.strip()
    if not s:
        return EMPTY
    lines = s.splitlines()
    if len(lines) > 1:
        if not multiline:
            raise _fail(label, "只能填一行", text, "请删去换行。")
        s = "\n".join(line.rstrip() for line in lines)
    if max_length is not None and len(s) > max_length:
        raise _fail(label, f"最多{max_length}个字，现在有{len(s)}个字", text, "请删减。")
    return Parsed(s)


_NUMERALS = "0-9０-９一二三四五六七八九十"
# a list item's own numbering: （1） (1) (一) 1. 1、 1) ① 一、 — the printed list numbers items itself
_ITEM_NUMBER = (
    rf"^(?:\s*(?:[（(]\s*[{_NUMERALS}]{{1,3}}\s*[）)]|[0-9０-９]{{1,3}}\s*[.．、)）](?![0-9０-９])"
    rf"|[\u2460-\u2473\u2776-\u277f]|[一二三四五六七八九十]{{1,3}}\s*[、.．]))+\s*")


def strip_item_number(item: str) -> str:
    """``item`` without the numbering the clerk typed or pasted before it ("（1）(1) 组织召开…")."""
    return re.sub(_ITEM_NUMBER, "", item, count=1).strip()


def parse_lines(text: str, label: str, *, max_items: int | None = None,
                max_length: int | None = None) -> Parsed:
    items = [strip_item_number(line) for line in text.splitlines()]
    items = [item for item in items if item]
    if not items:
        return EMPTY
    if max_items is not None and len(items) > max_items:
        raise _fail(label, f"最多填{max_items}项（每行一项），现在有{len(items)}项", text)
    for number, item in enumerate(items, start=1):
        if max_length is not None and len(item) > max_length:
            raise _fail(label, f"第{number}项超过{max_length}个字（现在{len(item)}个字）",
                        item, "请删减。")
    return Parsed(items)


def _round(value: Decimal, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 2)
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def format_money(value: Decimal, *, grouping: bool = True) -> str:
    """Always two decimals, rounded half-up: "1,234.56" (or "1234.56")."""
    return format(_round(value, 2), ",f" if grouping else "f")


def format_decimal(value: Decimal, *, places: int = 2) -> str:
    """Rounded half-up to ``places``, then the shortest exact form: 4.50 -> "4.5"."""
    return _plain(_round(value, places))


def format_score(value: Decimal) -> str:
    """A score (or a subtotal, a total, points lost) with two decimals, rounded half-up:
    9.5 → "9.50", 97.2 → "97.20". Weights and rule points keep :func:`format_decimal`."""
    return format_money(value, grouping=False)


def format_percent(value: Decimal) -> str:
    return format_decimal(value, places=2)


def format_percentage(points: Decimal) -> str:
    """A percentage stated in a document, always with two decimals: 98.5 → "98.50%"."""
    return format_money(points, grouping=False) + "%"


def format_ratio(ratio: Decimal) -> str:
    """A ratio (1 = 100%) as a percentage with two decimals: 0.98487 → "98.49%"."""
    return format_percentage(ratio * 100)


def format_count(value: int) -> str:
    return str(int(value))


def format_date(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def format_date_cn(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


YES, NO, UNANSWERED = "是", "否", "未填"


def format_yesno(value: bool | None) -> str:
    """The one word for a yes/no answer: 是, 否, or 未填 when there is none."""
    return UNANSWERED if value is None else (YES if value else NO)
