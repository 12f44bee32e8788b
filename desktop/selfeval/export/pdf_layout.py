"""Page geometry of GB/T 9704-2012 and the page templates that draw the page numbers.

Portrait A4: top margin 37 mm, left 28 mm, type area 156 × 225 mm; body 3号
(16 pt) with 28 characters a line and 22 lines a page.  Landscape pages (the
score table attachment) keep the same type area turned sideways, centred.
Page numbers are 4号 "— n —" 7 mm below the type area, odd pages right and
even pages left, one character in from the edge of the type area.
"""
from __future__ import annotations

from dataclasses import dataclass

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
LANDSCAPE = Area(A4[1], A4[0], (297 - 225) / 2 * MM, (210 - 156) / 2 * MM, 225 * MM, 156 * MM)

CELL = PORTRAIT.width / CHARS_PER_LINE  # one body character with its spacing, ≈ 15.79 pt
LEADING = PORTRAIT.height / LINES_PER_PAGE  # ≈ 28.99 pt
BODY_CHAR_SPACE = CELL - BODY_SIZE  # slightly negative: 28 × 16 pt is wider than 156 mm


def page_number_text(number: int) -> str:
    return f"— {number} —"


def draw_page_number(canvas, area: Area, number: int, font: str) -> None:
    text = page_number_text(number)
    width = canvas.stringWidth(text, font, PAGE_NUMBER_SIZE)
    baseline = area.bottom - 7 * MM - 0.88 * PAGE_NUMBER_SIZE
    if number % 2:
        x = area.left + area.width - PAGE_NUMBER_SIZE - width
    else:
        x = area.left + PAGE_NUMBER_SIZE
    canvas.saveState()
    canvas.setFont(font, PAGE_NUMBER_SIZE)
    canvas.drawString(x, baseline, text)
    canvas.restoreState()


def page_templates(number_font: str):
    """The portrait ("body") and landscape ("table") page templates, frames without padding."""
    from reportlab.platypus import Frame, PageTemplate

    def template(name: str, area: Area) -> PageTemplate:
        frame = Frame(area.left, area.bottom, area.width, area.height, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

        def on_page(canvas, doc) -> None:
            draw_page_number(canvas, area, doc.page, number_font)

        return PageTemplate(id=name, frames=[frame], onPage=on_page,
                            pagesize=(area.page_width, area.page_height))

    return [template("body", PORTRAIT), template("table", LANDSCAPE)]
