"""The package for the finance bureau: names, atomic writing, and catching any change."""
from __future__ import annotations

import errno
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from selfeval import __version__
from selfeval.catalog import demo_report_path
from selfeval.export import package
from selfeval.export.certs import new_self_signed
from selfeval.export.package import (
    MANIFEST, PackageError, manifest_bytes, manifest_fields, package_name, safe_component, sha256,
    write_package,
)
from selfeval.export.verify import SELF_SIGNED_NOTE, verify
from selfeval.workspace import Workspace
from test_export_sign import (  # noqa: F401  (fixtures shared with the signing tests)
    FIELDS, PASSWORD, PERSON, UNIT, cjk_font, make_xlsx, pfx, signed, signed_pdf, signer,
    stand_in,
)

NAME = "2022_乐昌市某某局_部门整体支出绩效自评"
TITLE = "部门整体支出绩效自评"


# -- names

def test_package_name_plain():
    assert package_name(2022, "乐昌市某某局", TITLE) == NAME


@pytest.mark.parametrize("unit, expected", [
    ('a/b\\c:d*e?f"g<h>i|j', "2022_a_b_c_d_e_f_g_h_i_j_部门整体支出绩效自评"),
    ("某局\t\n（机关）\x00\x1f", "2022_某局 （机关）_部门整体支出绩效自评"),
    ("  某某局. . ", "2022_某某局_部门整体支出绩效自评"),
    ("", "2022_未命名单位_部门整体支出绩效自评"),
    ("...", "2022_未命名单位_部门整体支出绩效自评"),
    ("CON", "2022_CON_部门整体支出绩效自评"),
])
def test_package_name_is_safe_for_fat32_and_ntfs(unit, expected):
    assert package_name(2022, unit, TITLE) == expected


def test_long_unit_name_is_trimmed_to_120_bytes():
    name = package_name(2023, "广东省韶关市乐昌市" + "某" * 100 + "局", TITLE)
    assert len(name.encode("utf-8")) <= 120
    assert name.startswith("2023_广东省韶关市乐昌市某") and name.endswith("_" + TITLE)
    assert len(package_name(2023, "x" * 84, TITLE).encode()) == 120
    assert package_name(2023, "x" * 85, TITLE) == package_name(2023, "x" * 84, TITLE)


@pytest.mark.parametrize("text, expected", [
    ("CON", "_CON"), ("nul", "_nul"), ("com1.txt", "_com1.txt"), ("LPT9", "_LPT9"), ("AUX ", "_AUX"),
    ("CONSOLE", "CONSOLE"), ("COM10", "COM10"), ("a<b>", "a_b_"), ("名字. ", "名字"),
])
def test_safe_component(text, expected):
    assert safe_component(text) == expected


# -- writing

def make_fields(**changes) -> dict:
    return {**FIELDS, **changes}


@pytest.fixture(scope="module")
def parts(signed, stand_in):
    _, xlsx = stand_in
    return signed, xlsx


def write(out_dir: Path, parts, **options) -> Path:
    pdf, xlsx = parts
    return write_package(out_dir, name=NAME, pdf=pdf, xlsx=xlsx, manifest=make_fields(), **options)


