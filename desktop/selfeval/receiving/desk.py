"""The receiving desk (受理): find every package on a USB stick, verify it, and keep each unit to its certificate.

A unit's first package pins its certificate's fingerprint (首次登记), or an
imported .cer does (导入证书).  A later package signed with another certificate
is held as 证书变更 until a person accepts the new certificate, with a reason,
or rejects the package.  Every package that passes is copied, read-only, into
the desk's folder and scored again with the bureau's own form files.
"""
from __future__ import annotations

import json
import os
import shutil
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterable

from ..catalog import FormCatalog, UnknownForm
from ..export.certs import fingerprint as cert_fingerprint
from ..export.certs import grouped, public_der, read_certificate, subject_names
from ..export.package import (CONTEXT_ATTACHMENT, MANIFEST, MAX_NAME_BYTES, REPORT_ATTACHMENT, SCORES_ATTACHMENT,
                              safe_component, sha256)
from ..export.verify import Verdict, is_debris, verify
from ..form import Form
from ..interchange import InterchangeError, read_report
from . import registry as reg
from .registry import ACCEPTED, FAILED, PENDING, REJECTED, Received, Registry, RegistryError

# Folders of a USB stick that hold no packages.
_SKIPPED = {"System Volume Information", "$RECYCLE.BIN", "RECYCLER", ".Trashes", ".Spotlight-V100", ".fseventsd",
            "__MACOSX"}
MAX_DEPTH = 4

Progress = Callable[[int, int, str], None]


class DeskError(RegistryError):
    """A decision or an import the desk refuses; the message is Chinese."""


# -- finding packages

def find_packages(paths: Iterable[Path | str]) -> list[Path]:
    """Package folders (holding manifest.json) and .zip files under ``paths``, in name order."""
    found: list[Path] = []
    for start in map(Path, paths):
        if start.is_file():
            if start.suffix.lower() == ".zip":
                found.append(start)
            continue
        if not start.is_dir():
            continue
        if (start / MANIFEST).is_file():
            found.append(start)
            continue
        base = len(start.parts)
        for folder, dirs, files in os.walk(start):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and not d.startswith(".")
                             and len(here.parts) - base < MAX_DEPTH)
            if here != start and MANIFEST in files:
                found.append(here)
                dirs[:] = []
                continue
            found += [here / name for name in sorted(files)
                      if name.lower().endswith(".zip") and not name.startswith(".")]
    return sorted(dict.fromkeys(found), key=lambda p: str(p))


# -- re-scoring

class BureauForms(FormCatalog):
    """The bureau's own form files: the bundled ones, or the files it names."""

    def __init__(self, forms: Iterable[Form] | None = None):
        super().__init__()
        if forms is not None:
            self._forms = list(forms)


def rescore(sealed: dict[str, bytes], catalog: FormCatalog) -> dict:
    """Score the signed report again with ``catalog``'s form; compare with the scores that were signed."""
    try:
        document = json.loads(sealed[REPORT_ATTACHMENT].decode("utf-8"))
        signed = json.loads(sealed[SCORES_ATTACHMENT].decode("utf-8"))
    except (KeyError, ValueError):
        return {"ok": False, "problems": ["PDF 中没有签名封存的完整报告，无法重新评分"]}
    notes = []
    if isinstance(document, dict) and isinstance(document.get("form"), str):
        edition = document.get("form_version")
        try:
            catalog.get(document["form"], edition)
        except UnknownForm:
            try:
                form = catalog.get(document["form"])
            except UnknownForm as error:
                return {"ok": False, "problems": [f"无法重新评分：{error}"]}
            notes.append(f"本机没有该报告所用的 {edition} 版表单，已用 {form.edition} 版重新评分")
            document = {**document, "form_version": form.edition}
    try:
        data = read_report(catalog, json.dumps(document, ensure_ascii=False))
    except InterchangeError as error:
        return {"ok": False, "problems": ["封存的报告无法按本机表单读取：" + "；".join(error.problems[:5])]}
    from ..engine import evaluate

    previous, counted = _context(sealed, data.form, notes)
    evaluation = evaluate(data.form, data.values, data.explanations, previous, counted)
    mine = evaluation.score_json()
    problems = []
    if not _same(mine["total"], signed.get("total")):
        problems.append(f"总分：签名为 {signed.get('total')}，重新计算为 {mine['total']}")
    if mine["grade"] != signed.get("grade"):
        problems.append(f"等级：签名为 {signed.get('grade')}，重新计算为 {mine['grade']}")
    theirs = signed.get("indicators") if isinstance(signed.get("indicators"), dict) else {}
    for leaf, score in mine["indicators"].items():
        other = theirs.get(leaf, {}).get("score") if isinstance(theirs.get(leaf), dict) else None
        if not _same(score["score"], other):
            problems.append(f"{data.form.leaves[leaf].title}：签名为 {other}，重新计算为 {score['score']}")
    warnings = evaluation.warnings
    return {
        "ok": not problems, "problems": problems, "notes": notes,
        "form": f"{data.form.title}（{data.form.edition}）", "form_id": data.form.id,
        "subject": data.form.subject_of(data.values),  # one project's report apart from the unit's others
        "total": mine["total"], "grade": mine["grade"],
        "scores": {leaf: score["score"] for leaf, score in mine["indicators"].items()},
        "titles": {leaf: data.form.leaves[leaf].title for leaf in mine["indicators"]},
        "warnings": len(warnings), "explained": sum(1 for finding in warnings if finding.explained),
    }


