"""Which texts of a report started 从上年报告转入 still read as last year's:
the store records what was carried over, the workspace tells which texts are
unchanged, with no GUI toolkit involved."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from decimal import Decimal

import pytest

from selfeval.catalog import demo_report_path
from selfeval.navigation import carried_notice, pages_of
from selfeval.store import restore_from
from selfeval.workspace import Workspace, carried_unchanged

UNIT = "政协乐昌市委员会机关"
TEXTS = {"unit.duties", "unit.subordinates", "goals.summary", "conclusion", "achievements",
         "problems", "suggestions"}


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "selfeval.sqlite3"


@pytest.fixture
def workspace(db_path):
    ws = Workspace.open(db_path)
    yield ws
    ws.store.close(backup=False)


@pytest.fixture
def carried_report(workspace):
    """The demo (2022) and a 2023 report carried over from it."""
    previous = workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
    return previous, workspace.new_report(UNIT, 2023, from_previous=True)


def unchanged(workspace, report_id):
    report = workspace.open_report(report_id)
    return carried_unchanged(report.form, report.carried, report.values)


def test_a_carried_report_names_its_source_and_the_texts_carried(workspace, carried_report):
    previous, report_id = carried_report
    carried = workspace.open_report(report_id).carried
    old = workspace.store.values(previous)
    assert (carried.source_id, carried.year) == (previous, 2022)
    assert carried.values["unit.duties"] == old["unit.duties"]
    assert carried.values["conclusion"] == old["conclusion"]
    assert "income.total" not in carried.values  # figures are not carried
    assert "report.year" not in carried.values  # set for the new year, not carried


def test_only_texts_still_as_carried_are_unchanged(workspace, carried_report):
    _, report_id = carried_report
    assert TEXTS <= unchanged(workspace, report_id)
    # names and figures carried over are facts that rarely change: no notice for them
    assert not {"unit.name", "signoff.preparer", "staff.authorized_admin"} & unchanged(workspace, report_id)
    report = workspace.open_report(report_id)
    workspace.set_values(report_id, {"conclusion": report.values["conclusion"] + "本年度已改。"})
    final = unchanged(workspace, report_id)
    assert "conclusion" not in final and "achievements" in final
    emptied = {k: v for k, v in workspace.open_report(report_id).values.items() if k != "achievements"}
    assert "achievements" not in carried_unchanged(report.form, report.carried, emptied)
    pages = {page.id: page for page in pages_of(report.form)}
    assert carried_notice(pages["conclusion"], final, report.carried.year) is None
    assert carried_notice(pages["achievements"], final, report.carried.year) == (
        "本页部分内容从 2022 年度报告转入，请逐项核对修改。")


def test_a_text_changed_back_reads_as_carried_again(workspace, carried_report):
    _, report_id = carried_report
    text = workspace.open_report(report_id).values["problems"]
    workspace.set_values(report_id, {"problems": "另写的问题。"})
    assert "problems" not in unchanged(workspace, report_id)
    workspace.set_values(report_id, {"problems": text})
    assert "problems" in unchanged(workspace, report_id)


def test_reports_not_carried_over_have_no_notice(workspace, carried_report):
    previous, report_id = carried_report
    assert workspace.open_report(previous).carried is None  # imported
    new = workspace.new_report("某局", 2023)
    assert workspace.open_report(new).carried is None
    copy = workspace.store.duplicate_report(report_id)
    assert workspace.open_report(copy).carried is None
    assert unchanged(workspace, copy) == frozenset()


def test_values_written_after_creation_are_not_taken_as_carried(workspace, carried_report):
    _, report_id = carried_report
    carried = workspace.open_report(report_id).carried
    workspace.set_values(report_id, {"income.total": Decimal("1")})
    workspace.set_values(report_id, {"unit.duties": "新的职责"})
    assert workspace.open_report(report_id).carried == carried
    assert "income.total" not in carried.values
    assert carried.values["unit.duties"] != "新的职责"


def test_the_audit_note_is_history_only(workspace, db_path, carried_report):
    _, report_id = carried_report
    before = unchanged(workspace, report_id)
    workspace.store.close(backup=False)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE audit_entry SET note = '新建报告' WHERE action = 'create'")
    reopened = Workspace.open(db_path)
    try:
        assert reopened.store.audit_trail(report_id)[0].note == "新建报告"
        assert unchanged(reopened, report_id) == before and TEXTS <= before
    finally:
        reopened.store.close(backup=False)


def test_backup_and_restore_keep_what_was_carried(workspace, db_path, carried_report):
    _, report_id = carried_report
    backup = workspace.store.backup()
    before = unchanged(workspace, report_id)
    workspace.set_values(report_id, {"conclusion": "改写后的结论。"})
    workspace.store.close(backup=False)
    restore_from(backup, db_path)
    restored = Workspace.open(db_path)
    try:
        assert unchanged(restored, report_id) == before
        assert restored.open_report(report_id).carried.year == 2022
    finally:
        restored.store.close(backup=False)