def test_package_folder_and_manifest(tmp_path, parts):
    pdf, xlsx = parts
    folder = write(tmp_path, parts)
    assert folder == tmp_path / NAME
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{NAME}.pdf", f"{NAME}.xlsx", MANIFEST])
    raw = (folder / MANIFEST).read_bytes()
    manifest = json.loads(raw.decode("utf-8"))
    assert raw == (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert "乐昌市某某局".encode() in raw
    assert {k: manifest[k] for k in FIELDS} == FIELDS
    assert manifest["files"] == [
        {"name": f"{NAME}.pdf", "size": len(pdf), "sha256": sha256(pdf)},
        {"name": f"{NAME}.xlsx", "size": len(xlsx), "sha256": sha256(xlsx)},
    ]
    for entry in manifest["files"]:
        assert sha256((folder / entry["name"]).read_bytes()) == entry["sha256"]


def test_manifest_needs_its_fields(tmp_path, parts):
    pdf, xlsx = parts
    with pytest.raises(ValueError, match="总分"):
        write_package(tmp_path, name=NAME, pdf=pdf, xlsx=xlsx, manifest={"form_id": "x"})


def test_writing_again_keeps_the_old_folder(tmp_path, parts):
    folder = write(tmp_path, parts)
    (folder / "note.txt").write_text("old")
    write(tmp_path, parts)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and NAME in names
    (old,) = [n for n in names if n != NAME]
    assert old.startswith(f"{NAME}_旧版")
    assert (tmp_path / old / "note.txt").exists() and not (folder / "note.txt").exists()


def test_zip_variant(tmp_path, parts):
    folder = write(tmp_path, parts, make_zip=True)
    archive_path = tmp_path / f"{NAME}.zip"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([NAME, archive_path.name])
    with zipfile.ZipFile(archive_path) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(f"{NAME}/{p.name}" for p in folder.iterdir())
        for member in archive.namelist():
            assert archive.read(member) == (tmp_path / member).read_bytes()
    verdict = verify(archive_path)
    assert verdict.ok, verdict.text()


def test_manifest_fields_from_a_report(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    report = ws.open_report(ws.import_json(demo_report_path().read_text("utf-8")))
    ws.close()
    evaluation = report.evaluate()
    created = datetime(2023, 1, 15, 10, 32, tzinfo=timezone.utc)
    fields = manifest_fields(report, evaluation, created=created)
    assert fields == {
        "form_id": report.form.id, "form_edition": report.form.edition, "program_version": __version__,
        "unit": report.info.unit_name, "year": report.info.year, "total": str(evaluation.total),
        "grade": evaluation.grade, "created": "2023-01-15T10:32:00+00:00",
    }


# -- failures while writing

def _failing_after(calls: int, code: int, real=package._write_bytes):
    count = {"n": 0}

    def write_bytes(path, data):
        count["n"] += 1
        if count["n"] > calls:
            raise OSError(code, "simulated")
        real(path, data)

    return write_bytes


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "磁盘空间不足"), (errno.EIO, "已拔出"), (errno.ENOENT, "已拔出"), (errno.EROFS, "只读"),
])
def test_full_disk_or_pulled_drive_leaves_nothing_complete(tmp_path, parts, monkeypatch, code, words):
    monkeypatch.setattr(package, "_write_bytes", _failing_after(1, code))
    with pytest.raises(PackageError, match=words) as caught:
        write(tmp_path, parts)
    assert NAME in str(caught.value) and caught.value.folder == tmp_path / NAME
    assert list(tmp_path.iterdir()) == []


def test_full_disk_keeps_the_previous_package(tmp_path, parts, monkeypatch):
    folder = write(tmp_path, parts)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(package, "_write_bytes", _failing_after(2, errno.ENOSPC))
    with pytest.raises(PackageError):
        write(tmp_path, parts)
    assert [p.name for p in tmp_path.iterdir()] == [NAME]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_full_disk_while_writing_the_zip(tmp_path, parts, monkeypatch):
    monkeypatch.setattr(package, "_write_bytes", _failing_after(3, errno.ENOSPC))
    with pytest.raises(PackageError, match="磁盘空间不足") as caught:
        write(tmp_path, parts, make_zip=True)
    assert f"{NAME}.zip" in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == [NAME]
    assert verify(tmp_path / NAME).ok


def test_bad_read_back_is_refused(tmp_path, parts, monkeypatch):
    real = package._write_bytes
    monkeypatch.setattr(package, "_write_bytes", lambda path, data: real(path, data[:-1] + b"?"))
    with pytest.raises(PackageError, match="不一致"):
        write(tmp_path, parts)
    assert list(tmp_path.iterdir()) == []


# -- verifying

@pytest.fixture
def folder(tmp_path, parts) -> Path:
    return write(tmp_path, parts)


def _failed(verdict) -> str:
    assert not verdict.ok
    assert verdict.text().startswith("验证未通过：")
    return "；".join(message for ok, message in verdict.items if not ok)


def _rewrite_manifest(folder: Path, change) -> None:
    path = folder / MANIFEST
    manifest = json.loads(path.read_text("utf-8"))
    change(manifest)
    path.write_bytes(manifest_bytes(manifest))


def test_verify_passes(folder):
    verdict = verify(folder)
    assert verdict.ok, verdict.text()
    assert all(ok for ok, _ in verdict.items)
    assert verdict.self_signed and verdict.signer == f"{PERSON}（{UNIT}）"
    text = verdict.text()
    assert text.startswith(f"验证通过：签名有效，文件自签署后未被改动。签署人：{PERSON}（{UNIT}）")
    assert SELF_SIGNED_NOTE in text and "与签名封存的一致" in text


