"""Certificates, signing with the Excel table embedded, and checking a lone signed PDF."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from selfeval.export.certs import CertError, is_self_signed, load_signer, new_self_signed, subject_names
from selfeval.export.package import summary_attachment
from selfeval.export.sign import SignError, embedded_files, sign_pdf, stamp_font, zh_datetime
from selfeval.export.verify import SELF_SIGNED_NOTE, verify

PASSWORD = "自评2023secret"
UNIT = "乐昌市某某局"
PERSON = "张三"
BOX = (0, (320.0, 50.0, 560.0, 150.0))
XLSX_NAME = "2022_乐昌市某某局_部门整体支出绩效自评.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "stand-in report for signing"
FIELDS = {
    "form_id": "gd-dept-overall", "form_edition": "2022.1", "program_version": "0.1.0",
    "unit": UNIT, "year": 2022, "total": "92.50", "grade": "优", "created": "2023-01-15T10:32:00+08:00",
}
CJK_PROBE = "签署单位人时间自名证书乐昌某局张三"


def _font_in_collection(path: Path, out_dir: Path) -> Path | None:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path))
    try:
        for index, font in enumerate(collection.fonts):
            cmap = font.getBestCmap() or {}
            if "glyf" in font and all(ord(ch) in cmap for ch in CJK_PROBE):
                target = out_dir / f"{path.stem}-{index}.ttf"
                font.save(str(target))
                return target
    finally:
        collection.close()
    return None


def find_cjk_font(out_dir: Path) -> Path | None:
    """The bundled stamp font, else a TrueType CJK font taken from the system's fonts."""
    if stamp_font().is_file():
        return stamp_font()
    for folder in (Path("/usr/share/fonts"), Path("C:/Windows/Fonts"), Path("/Library/Fonts")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*.tt[cf]")):
                found = _font_in_collection(path, out_dir) if path.suffix == ".ttc" else None
                if found:
                    return found
    return None


def make_pdf(font: Path | None, title: str = TITLE) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    page.setTitle(title)
    if font:
        pdfmetrics.registerFont(TTFont("StandInCJK", str(font)))
        page.setFont("StandInCJK", 16)
        page.drawString(72, 760, "2022年度乐昌市某某局部门整体支出绩效自评报告")
        page.setFont("StandInCJK", 12)
        page.drawString(72, 720, "一、部门基本情况：本年支出合计 628.76 万元。")
    else:
        page.setFont("Helvetica", 16)
        page.drawString(72, 760, "2022 self-evaluation report (stand-in)")
    page.showPage()
    page.save()
    return buffer.getvalue()


def make_xlsx(total: str = "92.50") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    sheet.append(["2022年度乐昌市某某局部门整体支出绩效自评表"])
    sheet.append(["总分", total])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def signed_pdf(signer, font, pdf: bytes, xlsx: bytes, fields: dict = FIELDS, **options) -> bytes:
    return sign_pdf(pdf, signer, attachments=[(XLSX_NAME, xlsx, XLSX_MIME), summary_attachment(fields)],
                    box=BOX if font else None, font=font, stamp_lines=["总分 92.50 · 等级 优"], **options)


@pytest.fixture(scope="session")
def cjk_font(tmp_path_factory):
    return find_cjk_font(tmp_path_factory.mktemp("font"))


@pytest.fixture(scope="session")
def pfx(tmp_path_factory):
    return new_self_signed(tmp_path_factory.mktemp("cert") / "张三.pfx", unit_name=UNIT, person=PERSON,
                           password=PASSWORD)


@pytest.fixture(scope="session")
def signer(pfx):
    return load_signer(pfx, PASSWORD)


@pytest.fixture(scope="session")
def stand_in(cjk_font):
    return make_pdf(cjk_font), make_xlsx()


@pytest.fixture(scope="session")
def signed(signer, cjk_font, stand_in):
    pdf, xlsx = stand_in
    return signed_pdf(signer, cjk_font, pdf, xlsx)


def _validate(data: bytes, cert):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data))
    (sig,) = reader.embedded_signatures
    return sig, validate_pdf_signature(sig, ValidationContext(trust_roots=[cert]))


