"""Check a package (folder or .zip) or a lone signed PDF, and say in Chinese what holds."""
from __future__ import annotations

import binascii
import io
import json
import logging
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import os_message
from .certs import fingerprint, grouped, is_self_signed, short_fingerprint, subject_names
from .package import (FIELD_LABELS, MANIFEST, OPTIONAL_FIELDS, REPORT_FIELDS, SUMMARY_ATTACHMENT, SUMMARY_FIELDS,
                      YEAR_FIELDS, YEAR_VERSION, is_package_name, is_year_manifest, manifest_bytes, sha256)
from .sign import embedded_files, zh_datetime

# Files an operating system leaves in a folder, ignored by exact name; "._name" only when it is AppleDouble.
_SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", "Desktop.ini"}
_APPLE_DOUBLE = b"\x00\x05\x16\x07"
_MAC_FOLDER = "__MACOSX"  # where the macOS archiver puts AppleDouble files in a .zip
SELF_SIGNED_NOTE = "签名证书为自签名证书，仅能证明文件自签名后未被改动，不能证明签署人身份"
MANIFEST_KEYS = {*SUMMARY_FIELDS, *OPTIONAL_FIELDS, "files"}
FILE_KEYS = {"name", "size", "sha256"}

# pyHanko logs every failed path validation with its traceback; the verdict says it in Chinese instead.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass
class Verdict:
    items: list[tuple[bool, str]] = field(default_factory=list)
    signer: str | None = None
    self_signed: bool | None = None
    trusted_by_list: bool = False
    signed_at: str | None = None
    signed_moment: object = None  # the signing time the signer reports (aware datetime)
    fingerprint: str | None = None  # SHA-256 of the signing certificate, 64 hex digits
    warnings: list[str] = field(default_factory=list)  # worth a look, but not a failure
    # what was read, for the receiving desk
    cert: object = field(default=None, repr=False)  # the signing certificate (cryptography)
    sealed: dict = field(default_factory=dict, repr=False)  # files embedded in the signed PDF
    summary: dict = field(default_factory=dict, repr=False)  # the signed report information
    files: dict = field(default_factory=dict, repr=False)  # the package's files, by name
    name: str = ""  # the package folder's name
    parts: list = field(default_factory=list, repr=False)  # a package of several reports: one Verdict each

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
        if self.parts:
            lines.append(f"包中共 {len(self.parts)} 份报告：" + "、".join(
                part.name.rsplit("_", 1)[-1] for part in self.parts) + "。")
        if self.fingerprint:
            lines.append(f"证书指纹（SHA-256）：{grouped(self.fingerprint)}")
        lines += [f"注意：{warning}。" for warning in self.warnings]
        if self.self_signed and not self.trusted_by_list:
            lines.append(SELF_SIGNED_NOTE + "。")
        lines.append("检查明细：")
        lines += [f"  {'√' if ok else '×'} {message}" for ok, message in self.items]
        return "\n".join(lines)


def verify(path: Path | str, *, trust: list[Path] | None = None) -> Verdict:
    """Verify a package folder, a package .zip or a lone PDF; ``trust`` lists PEM/DER certificate files
    (or asn1crypto certificates)."""
    path, verdict = Path(path), Verdict()
    roots = None if trust is None else _load_trust(trust, verdict)
    try:
        if path.is_dir():
            verdict.name = path.name
            files = _read_folder(path)
            if is_year_manifest(files.get(MANIFEST)):
                files = _read_folder(path, deep=True)
            _check_package(files, roots, verdict)
        elif path.suffix.lower() == ".zip":
            files = _read_zip(path, verdict)
            if files is not None:
                if verdict.name != path.stem:
                    verdict.warnings.append(f"压缩包的文件名“{path.name}”与其中的文件夹“{verdict.name}”不同")
                _check_package(files, roots, verdict)
        else:
            verdict.sealed = _check_pdf(path.read_bytes(), roots, verdict)
            verdict.summary = _sealed_summary(verdict.sealed) or {}
            _check_signer_unit(verdict)
    except OSError as exc:
        verdict.add(False, os_message(exc, path, doing="读取").rstrip("。"))
    return verdict


