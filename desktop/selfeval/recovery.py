"""Edits that could not be saved, kept in a file beside the database until they are.

When the database cannot be written (locked by another program, a full disk)
the wizard keeps what was typed and retries.  If the clerk closes the program
before a retry succeeds, the edits go into ``<database>.recovery.json`` (owner
only), and the next start offers to apply them.  Plain Python: the window only
asks and shows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from .files import write_atomic
from .values import ValueRejected, from_json

SUFFIX = ".recovery.json"
FORMAT = "selfeval-unsaved-edits"


class RecoveryError(Exception):
    """The recovery file cannot be read or applied; the message is Chinese."""


@dataclass(frozen=True)
class Unsaved:
    """Edits that could not be saved, kept in the recovery file beside the database."""

    report_id: int
    unit: str
    year: int
    values: Mapping[str, Any] = field(default_factory=dict)  # field id → JSON interchange value (None clears)
    explanations: Mapping[str, str | None] = field(default_factory=dict)  # check id → text (None clears)
    at: str = ""  # when the edits were kept, ISO 8601

    def describe(self) -> str:
        count = len(self.values) + len(self.explanations)
        return f"{self.year} 年度“{self.unit}”的报告（编号 {self.report_id}）有 {count} 项修改没有保存"


def recovery_path(database: Path | str) -> Path:
    database = Path(database)
    return database.with_name(database.name + SUFFIX)


def keep_unsaved(database: Path | str, unsaved: Unsaved) -> Path:
    """Write ``unsaved`` beside ``database`` (replacing an earlier file); returns its path."""
    path = recovery_path(database)
    data = {"format": FORMAT, "report_id": unsaved.report_id, "unit": unsaved.unit, "year": unsaved.year,
            "at": unsaved.at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "values": dict(unsaved.values), "explanations": dict(unsaved.explanations)}
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), mode=0o600)
    except OSError as error:
        raise RecoveryError(f"无法写入恢复文件“{path}”：{error.strerror or error}") from error
    return path


def read_unsaved(database: Path | str) -> Unsaved | None:
    """The edits kept beside ``database``, or None when there are none."""
    path = recovery_path(database)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise RecoveryError(f"无法读取恢复文件“{path}”：{error.strerror or error}") from error
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        return Unsaved(int(data["report_id"]), str(data["unit"]), int(data["year"]), dict(data["values"]),
                       dict(data["explanations"]), str(data.get("at", "")))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise RecoveryError(f"恢复文件“{path}”已损坏，无法读取。") from error


def discard_unsaved(database: Path | str) -> None:
    recovery_path(database).unlink(missing_ok=True)


def apply_unsaved(workspace, unsaved: Unsaved) -> list[str]:
    """Store the kept edits in their report (each value checked as on import), then remove the
    file; returns the field ids written.  Raises :class:`RecoveryError` (file kept) when the
    report is gone or a value no longer fits its field."""
    from .store import StoreError

    try:
        report = workspace.open_report(unsaved.report_id)
    except (StoreError, LookupError) as error:
        raise RecoveryError(f"无法恢复：{unsaved.describe()}，但该报告已无法打开（{error}）。") from error
    form = report.form
    typed = {}
    for fid, raw in unsaved.values.items():
        if fid not in form.fields:
            raise RecoveryError(f"无法恢复：表单中没有字段“{fid}”。")
        try:
            typed[fid] = from_json(form, form.fields[fid], raw)
        except ValueRejected as error:
            raise RecoveryError(f"无法恢复：{error}") from error
    try:
        written = workspace.set_values(unsaved.report_id, typed) if typed else []
        for check_id, text in unsaved.explanations.items():
            workspace.set_explanation(unsaved.report_id, check_id, text)
    except StoreError as error:
        raise RecoveryError(f"无法恢复，修改仍保留在恢复文件中：{error}") from error
    discard_unsaved(workspace.store.path)
    return written