# -- certificates

def test_new_certificate_is_self_signed_with_the_right_names(pfx):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, extra = pkcs12.load_key_and_certificates(pfx.read_bytes(), PASSWORD.encode())
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 3072
    assert extra == []
    names = {a.oid._name: a.value for a in cert.subject}
    assert names == {"countryName": "CN", "organizationName": UNIT, "commonName": PERSON}
    assert cert.issuer == cert.subject and is_self_signed(cert)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=3 * 365) <= lifetime <= timedelta(days=3 * 365 + 1)
    assert subject_names(cert) == (PERSON, UNIT)


def test_certificate_file_is_encrypted_and_written_atomically(pfx):
    from cryptography.hazmat.primitives.serialization import pkcs12

    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(pfx.read_bytes(), None)
    assert b"PRIVATE KEY" not in pfx.read_bytes()
    assert sorted(p.name for p in pfx.parent.iterdir()) == [pfx.name]


@pytest.mark.parametrize("password, words", [("", "请设置证书密码"), ("12345", "至少需要 6 个字符")])
def test_short_password_is_refused(tmp_path, password, words):
    target = tmp_path / "a.pfx"
    with pytest.raises(CertError, match=words):
        new_self_signed(target, unit_name=UNIT, person=PERSON, password=password)
    assert list(tmp_path.iterdir()) == []


def test_existing_certificate_is_not_overwritten(pfx):
    before = pfx.read_bytes()
    with pytest.raises(CertError, match="已存在"):
        new_self_signed(pfx, unit_name=UNIT, person=PERSON, password=PASSWORD)
    assert pfx.read_bytes() == before


def test_wrong_password_says_so(pfx):
    with pytest.raises(CertError, match="证书密码不正确"):
        load_signer(pfx, "not-the-password")


def test_damaged_or_missing_certificate_says_so(tmp_path, pfx):
    damaged = tmp_path / "damaged.pfx"
    damaged.write_bytes(pfx.read_bytes()[:200])
    with pytest.raises(CertError, match="已损坏"):
        load_signer(damaged, PASSWORD)
    with pytest.raises(CertError, match="找不到证书文件"):
        load_signer(tmp_path / "none.pfx", PASSWORD)


def test_signer_carries_the_certificate(signer):
    assert subject_names(signer.signing_cert) == (PERSON, UNIT)
    assert is_self_signed(signer.signing_cert)


def test_certificate_issued_by_another_is_not_self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    leaf = (x509.CertificateBuilder().subject_name(name("张三")).issuer_name(name("某 CA"))
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))
    assert not is_self_signed(leaf)


# -- signing

def test_signature_is_pades_intact_and_covers_the_whole_file(signed, signer):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    sig, status = _validate(signed, signer.signing_cert)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.docmdp_ok and status.modification_level.name == "NONE"
    assert status.md_algorithm == "sha256"
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig.sig_object["/Reason"] == "定稿报送"  # the export names the kind of report


def test_embedded_table_is_inside_and_equal(signed, stand_in):
    from pypdf import PdfReader

    _, xlsx = stand_in
    found = embedded_files(signed)
    assert found[XLSX_NAME] == xlsx
    assert set(found) == {XLSX_NAME, "selfeval-summary.json"}
    assert PdfReader(io.BytesIO(signed)).attachments[XLSX_NAME] == [xlsx]


def test_original_pdf_is_kept_as_the_first_revision(signed, stand_in):
    pdf, _ = stand_in
    assert signed.startswith(pdf)


def _widget(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed))
    (sig,) = reader.embedded_signatures
    return sig.sig_field, reader


