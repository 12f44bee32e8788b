"""The department report counts its project reports (counted: in the form file).

With the two demo projects of 政协乐昌市委员会机关 for 2022: both have indicator rows, both are
planned for the year, demo 1 finished on time and demo 2 did not, so the counts are
项目总数 2, 设置绩效目标 2, 计划完成 2, 按时完成 1.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval import counting
from selfeval.catalog import FormCatalog
from selfeval.formfile import FormError
from selfeval.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"
COUNTED = ("projects.total", "projects.with_targets", "projects.planned_completion", "projects.on_time")


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "db.sqlite3")
    yield workspace
    workspace.store.close(backup=False)


def department(ws, **changes) -> int:
    document = json.loads((DEMO / "gd-dept-overall-2022-demo.json").read_text("utf-8"))
    for fid in COUNTED:
        document["values"].pop(fid, None)
    document["values"].update(changes)
    return ws.import_json(json.dumps(document, ensure_ascii=False))


def projects(ws, year: int = 2022) -> None:
    for n in (1, 2):
        document = json.loads((DEMO / f"project-self-eval-2022-demo-{n}.json").read_text("utf-8"))
        document["values"]["report.year"] = year
        ws.import_json(json.dumps(document, ensure_ascii=False))


def test_the_counts_come_from_the_units_project_reports_of_the_year(ws):
    report = department(ws)
    assert ws.open_report(report).counted == {}  # no project reports yet: nothing counted
    projects(ws)
    projects(ws, year=2023)  # another year: not counted
    counted = ws.open_report(report).counted
    assert counted == {"projects.total": 2, "projects.with_targets": 2,
                       "projects.planned_completion": 2, "projects.on_time": 1}


def test_counting_fills_the_empty_counts_and_a_typed_count_that_differs_is_a_warning(ws):
    report = department(ws, **{"projects.total": 3})
    projects(ws)
    _, filled = ws.fill_counts(report)
    assert filled == {"projects.with_targets": 2, "projects.planned_completion": 2, "projects.on_time": 1}
    values = ws.open_report(report).values
    assert values["projects.total"] == 3 and values["projects.on_time"] == 1
    evaluation = ws.evaluate(report)
    found = {f.check: f for f in evaluation.warnings}
    assert set(found) & {f"counted.{fid}" for fid in COUNTED} == {"counted.projects.total"}
    assert found["counted.projects.total"].message == "「项目总数」填为 3，按本单位本年度的报告计数为 2，请核对或说明。"
    ws.set_explanation(report, "counted.projects.total", "另有一个项目尚未自评。")
    exported = ws.export_dict(report)
    assert exported["values"]["explanation.counted.projects.total"] == "另有一个项目尚未自评。"
    assert ws.import_json(json.dumps(exported, ensure_ascii=False))  # the explanation imports again
    assert evaluation.scores["ef_timeliness"].rate == Decimal("0.5")  # 1 of 2 on time


def test_count_on_the_command_line(cli):
    code, out, _ = cli("import", DEMO / "gd-dept-overall-2022-demo.json")
    report = out.strip()
    for n in (1, 2):
        cli("import", DEMO / f"project-self-eval-2022-demo-{n}.json")
    code, out, _ = cli("count", report)
    assert code == 0 and "项目总数：2（已填写 12，与计数不同）" in out


def test_a_counting_condition_that_does_not_read_right_stops_the_forms_loading(tmp_path):
    for path in (ROOT / "forms").glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "gd-dept-overall-2022.yaml"
    text = target.read_text("utf-8").replace("count_rows(indicators) > 0", "count_rows(indicators)")
    target.write_text(text, "utf-8")
    with pytest.raises(FormError, match="计数的条件有误"):
        FormCatalog(tmp_path).forms()


def project_ids(ws) -> list[int]:
    return [info.id for info in ws.store.reports() if info.form_id == "project-self-eval"]


def test_the_counts_follow_every_change_of_the_project_reports(ws):
    report = department(ws, **{"projects.on_time": 1})
    projects(ws)
    first, second = sorted(project_ids(ws))  # demo 1 finished on time, demo 2 did not

    def on_time() -> tuple:
        evaluation = ws.evaluate(report)
        warned = {f.check for f in evaluation.warnings}
        return ws.open_report(report).counted["projects.on_time"], "counted.projects.on_time" in warned

    assert on_time() == (1, False)  # counted once, and kept for the next reads
    ws.set_values(second, {"project.on_time": True})  # written
    assert on_time() == (2, True)  # the typed 1 now differs from the count
    ws.finalize(first)  # finalised and reopened: counted again, the same
    assert on_time() == (2, True)
    ws.reopen(first, "改正")
    ws.set_values(first, {"report.year": 2023})  # moved to another year
    assert on_time() == (1, False)
    ws.set_values(first, {"report.year": 2022})
    ws.store.rename_unit(first, "另一个单位")  # moved to another unit
    assert on_time() == (1, False)
    ws.store.delete_report(second)  # deleted
    assert ws.open_report(report).counted == {}
    projects(ws)  # imported
    assert on_time() == (1, False) and ws.open_report(report).counted["projects.total"] == 2
    elsewhere = Workspace.open(ws.store.path)  # another window or a command writes to the database
    try:
        imported_again = sorted(project_ids(elsewhere))[-2]  # demo 1, on time
        elsewhere.set_values(imported_again, {"project.on_time": False})
    finally:
        elsewhere.store.close(backup=False)
    assert ws.open_report(report).counted["projects.on_time"] == 0
    with sqlite3.connect(ws.store.path) as conn:  # a program editing the file, not through the store
        conn.execute("UPDATE value SET value_json = 'true' WHERE report_id = ? AND key = 'project.on_time'",
                     (imported_again,))
    conn.close()
    assert ws.open_report(report).counted["projects.on_time"] == 1


def test_saving_the_department_report_again_does_not_read_its_project_reports(ws, monkeypatch):
    report = department(ws)
    projects(ws)
    read: list[int] = []
    values = ws.store.values
    monkeypatch.setattr(ws.store, "values", lambda report_id: read.append(report_id) or values(report_id))
    counts = []
    count = counting.count
    monkeypatch.setattr(counting, "count", lambda *args: counts.append(1) or count(*args))
    assert ws.open_report(report).counted["projects.total"] == 2
    assert len(counts) == 1 and set(read) >= set(project_ids(ws))  # counted once
    read.clear()
    for n in range(5):  # as the wizard's autosave writes and re-scores it
        ws.set_values(report, {"procurement.actual": Decimal(90 + n)})
        ws.set_explanation(report, "counted.projects.total", f"说明 {n}")
    assert ws.open_report(report).counted["projects.total"] == 2
    assert len(counts) == 1 and set(read) == {report}  # its own values only, never a project report's
