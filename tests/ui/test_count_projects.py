"""文件 → 按本单位项目报告计数 fills the open department report's 项目总数… from the unit's project
reports of the year, keeps what was typed, and shows the same summary as `selfeval count`."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"
COUNTED = ("projects.total", "projects.with_targets", "projects.planned_completion", "projects.on_time")


def import_demo(workspace, name: str, drop=()) -> int:
    document = json.loads((DEMO / name).read_text("utf-8"))
    for fid in drop:
        document["values"].pop(fid, None)
    return workspace.import_json(json.dumps(document, ensure_ascii=False))


def test_the_open_report_is_counted_from_its_project_reports(qtbot, window, asked):
    workspace = window.workspace
    department = import_demo(workspace, "gd-dept-overall-2022-demo.json", drop=COUNTED[1:])
    for n in (1, 2):
        import_demo(workspace, f"project-self-eval-2022-demo-{n}.json")
    window.refresh_list(select=department)
    window.open_report(department)
    page = window.wizard.navigator.page_of_field("projects.on_time").id
    window.wizard.show_page(window.wizard.navigator.index_of(page))
    window.do_action("count")
    assert window.wizard is not None and window.wizard.session.report_id == department
    assert window.wizard.navigator.current.id == page  # back on the page the clerk was on
    values = workspace.open_report(department).values
    assert [values.get(fid) for fid in COUNTED[1:]] == [2, 2, 1]  # filled from demo projects 1 and 2
    assert values["projects.total"] == 12  # typed in the demo: kept, and it differs from the count
    (summary,) = asked["inform"]
    assert "设置绩效目标的项目数：2（已填入）" in summary and "按时完成的项目数：1（已填入）" in summary
    assert "项目总数：2（已填写 12，与计数不同）" in summary
    assert window.wizard.editor("projects.on_time").text() == "1"


def test_a_report_of_a_form_without_counts_is_told_so(qtbot, window, asked):
    project = import_demo(window.workspace, "project-self-eval-2022-demo-1.json")
    window.refresh_list(select=project)
    window.do_action("count")
    assert asked["inform"] and "没有可按其他报告计数的字段" in asked["inform"][0]
