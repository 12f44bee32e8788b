"""The report as a PDF in GB/T 9704-2012 layout, with the score table as a landscape attachment.

    pdf = render_report(report, evaluation)           # bytes
    page, (x1, y1, x2, y2) = signature_box(pdf)       # where the visible signature goes

The signature box is a blank 60 × 30 mm area centred over the unit name and
the date at the end of the text.  It is stored in the PDF itself as the named
destination ``selfeval-signature`` (/FitR, PDF points, origin bottom-left of
the page), so it can be found again from the bytes alone.

reportlab is imported only when a PDF is rendered.
"""
from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING

from .. import __version__
from .pdf_text import fill_date, report_blocks, table_title, title_lines, unit_of

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..workspace import OpenReport

SUBJECT = "部门整体支出绩效自评报告"
SIGNATURE_BOX_MM = (60, 30)


class NoSignatureBox(LookupError):
    """The PDF has no signature area (not made by :func:`render_report`)."""


def render_report(report: OpenReport, evaluation: Evaluation, *, generated_at: datetime | None = None) -> bytes:
    """The report PDF; the same report, evaluation and ``generated_at`` give the same bytes.

    ``generated_at`` is the document's creation date; it defaults to the
    report's last change.
    """
    from reportlab.platypus import BaseDocTemplate

    from .fonts import register_fonts
    from .pdf_layout import A4, page_templates

    fonts = register_fonts()
    story = _story(report, evaluation, fonts)
    title = "".join(title_lines(report))
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, pageTemplates=page_templates(fonts.body), title=title,
        author=unit_of(report), subject=SUBJECT, creator=f"selfeval {__version__}",
        invariant=1, leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0,
    )
    moment = generated_at or report.info.updated_at
    doc.build(story, canvasmaker=_canvas_maker(moment, fonts.body))
    return out.getvalue()