def test_flipped_byte_in_signed_part_of_pdf(folder):
    pdf = folder / f"{NAME}.pdf"
    data = pdf.read_bytes()
    at = data.index(b"stand-in report") + 2
    pdf.write_bytes(data[:at] + b"X" + data[at + 1:])
    failed = _failed(verify(folder))
    assert "签名后 PDF 内容被改动过" in failed and "SHA-256 不符" in failed


def test_flipped_byte_in_signature_contents(folder):
    pdf = folder / f"{NAME}.pdf"
    data = pdf.read_bytes()
    at = data.index(b"/Contents <") + len(b"/Contents <") + 600
    pdf.write_bytes(data[:at] + (b"7" if data[at:at + 1] != b"7" else b"8") + data[at + 1:])
    failed = _failed(verify(folder))
    assert "签名" in failed and "SHA-256 不符" in failed


def test_loose_table_replaced(folder):
    (folder / f"{NAME}.xlsx").write_bytes(make_xlsx(total="99.00"))
    failed = _failed(verify(folder))
    assert "与 PDF 中签名封存的不一致" in failed and "SHA-256 不符" in failed


def test_loose_table_replaced_with_manifest_updated_too(folder):
    other = make_xlsx(total="99.00")
    (folder / f"{NAME}.xlsx").write_bytes(other)

    def change(manifest):
        manifest["files"][1].update(size=len(other), sha256=sha256(other))

    _rewrite_manifest(folder, change)
    failed = _failed(verify(folder))
    assert "与 PDF 中签名封存的不一致" in failed and "SHA-256" not in failed


def test_manifest_total_edited(folder):
    _rewrite_manifest(folder, lambda manifest: manifest.update(total="99.50"))
    failed = _failed(verify(folder))
    assert "总分：清单为 99.50，签名封存为 92.50" in failed


def test_manifest_layout_edited(folder):
    path = folder / MANIFEST
    path.write_bytes(path.read_bytes().replace(b'  "grade"', b'   "grade"'))
    assert "格式被改动过" in _failed(verify(folder))


def test_manifest_field_removed(folder):
    _rewrite_manifest(folder, lambda manifest: manifest.pop("grade"))
    assert "清单缺少字段：评价等级" in _failed(verify(folder))


def test_extra_file(folder):
    (folder / "说明.txt").write_text("x", "utf-8")
    assert "清单以外的文件：说明.txt" in _failed(verify(folder))


def test_missing_file(folder):
    (folder / f"{NAME}.xlsx").unlink()
    assert f"清单中的文件“{NAME}.xlsx”不存在" in _failed(verify(folder))


def test_embedded_table_changed_by_an_incremental_update(folder):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf = folder / f"{NAME}.pdf"
    other = make_xlsx(total="99.00")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = next(names[i + 1].get_object() for i in range(0, len(names), 2) if str(names[i]).endswith(".xlsx"))
    stream_ref = spec["/EF"].raw_get("/F")
    stream = stream_ref.get_object()
    stream._data, stream._encoded_data = other, None
    writer.mark_update(stream_ref)
    out = io.BytesIO()
    writer.write(out)
    pdf.write_bytes(out.getvalue())
    (folder / f"{NAME}.xlsx").write_bytes(other)

    def change(manifest):
        for entry, data in zip(manifest["files"], (out.getvalue(), other)):
            entry.update(size=len(data), sha256=sha256(data))

    _rewrite_manifest(folder, change)
    failed = _failed(verify(folder))
    assert "没有覆盖整个文件" in failed


def _members(archive: Path) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(archive) as opened:
            return {info.filename: opened.read(info) for info in opened.infolist()}
    except Exception:
        return None


def test_every_byte_of_the_zip_counts(tmp_path, parts):
    """A flipped byte either fails verification, or left every file's name and content as they were
    (a date or an attribute in a header: a zip is judged by what it holds)."""
    write(tmp_path, parts, make_zip=True)
    archive = tmp_path / f"{NAME}.zip"
    data = archive.read_bytes()
    original = _members(archive)
    step = max(1, len(data) // 150)
    positions = sorted({*range(0, len(data), step), *range(len(data) - 60, len(data))})
    missed = []
    for at in positions:
        archive.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])
        if verify(archive).ok and _members(archive) != original:
            missed.append(at)
    assert missed == []


