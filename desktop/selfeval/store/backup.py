"""Automatic backups and their rotation, and restoring the database from a backup.

How backup files are named and written is in :mod:`.backup_files`.
"""

from __future__ import annotations

import os
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
from .database import StoreError, inspect_file, read_only_uri
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


def _check_restorable(source: Path) -> None:
    if not source.is_file():
        raise StoreError(f"找不到备份文件“{source}”。")
    info = inspect_file(source, newest=SCHEMA_VERSION)
    if "report" not in info.tables:
        raise StoreError(f"文件“{source}”不是本程序的数据库备份（里面没有报告数据），不能用于恢复。")


def _move_aside(db_path: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        companion = Path(f"{db_path}{suffix}")
        if companion.exists():
            os.replace(companion, Path(f"{target}{suffix}"))


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
    _check_restorable(source)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise StoreError("不能用正在使用的数据库文件恢复它自己，请选择备份文件夹中的备份。")
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
        raise StoreError(f"从“{source}”恢复数据库失败：{error}。{kept}") from error
    return safety