def signature_box(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """(page index from 0, (x1, y1, x2, y2) in PDF points) of the blank signature area."""
    from pypdf import PdfReader

    from .pdf_flow import SIGNATURE_DEST

    reader = PdfReader(io.BytesIO(pdf))
    named = reader.named_destinations
    dest = named.get(SIGNATURE_DEST) or named.get("/" + SIGNATURE_DEST)
    if dest is None:
        raise NoSignatureBox("该 PDF 文件中没有预留签章位置。")
    rect = (float(dest.left), float(dest.bottom), float(dest.right), float(dest.top))
    return reader.get_destination_page_number(dest), rect


def _canvas_maker(moment: datetime, font: str):
    """Canvases dated ``moment`` whose initial font is an embedded one (not Helvetica)."""
    from reportlab.pdfgen.canvas import Canvas

    local = moment if moment.tzinfo is not None else moment.astimezone()
    offset = int(local.utcoffset().total_seconds() // 60)

    def make(*args, **kwargs):
        canvas = Canvas(*args, **{**kwargs, "initialFontName": font})
        stamp = canvas._doc._timeStamp
        stamp.YMDhms = local.timetuple()[:6]
        stamp.dhh, stamp.dmm = divmod(offset, 60) if offset >= 0 else (-(-offset // 60), -offset % 60)
        return canvas

    return make


def _story(report: OpenReport, ev: Evaluation, fonts) -> list:
    from reportlab.platypus import CondPageBreak, KeepTogether, NextPageTemplate, PageBreak, Spacer

    from .pdf_flow import GridParagraph, SignatureBlock
    from .pdf_layout import (BODY_CHAR_SPACE, BODY_SIZE, CELL, LANDSCAPE, LEADING, MM, PORTRAIT,
                             TITLE_SIZE)
    from .pdf_table import ScoreTable, signoff_line

    def para(text: str, font: str, **options) -> GridParagraph:
        options.setdefault("char_space", BODY_CHAR_SPACE)
        return GridParagraph(text, font, BODY_SIZE, LEADING, **options)

    styles = {
        "h1": lambda t: para(t, fonts.heading, first_indent=2 * CELL, align="left"),
        "h2": lambda t: para(t, fonts.kai, first_indent=2 * CELL, align="left"),
        "h3": lambda t: para(t, fonts.body, first_indent=2 * CELL),
        "body": lambda t: para(t, fonts.body, first_indent=2 * CELL),
    }
    story = _title(report, fonts.title, PORTRAIT.width)
    headings: list = []
    last = len(story)  # where the last paragraph and its headings begin
    for block in report_blocks(report, ev):
        flowable = styles[block.kind](block.text)
        if block.kind != "body":
            headings.append(flowable)
            continue
        last = len(story)
        if headings:  # headings stay with at least two lines of what follows them
            height = sum(h.wrap(PORTRAIT.width, PORTRAIT.height)[1] for h in headings)
            story += [CondPageBreak(height + 2 * LEADING - 0.1), *headings]
            headings = []
        story.append(flowable)
    story += headings

    table = ScoreTable(report, ev, fonts)
    note = para(f"附件：{table_title(report)}", fonts.body, first_indent=2 * CELL, indent=5 * CELL,
                space_before=LEADING)
    signature = SignatureBlock(unit_of(report), fill_date(report), fonts.body, BODY_SIZE, LEADING,
                               cell=CELL, char_space=BODY_CHAR_SPACE,
                               box_size=(SIGNATURE_BOX_MM[0] * MM, SIGNATURE_BOX_MM[1] * MM))
    ending = [f for f in story[last:] if not isinstance(f, CondPageBreak)] + [note, signature]
    story[last:] = [KeepTogether(ending), NextPageTemplate("table"), PageBreak()]

    heading = para("附件", fonts.heading, align="left", char_space=0)
    caption = GridParagraph(table_title(report), fonts.title, 18, 30, align="center")
    header = _table_header(report, fonts.body)
    top = [heading, caption, header, Spacer(1, 4)]
    used = sum(flowable.wrap(LANDSCAPE.width, LANDSCAPE.height)[1] for flowable in top)
    pages = table.pages(LANDSCAPE.height - used, LANDSCAPE.height)
    story += top
    for index, page in enumerate(pages):
        if index:
            story.append(PageBreak())
        story.append(page)
    story += [Spacer(1, 8), GridParagraph(signoff_line(report), fonts.body, 12, 20, align="left")]
    return story


def _title(report: OpenReport, font: str, width: float) -> list:
    """The title centred, broken after the unit name when it needs two lines, then one blank line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Spacer

    from .pdf_flow import GridParagraph
    from .pdf_layout import LEADING, TITLE_SIZE

    first, second = title_lines(report)
    whole = first + second
    if stringWidth(whole, font, TITLE_SIZE) <= width:
        text = whole
    elif max(stringWidth(first, font, TITLE_SIZE), stringWidth(second, font, TITLE_SIZE)) <= width:
        text = f"{first}\n{second}"
    else:
        text = whole
    title = GridParagraph(text, font, TITLE_SIZE, 36, align="center")
    height = title.wrap(width, 1e6)[1]
    lines_used = -(-(height + LEADING) // LEADING)  # round up to the grid, with one blank line
    return [title, Spacer(1, lines_used * LEADING - height)]


def _table_header(report: OpenReport, font: str):
    from reportlab.platypus import Table, TableStyle

    from .pdf_flow import GridParagraph
    from .pdf_layout import LANDSCAPE

    cells = [f"填报单位（盖章）：{unit_of(report)}", f"填报日期：{fill_date(report)}", "金额单位：万元"]
    aligns = ("left", "center", "right")
    width = LANDSCAPE.width / 3
    row = [GridParagraph(text, font, 12, 18, align=align) for text, align in zip(cells, aligns)]
    table = Table([row], colWidths=[width * 1.3, width * 0.95, width * 0.75])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 12), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table
