"""Opening the SQLite file: pragmas, integrity check, schema version, migrating.

The schema version lives in ``PRAGMA user_version``; the steps from one
version to the next are in :mod:`.migrations`.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import peewee

from ..errors import RESTORE_HINT, log, os_message, sqlite_message
from ..files import fsync_dir, fsync_file, private_file, replace
from .backup_files import backup_path, backup_to, default_backup_dir
from .migrations import MIGRATIONS, SCHEMA_VERSION, TABLES, Migration, latest_version

BUSY_TIMEOUT_SECONDS = 10
PRAGMAS = (
    ("journal_mode", "wal"),
    ("synchronous", "full"),
    ("foreign_keys", 1),
    ("busy_timeout", BUSY_TIMEOUT_SECONDS * 1000),
)

class StoreError(Exception):
    """A problem with the local database, worded for the person using the program."""


class DatabaseTooNew(StoreError):
    pass


@dataclass(frozen=True)
class FileInfo:
    """An existing database file as found: its schema version and the names of its tables."""

    version: int
    tables: frozenset[str]


def _too_new(path: Path, version: int, newest: int) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"数据库文件“{path}”是由更新版本的程序保存的（数据格式第 {version} 版，"
        f"本程序只支持到第 {newest} 版）。请升级本程序后再打开；文件未作任何改动。"
    )


def _unreadable(path: Path, error: BaseException) -> StoreError:
    return StoreError(sqlite_message(error, path))


def sqlite_error(error: BaseException) -> BaseException:
    """The sqlite3 exception behind a peewee one (peewee re-raises inside ``except``)."""
    context = error.__context__
    return context if isinstance(context, sqlite3.Error) else error


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")


def _not_ours(path: Path, why: str) -> StoreError:
    return StoreError(f"文件“{path}”{why}，不是本程序的数据库，无法打开；文件未作任何改动。"
                      "如要新建数据库，请指定一个还不存在的文件名。")


def inspect_file(path: Path | str, *, newest: int = SCHEMA_VERSION, foreign_ok: bool = False) -> FileInfo:
    """Check an existing file without changing it: readable, intact, ours, not too new.

    A missing path gives version 0 (a new database may be made there); so does
    another program's SQLite file when ``foreign_ok``, else it is refused."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"“{path}”是一个文件夹，不是数据库文件，无法打开。")
    if not path.exists():
        return FileInfo(0, frozenset())
    if path.stat().st_size == 0:
        raise _not_ours(path, "是空文件（0 字节）")
    wal = Path(f"{path}-wal")
    had_wal = wal.exists() and wal.stat().st_size > 0  # reading a WAL database may make an empty one
    try:
        conn = sqlite3.connect(read_only_uri(path, immutable=not _writable_folder(path)), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > newest:
                raise _too_new(path, version, newest)
            if not had_wal and _cut_short(conn, path):
                raise StoreError(f"数据库文件“{path}”不完整（比它应有的长度短，可能复制时被截断），无法打开。"
                                 f"{RESTORE_HINT}")
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            names = frozenset(row[0] for row in tables)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise _unreadable(path, error) from error
    if problems != ["ok"]:
        detail = "；".join(problems[:3])[:300]
        log.warning("integrity check of %s: %s", path, detail)
        raise StoreError(f"数据库文件“{path}”未通过完整性检查，已损坏，无法打开。{RESTORE_HINT}")
    if version == 0 and not foreign_ok:
        raise _not_ours(path, "是另一个程序的 SQLite 数据库" if names else "是一个空的 SQLite 数据库")
    missing = sorted(TABLES.get(version, frozenset()) - names)
    if missing and not foreign_ok:
        raise StoreError(f"数据库文件“{path}”缺少数据表（{'、'.join(missing)}），不完整或已损坏，无法打开。"
                         f"{RESTORE_HINT}")
    return FileInfo(version, names)


def _cut_short(conn: sqlite3.Connection, path: Path) -> bool:
    """Shorter than its pages (ask only with no -wal file that could hold the rest)."""
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    size = path.stat().st_size
    return size % page_size != 0 or size < page_size * page_count


def _writable_folder(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def writable(path: Path) -> bool:
    """Whether the database at ``path`` (and its folder, for the -wal and -shm files) may be written."""
    return _writable_folder(path) and (not path.exists() or os.access(path, os.W_OK))


def _connect(target: Path | str, *, read_only: bool = False) -> peewee.SqliteDatabase:
    if read_only:
        uri = read_only_uri(Path(target), immutable=not _writable_folder(Path(target)))
        return peewee.SqliteDatabase(uri, uri=True, pragmas=(("query_only", 1), PRAGMAS[-1]),
                                     timeout=BUSY_TIMEOUT_SECONDS, autoconnect=False)
    return peewee.SqliteDatabase(str(target), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS,
                                 autoconnect=False)


def _create(path: Path, migrations: Sequence[Migration]) -> None:
    """Make a new database at ``path`` (missing): built under a temporary name, owner-only,
    then linked into place, so an interrupted start never leaves a half-made file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.creating-{uuid.uuid4().hex[:8]}")
    try:
        private_file(partial)
        db = _connect(partial)
        try:
            db.connect()
            migrate(db, migrations, backup_dir=partial.parent)
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        fsync_file(partial)
        try:
            os.link(partial, path)  # never over a file another process made meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                replace(partial, path)
        fsync_dir(path.parent)
    except sqlite3.Error as error:
        raise _unreadable(path, error) from error
    except peewee.DatabaseError as error:
        raise _unreadable(path, sqlite_error(error)) from error
    except OSError as error:
        raise StoreError(os_message(error, path, doing="创建数据库")) from error
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


def open_database(
    path: Path | str,
    *,
    backup_dir: Path | str | None = None,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> peewee.SqliteDatabase:
    """Open (creating or upgrading as needed) the database at ``path``.

    Only a missing path gets a new database.  A database that may not be
    written (read-only file or folder) is opened read-only: it can be read,
    listed and backed up elsewhere, not changed.
    """
    path = Path(path)
    newest = latest_version(migrations)
    info = inspect_file(path, newest=newest)
    if info.version == 0:
        _create(path, migrations)
    read_only = not writable(path)
    if read_only and info.version and info.version < newest:
        raise StoreError(f"数据库文件“{path}”由旧版本的程序保存，需要升级后才能使用，但它是只读的"
                         "（或所在文件夹不允许写入）。请把它复制到可以写入的位置后再打开；文件未作任何改动。")
    db = _connect(path, read_only=read_only)
    try:
        db.connect()
        if not read_only:
            migrate(db, migrations, backup_dir=backup_dir or default_backup_dir(path))
    except peewee.DatabaseError as error:
        db.close()
        raise _unreadable(path, sqlite_error(error)) from error
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
        log.error("migrating %s to version %s: %r", path, version, error)
        raise StoreError(
            f"数据库“{path}”升级到第 {version} 版时出错，已撤销全部升级，文件仍为第 {current} 版。"
            "详细信息已写入日志。"
        ) from error
    return target
