"""``Store``: reports, their values and explanations, kept in the local database.

The store knows nothing about forms. A report's values are ``key -> value``
where the value is anything JSON can hold; it is saved as canonical JSON text,
so an unchanged value is recognised and not written again.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Mapping

import peewee

from ..errors import os_message, sqlite_message
from . import health
from .backup import auto_backup
from .backup_files import backup_path, backup_to, default_backup_dir
from .database import StoreError, open_database, writable
from .lock import DatabaseLock
from .models import (
    DRAFT,
    FINAL,
    STATUSES,
    AuditEntry,
    CarriedValue,
    Explanation,
    Export,
    Report,
    TimestampField,
    Unit,
    Value,
    proxy,
    utcnow,
)
from .seal import entry_digest, last_entry_digest, stored_content_digest

YEAR_KEY = "report.year"
UNIT_KEYS = {"unit.name": "name", "unit.credit_code": "credit_code", "unit.region": "region"}


class ReportNotFound(StoreError):
    pass


class ReportLocked(StoreError):
    pass


class ReportDamaged(StoreError):
    pass


@dataclass(frozen=True)
class ReportInfo:
    """One report as the list shows it: its unit, year, form, status and cached score, and what is wrong with it."""

    id: int
    unit_name: str
    year: int
    form_id: str
    form_edition: str
    status: str
    created_at: datetime | None  # None only in a damaged report
    updated_at: datetime | None
    total: str | None
    grade: str | None
    complete: bool | None
    damage: tuple[str, ...] = ()  # what cannot be read: such a report cannot be opened
    altered: bool = False  # final, but its values differ from what was finalised

    @classmethod
    def of(cls, row: Report, *, altered: bool = False) -> ReportInfo:
        return cls(
            row.id, row.unit.name, row.year, row.form_id, row.form_edition, row.status,
            row.created_at, row.updated_at, row.total, row.grade, row.complete, altered=altered,
        )

    @classmethod
    def from_state(cls, state: health.RowState) -> ReportInfo:
        return cls(
            state.id, state.unit_name or "（单位未知）", state.year or 0, state.form_id,
            state.form_edition, state.status, state.created_at, state.updated_at, state.total,
            state.grade, state.complete, tuple(state.problems), state.altered,
        )

    @property
    def problem(self) -> str:
        """What is wrong with the report, in Chinese ("" when nothing is)."""
        if self.damage:
            return f"报告已损坏：{health.describe(self.damage)}。{health.RESTORE_HINT}"
        return health.ALTERED if self.altered else ""


@dataclass(frozen=True)
class CarriedOver:
    """What a report started from an earlier one received: that report's id and
    year, and each value carried, as it was stored when the report was created."""

    source_id: int
    year: int
    values: Mapping[str, object]


@dataclass(frozen=True)
class AuditRecord:
    """One entry of a report's history: when, what was done, to which key, the old and new value."""

    at: datetime
    action: str
    key: str | None
    old: object
    new: object
    note: str | None
    damaged: bool = False  # some of it could not be read (``at`` may then be None)


