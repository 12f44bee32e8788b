"""A small, safe expression language over Decimal for form files.

Expressions are parsed once when a form loads, type-checked against the form's
ids, and compiled into plain Python closures.  Nothing is ever passed to
``eval``.  A missing input makes the result missing (``None``) instead of
raising, so that checks and rates over incomplete reports are simply not yet
decidable.  ``present`` and ``default`` are the only ways to look at a missing
value directly.

Grammar (lowest precedence first)::

    expr   := or
    or     := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
    sum    := term (("+"|"-") term)*
    term   := unary (("*"|"/") unary)*
    unary  := "-" unary | atom
    atom   := NUMBER | STRING | "true" | "false" | NAME | NAME "(" args ")" | "(" expr ")"
"""
from __future__ import annotations

import re
import unicodedata
from collections import ChainMap
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Callable, Mapping

from . import copytext

NUMBER, BOOL, TEXT, DATE, LIST = "number", "bool", "text", "date", "list"
TYPE_NAMES = {NUMBER: "数值", BOOL: "是/否", TEXT: "文本", DATE: "日期", LIST: "列表"}

Evaluator = Callable[[Mapping[str, Any]], Any]


class ExprError(ValueError):
    """A syntax, name or type error in an expression, found when the form loads."""

    def __init__(self, message: str, source: str = "", position: int | None = None):
        self.message = message
        self.source = source
        self.position = position
        where = f"（第 {position + 1} 个字符）" if position is not None else ""
        super().__init__(f"{message}{where}：{source}" if source else message)


@dataclass(frozen=True)
class Compiled:
    """An expression ready to run: its result type, the ids it reads, the closure."""

    source: str
    type: str
    names: frozenset[str]
    run: Evaluator

    def __call__(self, env: Mapping[str, Any]) -> Any:
        return self.run(env)


# ----------------------------------------------------------------- tokenizer

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>"[^"]*"|'[^']*')
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<op>==|!=|<=|>=|[-+*/()<>,])
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}


def _tokenize(source: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if not match:
            start = len(source) - len(source[pos:].lstrip())
            raise ExprError(f"无法识别的符号“{source[start]}”", source, start)
        kind = match.lastgroup
        text, start = match.group(kind), match.start(kind)
        if kind == "name" and text in _KEYWORDS:
            kind = "kw"
        tokens.append((kind, text, start))
        pos = match.end()
    tokens.append(("end", "", len(source)))
    return tokens


# ------------------------------------------------------------------- parser
# The AST is tuples: ("num", Decimal) ("str", s) ("bool", b) ("name", id)
# ("call", fname, [args]) ("neg", x) ("not", x) ("bin", op, a, b); each node
# is paired with its source position for messages.


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = _tokenize(source)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self, text: str | None = None) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        if text is not None and token[1] != text:
            found = token[1] or "结尾"
            raise ExprError(f"此处应为“{text}”，实际是“{found}”", self.source, token[2])
        self.i += 1
        return token

    def parse(self):
        node = self.or_()
        kind, text, pos = self.peek()
        if kind != "end":
            raise ExprError(f"多余的内容“{text}”", self.source, pos)
        return node

    def _binary_chain(self, ops: set[str], operand):
        node = operand()
        while self.peek()[1] in ops:
            _, op, pos = self.take()
            node = (("bin", op, node, operand()), pos)
        return node

    def or_(self):
        return self._binary_chain({"or"}, self.and_)

    def and_(self):
        return self._binary_chain({"and"}, self.not_)

    def not_(self):
        if self.peek()[1] == "not":
            pos = self.take()[2]
            return (("not", self.not_()), pos)
        return self.cmp()

    def cmp(self):
        node = self.sum()
        if self.peek()[1] in {"==", "!=", "<", "<=", ">", ">="}:
            _, op, pos = self.take()
            node = (("bin", op, node, self.sum()), pos)
        return node

    def sum(self):
        return self._binary_chain({"+", "-"}, self.term)

    def term(self):
        return self._binary_chain({"*", "/"}, self.unary)

    def unary(self):
        if self.peek()[1] == "-":
            pos = self.take()[2]
            return (("neg", self.unary()), pos)
        return self.atom()

    def atom(self):
        kind, text, pos = self.take()
        if kind == "number":
            return (("num", Decimal(text)), pos)
        if kind == "string":
            return (("str", text[1:-1]), pos)
        if kind == "kw" and text in ("true", "false"):
            return (("bool", text == "true"), pos)
        if kind == "name":
            if self.peek()[1] == "(":
                self.take("(")
                args = []
                if self.peek()[1] != ")":
                    args.append(self.or_())
                    while self.peek()[1] == ",":
                        self.take(",")
                        args.append(self.or_())
                self.take(")")
                return (("call", text, args), pos)
            return (("name", text), pos)
        if text == "(":
            node = self.or_()
            self.take(")")
            return node
        raise ExprError(f"此处缺少数值或名称（遇到“{text or '结尾'}”）", self.source, pos)


