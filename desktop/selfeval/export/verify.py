"""Check a package (folder or .zip) or a lone signed PDF, and say in Chinese what holds."""
from __future__ import annotations

import binascii
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import os_message
from .certs import is_self_signed, subject_names
from .package import FIELD_LABELS, MANIFEST, SUMMARY_ATTACHMENT, SUMMARY_FIELDS, manifest_bytes, sha256, zip_bytes
from .sign import embedded_files, zh_datetime

_SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", "Desktop.ini"}
SELF_SIGNED_NOTE = "签名证书为自签名证书，仅能证明文件自签名后未被改动，不能证明签署人身份"


@dataclass
class Verdict:
    items: list[tuple[bool, str]] = field(default_factory=list)
    signer: str | None = None
    self_signed: bool | None = None
    trusted_by_list: bool = False
    signed_at: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.items) and all(ok for ok, _ in self.items)

    def add(self, ok: bool, message: str) -> bool:
        self.items.append((bool(ok), message))
        return ok

    def text(self) -> str:
        if self.ok:
            lines = [f"验证通过：签名有效，文件自签署后未被改动。签署人：{self.signer}"
                     + (f"，签署时间：{self.signed_at}" if self.signed_at else "") + "。"]
        else:
            lines = ["验证未通过：" + "；".join(message for ok, message in self.items if not ok) + "。"]
        if self.self_signed and not self.trusted_by_list:
            lines.append(SELF_SIGNED_NOTE + "。")
        lines.append("检查明细：")
        lines += [f"  {'√' if ok else '×'} {message}" for ok, message in self.items]
        return "\n".join(lines)


def verify(path: Path | str, *, trust: list[Path] | None = None) -> Verdict:
    """Verify a package folder, a package .zip or a lone PDF; ``trust`` lists PEM/DER certificates."""
    path, verdict = Path(path), Verdict()
    roots = None if trust is None else _load_trust(trust, verdict)
    try:
        if path.is_dir():
            _check_package(_read_folder(path), roots, verdict)
        elif path.suffix.lower() == ".zip":
            files = _read_zip(path, verdict)
            if files is not None:
                _check_package(files, roots, verdict)
        else:
            _check_pdf(path.read_bytes(), roots, verdict)
    except OSError as exc:
        verdict.add(False, os_message(exc, path, doing="读取").rstrip("。"))
    return verdict


def _load_trust(paths: list[Path], verdict: Verdict) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    roots = []
    for cert_path in paths:
        try:
            data = Path(cert_path).read_bytes()
            certs = (x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data
                     else [x509.load_der_x509_certificate(data)])
        except (OSError, ValueError):
            verdict.add(False, f"无法读取可信证书“{cert_path}”（应为 PEM 或 DER 格式的证书）")
            continue
        roots += [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certs]
    return roots


def _read_folder(folder: Path) -> dict[str, bytes | None]:
    return {entry.name: entry.read_bytes() if entry.is_file() else None for entry in folder.iterdir()}


def _read_zip(path: Path, verdict: Verdict) -> dict[str, bytes | None] | None:
    raw = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, KeyError, EOFError, zlib.error) as exc:
        verdict.add(False, f"压缩包“{path.name}”已损坏，无法读取（{exc}）")
        return None
    except (RuntimeError, NotImplementedError):  # a flipped flag bit: "encrypted", or an unknown method
        verdict.add(False, f"压缩包“{path.name}”已被改动：其中的文件被标为加密或使用了本程序不生成的压缩方式")
        return None
    tops = {name.split("/", 1)[0] for name in members}
    if len(tops) != 1 or any("/" not in name or name.endswith("/") for name in members):
        verdict.add(False, "压缩包内应只有一个报送文件夹，且其中只有文件")
        return None
    top = tops.pop()
    files = {name.split("/", 1)[1]: data for name, data in members.items()}
    same = zip_bytes(top, files) == raw
    verdict.add(same, "压缩包结构与本程序生成的一致" if same
                else "压缩包的结构或附加信息被改动过（与本程序生成的格式不一致）")
    return files