def _load_trust(paths: list[Path], verdict: Verdict) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    roots = []
    for cert_path in paths:
        if isinstance(cert_path, asn1_x509.Certificate):  # already read, e.g. the CA on a USB key
            roots.append(cert_path)
            continue
        try:
            data = Path(cert_path).read_bytes()
            certs = (x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data
                     else [x509.load_der_x509_certificate(data)])
        except (OSError, ValueError):
            verdict.add(False, f"无法读取可信证书“{cert_path}”（应为 PEM 或 DER 格式的证书）")
            continue
        roots += [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certs]
    return roots


def _read_folder(folder: Path, deep: bool = False) -> dict[str, bytes | None]:
    """The folder's files by name (a sub-folder: None); ``deep``: a sub-folder's files as "folder/file"."""
    files: dict[str, bytes | None] = {}
    for entry in folder.iterdir():
        if deep and entry.is_dir():
            files.update({f"{entry.name}/{name}": data for name, data in _read_folder(entry).items()})
        else:
            files[entry.name] = entry.read_bytes() if entry.is_file() else None
    return files


def _read_zip(path: Path, verdict: Verdict) -> dict[str, bytes | None] | None:
    """The files of the one package folder in a .zip, judged by what they hold, not how they were zipped
    (a package zipped again by Explorer or 7-Zip is the same package)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            members = [(info.filename, archive.read(info)) for info in infos if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError, KeyError, EOFError, zlib.error) as exc:
        verdict.add(False, f"压缩包“{path.name}”已损坏，无法读取（{exc}）")
        return None
    except (RuntimeError, NotImplementedError):  # a flipped flag bit: "encrypted", or an unknown method
        verdict.add(False, f"压缩包“{path.name}”已被改动：其中的文件被标为加密或使用了本程序不生成的压缩方式")
        return None
    names = [name for name, _ in members]
    if len(set(names)) != len(names):
        verdict.add(False, f"压缩包“{path.name}”中有同名的文件，无法确定哪一个是报送的文件")
        return None
    debris = [name for name, data in members if name.split("/", 1)[0] == _MAC_FOLDER and _apple_double(name, data)]
    kept = [(name, data) for name, data in members if name not in debris]
    tops = {name.split("/", 1)[0] for name, _ in kept}
    year = len(tops) == 1 and is_year_manifest(dict(kept).get(f"{next(iter(tops))}/{MANIFEST}"))
    if len(tops) != 1 or any(name.count("/") not in ((1, 2) if year else (1,)) for name, _ in kept):
        verdict.add(False, "压缩包内应只有一个报送文件夹，且其中只有文件")
        return None
    verdict.name = tops.pop()
    verdict.add(True, f"压缩包中的报送文件夹：{verdict.name}")
    if debris:
        verdict.add(True, f"已忽略操作系统生成的文件：{'、'.join(debris)}")
    return {name.split("/", 1)[1]: data for name, data in kept}


def is_debris(name: str, data: bytes | None) -> bool:
    """A file an operating system leaves beside the package's files, by exact name or AppleDouble content."""
    return name in _SYSTEM_FILES or _apple_double(name, data)


def _apple_double(name: str, data: bytes | None) -> bool:
    """A macOS "._name" file that really is AppleDouble metadata, not a document under that name."""
    return name.rsplit("/", 1)[-1].startswith("._") and data is not None and data[:4] == _APPLE_DOUBLE


def _check_package(files: dict[str, bytes | None], roots, verdict: Verdict) -> None:
    if is_year_manifest(files.get(MANIFEST)):
        _check_year_package(files, roots, verdict)
        return
    verdict.files = files
    manifest = _read_manifest(files.get(MANIFEST), verdict)
    listed = _check_files(manifest, files, verdict)
    pdfs = [name for name in listed if str(name).lower().endswith(".pdf") and files.get(name)]
    if len(pdfs) != 1:
        verdict.add(False, "包中应恰好有一个 PDF 报告文件")
        return
    embedded = verdict.sealed = _check_pdf(files[pdfs[0]], roots, verdict)
    _check_xlsx(listed, files, embedded, verdict)
    if manifest:
        _check_summary(manifest, embedded, verdict)
    _check_signer_unit(verdict)
    _check_names(verdict, pdfs[0])


