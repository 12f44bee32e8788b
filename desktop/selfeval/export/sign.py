"""Sign the report PDF (PAdES B-B), with the Excel table embedded so the signature covers it."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

from ..catalog import resources_dir
from .certs import is_self_signed, short_fingerprint, subject_names

FIELD_NAME = "SelfevalSignature"
DEFAULT_REASON = "定稿报送"  # the export names the kind of report: 部门整体支出绩效自评报告定稿报送
_TS_FORMAT = "%Y-%m-%d %H:%M"


class SignError(Exception):
    """The PDF could not be signed; the message is Chinese."""


def stamp_font() -> Path:
    return resources_dir() / "fonts" / "SelfevalSans-Regular.ttf"


def zh_datetime(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _stamp_template(signer, extra: Iterable[str]) -> str:
    person, unit = subject_names(signer.signing_cert)
    lines = [f"签署单位：{unit}", f"签署人：{person}"]
    lines = [line.replace("%", "%%") for line in lines] + ["签署时间：%(ts)s"]
    lines.append(f"证书指纹：{short_fingerprint(signer.signing_cert)}")
    if is_self_signed(signer.signing_cert):
        lines.append("（自签名证书）")
    lines += [line.replace("%", "%%") for line in extra]
    return "\n".join(lines)


def stamp_lines(signer, moment: datetime, extra: Iterable[str] = ()) -> list[str]:
    """The stamp's lines as drawn: signer, unit, ``moment`` the Chinese way, fingerprint, ``extra``."""
    template = _stamp_template(signer, extra)
    return (template % {"ts": zh_datetime(moment)}).split("\n")


def _plain_style():
    """A border only: for a page that carries the stamp text itself (no font in the appearance)."""
    from pyhanko.stamp.base import BaseStamp, BaseStampStyle

    class BorderOnly(BaseStamp):
        def _render_inner_content(self):
            return []

    @dataclass(frozen=True)
    class PlainStampStyle(BaseStampStyle):
        def create_stamp(self, writer, box, text_params):
            return BorderOnly(writer, self, box)

    return PlainStampStyle(border_width=1)


def _font_size(template: str, rect) -> int:
    """About the largest size (6 to 14 pt) at which the stamp text fits; pyHanko shrinks it if not."""
    x1, y1, x2, y2 = rect
    width, height = abs(x2 - x1) - 20, abs(y2 - y1) - 20
    lines = template.replace("%(ts)s", "0000年00月00日 00:00").replace("%%", "%").split("\n")
    widest = max(sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in line) for line in lines)
    size = min(height / (len(lines) * 1.3), width / max(widest, 1.0))
    return max(6, min(14, int(size)))


def _stamp_style(template: str, font: Path, size: int):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    class FontInMemory(GlyphAccumulatorFactory):
        """Reads the font file once and closes it (the parent leaves its handle open)."""

        def create_font_engine(self, writer, obj_stream=None):
            data = Path(self.font_file).read_bytes()
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(data),
                                    font_size=self.font_size, obj_stream=obj_stream)

    @dataclass(frozen=True)
    class ChineseStampStyle(TextStampStyle):
        def create_stamp(self, writer, box, text_params):
            moment = datetime.strptime(text_params["ts"], _TS_FORMAT)
            return super().create_stamp(writer, box, {**text_params, "ts": zh_datetime(moment)})

    return ChineseStampStyle(
        stamp_text=template,
        timestamp_format=_TS_FORMAT,
        border_width=1,
        text_box_style=TextBoxStyle(font=FontInMemory(str(font), font_size=size), font_size=size,
                                    leading=round(size * 1.3)),
    )


def _embed(writer, attachments: Iterable[tuple[str, bytes, str]]) -> None:
    from pyhanko.pdf_utils import embed

    for name, data, mime in attachments:
        stream = embed.EmbeddedFileObject.from_file_data(writer, data, mime_type=mime or None)
        embed.embed_file(writer, embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=stream))


def _free_field_name(writer) -> str:
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _value, _ref in enumerate_sig_fields(writer.prev)}
    name, counter = FIELD_NAME, 1
    while name in taken:
        counter += 1
        name = f"{FIELD_NAME}{counter}"
    return name


def sign_pdf(pdf_bytes: bytes, signer, *, attachments: Sequence[tuple[str, bytes, str]] = (),
             box: tuple[int, tuple[float, float, float, float]] | None = None,
             stamp_lines: Sequence[str] = (), reason: str = DEFAULT_REASON,
             location: str | None = None, font: Path | str | None = None, drawn: bool = False) -> bytes:
    """Embed ``attachments`` (name, data, MIME type), then sign; ``box`` = (page index, rect in pt).

    ``drawn``: the page already shows the stamp text in the box (see :func:`stamp_lines`), so the
    signature's appearance is a plain border and no font is embedded a second time.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    except Exception as exc:
        raise SignError(f"无法读取要签名的 PDF 文件：{exc}") from exc
    name = _free_field_name(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location,
    )
    style = spec = None
    if box is not None and drawn:
        spec = fields.SigFieldSpec(sig_field_name=name, on_page=box[0], box=tuple(round(v) for v in box[1]))
        style = _plain_style()
    elif box is not None:
        font = Path(font) if font else stamp_font()
        if not font.is_file():
            raise SignError(f"找不到签章所用的字体文件“{font}”，请重新安装本程序。")
        page, rect = box
        spec = fields.SigFieldSpec(sig_field_name=name, on_page=page, box=tuple(round(v) for v in rect))
        template = _stamp_template(signer, stamp_lines)
        style = _stamp_style(template, font, _font_size(template, rect))
    try:
        _embed(writer, attachments)
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        return pdf_signer.sign_pdf(writer).getvalue()
    except Exception as exc:
        raise SignError(f"签名失败：{exc}") from exc


def embedded_files(pdf: bytes | object) -> dict[str, bytes]:
    """Every embedded file of a PDF (bytes or a pyHanko reader), by file name."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf)) if isinstance(pdf, (bytes, bytearray)) else pdf
    found: dict[str, bytes] = {}
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return found
    pending = [tree]
    while pending:
        node = pending.pop().get_object()
        pending.extend(node.get("/Kids", generic.ArrayObject()).get_object())
        pairs = list(node.get("/Names", generic.ArrayObject()).get_object())
        for key, value in zip(pairs[::2], pairs[1::2]):
            spec = value.get_object()
            streams = spec["/EF"]
            stream = (streams.get("/UF") or streams["/F"]).get_object()
            found[str(spec.get("/UF") or spec.get("/F") or key)] = stream.data
    return found