def _context(sealed: dict[str, bytes], form: Form, notes: list[str]) -> tuple[dict | None, dict | None]:
    """Last year's figures and the counts from the unit's other reports that the clerk's checks
    used, as signed (absent from packages made before 0.2: then the checks go without them)."""
    from ..values import ValueRejected, from_json

    if CONTEXT_ATTACHMENT not in sealed:
        return None, None
    try:
        context = json.loads(sealed[CONTEXT_ATTACHMENT].decode("utf-8"))
        counted = {str(fid): Decimal(str(value)) for fid, value in context["counted"].items()
                   if fid in form.fields}
        previous = {fid: from_json(form, form.fields[fid], raw) for fid, raw in context["previous"].items()
                    if fid in form.fields}
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError, ValueRejected):
        notes.append("封存的项目计数和上年数据无法读取，重新校验时未用")
        return None, None
    return previous or None, counted or None


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


# -- receiving

@dataclass
class Outcome:
    """What happened to one package found in this run."""
    path: Path
    package: Received | None
    duplicate: bool = False
    text: str = ""  # one line, Chinese

    @property
    def state(self) -> str:
        return self.package.state if self.package else FAILED


def unit_key(name: str) -> str:
    """A unit's name as the registry keys it: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _digest(verdict: Verdict, path: Path) -> str:
    files = {name: data for name, data in verdict.files.items() if data is not None and not is_debris(name, data)}
    if not files:
        return sha256(path.read_bytes() if path.is_file() else str(path).encode("utf-8"))
    return sha256(json.dumps(sorted((name, sha256(data)) for name, data in files.items())).encode("utf-8"))


def receive(registry: Registry, paths: Iterable[Path | str], *, catalog: FormCatalog | None = None,
            trust: list[Path] | None = None, progress: Progress | None = None) -> list[Outcome]:
    """Receive every package under ``paths`` (verified in this process, one after the other)."""
    catalog = catalog or BureauForms()
    found = find_packages(paths)
    outcomes = []
    for index, path in enumerate(found):
        if progress:
            progress(index, len(found), str(path))
        outcomes += receive_one(registry, path, catalog=catalog, trust=trust)
    return outcomes


CA_LIST = "可信CA.pem"  # the bureau's trusted CA roots, beside the receiving database


def trusted_cas(registry: Registry, add: Iterable[Path | str] = ()) -> list:
    """The CA roots the desk trusts for CA-issued unit certificates (a UKey's), after adding ``add``."""
    from asn1crypto import pem

    from ..export.ukey import read_ca_files
    from ..files import write_atomic

    target = registry.path.parent / CA_LIST
    known = read_ca_files([target]) if target.is_file() else []
    count = len(known)
    for cert in read_ca_files(add):
        if all(cert_fingerprint(cert) != cert_fingerprint(k) for k in known):
            known.append(cert)
    if len(known) > count:
        write_atomic(target, b"".join(pem.armor("CERTIFICATE", cert.dump()) for cert in known))
    return known


def receive_one(registry: Registry, path: Path, *, catalog: FormCatalog,
                trust: list[Path] | None = None) -> list[Outcome]:
    """Verify the package ``path`` once and register its report, or each report of a package of several
    (the department report with its project reports), each as a package of its own."""
    try:
        verdict = verify(path, trust=trust)
        if trust is None and verdict.self_signed is False and (registry.path.parent / CA_LIST).is_file():
            # issued by a CA: checked against the desk's CA roots; self-signed ones are pinned on first use
            verdict = verify(path, trust=[registry.path.parent / CA_LIST])
    except Exception as error:  # a package built to break the reader: the others are still received
        verdict = Verdict()
        verdict.add(False, f"无法读取或验证“{path.name}”（{type(error).__name__}）")
    if not (verdict.ok and verdict.parts):
        return [_register(registry, path, verdict, catalog)]
    outcomes = [_register(registry, path, part, catalog) for part in verdict.parts]
    for part, outcome in zip(verdict.parts, outcomes):
        outcome.text = f"［{part.name.rsplit('_', 1)[-1]}］{outcome.text}"
    return outcomes


def _register(registry: Registry, path: Path, verdict: Verdict, catalog: FormCatalog) -> Outcome:
    """Register one report's package (verified as ``verdict``): held, accepted or failed."""
    digest = _digest(verdict, path)
    known = registry.by_digest(digest)
    if known is not None:
        return Outcome(path, known, duplicate=True,
                       text=f"与已收到的第 {known.id} 号报送包相同（{known.state_name}），未重复登记")
    summary = verdict.summary
    unit = unit_key(str(summary.get("unit") or "")) or (subject_names(verdict.cert)[1] if verdict.cert else "")
    row = {
        "digest": digest, "unit": unit or "（未知单位）", "year": summary.get("year") if isinstance(
            summary.get("year"), int) else None,
        "form_id": str(summary.get("form_id") or ""), "form_edition": str(summary.get("form_edition") or ""),
        "total": str(summary.get("total") or ""), "grade": str(summary.get("grade") or ""),
        "signer": verdict.signer or "", "fingerprint": verdict.fingerprint or "",
        "signed_at": verdict.signed_moment.isoformat(timespec="seconds") if verdict.signed_moment else "",
        "cert": public_der(verdict.cert) if verdict.cert is not None else None,
        "source": str(path), "verdict": verdict.text(), "warnings": list(verdict.warnings),
    }
    if not verdict.ok:
        with registry.transaction():
            package = registry.add(**row, state=FAILED, note="验证未通过：" + _first_failure(verdict))
            registry.log("验证未通过", unit=row["unit"], package=package, detail=str(path))
        received = registry.package(package)
        return Outcome(path, received, text=received.note)
    row["rescore"] = rescore(verdict.sealed, catalog)
    pinned = registry.unit(row["unit"])
    # Trust on first use only when the certificate names the report's unit: a first package signed
    # by someone of another unit waits for a person, like a changed certificate.
    stranger = unit_key(subject_names(verdict.cert)[1]) != row["unit"]
    with registry.transaction():
        if pinned is not None and pinned.fingerprint == row["fingerprint"] or pinned is None and not stranger:
            package = registry.add(**row, state=ACCEPTED)
            if pinned is None:
                registry.pin(row["unit"], row["fingerprint"], row["cert"], reg.FIRST_USE, package=package)
            registry.log("受理", unit=row["unit"], package=package, detail=str(path))
            text = "已受理" + ("（首次登记该单位的证书）" if pinned is None else "")
        elif pinned is None:
            package = registry.add(**row, state=PENDING)
            registry.log("待人工登记", unit=row["unit"], package=package,
                         detail=f"签名证书的单位为“{subject_names(verdict.cert)[1]}”，指纹 {row['fingerprint']}")
            text = (f"待人工登记：首次报送，但签名证书的单位“{subject_names(verdict.cert)[1]}”与报告的单位不同，"
                    "须人工决定是否认可该证书")
        else:
            package = registry.add(**row, state=PENDING)
            registry.log("证书变更", unit=row["unit"], package=package,
                         detail=f"签名证书指纹 {row['fingerprint']}，登记的是 {pinned.fingerprint}")
            text = (f"证书变更：签名证书指纹 {grouped(row['fingerprint'], 4)} 与登记的 "
                    f"{grouped(pinned.fingerprint, 4)}（{pinned.how}）不同，须人工决定是否认可")
        subject = row["rescore"].get("subject") or ""
        title = subject + short_title(catalog, row["form_id"], row["form_edition"])
        stored = _store(registry, package, row, verdict.files, title)
        registry.update(package, stored=stored, note=text)
    received = registry.package(package)
    if received.version and received.version > 1:
        text += f"；重新报送：第 {received.version} 版（共 {received.versions} 版）"
    if not received.rescore_ok:
        text += "；重新评分不一致或无法重新评分"
    return Outcome(path, received, text=text)


def _first_failure(verdict: Verdict) -> str:
    return next((message for ok, message in verdict.items if not ok), "")


# -- what a report is, in words

UNKNOWN_FORM = "未知表单"


def short_title(catalog: FormCatalog, form_id: str, edition: str = "") -> str:
    """The kind of report as people name it (部门整体支出绩效自评, 项目支出绩效自评), from the form
    file of ``form_id`` (in ``edition`` when there is one, else the newest); the id itself only
    when no form file of that id is known."""
    for wanted in ((edition,) if edition else ()) + (None,):
        try:
            return catalog.get(form_id, wanted).short_title
        except UnknownForm:
            continue
    return form_id or UNKNOWN_FORM


def report_label(item: Received, catalog: FormCatalog) -> str:
    """What a received report is: 部门整体支出绩效自评, or 项目支出绩效自评：<the project's name>
    (a unit sends one department report and a report for each of its projects)."""
    title = short_title(catalog, item.form_id, item.form_edition)
    subject = item.rescore.get("subject") if isinstance(item.rescore, dict) else ""
    return f"{title}：{subject}" if subject else title


def archive_name(year: int | None, title: str, package: int) -> str:
    """The folder of a stored package under its unit's: ``2022_部门整体支出绩效自评_第3号``,
    ``2022_<project>项目支出绩效自评_第4号`` (named as the unit's package was), a valid name on
    Windows and no longer than a package's own name."""
    head, tail = f"{year or '未知年度'}_", f"_第{package}号"
    room = MAX_NAME_BYTES - len((head + tail).encode("utf-8"))
    title = safe_component(title, UNKNOWN_FORM)
    while len(title.encode("utf-8")) > room:
        title = title[:-1]
    return safe_component(head + (title.rstrip(". ") or UNKNOWN_FORM) + tail)


def _store(registry: Registry, package: int, row: dict, files: dict[str, bytes | None], title: str) -> str:
    """A read-only copy of the package's files in the desk's folder; returns its path relative to it."""
    relative = Path(safe_component(row["unit"])) / archive_name(row["year"], title, package)
    target = registry.folder / relative
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, data in files.items():
        if data is None or is_debris(name, data):
            continue
        path = target / safe_component(name)
        path.write_bytes(data)
        path.chmod(0o444)
    return str(relative)


def rescore_stored(registry: Registry, catalog: FormCatalog) -> list[Received]:
    """Score every stored package again with ``catalog`` (the bureau changed its form files);
    returns the packages whose result changed."""
    from ..export.sign import embedded_files

    changed = []
    for item in registry.packages():
        pdfs = sorted((registry.folder / item.stored).glob("*.pdf")) if item.stored else []
        if len(pdfs) != 1:
            continue
        result = rescore(embedded_files(pdfs[0].read_bytes()), catalog)
        if result != item.rescore:
            registry.update(item.id, rescore=json.dumps(result, ensure_ascii=False))
            registry.log("重新评分", unit=item.unit, package=item.id, detail=str(result.get("form", "")))
            changed.append(registry.package(item.id))
    return changed


def check_on_record(verdict: Verdict, registry: Registry) -> None:
    """Add to ``verdict`` whether its certificate is the one the desk has on record for the report's unit."""
    unit = unit_key(str(verdict.summary.get("unit") or ""))
    pinned = registry.unit(unit) if unit and verdict.fingerprint else None
    if pinned is None:
        return
    if pinned.fingerprint == verdict.fingerprint:
        verdict.add(True, f"签名证书与受理登记的“{unit}”的证书一致（{pinned.how}）")
    else:
        verdict.add(False, f"签名证书不是受理登记的“{unit}”的证书：指纹为 {grouped(verdict.fingerprint, 4)}，"
                    f"登记的是 {grouped(pinned.fingerprint, 4)}（{pinned.how}）")


# -- decisions

def accept_change(registry: Registry, package: int, reason: str) -> Received:
    """Accept the certificate of a held package (证书变更, or a first package signed by another unit's
    certificate): it becomes the unit's certificate."""
    held = _held(registry, package, reason)
    how = reg.CHANGE_ACCEPTED if registry.unit(held.unit) else reg.MANUAL_FIRST
    with registry.transaction():
        registry.pin(held.unit, held.fingerprint, held.cert, how, reason=reason.strip(), package=package)
        registry.update(package, state=ACCEPTED, note=f"{how}：{reason.strip()}")
    return registry.package(package)


def reject(registry: Registry, package: int, reason: str) -> Received:
    held = _held(registry, package, reason)
    with registry.transaction():
        registry.update(package, state=REJECTED, note=f"已拒收：{reason.strip()}")
        registry.log("拒收", unit=held.unit, package=package, detail=f"签名证书指纹 {held.fingerprint}",
                     reason=reason.strip())
    return registry.package(package)


def _held(registry: Registry, package: int, reason: str) -> Received:
    held = registry.package(package)
    if held.state != PENDING:
        raise DeskError(f"第 {package} 号报送包{held.state_name}，不是待决定的证书，无需决定。")
    if not reason.strip():
        raise DeskError("请写明理由（例如：已电话核实，单位更换了证书）。")
    return held


def import_certificate(registry: Registry, path: Path | str, *, unit: str | None = None,
                       reason: str = "") -> tuple[str, str, list[int]]:
    """Pin a unit's certificate from its .cer/.pem; packages held for it are accepted.
    Returns (unit, fingerprint, ids of the packages accepted)."""
    cert = read_certificate(path)
    _person, named = subject_names(cert)
    unit = unit_key(unit or named)
    if not unit:
        raise DeskError("证书中没有写明单位，请指定单位名称。")
    digits = cert_fingerprint(cert)
    held = [r for r in registry.packages() if r.unit == unit and r.state == PENDING and r.fingerprint == digits]
    with registry.transaction():
        registry.pin(unit, digits, public_der(cert), reg.IMPORTED, reason=reason.strip() or f"导入 {Path(path).name}")
        for item in held:
            registry.update(item.id, state=ACCEPTED, note="已受理：签名证书与导入的证书一致")
            registry.log("受理", unit=unit, package=item.id, detail="签名证书与导入的证书一致")
    return unit, digits, [item.id for item in held]


# -- reading back

@dataclass
class Details:
    """One received package as the bureau reads it: checks, warnings, scores."""
    package: Received
    lines: list[str] = field(default_factory=list)


def details(registry: Registry, package: int, catalog: FormCatalog | None = None) -> Details:
    item = registry.package(package)
    label = report_label(item, catalog or BureauForms())
    lines = [f"第 {item.id} 号报送包：{item.unit}　{item.year or ''} 年度　{label}　{item.state_name}"
             + (f"　第 {item.version} 版（共 {item.versions} 版）" if item.version else "")
             + ("　最新" if item.newest else ""),
             f"来源：{item.source}",
             f"收到时间：{shown_time(item.received_at)}"]
    if item.stored:
        lines.append(f"存档（只读）：{registry.folder / item.stored}")
    pinned = registry.unit(item.unit)
    if item.fingerprint:
        lines.append(f"签名证书指纹：{grouped(item.fingerprint)}")
    if pinned:
        lines.append(f"登记的证书指纹：{grouped(pinned.fingerprint)}（{pinned.how}，{shown_time(pinned.since)}"
                     + (f"，理由：{pinned.reason}" if pinned.reason else "") + "）")
    if item.state == PENDING:
        lines.append(f"⚠ {item.note}：向单位核实后，认可该证书（写明理由）或拒收。")
    elif item.note and item.state != FAILED:
        lines.append(item.note)
    if item.state == FAILED:
        lines.append("× " + item.verdict.splitlines()[0])
    lines += [f"⚠ {text}" for text in item.warnings]
    score = item.rescore
    if score.get("scores"):
        lines += ["", f"重新评分（本机表单 {score.get('form')}）：总分 {score.get('total')}，等级 {score.get('grade')}"
                  + ("，与签名一致" if score.get("ok") else "")]
        lines += [f"  × {text}" for text in score.get("problems", [])]
        lines += [f"  {score['titles'][leaf]}：{value if value is not None else '未评分'}"
                  for leaf, value in score["scores"].items()]
        lines.append(f"  警告 {score.get('warnings', 0)} 条，已说明 {score.get('explained', 0)} 条")
    else:
        lines += [f"× {text}" for text in score.get("problems", [])]
    lines += [f"  ⚠ {text}" for text in score.get("notes", [])]
    lines += ["", "【验证】", item.verdict]
    return Details(item, lines)


def shown_time(text: str) -> str:
    """An ISO time as the desk shows it: local, to the minute."""
    from datetime import datetime

    try:
        return f"{datetime.fromisoformat(text).astimezone():%Y-%m-%d %H:%M}"
    except ValueError:
        return text
