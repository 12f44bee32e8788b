"""Automatic backups and their rotation, and restoring the database from a backup.

How backup files are named and written is in :mod:`.backup_files`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple, Sequence

import peewee

from .backup_files import (
    AUTOMATIC_NAME,
    STAMP_FORMAT,
    backup_path,
    backup_to,
    default_backup_dir,
    file_name,
    local_stamp,
)
from ..errors import sqlite_message
from ..files import replace
from .database import StoreError, inspect_file, read_only_uri
from .health import file_problems
from .lock import DatabaseLock
from .migrations import SCHEMA_VERSION

_DAMAGED = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}


class Rotation(NamedTuple):
    make_new: bool
    delete: tuple[datetime, ...]


def plan_rotation(
    stamps: Sequence[datetime], now: datetime, *, keep: int, min_interval: timedelta
) -> Rotation:
    """Decide whether to make an automatic backup at ``now`` and which old ones to drop.

    A new backup is due when there is none, when the newest is at least
    ``min_interval`` old, or when it lies in the future (the clock was wrong).
    Afterwards only the ``keep`` newest are kept.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    ordered = sorted(set(stamps))
    newest = ordered[-1] if ordered else None
    make_new = newest is None or newest > now or now - newest >= min_interval
    if make_new and now not in ordered:
        ordered.append(now)
        ordered.sort()
    excess = max(0, len(ordered) - keep)
    return Rotation(make_new, tuple(stamp for stamp in ordered[:excess] if stamp != now))


def automatic_backups(directory: Path | str) -> dict[datetime, Path]:
    found = {}
    directory = Path(directory)
    if not directory.is_dir():
        return found
    for path in directory.iterdir():
        match = AUTOMATIC_NAME.fullmatch(path.name)
        if match and path.is_file():
            try:
                found[datetime.strptime(match.group(1), STAMP_FORMAT)] = path
            except ValueError:
                continue
    return found


def auto_backup(
    db: peewee.Database | sqlite3.Connection,
    backup_dir: Path | str,
    *,
    keep: int = 10,
    min_interval: timedelta = timedelta(days=1),
    now: datetime | None = None,
) -> Path | None:
    """Make an automatic backup when one is due, then drop the oldest beyond ``keep``."""
    now = local_stamp(now)
    existing = automatic_backups(backup_dir)
    plan = plan_rotation(list(existing), now, keep=keep, min_interval=min_interval)
    made = None
    if plan.make_new:
        made = backup_to(db, Path(backup_dir) / file_name(None, now))
    for stamp in plan.delete:
        existing[stamp].unlink(missing_ok=True)
    return made


def _refuse(source: Path, why: str) -> StoreError:
    return StoreError(f"不能用“{source}”恢复：{why}。当前的数据库没有任何改动。")


def check_backup(source: Path | str) -> None:
    """Read the backup ``source`` through, read-only; raise :class:`StoreError` saying
    why it may not replace the database (damaged, unknown version, rows unreadable)."""
    source = Path(source)
    if not source.is_file():
        raise StoreError(f"找不到备份文件“{source}”。")
    try:
        info = inspect_file(source, newest=SCHEMA_VERSION, foreign_ok=True)
    except StoreError as error:
        raise _refuse(source, str(error).rstrip("。")) from error
    if info.version == 0 or "report" not in info.tables:
        raise StoreError(f"文件“{source}”不是本程序的数据库备份（里面没有报告数据），不能用于恢复。"
                         "当前的数据库没有任何改动。")
    try:
        conn = sqlite3.connect(read_only_uri(source, immutable=True), uri=True)
        try:
            problems = file_problems(conn, info.version)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise _refuse(source, sqlite_message(error, source).rstrip("。")) from error
    if problems:
        shown = "；".join(problems[:5]) + ("等" if len(problems) > 5 else "")
        raise _refuse(source, f"备份中的数据有损坏（{shown}）")


def _move_aside(db_path: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        companion = Path(f"{db_path}{suffix}")
        if companion.exists():
            replace(companion, Path(f"{target}{suffix}"))


def _preserve_current(db_path: Path, target: Path) -> None:
    """Back up the current database; a damaged one is moved aside whole instead."""
    conn = sqlite3.connect(db_path)
    try:
        backup_to(conn, target)
        return
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") not in _DAMAGED:
            raise
    finally:
        conn.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    _move_aside(db_path, target)


def restore_from(
    source_path: Path | str,
    db_path: Path | str,
    *,
    backup_dir: Path | str | None = None,
    now: datetime | None = None,
) -> Path | None:
    """Replace the database at ``db_path`` with the backup ``source_path``.

    The database must not be open in a ``Store`` while this runs. The current
    database is first saved as a ``before-restore`` backup, whose path is
    returned (``None`` when there was no database yet).
    """
    source, db_path = Path(source_path), Path(db_path)
    check_backup(source)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise StoreError("不能用正在使用的数据库文件恢复它自己，请选择备份文件夹中的备份。")
    lock = DatabaseLock(db_path)
    if db_path.exists() and not lock.acquire(exclusive=True):
        raise StoreError(f"数据库“{db_path}”正在被另一个 selfeval 窗口或命令使用，现在不能恢复。"
                         "请先关闭其他 selfeval 窗口、等待命令结束后再恢复；当前的数据库没有任何改动。")
    try:
        return _replace(source, db_path, backup_dir, now)
    finally:
        lock.release()


def _replace(source: Path, db_path: Path, backup_dir: Path | str | None,
             now: datetime | None) -> Path | None:
    safety = None
    if db_path.exists():
        safety = backup_path(backup_dir or default_backup_dir(db_path), "before-restore", now)
    try:
        if safety is not None:
            _preserve_current(db_path, safety)
        src = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            if db_path.exists():
                dest = sqlite3.connect(db_path)
                try:
                    src.backup(dest)
                finally:
                    dest.close()
            else:
                backup_to(src, db_path)
        finally:
            src.close()
    except sqlite3.Error as error:
        kept = f"恢复前的数据库保存在“{safety}”。" if safety and safety.exists() else ""
        raise StoreError(f"从“{source}”恢复数据库失败：{sqlite_message(error, db_path)}{kept}") from error
    return safety
