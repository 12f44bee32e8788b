"""Last year's report from Word (.docx) or a text file: its texts placed into the form's fields,
its figures proposed for the clerk to accept or reject.

``read_blocks`` turns the file into paragraphs and tables in document order; ``plan_import``
matches the headings (一、 （一） 1. （1）, with or without a weight such as （2分）) to the form's
sections, parts, indicators and text fields, gathers the text under each, and finds every
amount (万元, or 元 converted to 万元), head count (21人) and percentage with the sentence it
stands in. Nothing is stored here: ``apply_import`` writes what the clerk accepted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable

from .form import Field, Form, Indicator, Part, Section
from .parsing import ParseError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
TEXT_TYPES = ("longtext", "lines")
IMPORT_ACTION = "import"  # the audit action of values written by an import


class DocImportError(ValueError):
    """The file cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Block:
    text: str = ""  # a paragraph
    rows: tuple[tuple[str, ...], ...] = ()  # a table


@dataclass(frozen=True)
class Proposal:
    """A figure found in the text, and the field it probably belongs to (None: not known)."""

    field: str | None
    value: str  # as the clerk would type it: 628.76, 21, 98.5
    found: str  # as written: 481.39 元
    sentence: str
    note: str = ""


@dataclass(frozen=True)
class Unplaced:
    text: str
    reason: str


@dataclass
class ImportPlan:
    narratives: dict[str, str] = dataclass_field(default_factory=dict)  # field id → text
    proposals: list[Proposal] = dataclass_field(default_factory=list)
    unplaced: list[Unplaced] = dataclass_field(default_factory=list)


# ------------------------------------------------------------------ reading

