"""Checks for text copied from another report: the functions behind ``foreign_places``,
``foreign_departments``, ``typos``, ``template_text`` and ``repeated_paragraph`` in form
expressions.

Each returns the words it found, joined with "、", or '' when the text is clean. The lists
they read ship under ``resources/places`` and ``resources/textcheck`` (their READMEs give the
sources) and are loaded on first use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HAN = "\u4e00-\u9fff"
_MAX_FOUND = 5  # words listed in one message
# The patterns are given to re.search, re.sub…, which compile each on its first use (and keep
# it), or compiled by the functions that build them: none is compiled when the module loads.


def _resources() -> Path:
    from .catalog import resources_dir  # imported late: catalog loads forms, which load expressions

    return resources_dir()


def _data_lines(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _join(found: list[str]) -> str:
    unique = list(dict.fromkeys(found))
    text = "、".join(unique[:_MAX_FOUND])
    return text + ("等" if len(unique) > _MAX_FOUND else "")


# ------------------------------------------------------------------ places

# Organs that make a place name the subject of the text: 东昌市政协, 某县财政局, 某市委; with
# the departments of departments.tsv. Not any word ending in 局 or 办 (深圳市举办, 布局).
_ORGANS = (r"中国人民政治协商会议|人民代表大会|人民政府|人民法院|人民检察院|政协|人大|政府|党委|纪委"
           r"|委员会|委(?![托])|机关|办公室|办公厅|[" + _HAN + r"]{1,6}?(?:管理局|事务局|服务中心)")
# Known names that are also common nouns ("建设新城区").
_COMMON_NOUNS = {"新城区", "老城区", "市中区", "城中区", "城关区", "高新区", "开发区", "新市区"}


@lru_cache(maxsize=1)
def _organ() -> re.Pattern:
    spellings = sorted({s for kind in _kinds() for s in kind.spellings}, key=len, reverse=True)
    return re.compile("(?:" + _ORGANS + "|" + "|".join(map(re.escape, spellings)) + ")")


@lru_cache(maxsize=1)
def _unknown_place() -> re.Pattern:
    """A place missing from the list: two characters and 市 or 县 opening a document title or
    right after a province (《东昌市政协机关财务管理制度》, 广东省东昌市财政局), an organ after it."""
    return re.compile(r"(?:(?<=《)|(?<=《中共)|(?<=省))([" + _HAN + r"]{2})(市|县)(?=" + _organ().pattern + ")")

_NOT_PLACE_START = set("本全各该我省市县区州此上下同其每")
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
_PLAIN_SUFFIXES = ("特别行政区", "地区", "林区", "省", "市", "县", "区", "盟", "旗")


@dataclass(frozen=True)
class _Division:
    """One administrative division of places.tsv: its code, full name and short name."""

    code: str
    name: str
    short: str

    @property
    def level(self) -> int:
        """1 province, 2 prefecture, 3 county."""
        if self.code.endswith("0000"):
            return 1
        return 2 if self.code.endswith("00") else 3

    def contains(self, other: "_Division") -> bool:
        prefix = self.code[: 2 * self.level]
        return other.code.startswith(prefix)


def _short_name(name: str) -> str:
    if name == "内蒙古自治区":
        return "内蒙古"
    if name.endswith(_AUTONOMOUS):
        return name[:2]  # 广西, 乳源, 延边: the ethnic names in between are left out
    for suffix in _PLAIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class _Places:
    """The divisions of places.tsv, by name, with what finding their names in a text needs."""

    divisions: tuple[_Division, ...]
    by_name: dict[str, tuple[_Division, ...]]
    findable: frozenset[str]  # full names of three characters or more that are no common noun
    longest: int
    last_chars: frozenset[str]  # 省, 市, 县, 区, 州, 盟, 旗…

    def find(self, text: str):
        """(start, name) of each known full name in text: at each character a name can end
        with, the longest name that ends there."""
        for end, char in enumerate(text, 1):
            if char not in self.last_chars:
                continue
            for size in range(min(self.longest, end), 2, -1):
                name = text[end - size:end]
                if name in self.findable:
                    yield end - size, name
                    break


@lru_cache(maxsize=1)
def _places() -> _Places:
    divisions = tuple(
        _Division(code, name, _short_name(name))
        for code, name in _data_lines(_resources() / "places" / "divisions.tsv")
    )
    by_name: dict[str, list[_Division]] = {}
    for division in divisions:
        by_name.setdefault(division.name, []).append(division)
    names = frozenset(d.name for d in divisions if len(d.name) >= 3 and d.name not in _COMMON_NOUNS)
    return _Places(divisions, {k: tuple(v) for k, v in by_name.items()}, names,
                   max(map(len, names)), frozenset(name[-1] for name in names))


@lru_cache(maxsize=1)
def _provinces() -> tuple[str, ...]:
    return tuple(d.name for d in _places().divisions if d.level == 1 and d.name.endswith("省"))


@lru_cache(maxsize=64)
def _own_places(region: str, unit_name: str) -> tuple[frozenset[str], frozenset[str]]:
    """Full and short names of the unit's own divisions, their superiors and their subordinates."""
    places = _places()
    mine = [
        d for d in places.divisions
        if (len(d.name) >= 3 and (d.name in region or d.name in unit_name))
        or (len(d.short) >= 2 and d.short in region)
    ]
    own = set()
    for division in places.divisions:
        if any(m.contains(division) or division.contains(m) for m in mine):
            own.add(division)
    return frozenset(d.name for d in own), frozenset(d.short for d in own)


def _in_title(text: str, position: int) -> bool:
    return text.rfind("《", 0, position) > text.rfind("》", 0, position)


