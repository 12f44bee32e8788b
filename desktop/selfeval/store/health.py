"""Reading a database row by row without trusting it: what is damaged, in Chinese.

A damaged value, timestamp or row marks its report as damaged; the other
reports stay usable.  Used for the report list, before writing to a report,
and on a backup before it may replace the database.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from ..errors import RESTORE_HINT
from .migrations import TABLES
from .models import STATUSES
from .seal import chain_breaks, stored_content_digest

ALTERED = ("报告定稿后，其中的数据在本程序之外被改动过（与定稿时的记录不符）。"
           "这样的报告不能导出；请核对数据，重新打开（注明原因）并再次定稿。")


BAD_TEXT = object()  # stored text that is not UTF-8


@contextmanager
def _as_bytes(conn: sqlite3.Connection):
    """Read text columns as bytes, so text that is not UTF-8 is one damaged row, not a failed query."""
    previous, conn.text_factory = conn.text_factory, bytes
    try:
        yield
    finally:
        conn.text_factory = previous


def _decoded(value: object) -> object:
    if not isinstance(value, bytes):
        return value
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return BAD_TEXT


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    with _as_bytes(conn):
        rows = conn.execute(sql, params).fetchall()
    return [tuple(_decoded(value) for value in row) for row in rows]


def timestamp(text: object) -> datetime | None:
    """A stored timestamp, ``None`` when it is not one (timezone-aware ISO-8601)."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _json_ok(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _shown(text: object) -> str:
    text = "（无法识别的字节）" if text is BAD_TEXT else str(text)
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass
class RowState:
    """One report row as stored; fields that cannot be read are ``None``."""

    id: int
    unit_name: str | None
    year: int | None
    form_id: str
    form_edition: str
    status: str
    created_at: datetime | None
    updated_at: datetime | None
    total: str | None
    grade: str | None
    complete: bool | None
    altered: bool = False
    problems: list[str] = field(default_factory=list)


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _report_state(raw: tuple) -> RowState:
    (report_id, unit_name, year, form_id, form_edition, status, created, updated, total, grade,
     complete) = raw[:11]
    problems = []
    if unit_name is None:
        problems.append("单位记录缺失")
    if BAD_TEXT in (unit_name, form_id, form_edition, total, grade):
        problems.append("有文字不是有效的 UTF-8，已损坏")
        unit_name = None if unit_name is BAD_TEXT else unit_name
    if isinstance(year, bool) or not isinstance(year, int):
        problems.append(f"年度“{_shown(year)}”无效")
        year = None
    if status not in STATUSES:
        problems.append(f"状态“{_shown(status)}”无效")
    if not isinstance(form_id, str) or not isinstance(form_edition, str):
        problems.append("表单编号无效")
    when = {}
    for label, text in (("创建时间", created), ("最后修改时间", updated)):
        when[label] = timestamp(text)
        if when[label] is None:
            problems.append(f"{label}“{_shown(text)}”无法识别")
    state = RowState(report_id, unit_name, year, str(form_id), str(form_edition), str(status),
                     when["创建时间"], when["最后修改时间"], None if total is None else str(total),
                     None if grade is None else str(grade),
                     None if complete is None else bool(complete), problems=problems)
    return state


def _row_problems(conn: sqlite3.Connection, report_id: int | None) -> dict[int | None, list[str]]:
    """Damaged values, explanations, carried values and audit entries, by report."""
    where = "" if report_id is None else " WHERE report_id = ?"
    params = () if report_id is None else (report_id,)
    found: dict[int | None, list[str]] = {}
    checks = (
        ("value", "key", "value_json", "updated_at", "数据项"),
        ("explanation", "check_id", None, "updated_at", "出错说明"),
        ("carried_value", "key", "value_json", None, "转入的数据项"),
    )
    tables = _tables(conn)
    for table, name, json_column, time_column, label in checks:
        if table not in tables:
            continue
        wanted = ", ".join(c for c in (name, json_column, time_column) if c)
        for owner, key, *rest in _rows(conn, f"SELECT report_id, {wanted} FROM {table}{where}", params):
            rest = list(rest)
            if json_column and not _json_ok(rest.pop(0)):
                found.setdefault(owner, []).append(f"{label}“{_shown(key)}”的内容已损坏")
            if time_column and timestamp(rest[0]) is None:
                found.setdefault(owner, []).append(f"{label}“{_shown(key)}”的修改时间“{_shown(rest[0])}”无法识别")
    return found