def read_blocks(path: str | Path) -> list[Block]:
    """Paragraphs and tables of a .docx or a text file, in order."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocImportError(f"文件过大（{size / 1024 / 1024:.1f} MB），不像是一份自评报告，请检查是否选错了文件。")
        data = path.read_bytes()
    except OSError as error:
        raise DocImportError(f"无法读取文件“{path.name}”：{error.strerror or error}") from None
    return blocks_from_bytes(data, path.name)


def blocks_from_bytes(data: bytes, name: str = "") -> list[Block]:
    if data.startswith(OLE_MAGIC):
        raise DocImportError(
            f"“{name}”是旧版 Word 文档（.doc），本程序不能直接读取。请在 Word 或 WPS 中打开它，"
            "选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入另存的文件。")
    if data.startswith(ZIP_MAGIC):
        return _docx_blocks(data, name)
    if name.lower().endswith((".docx", ".doc", ".wps", ".pdf")):
        raise DocImportError(f"“{name}”不是有效的 Word 文档（.docx），请在 Word 中另存为 .docx 后再导入。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DocImportError(f"“{name}”既不是 Word 文档，也不是可读的文本文件。")
    return _rejoin([Block(text=line) for line in _lines(text)])


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def _docx_blocks(data: bytes, name: str) -> list[Block]:
    import io
    import zipfile

    try:
        import docx  # python-docx, only needed here
        from docx.table import Table
    except ImportError:  # pragma: no cover - a broken install
        raise DocImportError("缺少读取 Word 文档所需的组件（python-docx），请重新安装本程序。") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocImportError(f"“{name}”不是有效的 Word 文档（.docx）：{error}") from None
    except Exception as error:  # lxml parse errors and the like
        raise DocImportError(f"无法读取 Word 文档“{name}”：{error}") from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:  # a merged cell is listed once per grid column
                    if cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(" ".join(_lines(cell.text)))
                if any(cells):
                    rows.append(tuple(cells))
            if rows:
                blocks.append(Block(rows=tuple(rows)))
        else:
            blocks.extend(Block(text=line) for line in _lines(item.text))
    return blocks


# ----------------------------------------------------------------- headings

_HEADING = [  # level, pattern of the number
    (1, re.compile(r"^[一二三四五六七八九十]+\s*[、.．]\s*")),
    (2, re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[)）]\s*[、.．]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]\s*")),
]
_WEIGHT = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_TITLE_END = re.compile(r"[。：:；;]")
_INTRO = re.compile(r"指标分值|该项?指标|主要从.{0,60}考核|反映和考核")
_NOT_KEY = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]|的")
_SHORT_HEADING = 25


def _key(text: str) -> str:
    return _NOT_KEY.sub("", text.replace("*", ""))


@dataclass(frozen=True)
class _Heading:
    level: int  # 1–4; 5 for an unnumbered line
    title: str
    rest: str  # text after the title on the same line


def _heading(line: str) -> _Heading | None:
    text = line.replace("**", "").strip()
    for level, pattern in _HEADING:
        match = pattern.match(text)
        if match:
            body = text[match.end():]
            break
    else:
        level, body = 5, text
    weight = _WEIGHT.search(body)
    end = _TITLE_END.search(body)
    if weight:
        cut = weight.start()
    else:
        cut = end.start() if end else len(body)
    title = body[:cut].strip()
    rest = body[cut:]
    if weight and weight.start() == cut:
        rest = body[weight.end():]
    rest = rest.lstrip("。：:；;，, ")
    if not title:
        return None
    return _Heading(level, title, rest.strip())


# ---------------------------------------------------------------- targets

@dataclass(frozen=True)
class _Target:
    """Where text under a heading goes."""

    field: str | None = None  # one text field
    split: tuple[str, str] | None = None  # (longtext, lines): numbered items go to the list
    leaves: tuple[Indicator, ...] = ()  # several indicators: each paragraph by its keywords
    reason: str = ""  # why text here is not placed


class _Matcher:
    def __init__(self, form: Form):
        self.form = form
        self.sections: dict[str, Section] = {}
        self.parts: dict[str, Part] = {}
        self.nodes: dict[str, Indicator] = {}
        self.labels: dict[str, Field] = {}
        for section in form.sections:
            self.sections.setdefault(_key(_strip_number(section.title)), section)
            for part in section.parts:
                self.parts.setdefault(_key(_strip_number(part.title)), part)
        for node in form.walk():
            key = _key(node.title)
            if key not in self.nodes or node.is_leaf:
                self.nodes[key] = node
        for fid, fld in form.fields.items():
            if not fid.startswith(("narrative.", "score.", "reason.")):
                self.labels.setdefault(_key(fld.label), fld)

    def text_fields(self, ids: Iterable[str]) -> list[Field]:
        return [self.form.fields[f] for f in ids if self.form.fields[f].type in TEXT_TYPES]

    def fields_target(self, ids: Iterable[str], title: str) -> _Target:
        fields = self.text_fields(ids)
        if len(fields) == 1:
            return _Target(field=fields[0].id)
        kinds = [f.type for f in fields]
        if len(fields) == 2 and sorted(kinds) == ["lines", "longtext"]:
            long, lines = (fields[0], fields[1]) if kinds[0] == "longtext" else (fields[1], fields[0])
            return _Target(split=(long.id, lines.id))
        if not fields:
            return _Target(reason=f"“{title}”下没有文字栏目（其中的数字已逐一列出）")
        return _Target(reason=f"“{title}”下有几个文字栏目，这段文字不在其中任何一个的标题下")

    def node_target(self, node: Indicator) -> _Target:
        leaves = tuple(node.leaves())
        if len(leaves) == 1:
            return _Target(field=f"narrative.{leaves[0].id}")
        return _Target(leaves=leaves, reason=f"“{node.title}”下有几个指标，这段文字不在其中任何一个的标题下")

    def match(self, heading: _Heading) -> _Target | None:
        key = _key(heading.title)
        if not key:
            return None
        if key in self.sections and heading.level in (1, 5):
            section = self.sections[key]
            if len(section.parts) == 1 and not section.parts[0].indicators:
                return self.fields_target(section.parts[0].fields, section.title)
            return _Target(reason=f"“{section.title}”的引言")
        if key in self.nodes:
            return self.node_target(self.nodes[key])
        if key in self.parts:
            part = self.parts[key]
            if part.indicators and not part.fields:
                return _Target(reason=f"“{part.title}”的引言")
            return self.fields_target(part.fields, part.title)
        if key in self.labels:
            fld = self.labels[key]
            if fld.type in TEXT_TYPES:
                return _Target(field=fld.id)
            return _Target(reason=f"“{fld.label}”不是文字栏目，请在相应页面逐项填写")
        return None


def _strip_number(title: str) -> str:
    for _, pattern in _HEADING:
        title = pattern.sub("", title, count=1)
    return title


_LEAF_SUFFIX = re.compile(r"(?:控制|执行|完成|利用|覆盖|支出|结余)?率$|情况$|性$")


def _by_keywords(leaves: tuple[Indicator, ...], text: str) -> Indicator | None:
    key = _key(text)
    hits = [leaf for leaf in leaves if (word := _LEAF_SUFFIX.sub("", _key(leaf.title))) and word in key]
    return hits[0] if len(hits) == 1 else None


# --------------------------------------------------------------- placing text

_LIST_ITEM = re.compile(r"[，,、；;]|[；;，,]$")
_CLOSED = re.compile(r"[。！!？?；;：:”’）)》\]】…]$")


def _rejoin(blocks: list[Block]) -> list[Block]:
    """In a text file, a long line that stops mid-sentence (a page break where the text was
    copied from a PDF) and the line after it are one paragraph. Word's paragraphs are kept."""
    result: list[Block] = []
    for block in blocks:
        previous = result[-1] if result else None
        if (previous is not None and not previous.rows and not block.rows
                and not _CLOSED.search(previous.text)
                and (len(previous.text) > _SHORT_HEADING
                     or len(previous.text) > 12 and not any(p.match(previous.text) for _, p in _HEADING))
                and not any(p.match(block.text) for _, p in _HEADING)):
            result[-1] = Block(text=previous.text + block.text)
        else:
            result.append(block)
    return result


