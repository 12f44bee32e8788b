"""The package handed to the finance bureau: a folder (and optionally a .zip).

``{name}/{name}.pdf`` (signed, with the Excel table embedded), ``{name}.xlsx``
and ``manifest.json`` listing every file with its size and SHA-256.  The folder
is built under a temporary name, synced, checked and only then renamed, so a
full disk or a pulled USB stick never leaves something that looks finished.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import unicodedata
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..errors import os_message
from ..files import fsync_dir, rename
from ..files import write_new as _write_bytes

MANIFEST = "manifest.json"
SUMMARY_ATTACHMENT = "selfeval-summary.json"
REPORT_ATTACHMENT = "selfeval-report.json"  # the whole report in the JSON interchange format
SCORES_ATTACHMENT = "selfeval-scores.json"  # the scores as signed: every indicator, total, grade
# what the report was checked against besides its own values: the counts from the unit's other
# reports ("counted") and last year's figures it compares with ("previous"), so that the bureau's
# checks find what the clerk's found
CONTEXT_ATTACHMENT = "selfeval-context.json"
FIELD_LABELS = {
    "form_id": "表单编号", "form_edition": "表单版本", "program_version": "程序版本", "unit": "单位",
    "year": "年度", "total": "总分", "grade": "评价等级", "created": "生成时间", "files": "文件列表",
    "cert_sha256": "证书指纹", "package_version": "格式版本", "reports": "报告列表", "subject": "项目名称",
}
SUMMARY_FIELDS = ("form_id", "form_edition", "program_version", "unit", "year", "total", "grade", "created")
OPTIONAL_FIELDS = ("cert_sha256",)  # the signing certificate's SHA-256 fingerprint (since 0.2)
MAX_NAME_BYTES = 120
MAX_PATH_CHARS = 250
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# device names Windows reserves, with any extension ("NUL.txt"), also COM0/LPT0 and the superscript digits
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³")}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageError(Exception):
    """Writing the package failed; the message is Chinese and names the folder."""

    def __init__(self, message: str, folder: Path | None = None):
        super().__init__(message)
        self.folder = folder


class ZipNotWritten(PackageError):
    """The folder ``folder`` was written complete and checked; only the .zip failed."""


# -- names

def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _FORBIDDEN.sub("_", _CONTROL.sub(" ", text))
    return re.sub(r"\s+", " ", text).strip().rstrip(". ")


def safe_component(text: str, fallback: str = "未命名") -> str:
    """One file or folder name valid on FAT32 and NTFS."""
    text = _clean(text)
    if not text:
        return fallback
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = "_" + text
    return text


def _fit_bytes(text: str, limit: int) -> str:
    while len(text.encode("utf-8")) > limit:
        text = text[:-1]
    return text


def package_name(year: int, unit_name: str, title: str) -> str:
    """``{年度}_{单位名称}_{title}`` (title: the form's short title, 部门整体支出绩效自评),
    safe as a folder name, ≤ 120 bytes."""
    head, tail = f"{int(year)}_", f"_{safe_component(title, 'report')}"
    room = MAX_NAME_BYTES - len((head + tail).encode("utf-8"))
    unit = _fit_bytes(_clean(unit_name) or "未命名单位", room).rstrip(". ") or "未命名单位"
    return safe_component(head + unit + tail)


def manifest_fields(report, evaluation, *, created: datetime | None = None) -> dict:
    """The descriptive part of the manifest for an :class:`OpenReport` and its evaluation."""
    created = created or datetime.now().astimezone()
    values = report.values
    return {
        "form_id": report.form.id,
        "form_edition": report.form.edition,
        "program_version": __version__,
        "unit": str(values.get("unit.name") or report.info.unit_name),
        "year": int(values.get("report.year") or report.info.year),
        "total": str(evaluation.total),
        "grade": evaluation.grade,
        "created": created.isoformat(timespec="seconds"),
    }


def summary_attachment(fields: dict) -> tuple[str, bytes, str]:
    """The manifest's descriptive fields as a PDF attachment, so the signature covers them."""
    data = {key: fields[key] for key in (*SUMMARY_FIELDS, *OPTIONAL_FIELDS) if key in fields}
    return SUMMARY_ATTACHMENT, manifest_bytes(data), "application/json"


def report_attachments(report, evaluation) -> list[tuple[str, bytes, str]]:
    """The whole report (JSON interchange) and its scores as PDF attachments, covered by the signature,
    so a receiving bureau can read the report back and score it again with its own form file."""
    from ..interchange import dumps, report_to_dict

    document = report_to_dict(report.form, report.values, report.explanations)
    return [(REPORT_ATTACHMENT, dumps(document).encode("utf-8"), "application/json"),
            (SCORES_ATTACHMENT, manifest_bytes(evaluation.score_json()), "application/json"),
            (CONTEXT_ATTACHMENT, manifest_bytes(context_json(report)), "application/json")]


def context_json(report) -> dict:
    """The report's counts from other reports and last year's figures, in the interchange's form."""
    from ..values import to_json

    fields = report.form.fields
    return {"counted": {fid: str(value) for fid, value in (report.counted or {}).items()},
            "previous": {fid: to_json(fields[fid], value) for fid, value in (report.previous or {}).items()
                         if fid in fields}}


YEAR_VERSION = 2  # a package of several reports (the department report with its project reports)
YEAR_FIELDS = ("package_version", "program_version", "unit", "year", "created", "reports", "files")
REPORT_FIELDS = ("folder", "form_id", "form_edition", "subject", "total", "grade")


def year_contents(out_dir: Path | str, signed: list[tuple[str, str, bytes, bytes, dict]], *,
                  created: datetime) -> dict[str, bytes]:
    """The files of a package of several reports, each ``(name, subject, pdf, xlsx, fields)`` in a sub-folder
    ``name`` written as its own package would be, and one manifest listing the reports and every file."""
    out_dir = Path(out_dir)
    contents: dict[str, bytes] = {}
    reports = []
    for name, subject, pdf, xlsx, fields in signed:
        if any(report["folder"] == name for report in reports):
            raise PackageError(f"两份报告的报送文件夹同名（“{name}”），无法放进同一个报送包。"
                               "请检查是否有名称相同的项目。", out_dir / name)
        own = package_contents(name, out_dir, pdf=pdf, xlsx=xlsx, manifest=fields)
        contents.update({f"{name}/{file_name}": data for file_name, data in own.items()})
        reports.append({"folder": name, "form_id": fields["form_id"], "form_edition": fields["form_edition"],
                        "subject": subject, "total": fields["total"], "grade": fields["grade"]})
    head = signed[0][4]
    return with_manifest(contents, {
        "package_version": YEAR_VERSION, "program_version": __version__, "unit": head["unit"],
        "year": head["year"], "created": created.isoformat(timespec="seconds"), "reports": reports,
    })


def is_year_manifest(data: bytes | None) -> bool:
    """``data`` is the manifest of a package of several reports (it lists ``reports``)."""
    try:
        manifest = json.loads((data or b"").decode("utf-8"))
    except ValueError:
        return False
    return isinstance(manifest, dict) and "reports" in manifest


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- files

def _aside(path: Path) -> Path:
    """A free name for keeping an older copy of ``path``."""
    stamp = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    stem, suffix = (path.stem, path.suffix) if path.is_file() else (path.name, "")
    candidate, counter = path.with_name(f"{stem}_旧版{stamp}{suffix}"), 1
    while candidate.exists():
        candidate = path.with_name(f"{stem}_旧版{stamp}-{counter}{suffix}")
        counter += 1
    return candidate


def _put_in_place(partial: Path, final: Path) -> None:
    kept = None
    if final.exists():
        kept = _aside(final)
        rename(final, kept)
    try:
        rename(partial, final)
    except BaseException:
        if kept is not None:
            rename(kept, final)
        raise
    fsync_dir(final.parent)


def _problem(exc: OSError, folder: Path) -> PackageError:
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        text = f"磁盘空间不足，无法写入“{folder}”。请清理空间或换一个 U 盘后重试。"
    elif code in (errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO):
        text = f"无法写入“{folder}”：磁盘或 U 盘可能已拔出或损坏。请重新插入后重试。"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        text = f"无法写入“{folder}”：目标是只读的或没有写入权限。请换一个位置，或检查 U 盘的写保护开关。"
    else:
        text = os_message(exc, folder)
    return PackageError(text, folder)


def pdf_name(name: str, out_dir: Path | str) -> str:
    """The name of the PDF in the package folder ``out_dir/name``."""
    return _file_names(name, Path(out_dir))[0]


def _partial_name(name: str, tag: str) -> str:
    return f".{name}.partial-{tag}"


def _longest_path(name: str, out_dir: Path, stem: str) -> int:
    """Characters of the longest path the package writes: a file in the folder's temporary name."""
    longest = max(f"{stem}.xlsx", MANIFEST, key=len)
    return len(os.path.join(os.path.abspath(out_dir), _partial_name(name, "0" * 8), longest))


def _file_names(name: str, out_dir: Path) -> tuple[str, str]:
    """The files are named like the folder; on a path too long for Windows, by the title part alone."""
    stem = name
    if _longest_path(name, out_dir, stem) > MAX_PATH_CHARS:
        stem = name.rsplit("_", 1)[-1]
    return f"{stem}.pdf", f"{stem}.xlsx"


def fit_to_path(name: str, out_dir: Path | str) -> str:
    """``name`` (from :func:`package_name`), its unit part shortened until every path the package
    writes in ``out_dir`` stays within Windows' 260 characters (MAX_PATH), where that is possible."""
    out_dir = Path(out_dir)
    head, rest = name.split("_", 1) if "_" in name else ("", name)
    unit, _, title = rest.rpartition("_")
    while len(unit) > 1 and _longest_path(name, out_dir, name.rsplit("_", 1)[-1]) > MAX_PATH_CHARS:
        unit = unit[:-1].rstrip(". ") or unit[:1]
        name = f"{head}_{unit}_{title}" if head else f"{unit}_{title}"
    return name


def is_package_name(name: str, year: int, unit: str, title: str) -> bool:
    """``name`` is :func:`package_name` of these, or that with the unit shortened by :func:`fit_to_path`."""
    full = package_name(year, unit, title)
    if name == full:
        return True
    head, tail = f"{int(year)}_", f"_{title}"
    short, whole = name[len(head):-len(tail)], full[len(head):-len(tail)]
    return name.startswith(head) and name.endswith(tail) and bool(short) and whole.startswith(short)


def too_deep(name: str, out_dir: Path | str) -> bool:
    """True when even the shortest file names would pass Windows' path length limit in ``out_dir``."""
    out_dir = Path(out_dir)
    return _longest_path(name, out_dir, name.rsplit("_", 1)[-1]) > MAX_PATH_CHARS


def _limited_paths() -> bool:
    """Whether the system limits paths to MAX_PATH (Windows without long path support)."""
    return os.name == "nt"


def write_package(out_dir: Path | str, *, name: str, pdf: bytes, xlsx: bytes, manifest: dict,
                  make_zip: bool = False) -> Path:
    """Write ``out_dir/name/`` (and ``out_dir/name.zip`` if asked); returns the folder."""
    out_dir = Path(out_dir)
    return write_contents(out_dir, name, package_contents(name, out_dir, pdf=pdf, xlsx=xlsx, manifest=manifest),
                          make_zip=make_zip)


def package_contents(name: str, out_dir: Path | str, *, pdf: bytes, xlsx: bytes, manifest: dict) -> dict[str, bytes]:
    """The files of the package ``out_dir/name``, by name: the PDF, the Excel table and the manifest."""
    missing = [key for key in SUMMARY_FIELDS if key not in manifest]
    if missing:
        raise ValueError(f"清单缺少字段：{'、'.join(FIELD_LABELS[key] for key in missing)}")
    pdf_name, xlsx_name = _file_names(name, Path(out_dir))
    return with_manifest({pdf_name: pdf, xlsx_name: xlsx}, manifest)


def with_manifest(contents: dict[str, bytes], manifest: dict) -> dict[str, bytes]:
    """``contents`` and a manifest of ``manifest``'s fields listing each of them with its size and SHA-256."""
    full = {key: value for key, value in manifest.items() if key != "files"}
    full["files"] = [{"name": n, "size": len(d), "sha256": sha256(d)} for n, d in contents.items()]
    return {**contents, MANIFEST: manifest_bytes(full)}


def write_contents(out_dir: Path, name: str, contents: dict[str, bytes], *, make_zip: bool = False) -> Path:
    """Write ``contents`` (names may hold one sub-folder, "folder/file") as ``out_dir/name/``, checked, and
    ``out_dir/name.zip`` if asked; returns the folder."""
    final = out_dir / name
    if not out_dir.is_dir():
        raise PackageError(f"找不到目标文件夹“{out_dir}”，U 盘可能已拔出。请重新插入或另选位置。", final)
    if _limited_paths() and too_deep(name, out_dir):
        raise PackageError(f"目标文件夹“{out_dir}”的路径太长，Windows 无法在其中保存报送包。"
                           "请选择路径较短的位置，例如 U 盘的根目录。", final)
    partial = out_dir / _partial_name(name, uuid.uuid4().hex[:8])
    try:
        partial.mkdir()
        folders = sorted({(partial / file_name).parent for file_name in contents})
        for folder in folders:
            folder.mkdir(exist_ok=True)
        for file_name, data in contents.items():
            _write_bytes(partial / file_name, data)
        for folder in reversed(folders):
            fsync_dir(folder)
        _check_written(partial, contents)
        _put_in_place(partial, final)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise _problem(exc, final) from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if make_zip:
        try:
            write_zip(out_dir / f"{name}.zip", name, contents)
        except PackageError as error:
            raise ZipNotWritten(str(error), final) from error
    return final


def _check_written(folder: Path, contents: dict[str, bytes]) -> None:
    for file_name, data in contents.items():
        if sha256((folder / file_name).read_bytes()) != sha256(data):
            raise PackageError(f"写入后读回的“{folder / file_name}”与原内容不一致，磁盘可能有问题。", folder)


def zip_bytes(name: str, contents: dict[str, bytes]) -> bytes:
    """The same bytes for the same files, every time: stored, fixed dates, sorted."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for file_name in sorted(contents):
            info = zipfile.ZipInfo(f"{name}/{file_name}", date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.create_system = 0
            archive.writestr(info, contents[file_name])
    return buffer.getvalue()


def write_zip(target: Path, name: str, contents: dict[str, bytes]) -> Path:
    data = zip_bytes(name, contents)
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        _write_bytes(partial, data)
        _put_in_place(partial, target)
        written = target.read_bytes()
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _problem(exc, target) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        damaged = archive.testzip()
    if sha256(written) != sha256(data) or damaged:
        target.unlink(missing_ok=True)
        raise PackageError(f"写入后读回的“{target}”与原内容不一致，磁盘可能有问题。", target)
    return target
