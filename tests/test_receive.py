"""The receiving desk: a registry of units' certificates, every package on a stick verified, the 汇总表."""
from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from selfeval.engine import Evaluation
from selfeval.export.certs import fingerprint, grouped, public_der, read_certificate
from selfeval.formfile import load_form
from selfeval.receiving import desk
from selfeval.receiving.registry import ACCEPTED, FAILED, PENDING, REJECTED, SCHEMA_VERSION, Registry
from selfeval.receiving.summary import workbook_bytes
from test_trust import NAME, PASSWORD, UNIT, export_demo, make_cert

FORM = Path(__file__).resolve().parents[1] / "forms" / "gd-dept-overall-2022.yaml"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("desk")
    genuine, forged = make_cert(root, "genuine"), make_cert(root, "forged")
    cer = root / "genuine.cer"
    cer.write_bytes(public_der(read_certificate(genuine, PASSWORD)))
    other_unit = make_cert(root, "pingyuan", unit="平远县财政局", person="李四")
    return {
        "root": root, "cer": cer, "genuine_fp": fingerprint(read_certificate(genuine, PASSWORD)),
        "forged_fp": fingerprint(read_certificate(forged, PASSWORD)),
        "genuine": export_demo(root / "g", genuine, make_zip=True),  # the .zip; its folder is beside it
        "forged": export_demo(root / "f", forged),
        "second": export_demo(root / "v2", genuine, changes={"score.bp_planning": "3",
                                                             "reason.bp_planning": "中期规划与年度预算衔接不够。"}),
        "pingyuan": export_demo(root / "p", other_unit, changes={"unit.name": "平远县财政局"}),
    }


@pytest.fixture
def registry(tmp_path):
    opened = Registry(tmp_path / "home" / "receive.sqlite3")
    yield opened
    opened.close()


def stick(tmp_path: Path, *packages: Path) -> Path:
    """A USB stick's root holding copies of ``packages`` (folders or zips), each in its own sub-folder."""
    root = tmp_path / "stick"
    for index, package in enumerate(packages):
        target = root / f"d{index}" / package.name
        target.parent.mkdir(parents=True)
        (shutil.copytree if package.is_dir() else shutil.copy)(package, target)
    return root


def only(outcomes):
    (outcome,) = outcomes
    return outcome


def test_the_first_package_pins_and_a_forged_one_is_held(made, registry, tmp_path):
    first = only(desk.receive(registry, [made["genuine"]]))
    assert first.state == ACCEPTED and "首次登记" in first.text
    pinned = registry.unit(UNIT)
    assert pinned.fingerprint == made["genuine_fp"] and pinned.how == "首次登记"
    forged = only(desk.receive(registry, [made["forged"]]))
    assert forged.state == PENDING and "证书变更" in forged.text
    assert grouped(made["forged_fp"], 4) in forged.text and grouped(made["genuine_fp"], 4) in forged.text
    assert registry.unit(UNIT).fingerprint == made["genuine_fp"]  # not moved by the forged package
    with pytest.raises(desk.DeskError, match="请写明理由"):
        desk.reject(registry, forged.package.id, "  ")
    rejected = desk.reject(registry, forged.package.id, "电话核实：单位未重新签名")
    assert rejected.state == REJECTED and registry.unit(UNIT).fingerprint == made["genuine_fp"]
    assert [e.action for e in registry.audit_trail()] == ["首次登记", "受理", "证书变更", "拒收"]
    with pytest.raises(desk.DeskError, match="不是待决定的证书"):
        desk.accept_change(registry, forged.package.id, "改主意了")


def test_accepting_a_new_certificate_is_audited_and_repins(made, registry):
    desk.receive(registry, [made["genuine"]])
    held = only(desk.receive(registry, [made["forged"]])).package
    accepted = desk.accept_change(registry, held.id, "单位更换了证书，已电话核实")
    assert accepted.state == ACCEPTED
    unit = registry.unit(UNIT)
    assert unit.fingerprint == made["forged_fp"] and unit.how == "认可证书变更"
    assert unit.reason == "单位更换了证书，已电话核实"
    last = registry.audit_trail()[-1]
    assert last.action == "认可证书变更" and last.reason == unit.reason and made["genuine_fp"] in last.detail