def _check_files(manifest: dict, files: dict[str, bytes | None], verdict: Verdict) -> set:
    """Every file listed in the manifest is there as recorded, and there is no other; returns the listed names."""
    entries = manifest.get("files") if isinstance(manifest.get("files"), list) else []
    listed = {entry.get("name") for entry in entries if isinstance(entry, dict)}
    unlisted = [name for name in files if name not in listed and name != MANIFEST]
    system = sorted(name for name in unlisted if is_debris(name, files[name]))
    extra = sorted(set(unlisted) - set(system))
    if system:
        verdict.add(True, f"已忽略操作系统生成的文件：{'、'.join(system)}")
    verdict.add(not extra, "包中没有清单以外的文件" if not extra
                else f"包中有清单以外的文件：{'、'.join(extra)}")
    for entry in entries:
        _check_listed(entry, files, verdict)
    return listed


def _check_year_package(files: dict[str, bytes | None], roots, verdict: Verdict) -> None:
    """A package of several reports: its manifest and files, then each report's sub-folder as a package of
    its own, each report's result in ``verdict.parts`` (the department report first)."""
    verdict.files = files
    manifest = _read_year_manifest(files[MANIFEST], verdict)
    _check_files(manifest, files, verdict)
    reports = manifest.get("reports") if isinstance(manifest.get("reports"), list) else []
    folders = [report.get("folder") for report in reports if isinstance(report, dict)]
    if not reports or len(folders) != len(reports) or not all(isinstance(f, str) and f for f in folders) \
            or len(set(folders)) != len(folders):
        verdict.add(False, "清单中的报告列表不完整或有重复")
        return
    outside = sorted(name for name in files if name != MANIFEST and name.split("/", 1)[0] not in folders
                     and not is_debris(name, files[name]))
    if outside:
        verdict.add(False, f"包中有不属于任何报告的文件：{'、'.join(outside)}")
    for report in reports:
        folder = report["folder"]
        part = Verdict(name=folder)
        _check_package({name[len(folder) + 1:]: data for name, data in files.items()
                        if name.startswith(folder + "/") and name.count("/") == 1}, roots, part)
        label = f"［{report.get('subject') or folder.rsplit('_', 1)[-1]}］"
        verdict.items += [(ok, label + message) for ok, message in part.items]
        verdict.warnings += [label + warning for warning in part.warnings]
        differ = [key for key in REPORT_FIELDS[1:] if key != "subject"
                  and str(report.get(key)) != str(part.summary.get(key))]
        verdict.add(not differ, label + ("清单中的报告信息与签名封存的一致" if not differ else
                                         "清单中的报告信息与签名封存的不一致：" + "、".join(
                                             FIELD_LABELS.get(key, key) for key in differ)))
        verdict.parts.append(part)
    head = verdict.parts[0]
    for key in ("signer", "self_signed", "trusted_by_list", "signed_at", "signed_moment", "fingerprint", "cert",
                "sealed", "summary"):
        setattr(verdict, key, getattr(head, key))
    verdict.trusted_by_list = all(part.trusted_by_list for part in verdict.parts)
    one = len({part.fingerprint for part in verdict.parts}) == 1
    verdict.add(one, f"包中 {len(verdict.parts)} 份报告由同一张证书签名" if one
                else "包中各报告的签名证书不同")
    if str(manifest.get("unit")) != str(head.summary.get("unit")) or manifest.get("year") != head.summary.get("year"):
        verdict.add(False, "清单中的单位或年度与部门报告签名封存的不一致")