@dataclass(frozen=True)
class Entry:
    """One audit entry as stored; ``damaged`` when any of it cannot be read."""

    id: int
    report_id: int | None
    at: datetime | None
    action: str
    key: str | None
    old: object
    new: object
    note: str | None
    damaged: bool


def _loaded(text: object) -> tuple[object, bool]:
    if text is None:
        return None, True
    return (json.loads(text), True) if _json_ok(text) else (None, False)


def audit_entries(conn: sqlite3.Connection, report_id: int | None = None) -> list[Entry]:
    """The audit entries (of one report, or all), oldest first, read without trusting them."""
    where, params = ("", ()) if report_id is None else (" WHERE report_id = ?", (report_id,))
    entries = []
    for entry_id, owner, at, action, key, old, new, note in _rows(
            conn, f"SELECT id, report_id, at, action, key, old_json, new_json, note FROM audit_entry{where}"
                  " ORDER BY id", params):
        (old, old_ok), (new, new_ok) = _loaded(old), _loaded(new)
        texts = (action, key, note)
        damaged = timestamp(at) is None or BAD_TEXT in texts or not (old_ok and new_ok)
        action, key, note = (None if text is BAD_TEXT else text for text in texts)
        entries.append(Entry(entry_id, owner, timestamp(at), str(action), key, old, new, note, damaged))
    return entries


_REPORTS_SQL = (
    'SELECT r.id, u.name, r.year, r.form_id, r.form_edition, r.status, r.created_at, r.updated_at,'
    ' r.total, r.grade, r.complete{extra} FROM report r LEFT JOIN unit u ON u.id = r.unit_id'
)


def report_states(conn: sqlite3.Connection, report_id: int | None = None) -> list[RowState]:
    """Every report (or the one asked for), most recently changed first, each with its problems."""
    sealed = "values_digest" in columns(conn, "report")
    sql = _REPORTS_SQL.format(extra=", r.values_digest" if sealed else "")
    if report_id is not None:
        rows = _rows(conn, sql + " WHERE r.id = ?", (report_id,))
    else:
        rows = _rows(conn, sql + " ORDER BY r.updated_at DESC, r.id DESC")
    extra = _row_problems(conn, report_id)
    states = []
    for raw in rows:
        state = _report_state(raw)
        state.problems += extra.get(state.id, [])
        if sealed and state.status == "final" and not state.problems:
            state.altered = raw[11] != stored_content_digest(conn.execute, state.id)
        states.append(state)
    return states


def file_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """Everything wrong with a database file, as sentences (empty when all reads back)."""
    missing = sorted(TABLES.get(version, frozenset()) - _tables(conn))
    if missing:
        return [f"缺少数据表：{'、'.join(missing)}"]
    problems = [f"编号为 {state.id} 的报告：{'；'.join(state.problems)}"
                for state in report_states(conn) if state.problems]
    problems += _row_problems(conn, None).get(None, [])
    problems += [f"修改记录第 {entry.id} 条已损坏" for entry in audit_entries(conn) if entry.damaged]
    if any(timestamp(created) is None for (created,) in _rows(conn, "SELECT created_at FROM export")):
        problems.append("导出记录中有无法识别的时间")
    return problems


def broken_entries(conn: sqlite3.Connection, report_id: int) -> list[int]:
    """Ids of the report's audit entries that were changed outside the program."""
    if "digest" not in columns(conn, "audit_entry"):
        return []
    return [entry for entry, owner in chain_breaks(conn.execute) if owner == report_id]


def describe(problems: Iterable[str]) -> str:
    return "；".join(problems)