def test_an_imported_certificate_pins_the_unit(made, registry):
    unit, digits, accepted = desk.import_certificate(registry, made["cer"])
    assert (unit, digits, accepted) == (UNIT, made["genuine_fp"], [])
    assert registry.unit(UNIT).how == "导入证书"
    assert only(desk.receive(registry, [made["forged"]])).state == PENDING  # forged first: still held
    outcome = only(desk.receive(registry, [made["genuine"]]))
    assert outcome.state == ACCEPTED and "首次登记" not in outcome.text


def test_importing_the_certificate_accepts_what_was_held_for_it(made, registry):
    desk.import_certificate(registry, made["cer"], unit=UNIT)
    registry.pin(UNIT, "0" * 64, None, "导入证书")  # some other certificate on record
    held = only(desk.receive(registry, [made["genuine"]])).package
    assert held.state == PENDING
    _unit, _digits, accepted = desk.import_certificate(registry, made["cer"], reason="单位送来的证书")
    assert accepted == [held.id] and registry.package(held.id).state == ACCEPTED


def test_a_resubmission_is_a_new_version_and_the_same_package_twice_is_one(made, registry, tmp_path):
    root = stick(tmp_path, made["genuine"], made["genuine"].with_suffix(""), made["second"])
    outcomes = desk.receive(registry, [root])
    assert len(outcomes) == 3
    duplicates = [o for o in outcomes if o.duplicate]
    assert len(duplicates) == 1 and "相同" in duplicates[0].text  # the folder and the zip of one export
    received = registry.packages()
    assert [(r.version, r.versions, r.newest) for r in received] == [(1, 2, False), (2, 2, True)]
    assert [o.text for o in outcomes if "重新报送" in o.text] == ["已受理；重新报送：第 2 版（共 2 版）"]
    assert received[1].rescore["scores"]["bp_planning"] == "3.00"
    assert received[0].rescore["scores"]["bp_planning"] == "4.00"
    again = desk.receive(registry, [root])
    assert all(o.duplicate for o in again) and len(registry.packages()) == 2


def test_each_accepted_package_is_stored_read_only(made, registry):
    item = only(desk.receive(registry, [made["genuine"].with_suffix("")])).package
    folder = registry.folder / item.stored
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in made["genuine"].with_suffix("").iterdir())
    for path in folder.iterdir():
        assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        assert path.read_bytes() == (made["genuine"].with_suffix("") / path.name).read_bytes()
    lines = "\n".join(desk.details(registry, item.id).lines)
    assert "预算编制规划性：4.00" in lines and "验证通过" in lines and "警告 1 条，已说明 1 条" in lines


def test_a_tampered_package_fails_and_pins_nothing(made, registry, tmp_path):
    folder = tmp_path / NAME
    shutil.copytree(made["genuine"].with_suffix(""), folder)
    pdf = folder / f"{NAME}.pdf"
    data = pdf.read_bytes()
    pdf.write_bytes(data[:5000] + bytes([data[5000] ^ 1]) + data[5001:])
    outcome = only(desk.receive(registry, [folder]))
    assert outcome.state == FAILED and outcome.text.startswith("验证未通过")
    assert registry.unit(UNIT) is None and outcome.package.stored == "" and outcome.package.version is None


def test_a_score_the_bureau_computes_differently_is_flagged(made, registry, tmp_path, monkeypatch):
    strict = tmp_path / "strict.yaml"
    strict.write_text(FORM.read_text("utf-8").replace("{grade: 优, min: 90}", "{grade: 优, min: 97}"), "utf-8")
    outcome = only(desk.receive(registry, [made["genuine"]], catalog=desk.BureauForms([load_form(strict)])))
    assert outcome.state == ACCEPTED and not outcome.package.rescore_ok
    assert "等级：签名为 优，重新计算为 良" in outcome.package.rescore["problems"]
    assert "重新评分不一致" in outcome.text


