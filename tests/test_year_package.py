"""One package for the year: the department report with its unit's project reports of the year, each PDF
signed, one manifest listing all; verify checks every report, the receiving desk registers each."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from selfeval import demo
from selfeval.export.package import MANIFEST, manifest_bytes
from selfeval.export.pipeline import ExportRefused, export_year
from selfeval.export.verify import verify
from selfeval.receiving import desk
from selfeval.receiving.registry import ACCEPTED, FAILED, Registry
from selfeval.workspace import Workspace
from test_trust import PASSWORD, UNIT, make_cert

ROOT = Path(__file__).resolve().parents[1]
DEMOS = [ROOT / "resources" / "demo" / name for name in (
    "gd-dept-overall-2022-demo.json", "project-self-eval-2022-demo-1.json", "project-self-eval-2022-demo-2.json")]
PROJECTS = ("政协委员履职服务保障", "文史资料编纂出版")
YEAR_NAME = f"2022_{UNIT}_部门整体支出绩效自评（含项目）"


def import_demos(ws: Workspace, *, final: int = 3) -> list[int]:
    """The department demo and the two project demos, the first ``final`` of them finalised."""
    ids = [ws.import_json(path.read_text(encoding="utf-8")) for path in DEMOS]
    for report_id in ids[:final]:
        demo.finalise(ws, report_id)
    return ids


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("year")
    pfx = make_cert(root, "unit")
    ws = Workspace.open(root / "db.sqlite3")
    try:
        ids = import_demos(ws)
        out = root / "out"
        out.mkdir()
        result = export_year(ws, ids[0], pfx=pfx, password=PASSWORD, out_dir=out, make_zip=True)
    finally:
        ws.store.close(backup=False)
    return {"root": root, "result": result, "folder": result.folder, "zip": result.zip_path, "ids": ids}


def test_the_package_holds_every_report_signed_and_one_manifest_lists_them(made):
    result, folder = made["result"], made["folder"]
    assert folder.name == YEAR_NAME and result.verdict.ok, result.verdict.text()
    assert not result.problems
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["package_version"] == 2 and manifest["unit"] == UNIT and manifest["year"] == 2022
    reports = manifest["reports"]
    assert [r["form_id"] for r in reports] == ["gd-dept-overall", "project-self-eval", "project-self-eval"]
    assert sorted(r["subject"] for r in reports[1:]) == sorted(PROJECTS) and reports[0]["subject"] == ""
    assert {r["subject"]: r["total"] for r in reports[1:]} == {"政协委员履职服务保障": "97.28",
                                                            "文史资料编纂出版": "79.37"}
    listed = {entry["name"] for entry in manifest["files"]}
    assert len(listed) == 9  # each report: PDF, Excel and its own manifest
    for report in reports:
        sub = folder / report["folder"]
        assert {p.suffix for p in sub.iterdir()} == {".pdf", ".xlsx", ".json"}
        assert verify(sub).ok  # each sub-folder is a package of the old, single-report format
    text = result.verdict.text()
    assert "包中共 3 份报告" in text and "包中 3 份报告由同一张证书签名" in text
    assert len(result.signed) == 3 and {report_id for report_id, _ in result.signed} == set(made["ids"])


def test_the_zip_verifies_as_well(made):
    verdict = verify(made["zip"])
    assert verdict.ok, verdict.text()
    assert len(verdict.parts) == 3


def tampered(made, tmp_path: Path, subject: str, suffix: str) -> tuple[Path, str]:
    copy = tmp_path / YEAR_NAME
    shutil.copytree(made["folder"], copy)
    (target,) = [p for p in copy.glob(f"*{subject}*/*{suffix}")]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return copy, target.name


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_a_changed_file_of_one_project_fails_naming_it(made, tmp_path, suffix):
    copy, name = tampered(made, tmp_path, PROJECTS[1], suffix)
    verdict = verify(copy)
    assert not verdict.ok
    failed = [message for ok, message in verdict.items if not ok]
    assert any(name in message and "SHA-256 不符" in message for message in failed), failed
    assert all(PROJECTS[0] not in message for message in failed)  # the other project is fine
    assert PROJECTS[1] in verdict.text().split("检查明细")[0]


def test_a_report_listed_differently_in_the_manifest_fails(made, tmp_path):
    copy = tmp_path / YEAR_NAME
    shutil.copytree(made["folder"], copy)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["reports"][1]["total"] = "99.00"
    (copy / MANIFEST).write_bytes(manifest_bytes(manifest))
    verdict = verify(copy)
    assert not verdict.ok and "清单中的报告信息与签名封存的不一致：总分" in verdict.text()


def test_a_file_beside_the_reports_fails(made, tmp_path):
    copy = tmp_path / YEAR_NAME
    shutil.copytree(made["folder"], copy)
    (copy / "补充说明.txt").write_text("另附", encoding="utf-8")
    assert "清单以外的文件：补充说明.txt" in verify(copy).text()


def test_an_unfinished_project_refuses_the_export_naming_it(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        ids = import_demos(ws, final=2)
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(ExportRefused, match=f"“{PROJECTS[1]}”（编号 {ids[2]}）.*尚未定稿"):
            export_year(ws, ids[0], pfx=tmp_path / "none.pfx", password=PASSWORD, out_dir=out)
        with pytest.raises(ExportRefused, match="不汇总项目报告"):
            export_year(ws, ids[1], pfx=tmp_path / "none.pfx", password=PASSWORD, out_dir=out)
        assert not list(out.iterdir())
    finally:
        ws.store.close(backup=False)


def test_two_projects_of_the_same_name_refuse_the_export(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        ids = import_demos(ws)
        demo.finalise(ws, ws.import_json(DEMOS[2].read_text(encoding="utf-8")))
        with pytest.raises(ExportRefused, match=f"有 2 份项目报告的项目名称都是“{PROJECTS[1]}”"):
            export_year(ws, ids[0], pfx=tmp_path / "none.pfx", password=PASSWORD, out_dir=tmp_path)
    finally:
        ws.store.close(backup=False)


def test_the_desk_registers_each_report_with_one_certificate(made, tmp_path):
    registry = Registry(tmp_path / "home" / "receive.sqlite3")
    try:
        outcomes = desk.receive(registry, [made["folder"]])
        assert [o.state for o in outcomes] == [ACCEPTED] * 3, [o.text for o in outcomes]
        assert "首次登记" in outcomes[0].text and all("首次登记" not in o.text for o in outcomes[1:])
        assert [o.package.form_id for o in outcomes] == ["gd-dept-overall", "project-self-eval", "project-self-eval"]
        assert sorted(o.package.rescore.get("subject") for o in outcomes[1:]) == sorted(PROJECTS)
        assert all(o.package.rescore_ok for o in outcomes)
        # each project's report is named by its project, in the archive and in the 汇总表
        assert [Path(o.package.stored).name for o in outcomes] == [
            "2022_部门整体支出绩效自评_第1号", *(f"2022_{name}项目支出绩效自评_第{n}号"
                                        for n, name in enumerate((o.package.rescore["subject"]
                                                                  for o in outcomes[1:]), 2))]
        from selfeval.receiving.summary import rows

        heading, body = rows(registry.packages())
        assert sorted(dict(zip(heading, row))["项目名称"] for row in body) == sorted(["", *PROJECTS])
        assert len({o.package.id for o in outcomes}) == 3 and len(registry.packages()) == 3
        again = desk.receive(registry, [made["zip"]])  # the same reports in the .zip: not registered twice
        assert [o.duplicate for o in again] == [True] * 3
    finally:
        registry.close()


def test_a_tampered_year_package_is_one_failure_at_the_desk(made, tmp_path):
    copy, _ = tampered(made, tmp_path, PROJECTS[0], ".pdf")
    registry = Registry(tmp_path / "home" / "receive.sqlite3")
    try:
        (outcome,) = desk.receive(registry, [copy])
        assert outcome.state == FAILED
    finally:
        registry.close()


def test_the_command_line_exports_with_projects(cli, home, tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_PFX_PASSWORD", PASSWORD)
    pfx = make_cert(tmp_path, "unit")
    ws = Workspace.open()
    try:
        ids = import_demos(ws, final=2)
    finally:
        ws.close()
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = cli("export", ids[0], "--with-projects", "--pfx", pfx, "--out", out)
    assert code == 2 and PROJECTS[1] in err and "去掉 --with-projects" in err and not list(out.iterdir())
    assert cli("finalize", ids[2])[0] == 0
    code, text, err = cli("export", ids[0], "--with-projects", "--pfx", pfx, "--out", out, "--zip")
    assert code == 0, err
    assert (out / YEAR_NAME).is_dir() and (out / f"{YEAR_NAME}.zip").is_file()
    code, text, _ = cli("verify", out / f"{YEAR_NAME}.zip")
    assert code == 0 and "包中共 3 份报告" in text, text
    code, text, _ = cli("receive", out / YEAR_NAME)
    assert code == 0 and "受理 3" in text, text
    assert "--with-projects" in cli("export", "--help")[1]


def test_a_project_report_of_a_form_this_program_lacks_is_named_not_a_crash(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        ids = import_demos(ws)
        ws.store.database.execute_sql('UPDATE "report" SET "form_edition" = ? WHERE "id" = ?', ("1999", ids[2]))
        with pytest.raises(ExportRefused, match=f"项目报告（编号 {ids[2]}）无法读取：表单“project-self-eval”没有“1999”版"):
            export_year(ws, ids[0], pfx=tmp_path / "none.pfx", password=PASSWORD, out_dir=tmp_path)
    finally:
        ws.store.close(backup=False)


def test_a_warning_that_arises_after_finalising_stops_the_export_until_explained(tmp_path):
    """The department report was final before its unit's project report was; counting that one
    now differs from the typed counts, and a signed report must not say （尚未填写说明）."""
    from selfeval.export.pipeline import export_report

    pfx = make_cert(tmp_path, "unit")
    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        department = ws.import_json(DEMOS[0].read_text(encoding="utf-8"))
        demo.finalise(ws, department)
        project = ws.import_json(DEMOS[1].read_text(encoding="utf-8"))
        demo.finalise(ws, project)
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(ExportRefused) as refused:
            export_report(ws, department, pfx=pfx, password=PASSWORD, out_dir=out)
        assert "定稿后出现了 4 个未说明的警告" in str(refused.value)
        assert "「项目总数」填为 12，按本单位本年度的报告计数为 1" in str(refused.value)
        assert not list(out.iterdir())
        ws.reopen(department, "核对项目数")
        for finding in ws.evaluate(department).unexplained_warnings:
            ws.set_explanation(department, finding.check, "另有 11 个项目未在本程序中填报。")
        ws.finalize(department)
        result = export_report(ws, department, pfx=pfx, password=PASSWORD, out_dir=out)
        assert result.verdict.ok
    finally:
        ws.store.close(backup=False)


def test_the_bureau_checks_with_the_counts_the_clerk_was_checked_against(tmp_path):
    """The signed PDF carries the counts from the unit's project reports, so the receiving desk finds
    (and sees explained) the same warnings the clerk explained, without having those reports."""
    from selfeval.export.pipeline import export_report

    pfx = make_cert(tmp_path, "unit")
    ws = Workspace.open(tmp_path / "db.sqlite3")
    try:
        department, project = (ws.import_json(path.read_text(encoding="utf-8")) for path in DEMOS[:2])
        demo.finalise(ws, project)
        demo.finalise(ws, department)  # explains the four counts that differ (typed 12, counted 1)
        clerk = ws.evaluate(department).warnings
        out = tmp_path / "out"
        out.mkdir()
        result = export_report(ws, department, pfx=pfx, password=PASSWORD, out_dir=out)
    finally:
        ws.store.close(backup=False)
    assert sum(1 for f in clerk if f.check.startswith("counted.")) == 4
    sealed = verify(result.folder).sealed
    bureau = desk.rescore(sealed, desk.BureauForms())
    assert bureau["ok"] and (bureau["warnings"], bureau["explained"]) == (len(clerk), len(clerk))
    without = desk.rescore({k: v for k, v in sealed.items() if k != "selfeval-context.json"}, desk.BureauForms())
    assert without["warnings"] == len(clerk) - 4  # a package from before: the counts cannot be checked