def _check_package(files: dict[str, bytes | None], roots, verdict: Verdict) -> None:
    manifest = _read_manifest(files.get(MANIFEST), verdict)
    listed = {entry.get("name") for entry in manifest.get("files", []) if isinstance(entry, dict)}
    unlisted = [name for name in files if name not in listed and name != MANIFEST]
    system = sorted(name for name in unlisted if name in _SYSTEM_FILES or name.startswith("._"))
    extra = sorted(set(unlisted) - set(system))
    if system:
        verdict.add(True, f"已忽略操作系统生成的文件：{'、'.join(system)}")
    verdict.add(not extra, "包中没有清单以外的文件" if not extra
                else f"包中有清单以外的文件：{'、'.join(extra)}")
    for entry in manifest.get("files", []):
        _check_listed(entry, files, verdict)

    pdfs = [name for name in listed if str(name).lower().endswith(".pdf") and files.get(name)]
    if len(pdfs) != 1:
        verdict.add(False, "包中应恰好有一个 PDF 报告文件")
        return
    embedded = _check_pdf(files[pdfs[0]], roots, verdict)
    _check_xlsx(listed, files, embedded, verdict)
    if manifest:
        _check_summary(manifest, embedded, verdict)


def _read_manifest(data: bytes | None, verdict: Verdict) -> dict:
    if data is None:
        verdict.add(False, f"缺少清单文件 {MANIFEST}")
        return {}
    try:
        manifest = json.loads(data.decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError
    except ValueError:
        verdict.add(False, f"清单文件 {MANIFEST} 已损坏，无法读取")
        return {}
    missing = [key for key in (*SUMMARY_FIELDS, "files") if key not in manifest]
    verdict.add(not missing, "清单字段齐全" if not missing
                else f"清单缺少字段：{'、'.join(FIELD_LABELS.get(k, k) for k in missing)}")
    canonical = manifest_bytes(manifest) == data
    verdict.add(canonical, "清单文件格式未被改动" if canonical else f"清单文件 {MANIFEST} 的格式被改动过")
    return manifest


def _check_listed(entry, files: dict[str, bytes | None], verdict: Verdict) -> None:
    if not isinstance(entry, dict) or not {"name", "size", "sha256"} <= entry.keys():
        verdict.add(False, "清单中的文件记录不完整")
        return
    name, data = entry["name"], files.get(entry["name"])
    if data is None:
        verdict.add(False, f"清单中的文件“{name}”不存在")
    elif len(data) != entry["size"] or sha256(data) != entry["sha256"]:
        verdict.add(False, f"文件“{name}”与清单记录的大小或 SHA-256 不符（文件被改动或替换）")
    else:
        verdict.add(True, f"文件“{name}”与清单一致（SHA-256 {entry['sha256'][:16]}…）")


def _check_xlsx(listed, files, embedded: dict[str, bytes], verdict: Verdict) -> None:
    loose = [name for name in listed if str(name).lower().endswith(".xlsx") and files.get(name)]
    inside = [data for name, data in embedded.items() if name.lower().endswith(".xlsx")]
    if len(loose) != 1 or len(inside) != 1:
        verdict.add(False, "包中和 PDF 内应各有一个 Excel 自评表")
    elif files[loose[0]] == inside[0]:
        verdict.add(True, f"Excel 自评表“{loose[0]}”与 PDF 中签名封存的一致")
    else:
        verdict.add(False, f"Excel 自评表“{loose[0]}”与 PDF 中签名封存的不一致（被替换或改动）")


def _check_summary(manifest: dict, embedded: dict[str, bytes], verdict: Verdict) -> None:
    try:
        sealed = json.loads(embedded[SUMMARY_ATTACHMENT].decode("utf-8"))
    except (KeyError, ValueError):
        verdict.add(False, "PDF 中没有签名封存的报告信息，无法核对清单")
        return
    differ = [f"{FIELD_LABELS[key]}：清单为 {manifest.get(key)}，签名封存为 {sealed.get(key)}"
              for key in SUMMARY_FIELDS if manifest.get(key) != sealed.get(key)]
    verdict.add(not differ, "清单中的单位、年度、总分、等级等信息与签名封存的一致" if not differ
                else "清单与签名封存的信息不一致（" + "；".join(differ) + "）")


def _check_pdf(data: bytes, roots, verdict: Verdict) -> dict[str, bytes]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data))
        signatures = reader.embedded_signatures
    except Exception:
        verdict.add(False, "PDF 文件已损坏，无法读取（可能被改动过）")
        return {}
    if len(signatures) != 1:
        verdict.add(False, "PDF 没有签名" if not signatures else f"PDF 中有 {len(signatures)} 个签名，应只有一个")
        return {}
    try:
        _check_signature(signatures[0], data, roots, verdict)
    except ImportError:
        raise
    except Exception:
        verdict.add(False, "签名数据已损坏，无法验证（可能被改动过）")
    try:
        found = embedded_files(reader)
    except Exception:
        verdict.add(False, "无法读取 PDF 中的嵌入文件")
        return {}
    verdict.add(True, "PDF 内嵌文件：" + ("、".join(found) or "无"))
    return found


