"""Opening the SQLite file: pragmas, integrity check, schema version, migrating.

The schema version lives in ``PRAGMA user_version``; the steps from one
version to the next are in :mod:`.migrations`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import peewee

from .backup_files import backup_path, backup_to, default_backup_dir
from .migrations import MIGRATIONS, SCHEMA_VERSION, Migration, latest_version

BUSY_TIMEOUT_SECONDS = 10
PRAGMAS = (
    ("journal_mode", "wal"),
    ("synchronous", "full"),
    ("foreign_keys", 1),
    ("busy_timeout", BUSY_TIMEOUT_SECONDS * 1000),
)

RESTORE_HINT = "请在“备份与恢复”中选择一个较早的备份进行恢复。"


class StoreError(Exception):
    """A problem with the local database, worded for the person using the program."""


class DatabaseTooNew(StoreError):
    pass


@dataclass(frozen=True)
class FileInfo:
    version: int
    tables: frozenset[str]


def _too_new(path: Path, version: int, newest: int) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"数据库文件“{path}”是由更新版本的程序保存的（数据格式第 {version} 版，"
        f"本程序只支持到第 {newest} 版）。请升级本程序后再打开；文件未作任何改动。"
    )


def _unreadable(path: Path, error: BaseException) -> StoreError:
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_NOTADB":
        return StoreError(f"文件“{path}”不是本程序的数据库文件（不是 SQLite 数据库），无法打开。")
    if name == "SQLITE_CORRUPT":
        return StoreError(f"数据库文件“{path}”已损坏，无法读取。{RESTORE_HINT}")
    return StoreError(f"无法打开数据库文件“{path}”：{error}")


def sqlite_error(error: BaseException) -> BaseException:
    """The sqlite3 exception behind a peewee one (peewee re-raises inside ``except``)."""
    context = error.__context__
    return context if isinstance(context, sqlite3.Error) else error


def read_only_uri(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"


def inspect_file(path: Path | str, *, newest: int = SCHEMA_VERSION) -> FileInfo:
    """Check an existing file without changing it: readable, intact, not too new."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"“{path}”是一个文件夹，不是数据库文件，无法打开。")
    if not path.exists() or path.stat().st_size == 0:
        return FileInfo(0, frozenset())
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > newest:
                raise _too_new(path, version, newest)
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            names = frozenset(row[0] for row in tables)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise _unreadable(path, error) from error
    if problems != ["ok"]:
        detail = "；".join(problems[:3])[:300]
        raise StoreError(f"数据库文件“{path}”未通过完整性检查，可能已损坏（{detail}）。{RESTORE_HINT}")
    return FileInfo(version, names)


def open_database(
    path: Path | str,
    *,
    backup_dir: Path | str | None = None,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> peewee.SqliteDatabase:
    """Open (creating or upgrading as needed) the database at ``path``."""
    path = Path(path)
    inspect_file(path, newest=latest_version(migrations))
    path.parent.mkdir(parents=True, exist_ok=True)
    db = peewee.SqliteDatabase(
        str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS, autoconnect=False
    )
    try:
        db.connect()
    except peewee.DatabaseError as error:
        raise _unreadable(path, sqlite_error(error)) from error
    try:
        migrate(db, migrations, backup_dir=backup_dir or default_backup_dir(path))
    except BaseException:
        db.close()
        raise
    return db


def migrate(
    db: peewee.SqliteDatabase,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    backup_dir: Path | str,
) -> int:
    """Bring ``db`` up to the last version in ``migrations``; returns that version.

    An existing database is backed up first. All pending steps run in one
    exclusive transaction, so a failing step leaves the file as it was.
    """
    target = latest_version(migrations)
    current = db.pragma("user_version")
    path = Path(db.database)
    if current > target:
        raise _too_new(path, current, target)
    pending = [(version, step) for version, step in migrations if version > current]
    if not pending:
        return current
    if current > 0:
        backup_to(db, backup_path(backup_dir, f"pre-migration-v{current}"))
    version = current
    try:
        with db.atomic(lock_type="EXCLUSIVE"):
            for version, step in pending:
                step(db)
                db.pragma("user_version", version)
    except Exception as error:
        raise StoreError(
            f"数据库“{path}”升级到第 {version} 版时出错，已撤销全部升级，文件仍为第 {current} 版。"
            f"（{error}）"
        ) from error
    return target
