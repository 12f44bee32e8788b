"""The recovery file of edits that could not be saved: written privately, read back, applied once."""
from __future__ import annotations

from decimal import Decimal

import pytest

from selfeval.catalog import demo_report_path
from selfeval.recovery import (RecoveryError, Unsaved, apply_unsaved, keep_unsaved, read_unsaved,
                               recovery_path)
from selfeval.workspace import Workspace


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    yield ws
    ws.store.close(backup=False)


def test_kept_edits_are_applied_once(workspace):
    report_id = workspace.import_json(demo_report_path().read_text("utf-8"))
    unsaved = Unsaved(report_id, "某局", 2022, {"income.basic": "481.40", "unit.region": None},
                      {"staff_control_over": "已核对"})
    path = keep_unsaved(workspace.store.path, unsaved)
    assert path == recovery_path(workspace.store.path) and path.stat().st_mode & 0o077 == 0
    read = read_unsaved(workspace.store.path)
    assert read.values == unsaved.values and read.explanations == unsaved.explanations
    assert "有 3 项修改没有保存" in read.describe()
    assert sorted(apply_unsaved(workspace, read)) == ["income.basic", "unit.region"]
    report = workspace.open_report(report_id)
    assert report.values["income.basic"] == Decimal("481.40") and "unit.region" not in report.values
    assert report.explanations["staff_control_over"] == "已核对"
    assert read_unsaved(workspace.store.path) is None


def test_a_damaged_file_or_a_value_that_no_longer_fits_is_refused_and_kept(workspace):
    report_id = workspace.import_json(demo_report_path().read_text("utf-8"))
    recovery_path(workspace.store.path).write_text("{not json", "utf-8")
    with pytest.raises(RecoveryError, match="已损坏"):
        read_unsaved(workspace.store.path)
    keep_unsaved(workspace.store.path, Unsaved(report_id, "某局", 2022, {"income.basic": "很多"}))
    with pytest.raises(RecoveryError, match="无法恢复"):
        apply_unsaved(workspace, read_unsaved(workspace.store.path))
    assert recovery_path(workspace.store.path).exists()
    keep_unsaved(workspace.store.path, Unsaved(999, "某局", 2022, {"income.basic": "1"}))
    with pytest.raises(RecoveryError, match="无法打开"):
        apply_unsaved(workspace, read_unsaved(workspace.store.path))
