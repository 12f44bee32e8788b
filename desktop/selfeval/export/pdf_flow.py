"""Chinese text on the GB/T 9704 grid: line breaking and the flowables that draw it.

reportlab's own CJK wrapping ignores character spacing and cannot justify a
line of hanzi, so paragraphs are set here: every character is a break point
except inside runs of Latin letters and digits ("628.76", "0751-5550123"),
punctuation that may not start a line pulls the previous character down with
it, opening brackets never end a line, and full lines are justified by
spreading the rest of the line over the character gaps.  A paragraph that
would end on a line of one hanzi (a 性 under 绩效指标明确) takes one more
character down from the line before, where the rules above allow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.pdfbase.pdfdoc import PDFDictionary
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether

NO_START = frozenset("，。、；：？！）》」』】〕〉〗”’…—·%‰℃,.;:?!)]}>")
NO_END = frozenset("（《「『【〔〈〖“‘([{<")
_TOKEN = re.compile(r"\n|[A-Za-z0-9][A-Za-z0-9.,:%/+\-_@#&]*|\s|.", re.S)
_FUZZ = 0.5
_ASCENT = 0.88  # share of the em box above the baseline for CJK fonts


@dataclass(frozen=True)
class Line:
    text: str
    indent: float
    glyphs: float  # advance widths of the glyphs, without spacing
    justify: bool


class _Measure:
    """Glyph advance widths of one font at one size, cached by string."""

    def __init__(self, font: str, size: float):
        self.font, self.size, self._cache = font, size, {}

    def __call__(self, text: str) -> float:
        width = self._cache.get(text)
        if width is None:
            width = self._cache[text] = stringWidth(text, self.font, self.size)
        return width


def break_lines(text: str, measure, width: float, char_space: float, first_indent: float = 0.0,
                indent: float = 0.0, balance: bool = False) -> list[Line]:
    """Break ``text`` into lines of at most ``width`` points; "\\n" forces a break.

    The first line starts ``first_indent`` points in, the others ``indent``.
    With ``balance``, no paragraph (nor line ended by "\\n") ends on a line of one hanzi
    where a character can come down from the line before.
    """
    tokens = _TOKEN.findall(text)
    lines: list[Line] = []
    current: list[int] = []
    used = 0.0
    i = 0
    paragraph = 0  # index of the first line since the last "\n"

    def available() -> float:
        return width - (first_indent if not lines else indent)

    def flush(justify: bool) -> None:
        nonlocal current, used, paragraph
        line = "".join(tokens[k] for k in current).rstrip()
        lines.append(Line(line, first_indent if not lines else indent, measure(line), justify and len(line) > 1))
        current, used = [], 0.0
        if not justify:  # the end of a paragraph or of a line broken by "\n"
            if balance and len(lines) - paragraph > 1:
                lines[-2:] = _balanced(lines[-2], lines[-1], measure, width - indent, char_space) or lines[-2:]
            paragraph = len(lines)

    while i < len(tokens):
        token = tokens[i]
        if token == "\n":
            flush(False)
            i += 1
            continue
        if not current and token.isspace():
            i += 1
            continue
        advance = measure(token) + len(token) * char_space
        if used + advance <= available() + _FUZZ:
            current.append(i)
            used += advance
            i += 1
            continue
        if not current:  # one token wider than the line: cut it where it must
            cut = 1
            while cut < len(token) and measure(token[:cut + 1]) + (cut + 1) * char_space <= available():
                cut += 1
            tokens[i:i + 1] = [token[:cut], token[cut:]]
            continue
        start = i
        while len(current) > 1 and tokens[start][0] in NO_START:
            start = current.pop()
        while len(current) > 1 and tokens[current[-1]][-1] in NO_END:
            start = current.pop()
        i = start
        flush(True)
    if current or not lines:
        flush(False)
    return lines


def _is_hanzi(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


def _balanced(previous: Line, last: Line, measure, room: float, char_space: float) -> list[Line] | None:
    """``previous`` and a ``last`` line of one hanzi (and its stop: "性", "分。") with one (or, before
    a comma, two) more characters on the last line, if it still fits in ``room`` points."""
    word = last.text.rstrip("".join(NO_START))
    if len(word) != 1 or not _is_hanzi(word):
        return None
    for count in (1, 2):
        head, moved = previous.text[:-count].rstrip(), previous.text[-count:]
        if len(head) < 2 or any(c.isascii() for c in moved):
            return None  # never a piece of a number or a word
        if moved[0] not in NO_START and head[-1] not in NO_END:
            tail = moved + last.text
            if measure(tail) + len(tail) * char_space > room + _FUZZ:
                return None
            return [Line(head, previous.indent, measure(head), previous.justify),
                    Line(tail, last.indent, measure(tail), last.justify)]
    return None


class GridParagraph(Flowable):
    """One paragraph in one font, on lines of fixed height, split across pages by line."""

    def __init__(self, text: str, font: str, size: float, leading: float, *, char_space: float = 0.0,
                 first_indent: float = 0.0, indent: float = 0.0, align: str = "justify",
                 space_before: float = 0.0, balance: bool = True, lines: list[Line] | None = None):
        super().__init__()
        self.text, self.font, self.size, self.leading = text, font, size, leading
        self.char_space, self.first_indent, self.indent, self.align = char_space, first_indent, indent, align
        self.space_before, self.balance = space_before, balance
        self._lines = lines  # given for the parts of a split paragraph, which never re-break
        self._fixed = lines is not None
        self._width: float | None = None

    def lines(self, width: float) -> list[Line]:
        if not self._fixed and (self._lines is None or abs(self._width - width) > 0.01):
            self._lines = break_lines(self.text, _Measure(self.font, self.size), width,
                                      self.char_space, self.first_indent, self.indent, self.balance)
            self._width = width
        return self._lines

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = self.space_before + len(self.lines(available_width)) * self.leading
        return self.width, self.height

    def split(self, available_width, available_height):
        lines = self.lines(available_width)
        fit = int((available_height - self.space_before + 0.01) // self.leading)
        if fit >= len(lines):
            return [self]
        if fit < 1:
            return []
        # GB/T 9704 fills every page with its 22 lines: a paragraph breaks after any line
        head = self._copy(lines[:fit], self.space_before)
        return [head, self._copy(lines[fit:], 0.0)]

    def _copy(self, lines: list[Line], space_before: float) -> "GridParagraph":
        return GridParagraph(self.text, self.font, self.size, self.leading, char_space=self.char_space,
                             first_indent=self.first_indent, indent=self.indent, align=self.align,
                             space_before=space_before, balance=self.balance, lines=lines)

    def draw(self):
        canvas, width = self.canv, self.width
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        top = self.height - self.space_before
        for number, line in enumerate(self._lines or []):
            count = len(line.text)
            spacing = self.char_space
            room = width - line.indent
            slack = room - line.glyphs - (count - 1) * spacing
            if self.align == "justify" and line.justify and count > 1 and slack < 3 * self.size:
                spacing += slack / (count - 1)  # spread the rest of a full line over its gaps
            visible = line.glyphs + max(count - 1, 0) * spacing
            x = line.indent
            if self.align == "center":
                x += (room - visible) / 2
            elif self.align == "right":
                x += room - visible
            baseline = top - number * self.leading - (self.leading - self.size) / 2 - _ASCENT * self.size
            text.setCharSpace(spacing)
            text.setTextOrigin(x, baseline)
            text.textOut(line.text)
        canvas.drawText(text)


class WithHeadings(Flowable):
    """Headings that stay on one page with the start of the paragraph after them.

    Where the whole does not fit, the headings go with as many lines of the
    paragraph as the page holds, at least one (never a heading alone at the
    foot of a page), else all of it moves to the next page.
    """

    def __init__(self, headings: list, body: GridParagraph):
        super().__init__()
        self.headings, self.body = headings, body

    def _heads(self, width: float) -> float:
        return sum(heading.wrap(width, 1e6)[1] for heading in self.headings)

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = self._heads(available_width) + self.body.wrap(available_width, 1e6)[1]
        return self.width, self.height

    def split(self, available_width, available_height):
        room = available_height - self._heads(available_width)
        rest = self.body.split(available_width, room) if room > 0 else []
        return [*self.headings, *rest] if rest else []

    def draw(self):
        top = self.height
        for flowable in (*self.headings, self.body):
            top -= flowable.height
            flowable.drawOn(self.canv, 0, top)


class GridKeepTogether(KeepTogether):
    """KeepTogether that counts a whole number of grid lines as fitting the same number of free lines.

    reportlab compares the heights exactly, and 11 lines added one by one come
    out a rounding error taller than 11 lines of room.
    """

    def split(self, available_width, available_height):
        return super().split(available_width, available_height + 0.01)


SIGNATURE_DEST = "selfeval-signature"


class SignatureBlock(Flowable):
    """Blank room for the signature stamp, then the unit name and the date (GB/T 9704 7.3.5).

    The date stands four characters in from the right, the unit name is centred
    over it (pushed left only as far as a long name needs to stay in the type area).  The box (``box_size`` points) is centred over both and left blank;
    its page and rectangle are stored as the named destination
    :data:`SIGNATURE_DEST` (/FitR) and in ``self.placed`` after drawing.
    ``stamp``: lines drawn inside the box (the signature's stamp text), so the
    signature itself needs no font of its own; empty leaves the box blank.
    """

    def __init__(self, unit: str, date: str, font: str, size: float, leading: float, *,
                 cell: float, char_space: float, box_size: tuple[float, float], box_lines: int = 3,
                 stamp: tuple[str, ...] = ()):
        super().__init__()
        self.stamp = stamp
        self.unit, self.date, self.font, self.size, self.leading = unit, date, font, size, leading
        self.cell, self.char_space = cell, char_space
        self.box_size, self.box_lines = box_size, box_lines
        self.placed: tuple[int, tuple[float, float, float, float]] | None = None

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = (self.box_lines + 2) * self.leading
        return self.width, self.height

    def _visible(self, text: str) -> float:
        return stringWidth(text, self.font, self.size) + max(len(text) - 1, 0) * self.char_space

    def draw(self):
        canvas, width = self.canv, self.width
        unit_w, date_w = self._visible(self.unit), self._visible(self.date)
        centre = width - 4 * self.cell - date_w / 2  # 成文日期右空四字, whatever the name's length
        box_w, box_h = self.box_size
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        text.setCharSpace(self.char_space)
        for row, (line, line_w) in enumerate(((self.unit, unit_w), (self.date, date_w)), self.box_lines):
            baseline = self.height - row * self.leading - (self.leading - self.size) / 2 - _ASCENT * self.size
            # the name is centred over the date as far as the type area allows
            text.setTextOrigin(max(min(centre - line_w / 2, width - line_w), 0), baseline)
            text.textOut(line)
        canvas.drawText(text)
        centre = min(max(centre, box_w / 2), width - box_w / 2)
        zone_bottom = self.height - self.box_lines * self.leading
        x, y = centre - box_w / 2, zone_bottom + (self.box_lines * self.leading - box_h) / 2
        x1, y1 = canvas.absolutePosition(x, y)
        x2, y2 = canvas.absolutePosition(x + box_w, y + box_h)
        rect = (round(min(x1, x2), 2), round(min(y1, y2), 2), round(max(x1, x2), 2), round(max(y1, y2), 2))
        canvas.bookmarkPage(SIGNATURE_DEST, fit="FitR", left=rect[0], bottom=rect[1], right=rect[2], top=rect[3])
        canvas._doc.Catalog.Dests = PDFDictionary({SIGNATURE_DEST: canvas._bookmarkReference(SIGNATURE_DEST)})
        self.placed = (canvas.getPageNumber() - 1, rect)
        if self.stamp:
            draw_stamp(canvas, self.stamp, self.font, (x, y, box_w, box_h))


STAMP_PADDING = 8.0


def _stamp_rows(lines, font: str, size: float, width: float) -> list[str]:
    """The stamp's lines at ``size``, a line too wide broken between characters."""
    rows = []
    for line in lines:
        row = ""
        for char in line:
            if row and stringWidth(row + char, font, size) > width:
                rows.append(row)
                row = char
            else:
                row += char
        rows.append(row)
    return rows


def draw_stamp(canvas, lines, font: str, box: tuple[float, float, float, float]) -> None:
    """``lines`` from the top left of ``box`` (x, y, width, height), as large as fits (6 to 12 pt)."""
    x, y, box_w, box_h = box
    width, height = box_w - 2 * STAMP_PADDING, box_h - 2 * STAMP_PADDING
    size = 12.0
    rows = _stamp_rows(lines, font, size, width)
    while size > 6 and len(rows) * size * 1.25 > height:
        size -= 0.5
        rows = _stamp_rows(lines, font, size, width)
    rows = rows[:max(1, int(height // (size * 1.25)))]
    text = canvas.beginText()
    text.setFont(font, size, size * 1.25)
    text.setTextOrigin(x + STAMP_PADDING, y + box_h - STAMP_PADDING - _ASCENT * size)
    for row in rows:
        text.textLine(row)
    canvas.drawText(text)