def _read_year_manifest(data: bytes, verdict: Verdict) -> dict:
    manifest = json.loads(data.decode("utf-8"))  # readable: is_year_manifest said so
    missing = [key for key in YEAR_FIELDS if key not in manifest]
    verdict.add(not missing, "清单字段齐全" if not missing
                else f"清单缺少字段：{'、'.join(FIELD_LABELS.get(k, k) for k in missing)}")
    unknown = sorted(set(manifest) - set(YEAR_FIELDS))
    if unknown:
        verdict.add(False, f"清单中有本程序不写的字段：{'、'.join(unknown)}（清单被改动过）")
    if manifest.get("package_version") != YEAR_VERSION:
        verdict.add(False, f"清单的格式版本为 {manifest.get('package_version')}，本程序只认得第 {YEAR_VERSION} 版")
    canonical = manifest_bytes(manifest) == data
    verdict.add(canonical, "清单文件格式未被改动" if canonical else f"清单文件 {MANIFEST} 的格式被改动过")
    return manifest


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
    unknown = sorted(set(manifest) - MANIFEST_KEYS)
    if unknown:
        verdict.add(False, f"清单中有本程序不写的字段：{'、'.join(unknown)}（清单被改动过）")
    canonical = manifest_bytes(manifest) == data
    verdict.add(canonical, "清单文件格式未被改动" if canonical else f"清单文件 {MANIFEST} 的格式被改动过")
    return manifest


def _check_listed(entry, files: dict[str, bytes | None], verdict: Verdict) -> None:
    if not isinstance(entry, dict) or set(entry) != FILE_KEYS:
        verdict.add(False, "清单中的文件记录不完整或有多余的项")
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


def _sealed_summary(embedded: dict[str, bytes]) -> dict | None:
    try:
        sealed = json.loads(embedded[SUMMARY_ATTACHMENT].decode("utf-8"))
    except (KeyError, ValueError):
        return None
    return sealed if isinstance(sealed, dict) else None


def _check_summary(manifest: dict, embedded: dict[str, bytes], verdict: Verdict) -> None:
    sealed = _sealed_summary(embedded)
    if sealed is None:
        verdict.add(False, "PDF 中没有签名封存的报告信息，无法核对清单")
        return
    verdict.summary = sealed
    keys = (*SUMMARY_FIELDS, *(key for key in OPTIONAL_FIELDS if key in manifest or key in sealed))
    differ = [f"{FIELD_LABELS[key]}：清单为 {manifest.get(key)}，签名封存为 {sealed.get(key)}"
              for key in keys if manifest.get(key) != sealed.get(key)]
    verdict.add(not differ, "清单中的单位、年度、总分、等级等信息与签名封存的一致" if not differ
                else "清单与签名封存的信息不一致（" + "；".join(differ) + "）")
    recorded = sealed.get("cert_sha256")
    if recorded is not None and verdict.fingerprint and str(recorded).upper() != verdict.fingerprint:
        verdict.add(False, "签名封存的证书指纹与实际签名所用证书的指纹不同")


def _check_signer_unit(verdict: Verdict) -> None:
    """The signing certificate names the report's unit (O); a warning, for a person to judge."""
    unit = verdict.summary.get("unit")
    if verdict.cert is None or not unit:
        return
    person, cert_unit = subject_names(verdict.cert)
    if not cert_unit:
        verdict.warnings.append(f"签名证书没有写明单位，无法核对签署人“{person}”是否属于报告单位“{unit}”")
    elif _plain(cert_unit) != _plain(str(unit)):
        verdict.warnings.append(f"签名证书的单位“{cert_unit}”与报告的单位“{unit}”不同，"
                                "请核实签署人是否有权代表该单位签署")


def _plain(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split())