def plan_import(form: Form, blocks: list[Block]) -> ImportPlan:
    """Where each paragraph goes, which figures the text states, what could not be placed."""
    matcher = _Matcher(form)
    plan = ImportPlan()
    texts: dict[str, list[str]] = {}
    target = _Target(reason="标题之前的文字")
    target_level = 0
    context = ""  # the last paragraph, to title a table

    def put(fid: str, text: str) -> None:
        texts.setdefault(fid, []).append(text)

    def place(text: str) -> None:
        if target.field:
            put(target.field, text)
        elif target.split:
            numbered = _numbered_item(text)
            if numbered is not None:
                put(target.split[1], numbered)
            else:
                put(target.split[0], text)
        elif target.leaves and (leaf := _by_keywords(target.leaves, text)) is not None:
            put(f"narrative.{leaf.id}", text)
        else:
            plan.unplaced.append(Unplaced(text, target.reason or "不属于任何栏目"))

    for block in blocks:
        if block.rows:
            plan.proposals.extend(table_figures(block.rows, context))
            continue
        line = block.text
        plan.proposals.extend(figures(line))
        context = line
        heading = _heading(line)
        matched = matcher.match(heading) if heading else None
        if matched is not None:
            target, target_level = matched, heading.level
            if heading.rest:
                if _INTRO.search(heading.rest):
                    plan.unplaced.append(Unplaced(heading.rest, f"“{heading.title}”的指标说明，表单中没有对应栏目"))
                else:
                    place(heading.rest)
            continue
        if (heading and heading.level < 5 and len(line) <= _SHORT_HEADING and not _LIST_ITEM.search(_strip_number(line))
                and (heading.level == target_level or heading.level <= min(target_level, 2))):
            # a heading the form has no field for ends the text above it when it is of the same
            # rank as the heading of that text, or a chapter (一、 （一）); a short numbered item
            # inside the text (1、召开全会；) does not
            target, target_level = _Target(reason=f"表单中没有与“{heading.title}”对应的栏目"), heading.level
            plan.unplaced.append(Unplaced(line, target.reason))
            continue
        place(line)

    for fid, parts in texts.items():
        fld = form.fields[fid]
        plan.narratives[fid] = "\n".join(parts)
        if fld.type == "lines":
            plan.narratives[fid] = "\n".join(p for p in parts if p)
    return plan


_ITEM = re.compile(r"^\s*(?:[（(]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[、.．](?!\d))\s*")


def _numbered_item(text: str) -> str | None:
    match = _ITEM.match(text)
    return text[match.end():].strip() if match else None


# ------------------------------------------------------------------ figures

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
_FIGURE = re.compile(r"(?<![\d.,])" + _NUMBER + r"\s*(万元|元|人|名|%|％)")
_SENTENCE = re.compile(r"[^。；;\n]+[。；;]?")
_BUDGET_OR_ACTUAL = re.compile(r"预算|决算")


def _sangong(kind: str):
    def pick(prefix: str) -> str | None:
        words = _BUDGET_OR_ACTUAL.findall(prefix)
        if not words:
            return None
        return f"sangong.{'budget' if words[-1] == '预算' else 'actual'}.{kind}"
    return pick


