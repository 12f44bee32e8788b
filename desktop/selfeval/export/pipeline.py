"""One export: Excel table, PDF report, signature, submission package, verification.

The command line, the wizard's export page and the frozen self-test all call
:func:`export_report`; it reports progress through a callback so a window can
show it, and it refuses a report that is not final or still has errors.

:func:`export_report` is three steps, usable one by one: :func:`exportable`
reads the report from the database and refuses it if needed,
:func:`build_package` does the slow work without touching the database (so a
window may run it in a worker thread), and :func:`record_export` notes the
export in the database.  The database is used from one thread only.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from ..engine import Evaluation
from ..form import Form
from ..readiness import export_problems
from ..store import ReportInfo, StoreError
from ..values import ValueRejected
from ..workspace import OpenReport, Workspace

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STEPS = ("生成 Excel 自评表", "生成 PDF 报告", "签名", "写入报送包", "验证")

Progress = Callable[[int, int, str], None]


class ExportRefused(Exception):
    """The report may not be exported yet; the message says why, in Chinese."""


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    zip_path: Path | None
    pdf_path: Path
    verdict: object  # verify.Verdict
    seconds: float
    pdf_sha256: str = ""
    notes: tuple[str, ...] = ()  # things the clerk should look at in the files, in Chinese
    problems: tuple[str, ...] = ()  # what was asked but not done, in Chinese (exit status 1)
    signed: tuple[tuple[int, str], ...] = ()  # in a year package: each report's number and its PDF's SHA-256
    folders: tuple[str, ...] = ()  # in a year package: each report's sub-folder, in the order of ``signed``


def _refuse_unless_exportable(report: OpenReport, evaluation: Evaluation) -> None:
    """Raise :class:`ExportRefused` when the report may not be exported."""
    problems = export_problems(report.info.status == "final", evaluation)
    if report.info.altered:
        problems = [report.info.problem]
    if problems:
        raise ExportRefused("\n".join(problems))


def exportable(workspace: Workspace, report_id: int) -> tuple[OpenReport, Evaluation]:
    """The report and its evaluation as stored; raises :class:`ExportRefused` when it may not be exported."""
    report = workspace.open_report(report_id)
    evaluation = report.evaluate()
    _refuse_unless_exportable(report, evaluation)
    return report, evaluation


@dataclass(frozen=True)
class UKeyChoice:
    """Sign with a USB key: its PKCS#11 module, token and key labels (None: the only one), CA files."""

    module: Path | str
    token: str | None = None
    key: str | None = None
    ca: tuple[Path, ...] = ()


@contextmanager
def _signer(pfx, password: str, ukey: UKeyChoice | None) -> Iterator[tuple[object, list | None]]:
    """(signer, trusted roots for the check after writing): a .pfx file, or a UKey kept open meanwhile."""
    if ukey is None:
        from .certs import load_signer

        yield load_signer(pfx, password), None
        return
    from .ukey import open_signer

    with open_signer(ukey.module, password, token=ukey.token, key=ukey.key, ca=ukey.ca) as (signer, roots):
        yield signer, roots or None


def build_package(report: OpenReport, evaluation: Evaluation, *, pfx: Path | str | None = None, password: str,
                  out_dir: Path | str, make_zip: bool = False, progress: Progress | None = None,
                  now: datetime | None = None, ukey: UKeyChoice | None = None) -> ExportResult:
    """Render, sign, write and verify the package; reads and writes no database.

    ``password`` opens the .pfx file ``pfx``, or is the PIN of the USB key ``ukey``."""
    _refuse_unless_exportable(report, evaluation)
    # a wrong password or PIN fails here, before any work
    with _signer(pfx, password, ukey) as (signer, roots):
        return _build_signed(report, evaluation, signer, roots, out_dir=out_dir, make_zip=make_zip,
                             progress=progress, now=now)


@dataclass(frozen=True)
class _Signed:
    """One report rendered and signed: its package name, files and manifest fields."""
    name: str
    pdf: bytes
    xlsx: bytes
    fields: dict
    notes: tuple[str, ...]
    subject: str = ""  # the project's name, for a project report