def test_every_byte_of_the_manifest_counts(folder):
    path = folder / MANIFEST
    data = path.read_bytes()
    missed = []
    for at in range(len(data)):
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])
        if verify(folder).ok:
            missed.append(at)
    assert missed == []


def test_bytes_across_the_pdf_count(folder):
    path = folder / f"{NAME}.pdf"
    data = path.read_bytes()
    missed = []
    for at in range(0, len(data), max(1, len(data) // 120)):
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])
        if verify(folder).ok:
            missed.append(at)
    assert missed == []


# -- trust

def _pem(cert) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_der_x509_certificate(cert.dump()).public_bytes(Encoding.PEM)


def test_trusting_the_signing_certificate(folder, signer, tmp_path):
    pem = tmp_path / "zhangsan.cer"
    pem.write_bytes(_pem(signer.signing_cert))
    der = tmp_path / "zhangsan.der"
    der.write_bytes(signer.signing_cert.dump())
    for path in (pem, der):
        verdict = verify(folder, trust=[path])
        assert verdict.ok, verdict.text()
        assert verdict.trusted_by_list and SELF_SIGNED_NOTE not in verdict.text()


def test_trusting_the_wrong_certificate(folder, tmp_path):
    from selfeval.export.certs import load_signer

    other = load_signer(new_self_signed(tmp_path / "other.pfx", unit_name="别的单位", person="李四",
                                        password=PASSWORD), PASSWORD)
    wrong = tmp_path / "lisi.pem"
    wrong.write_bytes(_pem(other.signing_cert))
    assert "没有链接到您提供的任何可信证书" in _failed(verify(folder, trust=[wrong]))


def test_unreadable_trust_file(folder, tmp_path):
    junk = tmp_path / "junk.cer"
    junk.write_bytes(b"not a certificate")
    assert "无法读取可信证书" in _failed(verify(folder, trust=[junk]))


def test_certificate_from_a_ca(tmp_path, stand_in, cjk_font):
    from asn1crypto import keys, x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.sign.signers import SimpleSigner

    def name(cn, org):
        return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                          x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = datetime.now(timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("测试 CA", "某 CA")).issuer_name(name("测试 CA", "某 CA"))
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now)
          .not_valid_after(now.replace(year=now.year + 1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(name(PERSON, UNIT)).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(2).not_valid_before(now)
            .not_valid_after(now.replace(year=now.year + 1))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    der = serialization.Encoding.DER
    ca_signed = SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(leaf.public_bytes(der)),
        signing_key=keys.PrivateKeyInfo.load(key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=None,
    )
    pdf, xlsx = stand_in
    folder = write_package(tmp_path, name=NAME, pdf=signed_pdf(ca_signed, cjk_font, pdf, xlsx), xlsx=xlsx,
                           manifest=make_fields())
    assert "未提供可信的根证书" in _failed(verify(folder))
    root = tmp_path / "ca.pem"
    root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    verdict = verify(folder, trust=[root])
    assert verdict.ok, verdict.text()
    assert verdict.self_signed is False and SELF_SIGNED_NOTE not in verdict.text()
    for other_name in (name("别的 CA", "别的 CA"), ca.subject):  # another CA; one that copies the CA's name
        other_key = ec.generate_private_key(ec.SECP256R1())
        other = (x509.CertificateBuilder().subject_name(other_name).issuer_name(other_name)
                 .public_key(other_key.public_key()).serial_number(3).not_valid_before(now)
                 .not_valid_after(now.replace(year=now.year + 1))
                 .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                 .sign(other_key, hashes.SHA256()))
        root.write_bytes(other.public_bytes(serialization.Encoding.PEM))
        assert "签名证书不是由您提供的可信证书（CA）签发的" in _failed(verify(folder, trust=[root]))


def test_files_the_operating_system_leaves_are_ignored(folder):
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / f"._{NAME}.pdf").write_bytes(b"\0\5\26\7")
    verdict = verify(folder)
    assert verdict.ok, verdict.text()
    assert f"已忽略操作系统生成的文件：.DS_Store、._{NAME}.pdf" in verdict.text()


def test_missing_target_folder(tmp_path, parts):
    with pytest.raises(PackageError, match="找不到目标文件夹"):
        write(tmp_path / "gone", parts)
    assert list(tmp_path.iterdir()) == []