def _staff(kind: str):
    def pick(prefix: str) -> str:
        in_service = prefix.rfind("在职")
        authorized = max(prefix.rfind("核定"), prefix.rfind("编制数"))
        return f"staff.in_service_{kind}" if in_service > authorized else f"staff.authorized_{kind}"
    return pick


# (pattern, field id or a function of the text before the figure); the keyword nearest before
# the figure wins, the longer one on a tie.
_MONEY_WORDS: list[tuple[str, Any]] = [
    (r"基本(?:支出)?收入", "income.basic"),
    (r"项目(?:支出)?收入", "income.project"),
    (r"收入(?:合计|总额|总计)?", "income.total"),
    (r"基本支出", "expense.basic"),
    (r"项目支出", "expense.project"),
    (r"支出合计|总支出|(?:部门|本年|全年)(?:实际)?支出", "expense.total"),
    (r"人员类?经费(?:预算)?", "budget.personnel"),
    (r"公用经费(?:年初)?预算数?", "budget.public"),
    (r"公用经费决算数?", "public_expense.actual"),
    (r"部门职能类(?:经费)?|项目[（(]部门职能类[)）]经费", "budget.project"),
    (r"年初预算(?:合计|数)?|预算合计|合计预算", "budget.initial_total"),
    (r"调整后(?:的)?预算数?", "budget.adjusted_total"),
    (r"结转结余(?:资金)?", "carryover.year_end"),
    (r"采购计划金额(?:合计数?)?", "procurement.planned"),
    (r"实际采购金额(?:合计数?)?", "procurement.actual"),
    (r"固定资产原值(?:总额)?", "assets.fixed_total"),
    (r"在用(?:固定资产)?(?:原值)?", "assets.fixed_in_use"),
    (r"三公[”\"’']?经费?(?:预算|决算)数?|三公[^。；]{0,12}?(?:预算|决算)[^。；]{0,6}?合计", _sangong("total")),
    (r"因公出国[（(]境[)）]费?", _sangong("abroad")),
    (r"公务用车(?:购置及)?(?:运行维护费?)?", _sangong("vehicle")),
    (r"公务接待费?", _sangong("reception")),
]
_COUNT_WORDS: list[tuple[str, Any]] = [
    (r"在职(?:人员|人数)?(?:合计)?", "staff.in_service_total"),
    (r"退休(?:人员|人数)?", "staff.retired"),
    (r"年末实有人数|实有人员总数|实有人数", "staff.year_end_total"),
    (r"行政(?:编制)?(?:人员|数)?", _staff("admin")),
    (r"事业(?:编制)?(?:人员|数)?", _staff("service")),
    (r"工勤(?:人员|编制数?)?", _staff("worker")),
    (r"核定编制数?|编制数(?:合计)?|编制总数", None),  # 编制数合计 is worked out from the three kinds
]
_PERCENT_WORDS: list[tuple[str, Any]] = [
    (r"满意(?:率|度)", "satisfaction.rate"),
]


def _compile(words):
    return [(re.compile(pattern), target) for pattern, target in words]


_WORDS = {"money": _compile(_MONEY_WORDS), "count": _compile(_COUNT_WORDS),
          "percent": _compile(_PERCENT_WORDS)}


def _guess(kind: str, prefix: str) -> str | None:
    best = None  # (end, length, target)
    for pattern, target in _WORDS[kind]:
        for match in pattern.finditer(prefix):
            candidate = (match.end(), match.end() - match.start(), target)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        return None
    target = best[2]
    return target(prefix[:best[0]]) if callable(target) else target  # None: a figure the form works out


def _amount(digits: str, decimals: str | None) -> Decimal:
    return Decimal(digits.replace(",", "") + (decimals or ""))