def _check_names(verdict: Verdict, pdf_name: str) -> None:
    """The folder and PDF names say the unit and year that were signed; a renamed package gets a warning."""
    unit, year = verdict.summary.get("unit"), verdict.summary.get("year")
    if not verdict.name or not unit or not isinstance(year, int):
        return
    tail = verdict.name.rsplit("_", 1)[-1]
    if not is_package_name(verdict.name, year, str(unit), tail):
        verdict.warnings.append(f"报送文件夹的名称“{verdict.name}”与签名的单位和年度（{year} 年度 {unit}）"
                                "不符，文件夹可能被改过名")
    stem = pdf_name[:-4]
    if stem not in (verdict.name, tail):
        verdict.warnings.append(f"PDF 文件名“{pdf_name}”与报送文件夹的名称不符，文件可能被改过名")


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
    verdict.cert = _as_cryptography(cert)
    verdict.fingerprint = fingerprint(cert)
    person, unit = subject_names(cert)
    verdict.signer = f"{person}（{unit}）" if unit else person
    verdict.self_signed = is_self_signed(cert)
    # The signature itself is checked against the certificate it carries; whose certificate
    # that is, is asked separately (_check_trust), so one answer never hides the other.
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[cert]))
    if status.signer_reported_dt:
        verdict.signed_moment = status.signer_reported_dt.astimezone()
        verdict.signed_at = zh_datetime(verdict.signed_moment)

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
    _check_trust(cert, [choice.chosen for choice in sig.signed_data["certificates"]], roots, verdict)


def _as_cryptography(cert):
    from cryptography import x509

    return x509.load_der_x509_certificate(cert.dump())


def _contents_canonical(sig, data: bytes) -> bool:
    """The hole left for the signature holds the CMS as plain hex (one case), padded with zeros only."""
    from asn1crypto import parser

    _, end_first, start_second, _ = (int(v) for v in sig.byte_range)
    contents = bytes(sig.sig_object.raw_get("/Contents"))
    length = parser.peek(contents)
    digits = binascii.hexlify(contents)
    hole = data[end_first:start_second]
    return not any(contents[length:]) and hole in (b"<" + digits.upper() + b">", b"<" + digits + b">")


def _check_trust(cert, carried: list, roots, verdict: Verdict) -> None:
    """Whose certificate signed: the one given (by fingerprint), or one issued by a given CA."""
    if roots is None:
        if verdict.self_signed:
            problem = _path_problem(cert, [cert], [])
            verdict.add(problem is None, SELF_SIGNED_NOTE if problem is None else problem)
        else:
            verdict.add(False, "签名证书由其他机构签发，但未提供可信的根证书，无法确认证书链")
        return
    mine = verdict.fingerprint
    if any(fingerprint(root) == mine for root in roots):
        problem = _path_problem(cert, [cert], [])
        if problem is None:
            verdict.trusted_by_list = True
            verdict.add(True, f"签名证书就是您提供的证书（指纹 {short_fingerprint(cert)} 一致）")
        else:
            verdict.add(False, problem)
        return
    namesakes = [root for root in roots if root.subject == cert.subject]
    if namesakes:
        verdict.add(False, "签名证书不是登记的那一张：单位和姓名相同，但证书指纹不同（签名所用 "
                    f"{short_fingerprint(cert)}，您提供的 {short_fingerprint(namesakes[0])}），"
                    "可能是他人用同名证书重新签名")
    elif verdict.self_signed:
        verdict.add(False, "签名证书为自签名证书，没有链接到您提供的任何可信证书"
                    "（既不是您提供的证书，也不由您提供的证书签发）")
    else:
        intermediates = [c for c in carried if c.dump() != cert.dump()]
        problem = _path_problem(cert, roots, intermediates)
        if problem is None:
            verdict.trusted_by_list = True
            verdict.add(True, "签名证书由您提供的可信证书（CA）签发")
        else:
            verdict.add(False, problem)


def _path_problem(cert, roots: list, intermediates: list) -> str | None:
    """None when ``cert`` validates up to one of ``roots``; else what is wrong, in Chinese."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import (
        ExpiredError, InvalidCertificateError, NotYetValidError, PathBuildingError, RevokedError,
    )

    context = ValidationContext(trust_roots=roots, other_certs=intermediates)
    validator = CertificateValidator(cert, intermediate_certs=intermediates, validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except (ExpiredError, NotYetValidError):
        return "签名证书已过期或尚未生效"
    except RevokedError:
        return "签名证书已被吊销"
    except PathBuildingError:
        return "签名证书不是由您提供的可信证书（CA）签发的，无法建立证书链"
    except InvalidCertificateError:
        return "签名证书不是由您提供的可信证书（CA）签发的"
    except Exception:
        return "签名证书不是由您提供的可信证书（CA）签发的（证书链验证失败）"
    return None