# ------------------------------------------------------------- runtime ops

def _round2(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _div(a: Decimal, b: Decimal) -> Decimal | None:
    if b == 0:
        return None
    try:
        return a / b
    except InvalidOperation:
        return None


_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _div,
}
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}

_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!代)")


HISTORY_YEARS = 10  # a year this much earlier than every year given is history ("成立于1980年"), not copied text


@lru_cache(maxsize=4096)
def _stray_years(text: str, allowed: frozenset[int]) -> str:
    found = []
    recent = min(allowed, default=0) - HISTORY_YEARS
    for match in _YEAR_IN_TEXT.finditer(text):
        year = int(match.group(1))
        if year not in allowed and year > recent and str(year) not in found:
            found.append(str(year))
    return "、".join(found)


@lru_cache(maxsize=4096)
def _strip(text: str, pattern: str) -> str | None:
    """``text`` with every match of ``pattern`` replaced by a space (so that nothing joins up)."""
    try:
        return _pattern(pattern).sub(" ", text)
    except re.error:
        return None


@lru_cache(maxsize=256)
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@lru_cache(maxsize=4096)
def _find(text: str, pattern: str) -> str | None:
    try:
        match = _pattern(pattern).search(text)
    except re.error:  # a pattern built at run time that is not a valid regular expression
        return None
    return match.group(0) if match else ""


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(_as_text(item) for item in value.values())
    return str(value)


@dataclass(frozen=True)
class _Function:
    """A function expressions may call: its parameter types, result type and implementation."""

    params: tuple[str, ...]  # parameter types; "*" suffix: variadic of that type; "any"
    result: str  # a type, or "arg1" meaning the type of the first value argument
    impl: Callable[..., Any]
    strict: bool = True  # strict: any missing argument makes the result missing


_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _fn_number(text: str) -> Decimal | None:
    """A number written as text ("1,200", "95%", "３０"), or missing when it is none."""
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    cleaned = cleaned.removesuffix("%")
    if not _NUMBER_TEXT.fullmatch(cleaned):
        return None
    return Decimal(cleaned)


def _fn_default(value, fallback):
    return fallback if value is None else value


def _fn_if(condition, then, otherwise):
    if condition is None:
        return None
    return then if condition else otherwise


FUNCTIONS: dict[str, _Function] = {
    "sum": _Function(("number*",), NUMBER, lambda *xs: sum(xs, Decimal(0))),
    "min": _Function(("number*",), NUMBER, lambda *xs: min(xs)),
    "max": _Function(("number*",), NUMBER, lambda *xs: max(xs)),
    "abs": _Function((NUMBER,), NUMBER, abs),
    "round": _Function((NUMBER, NUMBER), NUMBER, lambda x, n: _round2(x, int(n))),
    "year": _Function((DATE,), NUMBER, lambda d: Decimal(d.year)),
    "count": _Function((LIST,), NUMBER, lambda xs: Decimal(len(xs))),
    "length": _Function((TEXT,), NUMBER, lambda s: Decimal(len(s))),
    "text": _Function(("any",), TEXT, _as_text),
    "find": _Function((TEXT, TEXT), TEXT, _find),
    "strip": _Function((TEXT, TEXT), TEXT, _strip),
    "number": _Function((TEXT,), NUMBER, _fn_number),
    "stray_years": _Function(
        (TEXT, "number*"), TEXT, lambda s, *ys: _stray_years(s, frozenset(int(y) for y in ys))
    ),
    "foreign_places": _Function((TEXT, TEXT, TEXT), TEXT, copytext.foreign_places),
    "foreign_departments": _Function((TEXT, TEXT), TEXT, copytext.foreign_departments),
    "typos": _Function((TEXT,), TEXT, copytext.typos),
    "template_text": _Function((TEXT, TEXT), TEXT, copytext.template_text),
    "repeated_paragraph": _Function((TEXT, TEXT), TEXT, copytext.repeated_paragraph),
    "present": _Function(("any",), BOOL, lambda x: x is not None and x != "" and x != [], False),
    "default": _Function(("any", "arg1"), "arg1", _fn_default, False),
    "if": _Function((BOOL, "any", "arg2"), "arg2", _fn_if, False),
}