def test_visible_stamp_sits_in_the_box_with_chinese_glyphs(signed, cjk_font):
    if cjk_font is None:
        pytest.skip("no CJK TrueType font here")
    field, _ = _widget(signed)
    assert [round(float(v)) for v in field["/Rect"]] == [320, 50, 560, 150]
    appearance = field["/AP"]["/N"]
    fonts = appearance["/Resources"]["/Font"]
    (font,) = [fonts[key] for key in fonts]
    descendant = font["/DescendantFonts"][0]
    assert descendant["/Subtype"] == "/CIDFontType2" and "/FontFile2" in descendant["/FontDescriptor"]
    cmap = font["/ToUnicode"].data.decode("latin-1").upper()
    for ch in "签署单位人时间自名证书" + UNIT + PERSON:
        assert f"<{ord(ch):04X}>" in cmap, ch
    glyphs = re.findall(rb"<([0-9a-fA-F]+)>", appearance.data)
    cids = [int(hex_[i:i + 4], 16) for hex_ in glyphs for i in range(0, len(hex_), 4)]
    assert cids and 0 not in cids


def test_stamp_lines_name_unit_signer_time_fingerprint_and_self_signed(signer):
    from selfeval.export.certs import fingerprint
    from selfeval.export.sign import _stamp_template

    digits = fingerprint(signer.signing_cert)
    short = f"{digits[0:4]} {digits[4:8]} {digits[8:12]} {digits[12:16]}"
    assert _stamp_template(signer, ["支出率 98%"]).split("\n") == [
        f"签署单位：{UNIT}", f"签署人：{PERSON}", "签署时间：%(ts)s", f"证书指纹：{short}", "（自签名证书）",
        "支出率 98%%",
    ]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_stamp_renders_ink_inside_the_box(signed, cjk_font, tmp_path):
    if cjk_font is None:
        pytest.skip("no CJK TrueType font here")
    from PIL import Image

    (tmp_path / "signed.pdf").write_bytes(signed)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(tmp_path / "signed.pdf"),
                    str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        page = image.convert("L")
        scale = 80 / 72
        left, bottom, right, top = BOX[1]
        inner = (int(left * scale) + 6, int(page.height - top * scale) + 6,
                 int(right * scale) - 6, int(page.height - bottom * scale) - 6)
        dark = page.crop(inner).point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert dark > 300


def test_time_is_written_the_chinese_way():
    assert zh_datetime(datetime(2023, 1, 15, 10, 32)) == "2023年1月15日 10:32"
    assert zh_datetime(datetime(2023, 11, 5, 8, 7)) == "2023年11月5日 08:07"


def test_invisible_signature_without_a_box(signer, stand_in):
    pdf, xlsx = stand_in
    data = sign_pdf(pdf, signer, attachments=[("t.xlsx", xlsx, XLSX_MIME)])
    _, status = _validate(data, signer.signing_cert)
    assert status.bottom_line
    field, _ = _widget(data)
    assert [float(v) for v in field["/Rect"]] == [0, 0, 0, 0]
    assert embedded_files(data) == {"t.xlsx": xlsx}


def test_missing_stamp_font_is_a_clear_error(signer, stand_in, tmp_path):
    pdf, _ = stand_in
    with pytest.raises(SignError, match="找不到签章所用的字体文件"):
        sign_pdf(pdf, signer, box=BOX, font=tmp_path / "none.ttf")


def test_not_a_pdf_is_a_clear_error(signer):
    with pytest.raises(SignError, match="无法读取要签名的 PDF"):
        sign_pdf(b"hello", signer)


def test_second_signature_gets_its_own_field(signer, signed, cjk_font):
    again = sign_pdf(signed, signer, box=BOX if cjk_font else None, font=cjk_font)
    from pyhanko.pdf_utils.reader import PdfFileReader

    names = [s.field_name for s in PdfFileReader(io.BytesIO(again)).embedded_signatures]
    assert names == ["SelfevalSignature", "SelfevalSignature2"]


