"""The report as a PDF in GB/T 9704-2012 layout, with the score table as a landscape attachment.

    pdf = render_report(report, evaluation)                     # bytes
    rendered = render_report_placed(report, evaluation)
    rendered.pdf, rendered.signature_box                        # and where the visible signature goes

The signature box is a blank 60 × 30 mm area centred over the unit name and
the date at the end of the text: (page index from 0, (x1, y1, x2, y2) in PDF
points, origin bottom-left of the page), as the layout placed it.  It is also
stored in the PDF as the named destination ``selfeval-signature`` (/FitR), so
that other readers can find it from the bytes alone.

reportlab is imported only when a PDF is rendered.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .. import __version__
from .pdf_text import title_lines, unit_of

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..workspace import OpenReport

SignatureBox = tuple[int, tuple[float, float, float, float]]


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    signature_box: SignatureBox  # (page index from 0, (x1, y1, x2, y2) in PDF points)


def render_report(report: OpenReport, evaluation: Evaluation, *, generated_at: datetime | None = None,
                  draft: bool = False) -> bytes:
    """The report PDF; the same report, evaluation and ``generated_at`` give the same bytes.

    ``generated_at`` is the document's creation date; it defaults to the
    report's last change.  A ``draft`` (a preview, at any stage) says 草稿 on every page.
    """
    return render_report_placed(report, evaluation, generated_at=generated_at, draft=draft).pdf


def render_report_placed(report: OpenReport, evaluation: Evaluation, *,
                         generated_at: datetime | None = None, draft: bool = False,
                         stamp: tuple[str, ...] = ()) -> RenderedReport:
    """The report PDF and where the layout put the signature box (blank, or with ``stamp``'s lines)."""
    from reportlab.platypus import BaseDocTemplate

    from .fonts import register_fonts
    from .pdf_layout import A4, page_templates
    from .pdf_story import build_story

    fonts = register_fonts()
    story, signature = build_story(report, evaluation, fonts, tuple(stamp))
    title = "".join(title_lines(report))
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, pageTemplates=page_templates(fonts.body, draft=draft),
        title=title + ("（草稿）" if draft else ""),
        author=unit_of(report), subject=report.form.title, creator=f"selfeval {__version__}",
        invariant=1, leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0,
    )
    moment = generated_at or report.info.updated_at
    doc.build(story, canvasmaker=_canvas_maker(moment, fonts.body))
    assert signature.placed is not None, "the signature block was not drawn"
    return RenderedReport(out.getvalue(), signature.placed)


def unprintable_characters(report: OpenReport) -> str:
    """Characters of what the clerk typed that the PDF's fonts cannot draw (they would print blank).

    Typed text is set in the body font; the unit's name also appears in the title font.
    """
    from .fonts import missing_glyphs, register_fonts

    fonts = register_fonts()
    missing = set(missing_glyphs(fonts.body, "".join(_texts(report.values.values()))))
    missing |= set(missing_glyphs(fonts.title, unit_of(report)))
    return "".join(sorted(missing))


def _texts(values) -> list[str]:
    found = []
    for value in values:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found += _texts(value)
        elif isinstance(value, dict):
            found += _texts(value.values())
    return found


def _canvas_maker(moment: datetime, font: str):
    """Canvases dated ``moment`` whose initial font is an embedded one (not Helvetica)."""
    from reportlab.pdfgen.canvas import Canvas

    local = moment if moment.tzinfo is not None else moment.astimezone()
    offset = int(local.utcoffset().total_seconds() // 60)

    def make(*args, **kwargs):
        canvas = Canvas(*args, **{**kwargs, "initialFontName": font})
        stamp = canvas._doc._timeStamp
        stamp.YMDhms = local.timetuple()[:6]
        hours, minutes = divmod(abs(offset), 60)
        stamp.dhh, stamp.dmm = (hours if offset >= 0 else -hours), minutes
        return canvas

    return make