# ---------------------------------------------------------------- compiler


# Sums and counts over the rows of a table field (type rows): the first argument names the
# field, the others are expressions over one row's columns and computed values.
ROW_FUNCTIONS = {"sum_rows": (2, 3), "count_rows": (1, 2)}


class _Compiler:
    def __init__(self, source: str, types: Mapping[str, str],
                 row_scopes: Mapping[str, Mapping[str, str]] | None = None):
        self.source = source
        self.types = types
        self.row_scopes = row_scopes or {}
        self.names: set[str] = set()

    def fail(self, message: str, pos: int):
        raise ExprError(message, self.source, pos)

    def compile(self, node) -> tuple[str, Evaluator]:
        (kind, *rest), pos = node
        return getattr(self, "c_" + kind)(pos, *rest)

    def c_num(self, pos, value):
        return NUMBER, lambda env: value

    def c_str(self, pos, value):
        return TEXT, lambda env: value

    def c_bool(self, pos, value):
        return BOOL, lambda env: value

    def c_name(self, pos, name):
        if name not in self.types:
            self.fail(f"未知的编号“{name}”", pos)
        if self.types[name] not in TYPE_NAMES:
            self.fail(f"“{name}”是指标编号，不能用在表达式中", pos)
        self.names.add(name)
        return self.types[name], lambda env: env.get(name)

    def c_neg(self, pos, operand):
        type_, run = self.compile(operand)
        self.expect(type_, NUMBER, pos, "取负")
        return NUMBER, lambda env: None if (v := run(env)) is None else -v

    def c_not(self, pos, operand):
        type_, run = self.compile(operand)
        self.expect(type_, BOOL, pos, "not")
        return BOOL, lambda env: None if (v := run(env)) is None else not v

    def expect(self, actual: str, wanted: str, pos: int, what: str):
        if actual != wanted:
            self.fail(
                f"“{what}”需要{TYPE_NAMES[wanted]}，这里是{TYPE_NAMES[actual]}", pos
            )

    def c_bin(self, pos, op, left, right):
        lt, lrun = self.compile(left)
        rt, rrun = self.compile(right)
        if op in ("and", "or"):
            self.expect(lt, BOOL, pos, op)
            self.expect(rt, BOOL, pos, op)
            return BOOL, _logic(op, lrun, rrun)
        if op in _ARITH:
            self.expect(lt, NUMBER, pos, op)
            self.expect(rt, NUMBER, pos, op)
            fn = _ARITH[op]
        else:
            if lt != rt:
                self.fail(f"不能比较{TYPE_NAMES[lt]}和{TYPE_NAMES[rt]}", pos)
            if op not in ("==", "!=") and lt not in (NUMBER, DATE):
                self.fail(f"“{op}”只能比较数值或日期", pos)
            fn = _COMPARE[op]

        def run(env):
            a = lrun(env)
            if a is None:
                return None
            b = rrun(env)
            return None if b is None else fn(a, b)

        return (NUMBER if op in _ARITH else BOOL), run

    def c_call(self, pos, name, args):
        if name in ROW_FUNCTIONS:
            return self.row_function(pos, name, args)
        fn = FUNCTIONS.get(name)
        if fn is None:
            self.fail(f"未知的函数“{name}”", pos)
        compiled = [self.compile(arg) for arg in args]
        arg_types = [t for t, _ in compiled]
        if name == "find" and len(args) == 2 and args[1][0][0] == "str":
            try:
                _pattern(args[1][0][1])
            except re.error as error:
                self.fail(f"正则表达式有误：{error}", args[1][1])
        self.check_arity(name, fn, arg_types, pos)
        runs = [r for _, r in compiled]
        result = fn.result
        if result.startswith("arg"):
            result = arg_types[int(result[3:]) - 1]
        impl = fn.impl
        if fn.strict:
            def run(env):
                values = [r(env) for r in runs]
                if any(v is None for v in values):
                    return None
                return impl(*values)
        else:
            def run(env):
                return impl(*[r(env) for r in runs])
        return result, run

    def row_function(self, pos, name, args):
        """``sum_rows(table, value[, where])`` and ``count_rows(table[, where])``: rows whose
        ``where`` is missing are left out; a missing value makes the sum missing."""
        low, high = ROW_FUNCTIONS[name]
        if not low <= len(args) <= high:
            self.fail(f"函数“{name}”需要 {low} 到 {high} 个参数，给了 {len(args)} 个", pos)
        (kind, *rest), _ = args[0]
        if kind != "name" or rest[0] not in self.row_scopes:
            known = "、".join(self.row_scopes) or "无"
            self.fail(f"函数“{name}”的第一个参数应为表格字段的编号（本表单的表格字段：{known}）", pos)
        table = rest[0]
        self.names.add(table)
        inner = _Compiler(self.source, {**self.types, **self.row_scopes[table]})
        value_run = None
        if name == "sum_rows":
            value_type, value_run = inner.compile(args[1])
            self.expect(value_type, NUMBER, pos, name)
        where_run = None
        if len(args) == high:
            where_type, where_run = inner.compile(args[-1])
            self.expect(where_type, BOOL, pos, name)
        self.names |= {n for n in inner.names if n not in self.row_scopes[table]}

        def run(env):
            total = Decimal(0)
            for row in env.get(table) or ():
                local = ChainMap(row, env)
                if where_run is not None and where_run(local) is not True:
                    continue
                value = value_run(local) if value_run is not None else Decimal(1)
                if value is None:
                    return None
                total += value
            return total

        return NUMBER, run

    def check_arity(self, name: str, fn: _Function, arg_types: list[str], pos: int):
        params = list(fn.params)
        variadic = params[-1].endswith("*")
        if variadic:
            fixed, repeated = params[:-1], params[-1][:-1]
            if len(arg_types) < len(fixed) + 1:
                self.fail(f"函数“{name}”至少需要 {len(fixed) + 1} 个参数", pos)
            wanted = fixed + [repeated] * (len(arg_types) - len(fixed))
        else:
            if len(arg_types) != len(params):
                self.fail(f"函数“{name}”需要 {len(params)} 个参数，给了 {len(arg_types)} 个", pos)
            wanted = params
        for index, (want, got) in enumerate(zip(wanted, arg_types)):
            if want == "any":
                continue
            if want.startswith("arg"):
                want = arg_types[int(want[3:]) - 1]
            if want != got:
                self.fail(
                    f"函数“{name}”的第 {index + 1} 个参数应为{TYPE_NAMES[want]}，"
                    f"这里是{TYPE_NAMES[got]}",
                    pos,
                )