def _sign_one(report: OpenReport, evaluation: Evaluation, signer, *, out_dir: Path | str, moment: datetime,
              step: Callable[[int], None]) -> _Signed:
    """Steps 0 to 2 for one report: the Excel table, the PDF with the stamp, the signature."""
    from .certs import fingerprint
    from .package import fit_to_path, manifest_fields, package_name, report_attachments, summary_attachment
    from .pdf import render_report_placed, unprintable_characters
    from .sign import sign_pdf, stamp_lines
    from .xlsx import render_workbook

    step(0)
    xlsx = render_workbook(report, evaluation, generated_at=moment)
    step(1)
    # the stamp text is drawn into the page with the fonts the PDF embeds anyway
    rendered = render_report_placed(report, evaluation, generated_at=moment, stamp=stamp_lines(signer, moment))
    notes = ()
    missing = unprintable_characters(report)
    if missing:
        notes = (f"PDF 所用字体中没有这些字的字形，打印出来会是空白：{missing}。"
                 "请在装有完整中文字体（如 Windows 自带的仿宋、黑体、楷体）的电脑上导出，或改用常用字。",)
    name = fit_to_path(package_name(report.info.year, report.info.unit_name,
                                    report.form.subject_of(report.values) + report.form.short_title), out_dir)
    fields = manifest_fields(report, evaluation, created=moment)
    fields["cert_sha256"] = fingerprint(signer.signing_cert)
    step(2)
    signed = sign_pdf(
        rendered.pdf, signer,
        attachments=[(f"{name}.xlsx", xlsx, XLSX_MIME), summary_attachment(fields),
                     *report_attachments(report, evaluation)],
        box=rendered.signature_box, drawn=True, reason=f"{report.form.title}定稿报送",
    )
    return _Signed(name, signed, xlsx, fields, notes, report.form.subject_of(report.values))


def _stepper(progress: Progress | None, total: int, label: str = "", offset: int = 0) -> Callable[[int], None]:
    def step(index: int) -> None:
        if progress:
            progress(offset + index, total, label + STEPS[index])
    return step


def _finish(write: Callable[[], Path], name: str, out_dir: Path | str, make_zip: bool, roots: list | None,
            step: Callable[[int], None]) -> tuple[Path, Path | None, object, list[str]]:
    """Steps 3 and 4: write the package (``write`` returns its folder), verify it; (folder, zip, verdict, problems)."""
    from .package import ZipNotWritten
    from .verify import verify

    step(3)
    problems = []
    try:
        folder = write()
        zip_path = folder.parent / f"{name}.zip" if make_zip else None
    except ZipNotWritten as error:
        folder, zip_path = error.folder, None
        problems.append(f"没有生成压缩包：{error} 报送文件夹已完整写入：{folder}")
    step(4)
    verdict = verify(zip_path or folder, trust=roots)
    if not folder.is_dir():
        problems.append(f"报送文件夹“{folder}”写入并核对无误后不见了（U 盘可能已拔出，或被杀毒软件移走）。"
                        "请检查 U 盘；如文件夹确实不在了，请重新导出。")
    return folder, zip_path, verdict, problems


def _build_signed(report: OpenReport, evaluation: Evaluation, signer, roots: list | None, *,
                  out_dir: Path | str, make_zip: bool, progress: Progress | None,
                  now: datetime | None) -> ExportResult:
    from .package import pdf_name, sha256, write_package

    started = time.perf_counter()
    step = _stepper(progress, len(STEPS))
    one = _sign_one(report, evaluation, signer, out_dir=out_dir, moment=(now or datetime.now()).astimezone(),
                    step=step)
    folder, zip_path, verdict, problems = _finish(
        lambda: write_package(out_dir, name=one.name, pdf=one.pdf, xlsx=one.xlsx, manifest=one.fields,
                              make_zip=make_zip),
        one.name, out_dir, make_zip, roots, step)
    return ExportResult(folder, zip_path, folder / pdf_name(one.name, out_dir), verdict,
                        time.perf_counter() - started, sha256(one.pdf), one.notes, tuple(problems))


# -- one package for the year: the department report and its unit's project reports

YEAR_SUFFIX = "（含项目）"  # the year package's title: 部门整体支出绩效自评（含项目）

Reports = list[tuple[OpenReport, Evaluation]]


def _label(report: OpenReport) -> str:
    """How the clerk knows a report: the project's name, else the form's title, and its number."""
    return f"“{report.form.subject_of(report.values) or report.form.title}”（编号 {report.info.id}）"


class YearRefused(ExportRefused):
    """The report may not go into one package with its unit's project reports; the message says why."""


@dataclass(frozen=True)
class YearProjects:
    """The unit's project reports of a department report's year, as they stand for one package with it."""

    ready: Reports  # final and without errors, by number
    problems: tuple[str, ...]  # each names a project report that keeps them out, in Chinese
    unit: str
    year: int

    @property
    def labels(self) -> list[str]:
        return [_label(report) for report, _ in self.ready]

    def refusal(self) -> str:
        """Why the reports cannot go into one package ("" when they can), in Chinese."""
        if self.problems:
            return "以下项目报告还不能一起导出，请先处理：\n" + "\n".join(self.problems)
        if not self.ready:
            return f"{self.year} 年度“{self.unit}”没有项目支出绩效自评报告。"
        return ""


