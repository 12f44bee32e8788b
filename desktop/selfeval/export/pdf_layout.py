"""Page geometry of GB/T 9704-2012 and the page templates that draw the page numbers.

Portrait A4: top margin 37 mm, left 28 mm, type area 156 × 225 mm; body 3号
(16 pt) with 28 characters a line and 22 lines a page.  Page numbers are 4号
"— n —" whose dashes lie 7 mm below the type area, odd pages right and even
pages left, one character in from the edge of the type area (7.5).

Landscape pages (the score table attachment) are the portrait sheet turned a
quarter: the table's top lies on the sheet's left edge (the binding edge of an
odd page, the outer edge of an even one) and the type area is the portrait one,
turned.  Their page numbers stay where the portrait pages have them, upright
on the sheet (10.2: 表格横排时，页码位置与公文其他页码保持一致).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)

BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
PAGE_NUMBER_SIZE = 14.0  # 4号
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22


@dataclass(frozen=True)
class Area:
    page_width: float
    page_height: float
    left: float
    bottom: float
    width: float
    height: float

    @property
    def landscape(self) -> bool:
        return self.page_width > self.page_height


PORTRAIT = Area(A4[0], A4[1], 28 * MM, (297 - 37 - 225) * MM, 156 * MM, 225 * MM)
# the portrait type area seen on the sheet turned a quarter clockwise: its bottom edge on the left
LANDSCAPE = Area(A4[1], A4[0], PORTRAIT.bottom, A4[0] - PORTRAIT.left - PORTRAIT.width, PORTRAIT.height,
                 PORTRAIT.width)

CELL = PORTRAIT.width / CHARS_PER_LINE  # one body character with its spacing, ≈ 15.79 pt
LEADING = PORTRAIT.height / LINES_PER_PAGE  # ≈ 28.99 pt
BODY_CHAR_SPACE = CELL - BODY_SIZE  # slightly negative: 28 × 16 pt is wider than 156 mm


def page_number_text(number: int) -> str:
    return f"— {number} —"


@lru_cache(maxsize=8)
def dash_middle(font: str) -> float:
    """Height of the middle of "—" above the baseline, as a share of the font size."""
    from reportlab.pdfbase.pdfmetrics import getFont

    try:
        face = getFont(font).face
        start = face.get_table_pos("glyf")[0] + face.glyphPos[face.charToGlyph[ord("—")]]
        _contours, _x_min, y_min, _x_max, y_max = struct.unpack(">5h", face.get_chunk(start, 10))
        return (y_min + y_max) / 2 / face.unitsPerEm
    except (AttributeError, KeyError, IndexError, TypeError, struct.error):
        return 0.38  # 宋体 and 仿宋 draw their dash a little above the middle of the em box


def page_number_place(number: int, text_width: float, font: str) -> tuple[float, float]:
    """Where "— n —" starts on its baseline, in portrait coordinates of the sheet."""
    baseline = PORTRAIT.bottom - 7 * MM - dash_middle(font) * PAGE_NUMBER_SIZE
    if number % 2:
        return PORTRAIT.left + PORTRAIT.width - PAGE_NUMBER_SIZE - text_width, baseline
    return PORTRAIT.left + PAGE_NUMBER_SIZE, baseline


def draw_page_number(canvas, area: Area, number: int, font: str) -> None:
    text = page_number_text(number)
    x, y = page_number_place(number, canvas.stringWidth(text, font, PAGE_NUMBER_SIZE), font)
    canvas.saveState()
    if area.landscape:  # the sheet turned back: portrait (x, y) is landscape (y, height - x), a quarter clockwise
        canvas.translate(y, area.page_height - x)
        canvas.rotate(-90)
        x = y = 0
    canvas.setFont(font, PAGE_NUMBER_SIZE)
    canvas.drawString(x, y, text)
    canvas.restoreState()


DRAFT_MARK = "草稿"
DRAFT_HEADER = "草稿 · 未定稿，不作报送"


def draw_draft_mark(canvas, area: Area, font: str) -> None:
    """A draft's marks, under the page's text: a large pale 草稿 across the sheet and a
    line above the type area."""
    canvas.saveState()
    canvas.setFillColorRGB(0.85, 0.85, 0.85)
    canvas.setFont(font, 120)
    canvas.translate(area.page_width / 2, area.page_height / 2)
    canvas.rotate(35 if not area.landscape else 20)
    canvas.drawCentredString(0, -40, DRAFT_MARK)
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillColorRGB(0.6, 0.1, 0.1)
    canvas.setFont(font, 10.5)
    canvas.drawCentredString(area.page_width / 2, area.page_height - 12 * MM, DRAFT_HEADER)
    canvas.restoreState()


def page_templates(number_font: str, *, draft: bool = False):
    """The portrait ("body") and landscape ("table") page templates, frames without padding;
    a ``draft`` is marked 草稿 on every page."""
    from reportlab.platypus import Frame, PageTemplate

    def template(name: str, area: Area) -> PageTemplate:
        frame = Frame(area.left, area.bottom, area.width, area.height, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

        def on_page(canvas, doc) -> None:
            if draft:
                draw_draft_mark(canvas, area, number_font)
            draw_page_number(canvas, area, doc.page, number_font)

        return PageTemplate(id=name, frames=[frame], onPage=on_page,
                            pagesize=(area.page_width, area.page_height))

    return [template("body", PORTRAIT), template("table", LANDSCAPE)]