@lru_cache(maxsize=4096)
def foreign_places(text: str, region: str, unit_name: str) -> str:
    """Places other than the unit's own, named with an organ after them or in a 《title》."""
    own_full, own_short = _own_places(region, unit_name)
    if not own_full:
        return ""  # the unit's place is not known: nothing can be told apart
    places = _places()
    found = []
    for start, name in places.find(text):
        if name in own_full:
            continue
        if _organ().match(text, start + len(name)) or _in_title(text, start):
            found.append(name)
    for match in _unknown_place().finditer(text):
        name = match.group(1) + match.group(2)
        stem = match.group(1)
        if name in places.by_name or stem in own_short or stem[0] in _NOT_PLACE_START:
            continue
        before = text[: match.start()]
        if before.endswith("省") and not any(before.endswith(p) for p in _provinces()):
            continue
        found.append(name)
    return _join(found)


# ------------------------------------------------------------- departments

@dataclass(frozen=True)
class _Kind:
    """A kind of department (民政局…) and the ways it is spelt, from departments.tsv."""

    name: str
    spellings: tuple[str, ...]


@lru_cache(maxsize=1)
def _kinds() -> tuple[_Kind, ...]:
    return tuple(
        _Kind(row[0], tuple(s for s in row[1].split("、") if s))
        for row in _data_lines(_resources() / "textcheck" / "departments.tsv")
    )


_OWN_WORK = r"(?:的)?(?:年度|全年|本年)?(?:工作要点|工作计划|工作任务|工作目标|工作总结|三定方案|主要职责|职能职责)"
_SELF_WORD = r"(?:本|我)(局|院|厅)(?![长])"


@lru_cache(maxsize=4096)
def foreign_departments(text: str, unit_name: str) -> str:
    """Another kind of department written as if it were the unit: 民政局年度工作要点 in a 政协
    report, 本局 in a report of a unit that is no 局."""
    if not unit_name:
        return ""
    found = []
    for kind in _kinds():
        if any(s in unit_name for s in kind.spellings):
            continue
        for spelling in kind.spellings:
            for match in re.finditer(re.escape(spelling) + _OWN_WORK, text):
                found.append(match.group(0))
    for match in re.finditer(_SELF_WORD, text):
        if match.group(1) not in unit_name:
            found.append(match.group(0))
    return _join(found)


# ------------------------------------------------------------------- typos

@lru_cache(maxsize=1)
def _typos() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple(
        (re.compile(row[0]), row[1])
        for row in _data_lines(_resources() / "textcheck" / "typos.tsv")
    )


@lru_cache(maxsize=4096)
def typos(text: str) -> str:
    """Common misspellings, each with its correct form: 本度（应为“本年度”）."""
    found = []
    for pattern, right in _typos():
        match = pattern.search(text)
        if match:
            found.append(f"{match.group(0)}（应为“{right}”）")
    return _join(found)


# --------------------------------------------------------- template text

_DEFINITION = (
    r"(?:该|本|此)项?指标(?:主要)?(?:从|反映|考核|用以|用于|是指|衡量)"
    r"|是指|用[以于]反映|指标分值"
)
_NOUN_PHRASE_END = r"的[" + _HAN + r"]{0,10}(?:化|情况|程度|性)$"
_ASSESSMENT = r"[0-9０-９]|已|了|均|未|没有|无|完成|达到|严格|全部|按|较好|良好|不足|存在"
_SENTENCE = r"[^。；;！!？?\n]+"
_PUNCT = r"[\s，,、。；;：:！!？?“”\"'‘’（）()《》〔〕\[\]【】]"


def _squash(text: str) -> str:
    return re.sub(_PUNCT, "", text)


def _definitional(sentence: str) -> bool:
    if re.search(_DEFINITION, sentence):
        return True
    return bool(re.search(_NOUN_PHRASE_END, sentence)) and not re.search(_ASSESSMENT, sentence)


@lru_cache(maxsize=4096)
def template_text(text: str, criteria: str) -> str:
    """The text, when it only defines the indicator or repeats its scoring standard."""
    squashed = _squash(text)
    if len(squashed) < 6:
        return ""
    quote = text.strip().replace("\n", " ")
    quote = quote if len(quote) <= 30 else quote[:30] + "…"
    standard = _squash(criteria)
    if standard and len(squashed) >= 8 and (squashed in standard or standard in squashed):
        return quote
    sentences = [s.strip() for s in re.findall(_SENTENCE, text) if _squash(s)]
    if sentences and all(_definitional(s) for s in sentences):
        return quote
    return ""


# ------------------------------------------------------ repeated paragraphs

_ENUMERATION = r"^[\s(（]*(?:[0-9０-９]+|[一二三四五六七八九十]+)[)）、.．]\s*"
_MIN_PARAGRAPH = 20  # characters: shorter lines (无, 本单位无下属单位。) are repeated honestly


def _paragraphs(text: str) -> list[tuple[str, str]]:
    result = []
    for line in text.splitlines():
        key = re.sub(r"\s+", "", re.sub(_ENUMERATION, "", line.strip()))
        if len(key) >= _MIN_PARAGRAPH:
            result.append((key, line.strip()))
    return result


@lru_cache(maxsize=4096)
def repeated_paragraph(text: str, earlier: str) -> str:
    """The first paragraph of text that an earlier field already has word for word."""
    if not earlier:
        return ""
    seen = {key for key, _ in _paragraphs(earlier)}
    for key, line in _paragraphs(text):
        if key in seen:
            return line if len(line) <= 30 else line[:30] + "…"
    return ""
