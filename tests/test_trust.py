"""Trust a bureau can check: fingerprints, the signer's unit, plain Chinese verdicts, and the package rules."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from selfeval import demo
from selfeval.export.certs import fingerprint, grouped, public_der, read_certificate
from selfeval.export.package import MANIFEST, REPORT_ATTACHMENT, SCORES_ATTACHMENT, SUMMARY_ATTACHMENT, sha256
from selfeval.export.sign import embedded_files
from selfeval.export.verify import verify
from selfeval.interchange import dumps
from selfeval.workspace import Workspace
from test_export_package import _rewrite_manifest

PASSWORD = "secret-123"
UNIT = "政协乐昌市委员会机关"
NAME = f"2022_{UNIT}_部门整体支出绩效自评"


def make_cert(folder: Path, name: str, unit: str = UNIT, person: str = "张三") -> Path:
    from selfeval.export.certs import new_self_signed

    return new_self_signed(folder / f"{name}.pfx", unit_name=unit, person=person, password=PASSWORD)


def export_demo(folder: Path, pfx: Path, *, changes: dict | None = None, make_zip: bool = False) -> Path:
    """The demo report (with ``changes``) finalised and exported into ``folder``, signed with ``pfx``."""
    from selfeval.export.pipeline import export_report

    folder.mkdir(parents=True, exist_ok=True)
    ws = Workspace.open(folder / "db.sqlite3")
    try:
        report_id, _ = demo.find_or_import_demo(ws)
        for field_id, text in (changes or {}).items():
            ws.set_text(report_id, field_id, text)
        demo.finalise(ws, report_id)
        out = folder / "out"
        out.mkdir()
        result = export_report(ws, report_id, pfx=pfx, password=PASSWORD, out_dir=out, make_zip=make_zip)
        (folder / "report.json").write_text(dumps(ws.export_dict(report_id)), "utf-8")
    finally:
        ws.store.close(backup=False)
    return result.zip_path or result.folder


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("trust")
    genuine, forged, other = make_cert(root, "genuine"), make_cert(root, "forged"), make_cert(
        root, "other", unit="某某县财政局", person="王五")
    return {
        "root": root, "genuine_pfx": genuine, "forged_pfx": forged,
        "genuine": export_demo(root / "g", genuine, make_zip=True),
        "forged": export_demo(root / "f", forged),
        "other": export_demo(root / "o", other),
    }


@pytest.fixture
def package(made, tmp_path) -> Path:
    target = tmp_path / NAME
    shutil.copytree(made["genuine"].with_suffix(""), target)
    return target


def failed(verdict) -> str:
    assert not verdict.ok, verdict.text()
    return "；".join(message for ok, message in verdict.items if not ok)


# -- 1. fingerprints everywhere

def test_fingerprint_in_manifest_summary_verdict_and_stamp(made, package):
    cert = read_certificate(made["genuine_pfx"], PASSWORD)
    digits = fingerprint(cert)
    assert len(digits) == 64 and digits == sha256(public_der(cert)).upper()
    manifest = json.loads((package / MANIFEST).read_text("utf-8"))
    assert manifest["cert_sha256"] == digits
    sealed = embedded_files((package / f"{NAME}.pdf").read_bytes())
    assert json.loads(sealed[SUMMARY_ATTACHMENT])["cert_sha256"] == digits
    verdict = verify(package)
    assert verdict.ok and verdict.fingerprint == digits
    assert f"证书指纹（SHA-256）：{grouped(digits)}" in verdict.text().splitlines()[1]
    stamp = _stamp_text(package / f"{NAME}.pdf")
    assert f"证书指纹：{grouped(digits, 4)}" in stamp


def _stamp_text(pdf: Path) -> str:
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler's pdftotext")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def test_the_whole_report_and_its_scores_are_signed_into_the_pdf(made, package):
    sealed = embedded_files((package / f"{NAME}.pdf").read_bytes())
    assert sealed[REPORT_ATTACHMENT].decode("utf-8") == (made["root"] / "g" / "report.json").read_text("utf-8")
    scores = json.loads(sealed[SCORES_ATTACHMENT])
    assert scores["total"] == json.loads(sealed[SUMMARY_ATTACHMENT])["total"] and scores["indicators"]


def test_a_changed_fingerprint_in_the_manifest_fails(package):
    _rewrite_manifest(package, lambda manifest: manifest.update(cert_sha256="0" * 64))
    assert "证书指纹：清单为 0000" in failed(verify(package))


def test_cert_show_and_export(made, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_PFX_PASSWORD", PASSWORD)
    digits = grouped(fingerprint(read_certificate(made["genuine_pfx"], PASSWORD)))
    code, out, err = cli("cert", "export", made["genuine_pfx"], "--out", tmp_path / "unit.cer")
    assert code == 0, err
    assert b"PRIVATE" not in (tmp_path / "unit.cer").read_bytes()
    for path in (made["genuine_pfx"], tmp_path / "unit.cer"):
        code, out, err = cli("cert", "show", path)
        assert code == 0 and f"证书指纹（SHA-256）：{digits}" in out and f"单位：{UNIT}" in out and "有效期：" in out
    code, out, err = cli("cert", "export", made["genuine_pfx"], "--out", tmp_path / "unit.cer")
    assert code == 2 and "已存在" in err
    monkeypatch.setenv("SELFEVAL_PFX_PASSWORD", "wrong-password")
    code, out, err = cli("cert", "show", made["genuine_pfx"])
    assert code == 2 and "证书密码不正确" in err
    code, out, err = cli("cert", "show", tmp_path / "nothing.cer")
    assert code == 2 and "找不到证书文件" in err


# -- 2. signer and report must match

def test_a_certificate_of_another_unit_is_named(made, tmp_path):
    verdict = verify(made["other"])
    assert verdict.ok
    assert "签名证书的单位“某某县财政局”与报告的单位“政协乐昌市委员会机关”不同" in verdict.text()
    assert not verify(made["genuine"]).warnings


# -- 4. plain Chinese, never a traceback

def _pem(made, which: str) -> Path:
    target = made["root"] / f"{which}.cer"
    target.write_bytes(public_der(read_certificate(made[f"{which}_pfx"], PASSWORD)))
    return target


def _ca(folder: Path) -> Path:
    from datetime import datetime, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    now = datetime.now(timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试 CA")])
    key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
          .serial_number(1).not_valid_before(now).not_valid_after(now.replace(year=now.year + 1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(key, hashes.SHA256()))
    path = folder / "ca.pem"
    path.write_bytes(ca.public_bytes(Encoding.PEM))
    return path


def test_a_forged_package_is_not_the_certificate_on_record(made, cli):
    code, out, err = cli("verify", made["forged"], "--trust", _pem(made, "genuine"))
    assert code == 1 and "Traceback" not in out + err and err == ""
    assert "签名证书不是登记的那一张" in out and "证书指纹不同" in out and "CERTIFICATE_CHAIN" not in out
    code, out, err = cli("verify", made["genuine"], "--trust", _pem(made, "genuine"))
    assert code == 0 and "签名证书就是您提供的证书" in out and err == ""


def test_a_wrong_ca_says_so(made, cli, tmp_path):
    code, out, err = cli("verify", made["genuine"], "--trust", _ca(tmp_path))
    assert code == 1 and "Traceback" not in out + err and err == ""
    assert "没有链接到您提供的任何可信证书" in out


def test_changed_content_is_not_blamed_on_the_certificate(package, cli):
    pdf = package / f"{NAME}.pdf"
    data = pdf.read_bytes()
    at = len(data) // 3
    pdf.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    code, out, err = cli("verify", package)
    assert code == 1 and "Traceback" not in out + err
    assert "签名后 PDF 内容被改动过" in out and "未知原因" not in out and "签名证书未通过验证" not in out


def test_an_incremental_update_says_so_without_a_traceback(package, cli):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf = package / f"{NAME}.pdf"
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    info = writer.root
    info["/Lang"] = generic.pdf_string("zh-CN")
    writer.update_root()
    out_pdf = io.BytesIO()
    writer.write(out_pdf)
    pdf.write_bytes(out_pdf.getvalue())
    code, out, err = cli("verify", package)
    assert code == 1 and "Traceback" not in out + err and err == ""
    assert "没有覆盖整个文件" in out


# -- 5. the package rules

def test_an_extra_manifest_key_fails(package):
    _rewrite_manifest(package, lambda manifest: manifest.update(note="已审核"))
    assert "清单中有本程序不写的字段：note" in failed(verify(package))


def test_an_extra_key_in_a_file_record_fails(package):
    _rewrite_manifest(package, lambda manifest: manifest["files"][0].update(note="x"))
    assert "有多余的项" in failed(verify(package))


def test_a_dot_underscore_document_is_not_debris(package):
    (package / "._补充材料.pdf").write_bytes(b"%PDF-1.4 whatever the unit wanted to add")
    assert "清单以外的文件：._补充材料.pdf" in failed(verify(package))


def test_real_apple_double_and_os_files_are_ignored_and_listed(package):
    (package / f"._{NAME}.pdf").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    (package / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (package / "thumbs.DB").write_bytes(b"x")  # not the exact name
    verdict = verify(package)
    assert f"已忽略操作系统生成的文件：._{NAME}.pdf、Thumbs.db" in verdict.text()
    assert "清单以外的文件：thumbs.DB" in failed(verdict)


def _rezip(source: Path, target: Path, *, directories: bool, mac: bool = False) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        if directories:
            new.writestr(f"{NAME}/", b"")
        for info in reversed(old.infolist()):
            new.writestr(info.filename, old.read(info))
        if mac:
            new.writestr(f"__MACOSX/{NAME}/._{NAME}.pdf", b"\x00\x05\x16\x07\x00\x02\x00\x00")
    return target


def test_a_package_zipped_again_is_the_same_package(made, tmp_path):
    for options in ({"directories": False}, {"directories": True}, {"directories": True, "mac": True}):
        again = _rezip(made["genuine"], tmp_path / f"{NAME}.zip", **options)
        verdict = verify(again)
        assert verdict.ok, verdict.text()
        assert not verdict.warnings
        again.unlink()


def test_a_zip_with_a_changed_file_or_two_copies_fails(made, tmp_path):
    target = tmp_path / f"{NAME}.zip"
    with zipfile.ZipFile(made["genuine"]) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, data.replace(b'"grade"', b'"Grade"') if info.filename.endswith(MANIFEST)
                         else data)
    assert not verify(target).ok
    with pytest.warns(UserWarning):
        with zipfile.ZipFile(made["genuine"]) as old, zipfile.ZipFile(target, "w") as new:
            for info in old.infolist():
                new.writestr(info.filename, old.read(info))
            new.writestr(f"{NAME}/{MANIFEST}", b"{}")
    assert "同名的文件" in failed(verify(target))


def test_a_renamed_folder_or_pdf_is_named(package):
    renamed = package.with_name(f"2023_别的单位_部门整体支出绩效自评")
    package.rename(renamed)
    verdict = verify(renamed)
    assert verdict.ok and "文件夹可能被改过名" in verdict.text()
    pdf = renamed / f"{NAME}.pdf"
    pdf.rename(renamed / "报告.pdf")
    _rewrite_manifest(renamed, lambda manifest: manifest["files"][0].update(name="报告.pdf"))
    verdict = verify(renamed)
    assert verdict.ok and "PDF 文件名“报告.pdf”与报送文件夹的名称不符" in verdict.text()


def test_a_renamed_zip_is_named(made, tmp_path):
    target = tmp_path / "别的名字.zip"
    shutil.copy(made["genuine"], target)
    verdict = verify(target)
    assert verdict.ok and "压缩包的文件名“别的名字.zip”与其中的文件夹" in verdict.text()
