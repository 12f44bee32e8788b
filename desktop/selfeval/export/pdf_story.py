"""The flowables of the report: title, sections, attachment note, signature, score table."""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer, Table, TableStyle

from .pdf_flow import GridKeepTogether, GridParagraph, SignatureBlock, WithHeadings
from .pdf_layout import (BODY_CHAR_SPACE, BODY_SIZE, CELL, LANDSCAPE, LEADING, MM, PORTRAIT,
                         TITLE_SIZE)
from .pdf_table import ScoreTable, signoff_line
from .pdf_text import fill_date, report_blocks, table_header, table_title, title_lines, unit_of

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..workspace import OpenReport
    from .fonts import FontSet

SIGNATURE_BOX_MM = (60, 30)
TITLE_LEADING = 36.0
CAPTION_SIZE, CAPTION_LEADING = 18.0, 30.0  # the table's title, 小二


def build_story(report: OpenReport, ev: Evaluation, fonts: FontSet,
                stamp: tuple[str, ...] = ()) -> tuple[list, SignatureBlock]:
    """Portrait pages with the text and the signature, then the landscape score table.

    The signature block is returned too: it knows where it was drawn once the story is built.
    """
    text, signature = _text_pages(report, ev, fonts, stamp)
    return text + _table_pages(report, ev, fonts), signature


def _body(text: str, font: str, **options) -> GridParagraph:
    """A paragraph of 3号 text on the 28 × 22 grid, first line indented two characters.

    Its full lines keep their 28 characters: no character comes down to keep a last one company.
    """
    options.setdefault("balance", False)
    options.setdefault("char_space", BODY_CHAR_SPACE)
    options.setdefault("first_indent", 2 * CELL)
    return GridParagraph(text, font, BODY_SIZE, LEADING, **options)


def _text_pages(report: OpenReport, ev: Evaluation, fonts: FontSet,
                stamp: tuple[str, ...]) -> tuple[list, SignatureBlock]:
    fonts_of = {"h1": fonts.heading, "h2": fonts.kai, "h3": fonts.body, "body": fonts.body}
    story = _title(report, fonts.title, PORTRAIT.width)
    headings: list = []
    last = len(story)  # where the last paragraph and its headings begin
    for block in report_blocks(report, ev):
        flowable = _body(block.text, fonts_of[block.kind], align="left" if block.kind in ("h1", "h2") else "justify")
        if block.kind != "body":
            headings.append(flowable)
            continue
        last = len(story)
        story.append(WithHeadings(headings, flowable) if headings else flowable)
        headings = []
    story += headings

    # 附件说明 and the signature stay on one page with the last paragraph (GB/T 9704 7.3.4, 7.3.5)
    note = _body(f"附件：{table_title(report)}", fonts.body, indent=5 * CELL, space_before=LEADING)
    signature = SignatureBlock(unit_of(report), fill_date(report), fonts.body, BODY_SIZE, LEADING,
                               cell=CELL, char_space=BODY_CHAR_SPACE,
                               box_size=(SIGNATURE_BOX_MM[0] * MM, SIGNATURE_BOX_MM[1] * MM), stamp=stamp)
    ending = story[last:] + [note, signature]
    story[last:] = [GridKeepTogether(ending), NextPageTemplate("table"), PageBreak()]
    return story, signature


def _table_pages(report: OpenReport, ev: Evaluation, fonts: FontSet) -> list:
    top = [
        _body("附件", fonts.heading, align="left", char_space=0, first_indent=0),
        GridParagraph(table_title(report), fonts.title, CAPTION_SIZE, CAPTION_LEADING, align="center"),
        _table_header(report, fonts.body),
        Spacer(1, 4),
    ]
    used = sum(flowable.wrap(LANDSCAPE.width, LANDSCAPE.height)[1] for flowable in top)
    story = list(top)
    if report.form.sheet is not None:  # one form per page (项目支出绩效自评表), sign-off inside
        from .pdf_sheet import sheet_table
        return story + [sheet_table(report, ev, fonts, LANDSCAPE.height - used)]
    signoff = [Spacer(1, 8), GridParagraph(signoff_line(report), fonts.body, 12, 20, align="left")]
    tail = sum(flowable.wrap(LANDSCAPE.width, LANDSCAPE.height)[1] for flowable in signoff)
    pages = ScoreTable(report, ev, fonts).pages(LANDSCAPE.height - used, LANDSCAPE.height, tail)
    for index, page in enumerate(pages):
        story += [PageBreak(), page] if index else [page]
    return story + signoff


def _title(report: OpenReport, font: str, width: float) -> list:
    """The title centred, broken after the unit name when it needs two lines, then one blank line."""
    first, second = title_lines(report)
    text = first + second
    if stringWidth(text, font, TITLE_SIZE) > width and \
            max(stringWidth(first, font, TITLE_SIZE), stringWidth(second, font, TITLE_SIZE)) <= width:
        text = f"{first}\n{second}"
    title = GridParagraph(text, font, TITLE_SIZE, TITLE_LEADING, align="center")
    height = title.wrap(width, 1e6)[1]
    lines_used = -(-(height + LEADING) // LEADING)  # round up to the grid, with one blank line
    return [title, Spacer(1, lines_used * LEADING - height)]


def _table_header(report: OpenReport, font: str) -> Table:
    """填报单位（盖章） left, 填报日期 centre, 金额单位 right, above the score table."""
    cells = table_header(report)
    width = LANDSCAPE.width / 3
    row = [GridParagraph(text, font, 12, 18, align=align) for text, align in zip(cells, ("left", "center", "right"))]
    table = Table([row], colWidths=[width * 1.3, width * 0.95, width * 0.75])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 12),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table