# -- checking a lone PDF

def test_verify_lone_pdf(signed, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(signed)
    verdict = verify(path)
    assert verdict.ok, verdict.text()
    assert verdict.self_signed and verdict.signer == f"{PERSON}（{UNIT}）"
    text = verdict.text()
    assert text.startswith("验证通过：") and SELF_SIGNED_NOTE in text


def _flip(data: bytes, position: int, new: bytes) -> bytes:
    assert data[position:position + 1] != new
    return data[:position] + new + data[position + 1:]


def _hole(data: bytes) -> tuple[int, int]:
    found = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)", data)
    return int(found[1]), int(found[2])


def _verdict(tmp_path, data: bytes):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return verify(path)


def _failed(verdict) -> str:
    assert not verdict.ok
    assert verdict.text().startswith("验证未通过：")
    return "；".join(message for ok, message in verdict.items if not ok)


def test_changed_byte_in_signed_part_is_caught(signed, tmp_path):
    at = signed.index(TITLE.encode()) + 3
    assert "签名后 PDF 内容被改动过" in _failed(_verdict(tmp_path, _flip(signed, at, b"X")))


def test_changed_signature_bytes_are_caught(signed, tmp_path):
    start, _ = _hole(signed)
    at = start + 400
    digit = b"1" if signed[at:at + 1] != b"1" else b"2"
    assert "签名" in _failed(_verdict(tmp_path, _flip(signed, at, digit)))


def test_changed_padding_or_case_in_signature_area_is_caught(signed, tmp_path):
    _, end = _hole(signed)
    padding = end - 2
    assert signed[padding:padding + 1] == b"0"
    assert "签名数据区被改动过" in _failed(_verdict(tmp_path, _flip(signed, padding, b"1")))
    start, _ = _hole(signed)
    letter = next(i for i in range(start + 1, end) if signed[i:i + 1] in b"ABCDEF")
    lowered = signed[letter:letter + 1].lower()
    assert "签名数据区被改动过" in _failed(_verdict(tmp_path, _flip(signed, letter, lowered)))


def test_appended_bytes_are_caught(signed, tmp_path):
    assert "没有覆盖整个文件" in _failed(_verdict(tmp_path, signed + b"\n% more\n"))


def test_unsigned_pdf_is_not_verified(stand_in, tmp_path):
    pdf, _ = stand_in
    assert "PDF 没有签名" in _failed(_verdict(tmp_path, pdf))


def test_drawn_stamp_gets_a_border_without_a_font(signer, stand_in, tmp_path):
    pdf, _ = stand_in
    data = sign_pdf(pdf, signer, box=BOX, drawn=True, font=tmp_path / "none.ttf")  # no font is read
    _, status = _validate(data, signer.signing_cert)
    assert status.bottom_line
    field, _ = _widget(data)
    assert [round(float(v)) for v in field["/Rect"]] == [320, 50, 560, 150]
    appearance = field["/AP"]["/N"]
    assert "/Font" not in appearance.get("/Resources", {}) and b" re S" in appearance.data


def test_stamp_lines_fill_in_the_time(signer):
    from selfeval.export.sign import stamp_lines

    lines = stamp_lines(signer, datetime(2023, 1, 15, 10, 32), ["支出率 98%"])
    assert lines[2] == "签署时间：2023年1月15日 10:32" and lines[-1] == "支出率 98%"


def test_the_signer_parses_its_key_once_and_signs_as_pyhanko_does(signer, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.signers import SimpleSigner

    expected = SimpleSigner.sign_raw(signer, b"report", "sha256")
    parses = []
    real = serialization.load_der_private_key
    monkeypatch.setattr(serialization, "load_der_private_key",
                        lambda *args, **kwargs: parses.append(1) or real(*args, **kwargs))
    signer._parsed = None
    assert [signer.sign_raw(b"report", "sha256") for _ in range(3)] == [expected] * 3
    assert len(parses) == 1
