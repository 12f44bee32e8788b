"""Which texts of a report started 从上年报告转入 still read as last year's,
worked out from the report's audit trail, with no GUI toolkit involved."""
from __future__ import annotations

from decimal import Decimal

import pytest

from selfeval.catalog import demo_report_path
from selfeval.navigation import carried_notice, pages_of
from selfeval.ui.session import CarriedOver, carried_over
from selfeval.workspace import Workspace

UNIT = "政协乐昌市委员会机关"


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace.open(tmp_path / "selfeval.sqlite3")
    yield ws
    ws.store.close(backup=False)


@pytest.fixture
def carried_report(workspace):
    """The demo (2022) and a 2023 report carried over from it."""
    previous = workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
    return previous, workspace.new_report(UNIT, 2023, from_previous=True)


def test_a_carried_report_names_its_source_and_the_texts_carried(workspace, carried_report):
    previous, report_id = carried_report
    carried = carried_over(workspace.store.audit_trail(report_id))
    old = workspace.store.values(previous)
    assert (carried.source_id, carried.year) == (previous, 2022)
    assert carried.values["unit.duties"] == old["unit.duties"]
    assert carried.values["conclusion"] == old["conclusion"]
    assert "income.total" not in carried.values  # figures are not carried


def test_only_texts_still_as_carried_are_unchanged(workspace, carried_report):
    _, report_id = carried_report
    report = workspace.open_report(report_id)
    carried = carried_over(workspace.store.audit_trail(report_id))
    unchanged = carried.unchanged(report.form, report.values)
    assert {"unit.duties", "unit.subordinates", "goals.summary", "conclusion", "achievements",
            "problems", "suggestions"} <= unchanged
    # names and figures carried over are facts that rarely change: no notice for them
    assert not {"unit.name", "signoff.preparer", "staff.authorized_admin"} & unchanged
    workspace.set_values(report_id, {"conclusion": report.values["conclusion"] + "本年度已改。"})
    edited = workspace.open_report(report_id).values
    assert "conclusion" not in carried.unchanged(report.form, edited)
    assert "achievements" in carried.unchanged(report.form, edited)
    emptied = {k: v for k, v in edited.items() if k != "achievements"}
    assert "achievements" not in carried.unchanged(report.form, emptied)
    pages = {page.id: page for page in pages_of(report.form)}
    final = carried.unchanged(report.form, edited)
    assert carried_notice(pages["conclusion"], final, carried.year) is None
    assert carried_notice(pages["achievements"], final, carried.year) == (
        "本页部分内容从 2022 年度报告转入，请逐项核对修改。")


def test_reports_not_carried_over_have_no_notice(workspace, carried_report):
    previous, report_id = carried_report
    assert carried_over(workspace.store.audit_trail(previous)) is None  # imported
    new = workspace.new_report("某局", 2023)
    assert carried_over(workspace.store.audit_trail(new)) is None
    copy = workspace.store.duplicate_report(report_id)
    assert carried_over(workspace.store.audit_trail(copy)) is None
    assert carried_over([]) is None


def test_values_written_after_creation_are_not_taken_as_carried(workspace, carried_report):
    _, report_id = carried_report
    workspace.set_values(report_id, {"income.total": Decimal("1")})
    workspace.set_values(report_id, {"unit.duties": "新的职责"})
    carried = carried_over(workspace.store.audit_trail(report_id))
    assert isinstance(carried, CarriedOver)
    assert "income.total" not in carried.values
    assert carried.values["unit.duties"] != "新的职责"