def _format(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _proposal(kind: str, value: Decimal, unit: str, prefix: str, found: str, sentence: str) -> Proposal:
    note = ""
    if kind == "money" and unit == "元":
        converted = (value / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        note = f"原文为 {_format(value)} 元，已换算为 {converted} 万元；请核对原文是否把“万元”写成了“元”"
        value = converted
    return Proposal(_guess(kind, prefix), _format(value), found, sentence.strip(), note)


_KINDS = {"万元": "money", "元": "money", "人": "count", "名": "count", "%": "percent", "％": "percent"}


def figures(text: str) -> list[Proposal]:
    """Every amount, head count and percentage in a paragraph, with its sentence."""
    result = []
    for sentence in _SENTENCE.findall(text):
        for match in _FIGURE.finditer(sentence):
            unit = match.group(3)
            kind = _KINDS[unit]
            value = _amount(match.group(1), match.group(2))
            if kind == "count" and match.group(2):
                continue  # 2.5人 is no head count
            prefix = sentence[: match.start()]
            result.append(_proposal(kind, value, unit, prefix, match.group(0), sentence))
    return result


_CELL_NUMBER = re.compile(r"^\s*" + _NUMBER + r"\s*(万元|元|人|%|％)?\s*$")


def table_figures(rows: tuple[tuple[str, ...], ...], context: str = "") -> list[Proposal]:
    """The figures of a table: each numeric cell whose row label and column head name a field
    (the 三公 and budget tables); the cells of other tables (a score table's 分值 and 得分) are
    not figures of the form and are left out."""
    header = rows[0]
    title = context if len(context) <= 60 else ""
    whole = title + "".join("".join(r) for r in rows)
    unit = "元" if re.search(r"单位[：:]\s*元|[（(]元[)）]", whole) and "万元" not in whole else "万元"
    result = []
    for row in rows[1:]:
        label = " ".join(c for c in row if c and not _CELL_NUMBER.match(c))
        for index, cell in enumerate(row):
            match = _CELL_NUMBER.match(cell)
            if not match or not label:
                continue
            head = header[index] if index < len(header) else ""
            cell_unit = match.group(3) or ("人" if re.search(r"人数|人员", label + head) else unit)
            kind = _KINDS.get(cell_unit, "money")
            prefix = f"{title} {head} {label}"
            sentence = f"表格（{title or '｜'.join(header)}）：{label}｜{head}：{cell.strip()}"
            value = _amount(match.group(1), match.group(2))
            proposal = _proposal(kind, value, cell_unit, prefix, cell.strip(), sentence)
            if proposal.field is not None:
                result.append(proposal)
    return result


# ----------------------------------------------------------------- applying

@dataclass
class ApplyResult:
    written: list[str] = dataclass_field(default_factory=list)
    kept: list[str] = dataclass_field(default_factory=list)  # fields that already held other text
    refused: list[tuple[str, str]] = dataclass_field(default_factory=list)  # (field, message)


def typed_values(form: Form, plan: ImportPlan, accepted: Iterable[Proposal], *,
                 narratives: bool = True) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The values to store: the placed texts (when ``narratives``) and the accepted figures,
    parsed like typed input; the first accepted figure of a field wins."""
    from .values import parse_input

    wanted: dict[str, str] = dict(plan.narratives) if narratives else {}
    for proposal in accepted:
        if proposal.field and proposal.field in form.fields and proposal.field not in wanted:
            wanted[proposal.field] = proposal.value
    typed, refused = {}, []
    for fid, text in wanted.items():
        try:
            typed[fid] = parse_input(form, form.fields[fid], text).value
        except ParseError as error:
            refused.append((fid, str(error)))
    return typed, refused


def apply_import(workspace, report_id: int, plan: ImportPlan, accepted: Iterable[Proposal] = (), *,
                 narratives: bool = True, replace: bool = False) -> ApplyResult:
    """Store the placed texts and the accepted figures in one step, marked as imported.
    A field that already holds something else is kept unless ``replace``."""
    from .values import is_empty

    report = workspace.open_report(report_id)
    typed, refused = typed_values(report.form, plan, accepted, narratives=narratives)
    result = ApplyResult(refused=refused)
    for fid in list(typed):
        current = report.values.get(fid)
        if not replace and not is_empty(current) and current != typed[fid]:
            result.kept.append(fid)
            del typed[fid]
    result.written = workspace.set_values(report_id, typed, action=IMPORT_ACTION)
    return result


# ----------------------------------------------------------------- describing

def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "…"


NO_FIELD = "（未对应到字段）"


def field_label(form: Form, fid: str | None) -> str:
    """A field's label with its id, for the command line (where ``selfeval set`` takes the id)."""
    if fid is None or fid not in form.fields:
        return NO_FIELD
    fld = form.fields[fid]
    return f"{fld.label}（{fid}）"


def clerk_label(form: Form, fid: str | None) -> str:
    """A field as the clerk knows it from the wizard: its label alone (the form's labels are
    told apart by themselves; one used twice is followed by its page's title)."""
    if fid is None or fid not in form.fields:
        return NO_FIELD
    label = form.fields[fid].label
    if sum(1 for fld in form.fields.values() if fld.label == label) > 1:
        return f"{label}（{field_place(form, fid)}）"
    return label


def field_place(form: Form, fid: str) -> str:
    """The title of the wizard page a field is entered on."""
    from .navigation import field_page_index, pages_of

    index = field_page_index(form).get(fid)
    return pages_of(form)[index].title if index is not None else ""


def proposal_value(form: Form, proposal: Proposal) -> str:
    fld = form.fields.get(proposal.field or "")
    if proposal.found.endswith(("%", "％")):
        return proposal.value + "%"
    unit = fld.unit if fld is not None and fld.unit else ("万元" if proposal.found.endswith("元") else "")
    return f"{proposal.value} {unit}".strip()


def describe(form: Form, plan: ImportPlan, *, stored: ApplyResult | None = None,
             accepted: Iterable[Proposal] = ()) -> str:
    """The plan as the command line prints it."""
    accepted_ids = {id(p) for p in accepted}
    lines = []
    if stored is None:
        state = "未保存"
    else:
        written = len([fid for fid in plan.narratives if fid in stored.written])
        state = f"写入 {written} 项" + (f"，{len(stored.kept)} 项已有内容、未覆盖（--replace 覆盖）" if stored.kept else "")
    lines.append(f"文字说明：{len(plan.narratives)} 项（{state}）")
    for fid, text in plan.narratives.items():
        mark = ""
        if stored is not None:
            mark = "  已保留原有内容，未覆盖" if fid in stored.kept else ""
        lines.append(f"  {field_label(form, fid)}：{len(text)} 字{mark}")
    lines.append("")
    lines.append(f"数字：{len(plan.proposals)} 个，每个都附原文的句子，请逐一核对")
    for number, proposal in enumerate(plan.proposals, 1):
        mark = "  [已写入]" if id(proposal) in accepted_ids and stored is not None \
            and proposal.field in stored.written else ""
        lines.append(f"  [{number}] {field_label(form, proposal.field)} = {proposal_value(form, proposal)}{mark}")
        lines.append(f"      原文：{_short(proposal.sentence, 80)}")
        if proposal.note:
            lines.append(f"      注意：{proposal.note}")
    if plan.unplaced:
        lines.append("")
        lines.append(f"未能放入栏目的内容：{len(plan.unplaced)} 段")
        for item in plan.unplaced:
            lines.append(f"  - {item.reason}：{_short(item.text)}")
    if stored is not None and stored.refused:
        lines.append("")
        lines.append("未能写入：")
        for fid, message in stored.refused:
            lines.append(f"  - {field_label(form, fid)}：{message}")
    return "\n".join(lines)


def plan_json(form: Form, plan: ImportPlan, *, report_id: int | None = None,
              stored: ApplyResult | None = None, accepted: Iterable[Proposal] = ()) -> dict:
    accepted_ids = {id(p) for p in accepted}
    return {
        "report": report_id,
        "narratives": plan.narratives,
        "written": list(stored.written) if stored else [],
        "kept": list(stored.kept) if stored else [],
        "refused": [{"field": f, "message": m} for f, m in stored.refused] if stored else [],
        "proposals": [
            {"field": p.field, "value": p.value, "found": p.found, "sentence": p.sentence,
             "note": p.note, "accepted": id(p) in accepted_ids}
            for p in plan.proposals
        ],
        "unplaced": [{"text": u.text, "reason": u.reason} for u in plan.unplaced],
    }


def self_check(folder: Path) -> str:
    """Write a small .docx with python-docx and import it back: the self-test's proof that
    Word files can be read (the frozen program carries python-docx and lxml)."""
    import docx

    from .catalog import FormCatalog

    document = docx.Document()
    document.add_paragraph("五、存在问题")
    document.add_paragraph("部分绩效指标量化程度不高。")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ("项目", "金额（万元）", "支出合计", "628.76")):
        cell.text = text
    path = Path(folder) / "selftest.docx"
    document.save(str(path))
    catalog = FormCatalog()
    plan = plan_import(catalog.get(catalog.default_form_id()), read_blocks(path))
    if "problems" not in plan.narratives or [p.value for p in plan.proposals] != ["628.76"]:
        raise RuntimeError("Word 文档的文字或数字未能读出")
    return f"文字 {len(plan.narratives)} 项，数字 {len(plan.proposals)} 个"