def test_a_signed_score_that_does_not_follow_from_the_report_is_flagged(made, registry, tmp_path, monkeypatch):
    honest = Evaluation.score_json

    def inflated(self):
        scores = honest(self)
        scores["indicators"]["bp_planning"]["score"] = "4.50"
        return scores

    monkeypatch.setattr(Evaluation, "score_json", inflated)
    package = export_demo(tmp_path / "x", make_cert(tmp_path, "x"))
    monkeypatch.setattr(Evaluation, "score_json", honest)
    item = only(desk.receive(registry, [package])).package
    assert item.rescore["problems"] == ["预算编制规划性：签名为 4.50，重新计算为 4.00"]


def test_the_summary_table_reads_back(made, registry, tmp_path):
    from openpyxl import load_workbook

    desk.receive(registry, [stick(tmp_path, made["genuine"], made["second"], made["forged"], made["pingyuan"])])
    received = registry.packages()
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(workbook_bytes(received))
    sheet = load_workbook(out).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "部门整体支出绩效自评受理汇总表"
    heading, body = values[2], values[3:]
    assert heading[:6] == ["单位", "年度", "表单", "项目名称", "总分", "等级"]
    assert heading[-7:] == ["警告数", "已说明", "签署人", "签署时间", "证书指纹", "验证结论", "版本"]
    assert "预算编制规划性" in heading and len(body) == len(received) == 4
    rows = {(row[0], row[-1]): dict(zip(heading, row)) for row in body}
    newest = next(r for r in received if r.newest)
    row = rows[(UNIT, f"第{newest.version}版/共{newest.versions}版（最新）")]
    assert row["年度"] == 2022 and row["总分"] == pytest.approx(float(newest.total))
    assert row["表单"] == "部门整体支出绩效自评报告（2022.1）" and not row["项目名称"]
    assert row["预算编制规划性"] == pytest.approx(float(newest.rescore["scores"]["bp_planning"]))
    assert row["证书指纹"] == grouped(newest.fingerprint) and row["验证结论"] == "已受理"
    assert row["警告数"] == 1 and row["已说明"] == 1 and row["签署人"] == f"张三（{UNIT}）"
    held = next(r for r in body if r[-2].startswith("证书变更"))
    assert held[0] == UNIT
    pingyuan = rows[("平远县财政局", "第1版/共1版（最新）")]
    assert pingyuan["验证结论"] == "已受理" and pingyuan["签署人"] == "李四（平远县财政局）"
    assert not any(isinstance(v, str) and v.startswith("=") for row in values for v in row)
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_a_package_that_failed_is_named_by_its_form_not_by_the_forms_id(made, registry, tmp_path):
    from selfeval.receiving.summary import rows

    copy = tmp_path / "tampered" / made["genuine"].with_suffix("").name
    shutil.copytree(made["genuine"].with_suffix(""), copy)
    pdf = next(copy.glob("*.pdf"))
    data = pdf.read_bytes()
    pdf.write_bytes(data[:4000] + bytes([data[4000] ^ 1]) + data[4001:])
    item = only(desk.receive(registry, [copy])).package
    assert item.state == FAILED and item.form_id == "gd-dept-overall"
    assert desk.report_label(item, desk.BureauForms()) == "部门整体支出绩效自评"
    heading, (row,) = rows([item])
    assert dict(zip(heading, row))["表单"] == "部门整体支出绩效自评"


@pytest.mark.parametrize("title", ["部门整体支出绩效自评", "某某/某某:项目*?支出绩效自评", "CON", "项目" * 80,
                                   "  ", "..."])