def encode(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def decode(text: str | None) -> object:
    return None if text is None else json.loads(text)


def _encode_optional(value: object) -> str | None:
    return None if value is None else encode(value)


def _key(key: object) -> str:
    if not isinstance(key, str) or not key.strip():
        raise StoreError(f"数据项名称“{key}”无效。")
    return key


def _unit_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise StoreError("单位名称不能为空。")
    return name.strip()


def _year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise StoreError(f"年度“{year}”无效。")
    return year


def _fact(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


class Store:
    """The reports database. Use one ``Store`` from one thread (the GUI thread)."""

    def __init__(self, path: Path | str, *, backup_dir: Path | str | None = None,
                 auto_backup_keep: int = 10):
        self.path = Path(path)
        self.backup_dir = Path(backup_dir) if backup_dir else default_backup_dir(self.path)
        self.auto_backup_keep = auto_backup_keep
        self._db = open_database(self.path, backup_dir=self.backup_dir)
        self._lock = DatabaseLock(self.path)  # see .lock: a restore waits until this is released
        if not self._lock.acquire(exclusive=False):
            self._db.close()
            raise StoreError(f"数据库“{self.path}”正在从备份恢复，请稍后再试。")
        self.read_only = not writable(self.path)
        self.backup_problem = ""

    @property
    def database(self) -> peewee.SqliteDatabase:
        return self._db

    def set_lock_wait(self, seconds: float) -> None:
        """How long a write waits for another program's lock before it fails (10 s by default;
        the wizard waits less and retries by itself, so typing never freezes for long)."""
        with self._session():
            self._db.pragma("busy_timeout", int(seconds * 1000), permanent=True)

    def close(self, *, backup: bool = True) -> None:
        """Close, making the day's automatic backup first; should that fail, what was
        saved stays saved and ``backup_problem`` says why (in Chinese)."""
        if self._db.is_closed():
            return
        try:
            if backup and not self.read_only:
                with self._session():
                    auto_backup(self._db, self.backup_dir, keep=self.auto_backup_keep)
        except StoreError as error:
            self.backup_problem = f"自动备份没有完成，已保存的数据不受影响：{error}"
        finally:
            self._db.close()
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(backup=exc_type is None)

    @contextmanager
    def _session(self, *, write: bool = False):
        if self._db.is_closed():
            raise StoreError(f"数据库“{self.path}”已关闭。")
        if proxy.obj is not self._db:
            proxy.initialize(self._db)
        try:
            if write and self.read_only:
                raise sqlite3.OperationalError("attempt to write a readonly database")
            if write:
                with self._db.atomic(lock_type="IMMEDIATE"):
                    yield
            else:
                yield
        except OSError as error:
            raise StoreError(os_message(error, error.filename or self.path)) from error
        except (peewee.PeeweeException, sqlite3.Error) as error:
            raise StoreError(sqlite_message(error, self.path)) from error

    # -- reading ---------------------------------------------------------

    @staticmethod
    def _select():
        return Report.select(Report, Unit).join(Unit)

    def _row(self, report_id: int) -> Report:
        """The report's row; :class:`ReportDamaged` when any of it cannot be read."""
        try:
            row = self._select().where(Report.id == report_id).get_or_none()
        except (ValueError, TypeError, OverflowError):
            row = None  # a field that does not convert: the check below names it
        states = health.report_states(self._db.connection(), report_id)
        if not states:
            raise ReportNotFound(f"找不到编号为 {report_id} 的报告。")
        info = ReportInfo.from_state(states[0])
        if info.damage or row is None:
            raise ReportDamaged(f"编号为 {report_id} 的{info.problem or '报告已损坏。'}")
        return row

    def _editable(self, report_id: int) -> Report:
        row = self._row(report_id)
        if row.status == FINAL:
            raise ReportLocked(
                f"编号为 {report_id} 的报告（{row.unit.name} {row.year} 年度）已定稿，不能修改。"
                "如需修改，请先撤销定稿。"
            )
        return row

    def report(self, report_id: int) -> ReportInfo:
        with self._session():
            row = self._row(report_id)
            return ReportInfo.of(row, altered=self._altered(row))

    def _altered(self, row: Report) -> bool:
        return row.status == FINAL and row.values_digest != stored_content_digest(
            self._db.execute_sql, row.id)

    def reports(self) -> list[ReportInfo]:
        """All reports, the most recently changed first; damaged ones say what is wrong
        (``ReportInfo.damage``) instead of spoiling the list."""
        with self._session():
            return [ReportInfo.from_state(state) for state in health.report_states(self._db.connection())]

    def reports_stamp(self, unit_name: str, year: int, form_id: str) -> tuple:
        """A cheap marker of the unit's reports of ``form_id`` for ``year``, to keep what is worked out
        from them: it changes whenever one of them is created, written, finalised, reopened, deleted, or
        moved to another unit or year (each write sets its ``updated_at`` and adds an audit entry; ids
        are never reused), and whenever another connection (another window, a command, a program
        editing the file) commits anything to the database."""
        with self._session():
            changed_elsewhere = self._db.execute_sql("PRAGMA data_version").fetchone()[0]
            rows = self._db.execute_sql(
                # as bytes, so a damaged timestamp is part of the marker instead of a failed read
                'SELECT r.id, CAST(r.updated_at AS BLOB), '
                '(SELECT MAX(a.id) FROM "audit_entry" a WHERE a.report_id = r.id) '
                'FROM "report" r JOIN "unit" u ON u.id = r.unit_id '
                "WHERE u.name = ? AND r.year = ? AND r.form_id = ? ORDER BY r.id",
                (unit_name, year, form_id)).fetchall()
            return changed_elsewhere, tuple(rows)

    def broken_history(self, report_id: int) -> list[int]:
        """Ids of the report's audit entries changed outside the program (empty when none)."""
        with self._session():
            return health.broken_entries(self._db.connection(), report_id)

    def _values_of(self, row: Report) -> dict[str, object]:
        query = Value.select(Value.key, Value.value_json).where(Value.report == row)
        values = {}
        for item in query.order_by(Value.key):
            try:
                values[item.key] = decode(item.value_json)
            except ValueError:
                raise StoreError(
                    f"数据库“{self.path}”中编号为 {row.id} 的报告的“{item.key}”已损坏，无法读取。"
                    "请在“备份与恢复”中选择一个较早的备份进行恢复。") from None
        return values

    def _explanations_of(self, row: Report) -> dict[str, str]:
        query = Explanation.select(Explanation.check_id, Explanation.text)
        query = query.where(Explanation.report == row).order_by(Explanation.check_id)
        return {item.check_id: item.text for item in query}

    def values(self, report_id: int) -> dict[str, object]:
        with self._session():
            return self._values_of(self._row(report_id))

    def explanations(self, report_id: int) -> dict[str, str]:
        with self._session():
            return self._explanations_of(self._row(report_id))

    def previous_report(self, unit_name: str, year: int) -> ReportInfo | None:
        """The same unit's report for the latest earlier year (a final one preferred);
        damaged reports are passed over."""
        name = _unit_name(unit_name)
        with self._session():
            found = [info for info in map(ReportInfo.from_state, health.report_states(self._db.connection()))
                     if not info.damage and info.unit_name == name and info.year < year]
        found.sort(key=lambda info: (info.year, info.status == FINAL, info.updated_at, info.id), reverse=True)
        return found[0] if found else None

    def carried_over(self, report_id: int) -> CarriedOver | None:
        """What was carried into the report from an earlier one; ``None`` when it was not."""
        with self._session():
            row = self._row(report_id)
            if row.carried_from is None:
                return None
            query = CarriedValue.select().where(CarriedValue.report == row)
            values = {item.key: decode(item.value_json) for item in query.order_by(CarriedValue.key)}
            return CarriedOver(row.carried_from, row.carried_from_year, values)

    def audit_trail(self, report_id: int) -> list[AuditRecord]:
        """The report's history, oldest first; an entry that cannot be read says so
        (``AuditRecord.damaged``) instead of hiding the rest."""
        with self._session():
            self._row(report_id)
            return [AuditRecord(e.at, e.action, e.key, e.old, e.new, e.note, e.damaged)
                    for e in health.audit_entries(self._db.connection(), report_id)]

    # -- writing ---------------------------------------------------------

    def _audit(self, row: Report | None, action: str, *, at: datetime, key=None, old=None,
               new=None, note=None) -> None:
        """Add an audit entry, chained to the one before (see :mod:`.seal`)."""
        digest = entry_digest(last_entry_digest(self._db.execute_sql), TimestampField().db_value(at),
                              action, key, old, new, note)
        AuditEntry.create(report=row, at=at, action=action, key=key, old_json=old,
                          new_json=new, note=note, digest=digest)

    def _touch(self, row: Report, now: datetime) -> None:
        Report.update(updated_at=now).where(Report.id == row.id).execute()

    def _unit(self, name: str, now: datetime) -> Unit:
        return Unit.get_or_none(Unit.name == name) or Unit.create(name=name, created_at=now)

    def _replace(self, row: Report, key_field, text_field, wanted: Mapping[str, str | None], *,
                 action: str, now: datetime, to_json: Callable = lambda text: text) -> list[str]:
        """Store ``wanted`` (key -> text, ``None`` deletes) for one report; audit each change."""
        model = key_field.model
        found = model.select().where((model.report == row) & key_field.in_(list(wanted)))
        current = {getattr(item, key_field.name): item for item in found}
        changed = []
        for key, new in wanted.items():
            existing = current.get(key)
            old = getattr(existing, text_field.name) if existing else None
            if old == new:
                continue
            if new is None:
                model.delete().where(model.id == existing.id).execute()
            elif existing is None:
                fields = {key_field.name: key, text_field.name: new}
                model.create(report=row, updated_at=now, **fields)
            else:
                model.update({text_field: new, model.updated_at: now}).where(
                    model.id == existing.id).execute()
            self._audit(row, action, key=key, old=to_json(old), new=to_json(new), at=now)
            changed.append(key)
        if changed:
            self._touch(row, now)
        return changed

    def _write_values(self, row: Report, mapping: Mapping[str, object], now: datetime, *,
                      action: str = "set") -> list[str]:
        wanted = {_key(key): _encode_optional(value) for key, value in mapping.items()}
        changed = self._replace(row, Value.key, Value.value_json, wanted, action=action, now=now)
        self._sync_unit(row, {UNIT_KEYS[key]: mapping[key] for key in changed if key in UNIT_KEYS},
                        now)
        year = mapping.get(YEAR_KEY) if YEAR_KEY in changed else None
        if isinstance(year, int) and not isinstance(year, bool) and year != row.year:
            Report.update(year=_year(year)).where(Report.id == row.id).execute()
            row.year = year
        return changed

    def _write_explanations(self, row: Report, mapping: Mapping[str, str | None],
                            now: datetime) -> list[str]:
        wanted = {_key(check_id): text or None for check_id, text in mapping.items()}
        return self._replace(row, Explanation.check_id, Explanation.text, wanted,
                             action="explain", now=now, to_json=_encode_optional)

    def _sync_unit(self, row: Report, facts: Mapping[str, object], now: datetime) -> None:
        """Keep the report's ``Unit`` row in line with its ``unit.*`` values."""
        name = _fact(facts.get("name"))
        if name and name != row.unit.name:
            old_unit, row.unit = row.unit, self._unit(name, now)
            Report.update(unit=row.unit).where(Report.id == row.id).execute()
            if not old_unit.reports.exists():
                old_unit.delete_instance()
        details = {field: _fact(facts[field]) for field in ("credit_code", "region")
                   if field in facts}
        if details:
            Unit.update(details).where(Unit.id == row.unit.id).execute()

    def _create(self, unit_name: str, year: int, form_id: str, form_edition: str,
                values: Mapping[str, object], explanations: Mapping[str, str], *, note: str,
                carried_from: Report | None = None) -> int:
        """A new draft; with ``carried_from``, its ``values`` are recorded as carried from there."""
        name = _unit_name(unit_name)
        if "unit.name" in values and _fact(values["unit.name"]) != name:
            raise StoreError(f"单位名称“{name}”与填报内容中的单位名称“{values['unit.name']}”不一致。")
        source = {} if carried_from is None else {
            "carried_from": carried_from.id, "carried_from_year": carried_from.year}
        with self._session(write=True):
            now = utcnow()
            row = Report.create(
                unit=self._unit(name, now), year=_year(year), form_id=form_id,
                form_edition=form_edition, status=DRAFT, created_at=now, updated_at=now, **source,
            )
            self._audit(row, "create", note=note, at=now)
            written = self._write_values(row, values, now)
            if carried_from is not None and written:
                CarriedValue.insert_many(
                    [{"report": row, "key": key, "value_json": encode(values[key])} for key in written]
                ).execute()
            self._write_explanations(row, explanations, now)
            return row.id

    def create_report(self, *, unit_name: str, year: int, form_id: str, form_edition: str,
                      values: Mapping[str, object] | None = None,
                      explanations: Mapping[str, str] | None = None) -> int:
        return self._create(unit_name, year, form_id, form_edition, values or {},
                            explanations or {}, note="新建报告")

    def set_values(self, report_id: int, mapping: Mapping[str, object], *,
                   action: str = "set") -> list[str]:
        """Write many values in one transaction; returns the keys that changed. ``action``
        names the change in the audit trail ("import" for values read from a document)."""
        with self._session(write=True):
            return self._write_values(self._editable(report_id), mapping, utcnow(), action=action)

    def set_value(self, report_id: int, key: str, value: object) -> bool:
        """Set one value (``None`` deletes it); ``False`` when it was already so."""
        return bool(self.set_values(report_id, {key: value}))

    def set_explanation(self, report_id: int, check_id: str, text: str | None) -> bool:
        with self._session(write=True):
            row = self._editable(report_id)
            return bool(self._write_explanations(row, {check_id: text}, utcnow()))

    def set_unit_facts(self, report_id: int, *, name: str | None = None,
                       credit_code: str | None = None, region: str | None = None) -> list[str]:
        """Set the report's ``unit.*`` values; arguments left as ``None`` are not touched."""
        if name is not None:
            name = _unit_name(name)
        facts = {"unit.name": name, "unit.credit_code": credit_code, "unit.region": region}
        return self.set_values(report_id, {k: v for k, v in facts.items() if v is not None})

    def rename_unit(self, report_id: int, name: str) -> list[str]:
        return self.set_unit_facts(report_id, name=name)

    def set_status(self, report_id: int, status: str, *, note: str | None = None) -> bool:
        if status not in STATUSES:
            raise StoreError(f"未知的报告状态“{status}”。")
        with self._session(write=True):
            row = self._row(report_id)
            if row.status == status:
                return False
            now = utcnow()
            sealed = stored_content_digest(self._db.execute_sql, row.id) if status == FINAL else None
            Report.update(status=status, updated_at=now, values_digest=sealed).where(
                Report.id == row.id).execute()
            action = "finalize" if status == FINAL else "reopen"
            self._audit(row, action, old=encode(row.status), new=encode(status), note=note, at=now)
            return True

    def cache_score(self, report_id: int, *, total: str | None, grade: str | None,
                    complete: bool) -> None:
        """Keep the score for the list; skipped on a read-only database (it is only a cache)."""
        if self.read_only:
            return
        with self._session(write=True):
            query = Report.update(total=total, grade=grade, complete=complete)
            if not query.where(Report.id == report_id).execute():
                raise ReportNotFound(f"找不到编号为 {report_id} 的报告。")

    def new_from_previous(self, previous_id: int, *, year: int, carry_keys: Iterable[str],
                          form_id: str | None = None, form_edition: str | None = None) -> int:
        """A new draft for ``year`` holding only ``carry_keys`` of an earlier report.

        What was carried is recorded (see :meth:`carried_over`); the audit note
        says so in words, for people only.
        """
        if isinstance(carry_keys, str):
            raise TypeError("carry_keys must be an iterable of keys, not a single string")
        with self._session(write=True):
            previous = self._row(previous_id)
            old = self._values_of(previous)
            carried = {key: old[key] for key in carry_keys if key in old}
            return self._create(
                previous.unit.name, year, form_id or previous.form_id,
                form_edition or previous.form_edition, carried, {},
                note=f"由编号 {previous_id} 的报告（{previous.year} 年度）转入", carried_from=previous,
            )

    def duplicate_report(self, report_id: int) -> int:
        with self._session(write=True):
            source = self._row(report_id)
            new_id = self._create(
                source.unit.name, source.year, source.form_id, source.form_edition,
                self._values_of(source), self._explanations_of(source),
                note=f"复制自编号 {report_id} 的报告",
            )
            Report.update(total=source.total, grade=source.grade, complete=source.complete).where(
                Report.id == new_id).execute()
            return new_id

    def delete_report(self, report_id: int) -> Path:
        """Delete a report (also a damaged one) after backing up the database; returns that backup's path."""
        with self._session():
            states = health.report_states(self._db.connection(), report_id)
            if not states:
                raise ReportNotFound(f"找不到编号为 {report_id} 的报告。")
            target = backup_path(self.backup_dir, f"before-delete-r{report_id}")
            safety = backup_to(self._db, target)
        with self._session(write=True):
            info = ReportInfo.from_state(states[0])
            note = (f"删除编号 {report_id} 的报告：{info.unit_name} {info.year} 年度"
                    f"（删除前备份：{safety.name}）")
            self._audit(None, "delete", key=str(report_id), note=note, at=utcnow())
            Report.delete().where(Report.id == report_id).execute()
        return safety

    def record_export(self, report_id: int, *, kind: str, path: Path | str, sha256: str) -> int:
        with self._session(write=True):
            row = self._row(report_id)
            now = utcnow()
            export = Export.create(report=row, created_at=now, kind=kind, path=str(path),
                                   sha256=sha256)
            self._audit(row, "export", key=kind, new=encode({"path": str(path), "sha256": sha256}),
                        at=now)
            return export.id

    def backup(self, target: Path | str | None = None) -> Path:
        """A manual backup into ``target`` or a new file in the backup folder."""
        with self._session():
            return backup_to(self._db, target or backup_path(self.backup_dir, "manual"))