def _check_signature(sig, data: bytes, roots, verdict: Verdict) -> None:
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    cert = sig.signer_cert
    person, unit = subject_names(cert)
    verdict.signer = f"{person}（{unit}）" if unit else person
    verdict.self_signed = is_self_signed(cert)
    given = roots is not None
    anchors = roots if given else ([cert] if verdict.self_signed else [])
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=anchors))
    if status.signer_reported_dt:
        verdict.signed_at = zh_datetime(status.signer_reported_dt.astimezone())

    if not status.intact:
        verdict.add(False, "签名后 PDF 内容被改动过（内容摘要与签名不符）")
    elif not status.valid:
        verdict.add(False, "签名值无效（签名数据被改动或已损坏）")
    else:
        verdict.add(True, f"签名完好，签署人：{verdict.signer}")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    verdict.add(whole, "签名覆盖整个文件，签署后没有追加修改" if whole
                else "签署后文件又被追加修改（增量更新），签名没有覆盖整个文件")
    canonical = _contents_canonical(sig, data)
    verdict.add(canonical, "签名数据区完整" if canonical else "签名数据区被改动过")
    _check_trust(status, given, verdict)


def _contents_canonical(sig, data: bytes) -> bool:
    """The hole left for the signature holds the CMS as plain hex (one case), padded with zeros only."""
    from asn1crypto import parser

    _, end_first, start_second, _ = (int(v) for v in sig.byte_range)
    contents = bytes(sig.sig_object.raw_get("/Contents"))
    length = parser.peek(contents)
    digits = binascii.hexlify(contents)
    hole = data[end_first:start_second]
    return not any(contents[length:]) and hole in (b"<" + digits.upper() + b">", b"<" + digits + b">")


def _check_trust(status, given: bool, verdict: Verdict) -> None:
    if status.trusted:
        if given:
            verdict.trusted_by_list = True
            verdict.add(True, "签名证书链接到您提供的可信证书")
        elif verdict.self_signed:
            verdict.add(True, SELF_SIGNED_NOTE)
        return
    indic = getattr(status.trust_problem_indic, "name", "")
    if given and verdict.self_signed and indic in ("NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE"):
        verdict.add(False, "签名证书为自签名证书，没有链接到您提供的任何可信证书")
    elif indic == "NO_CERTIFICATE_CHAIN_FOUND":
        verdict.add(False, "签名证书没有链接到您提供的任何可信证书" if given
                    else "签名证书由其他机构签发，但未提供可信的根证书，无法确认证书链")
    elif indic in ("EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
        verdict.add(False, "签名证书已过期或尚未生效")
    elif indic.startswith("REVOKED"):
        verdict.add(False, "签名证书已被吊销")
    else:
        verdict.add(False, f"签名证书未通过验证（{indic or '未知原因'}）")