def test_an_archive_folder_is_a_readable_name_valid_on_windows(title):
    from selfeval.export.package import MAX_NAME_BYTES, safe_component

    name = desk.archive_name(2022, title, 12)
    assert name.startswith("2022_") and name.endswith("_第12号")
    assert name == safe_component(name) and len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert not any(mark in name for mark in '\\/:*?"<>|')
    if title.strip(" .") and len(title) < 30:
        assert name[5:-5].replace("_", "") == title.replace("/", "").replace(":", "").replace("*", "").replace("?", "")


def test_a_form_id_no_form_file_knows_is_shown_as_it_is():
    assert desk.short_title(desk.BureauForms(), "gd-dept-overall", "1999.9") == "部门整体支出绩效自评"
    assert desk.short_title(desk.BureauForms(), "county-special", "1") == "county-special"
    assert desk.short_title(desk.BureauForms(), "") == "未知表单"


def test_the_registry_has_its_own_file_and_version(registry, tmp_path):
    assert registry.path.name == "receive.sqlite3"
    assert registry.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    registry.db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(desk.RegistryError, match="更新版本的程序"):
        Registry(registry.path)


def test_find_packages_on_a_stick(made, tmp_path):
    root = stick(tmp_path, made["genuine"], made["forged"])
    (root / "System Volume Information").mkdir()
    (root / "System Volume Information" / "x.zip").write_bytes(b"")
    found = desk.find_packages([root])
    assert [p.name for p in found] == [made["genuine"].name, made["forged"].name]
    assert desk.find_packages([found[1]]) == [found[1]]


# -- the command line

def test_receive_and_decide_on_the_command_line(made, cli, tmp_path, home):
    root = stick(tmp_path, made["genuine"], made["forged"])
    code, out, err = cli("receive", root, "--out", tmp_path / "汇总.xlsx")
    assert code == 1 and "Traceback" not in out + err
    assert "首次登记" in out and "证书变更" in out and "受理 1，证书待决定 1" in out
    assert (tmp_path / "汇总.xlsx").is_file() and (home / "receive.sqlite3").is_file()
    code, out, err = cli("registry", "list")
    held = next(line.split("\t")[0] for line in out.splitlines() if "证书变更" in line)
    assert all(line.split("\t")[3] == "部门整体支出绩效自评" for line in out.splitlines())
    code, out, err = cli("registry", "accept", held, "--reason", "单位换了证书")
    assert code == 0 and "已认可" in out
    code, out, err = cli("registry", "accept", held, "--reason", "again")
    assert code == 2 and "不是待决定的证书" in err
    code, out, err = cli("registry", "audit")
    assert "认可证书变更" in out and "理由：单位换了证书" in out
    code, out, err = cli("registry", "units")
    assert grouped(made["forged_fp"]) in out
    code, out, err = cli("receive", made["genuine"])
    assert code == 0 and "未重复登记" in out  # the same package again
    assert "共 1 个：受理 0，证书待决定 0，验证未通过 0，重复 1。" in out  # counted once, as a copy
    code, out, err = cli("receive", made["second"])
    assert code == 1 and "证书变更" in out  # the genuine certificate is no longer the one on record
    code, out, err = cli("registry", "import-cert", made["cer"])
    assert code == 0 and "已受理" in out
    code, out, err = cli("receive", tmp_path / "nothing")
    assert code == 2 and "找不到" in err
    code, out, err = cli("registry", "show", 99)
    assert code == 2 and "没有编号为 99" in err


def test_receive_scores_again_with_the_bureaus_form_file(made, cli, tmp_path):
    strict = tmp_path / "strict.yaml"
    strict.write_text(FORM.read_text("utf-8").replace("{grade: 优, min: 90}", "{grade: 优, min: 97}"), "utf-8")
    code, out, err = cli("receive", made["genuine"], "--form", strict)
    assert code == 1 and "重新评分不一致" in out
    code, out, err = cli("registry", "show", 1)
    assert "× 等级：签名为 优，重新计算为 良" in out