def _logic(op: str, lrun: Evaluator, rrun: Evaluator) -> Evaluator:
    """Three-valued and/or: a known deciding side wins over a missing one."""
    decisive = op == "or"  # True decides "or", False decides "and"

    def run(env):
        a = lrun(env)
        if a is decisive:
            return decisive
        b = rrun(env)
        if b is decisive:
            return decisive
        if a is None or b is None:
            return None
        return not decisive

    return run


def compile_expression(source: str, types: Mapping[str, str], want: str | None = None,
                       row_scopes: Mapping[str, Mapping[str, str]] | None = None) -> Compiled:
    """Parse, type-check and compile ``source``; ``types`` maps each known id to its type,
    ``row_scopes`` each table field to the types of a row's names."""
    if not isinstance(source, str) or not source.strip():
        raise ExprError("表达式为空", str(source or ""))
    compiler = _Compiler(source, types, row_scopes)
    try:
        type_, run = compiler.compile(_Parser(source).parse())
    except RecursionError:
        raise ExprError("表达式嵌套过深，请拆成几个计算值", source) from None
    if want is not None and type_ != want:
        raise ExprError(f"表达式的结果应为{TYPE_NAMES[want]}，这里是{TYPE_NAMES[type_]}", source)
    return Compiled(source, type_, frozenset(compiler.names), run)