def year_projects(workspace: Workspace, form: Form, info: ReportInfo) -> YearProjects:
    """The project reports that would go into one package with the department report ``info`` of ``form``."""
    ready, problems = [], []
    for other in workspace.counted_reports(form, info):
        if other.damage:
            problems.append(f"项目报告（编号 {other.id}）已损坏，无法读取：{'；'.join(other.damage)}")
            continue
        try:
            project = workspace.open_report(other.id)
        except (LookupError, ValueRejected, StoreError) as error:  # e.g. a form this program does not have
            problems.append(f"项目报告（编号 {other.id}）无法读取：{error}")
            continue
        project_evaluation = project.evaluate()
        try:
            _refuse_unless_exportable(project, project_evaluation)
        except ExportRefused as refused:
            problems.append(f"项目报告{_label(project)}不能导出：{refused}")
            continue
        ready.append((project, project_evaluation))
    subjects = [project.form.subject_of(project.values) for project, _ in ready]
    problems += [f"有 {subjects.count(subject)} 份项目报告的项目名称都是“{subject}”，放进同一个报送包会重名，"
                 "请修改项目名称或删除重复的报告" for subject in dict.fromkeys(subjects) if subjects.count(subject) > 1]
    return YearProjects(ready, tuple(problems), info.unit_name, info.year)


def year_exportable(workspace: Workspace, report_id: int) -> Reports:
    """The department report ``report_id`` and its unit's project reports of the same year, all final and
    without errors; raises :class:`YearRefused` naming every one that is not."""
    report, evaluation = exportable(workspace, report_id)
    if not report.form.counted_from:
        raise YearRefused(f"“{report.form.title}”不汇总项目报告，不能连同项目一起导出。")
    projects = year_projects(workspace, report.form, report.info)
    refusal = projects.refusal()
    if refusal:
        raise YearRefused(refusal)
    return [(report, evaluation), *projects.ready]


def build_year_package(reports: Reports, *, pfx: Path | str | None = None, password: str, out_dir: Path | str,
                       make_zip: bool = False, progress: Progress | None = None, now: datetime | None = None,
                       ukey: UKeyChoice | None = None) -> ExportResult:
    """One signed package holding every report of ``reports`` (the department report first), each in a
    sub-folder of its own as its single package would be, and one manifest listing all of them."""
    from .package import fit_to_path, package_name, pdf_name, sha256, write_contents, year_contents

    for report, evaluation in reports:
        _refuse_unless_exportable(report, evaluation)
    head = reports[0][0]
    moment = (now or datetime.now()).astimezone()
    name = fit_to_path(package_name(head.info.year, head.info.unit_name, head.form.short_title + YEAR_SUFFIX),
                       out_dir)
    inner = Path(out_dir) / name
    total = 3 * len(reports) + 2
    started = time.perf_counter()
    with _signer(pfx, password, ukey) as (signer, roots):
        signed = [_sign_one(report, evaluation, signer, out_dir=inner, moment=moment,
                            step=_stepper(progress, total, f"{_label(report)}：", 3 * index))
                  for index, (report, evaluation) in enumerate(reports)]
        contents = year_contents(inner, [(one.name, one.subject, one.pdf, one.xlsx, one.fields) for one in signed],
                                 created=moment)
        folder, zip_path, verdict, problems = _finish(
            lambda: write_contents(Path(out_dir), name, contents, make_zip=make_zip), name, out_dir, make_zip,
            roots, _stepper(progress, total, "", total - 5))
    first = signed[0]
    return ExportResult(folder, zip_path, folder / first.name / pdf_name(first.name, inner), verdict,
                        time.perf_counter() - started, sha256(first.pdf),
                        tuple(note for one in signed for note in one.notes), tuple(problems),
                        tuple((report.info.id, sha256(one.pdf)) for (report, _), one in zip(reports, signed)),
                        tuple(one.name for one in signed))


def export_year(workspace: Workspace, report_id: int, *, pfx: Path | str | None = None, password: str,
                out_dir: Path | str, make_zip: bool = False, progress: Progress | None = None,
                now: datetime | None = None, ukey: UKeyChoice | None = None) -> ExportResult:
    """Export the department report ``report_id`` with its unit's project reports of the year as one package."""
    reports = year_exportable(workspace, report_id)
    result = build_year_package(reports, pfx=pfx, password=password, out_dir=out_dir, make_zip=make_zip,
                                progress=progress, now=now, ukey=ukey)
    record_export(workspace, report_id, result)
    return result


def record_export(workspace: Workspace, report_id: int, result: ExportResult) -> None:
    """Note a written package in the history of the report ``report_id``, or of every report signed into it."""
    for signed_id, pdf_sha256 in result.signed or ((report_id, result.pdf_sha256),):
        workspace.store.record_export(signed_id, kind="package", path=result.folder, sha256=pdf_sha256)


def export_report(workspace: Workspace, report_id: int, *, pfx: Path | str | None = None, password: str,
                  out_dir: Path | str, make_zip: bool = False,
                  progress: Progress | None = None, now: datetime | None = None,
                  ukey: UKeyChoice | None = None) -> ExportResult:
    """Export a finalised report as a signed, verified package in ``out_dir``."""
    report, evaluation = exportable(workspace, report_id)
    result = build_package(report, evaluation, pfx=pfx, password=password, out_dir=out_dir,
                           make_zip=make_zip, progress=progress, now=now, ukey=ukey)
    record_export(workspace, report_id, result)
    return result