def test_a_first_package_signed_by_another_units_certificate_waits_for_a_person(made, registry, tmp_path):
    stranger = export_demo(tmp_path / "s", make_cert(tmp_path, "wangwu", unit="某某县财政局", person="王五"),
                           changes={"unit.name": "平远县财政局"})
    held = only(desk.receive(registry, [stranger]))
    assert held.state == PENDING and "签名证书的单位“某某县财政局”与报告的单位不同" in held.text
    assert registry.unit("平远县财政局") is None
    assert "签名证书的单位“某某县财政局”与报告的单位“平远县财政局”不同" in held.package.warnings[0]
    accepted = desk.accept_change(registry, held.package.id, "县财政局代为签署，已核实")
    assert accepted.state == ACCEPTED and registry.unit("平远县财政局").how == "人工登记"
    assert accepted.note == "人工登记：县财政局代为签署，已核实"


def test_stored_packages_are_scored_again_when_the_bureau_changes_its_form(made, registry, cli, tmp_path):
    only(desk.receive(registry, [made["genuine"]]))
    strict = tmp_path / "strict.yaml"
    strict.write_text(FORM.read_text("utf-8").replace("{grade: 优, min: 90}", "{grade: 优, min: 97}"), "utf-8")
    (changed,) = desk.rescore_stored(registry, desk.BureauForms([load_form(strict)]))
    assert not changed.rescore_ok and changed.rescore["grade"] == "良"
    assert registry.audit_trail()[-1].action == "重新评分"
    assert desk.rescore_stored(registry, desk.BureauForms([load_form(strict)])) == []  # nothing new
    (back,) = desk.rescore_stored(registry, desk.BureauForms())
    assert back.rescore_ok


def test_registry_rescore_on_the_command_line(made, cli, tmp_path):
    cli("receive", made["genuine"])
    strict = tmp_path / "strict.yaml"
    strict.write_text(FORM.read_text("utf-8").replace("{grade: 优, min: 90}", "{grade: 优, min: 97}"), "utf-8")
    code, out, err = cli("registry", "rescore", "--form", strict)
    assert code == 1 and "等级：签名为 优，重新计算为 良" in out and "结果有变化的报送包：1 个" in out
    code, out, err = cli("registry", "rescore")
    assert code == 0 and "与签名一致" in out


def test_verify_compares_with_the_certificate_on_record(made, cli, home):
    code, out, err = cli("verify", made["forged"])
    assert code == 0 and "受理登记" not in out  # no desk here: nothing to compare with
    cli("receive", made["genuine"])
    code, out, err = cli("verify", made["forged"])
    assert code == 1 and f"签名证书不是受理登记的“{UNIT}”的证书" in out and err == ""
    code, out, err = cli("verify", made["genuine"])
    assert code == 0 and f"签名证书与受理登记的“{UNIT}”的证书一致（首次登记）" in out
    code, out, err = cli("verify", made["forged"], "--registry", home / "nothing.sqlite3")
    assert code == 0


def test_the_sealed_context_is_read_typed_and_a_damaged_one_is_set_aside():
    from decimal import Decimal

    from selfeval.catalog import FormCatalog

    form = FormCatalog().get("gd-dept-overall")
    good = {"selfeval-context.json": ('{"counted": {"projects.total": "1", "no.such.field": "3"}, '
                                      '"previous": {"income.total": "600.50"}}').encode()}
    notes: list[str] = []
    previous, counted = desk._context(good, form, notes)
    assert previous == {"income.total": Decimal("600.50")} and counted == {"projects.total": Decimal(1)}
    assert notes == []
    for damaged in (b'{"counted": 1}', b'not json', '{"counted": {}, "previous": {"income.total": "很多"}}'.encode()):
        notes = []
        assert desk._context({"selfeval-context.json": damaged}, form, notes) == (None, None)
        assert notes == ["封存的项目计数和上年数据无法读取，重新校验时未用"]
    assert desk._context({}, form, []) == (None, None)  # a package made before the context was sealed
