"""One backup file: its name, and a consistent copy of a live database written into it.

File names carry the local time: ``selfeval-20250301-081500.sqlite3`` is an
automatic backup; every other kind has a word after ``selfeval-`` (``manual``,
``before-delete-r7``, ``pre-migration-v1``, ``before-restore``) and is never
removed by rotation.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

import peewee

from ..files import fsync_dir, fsync_file, private_file, replace

STAMP_FORMAT = "%Y%m%d-%H%M%S"
AUTOMATIC_NAME = re.compile(r"selfeval-(\d{8}-\d{6})\.sqlite3")


def default_backup_dir(db_path: Path | str) -> Path:
    """Where backups of the database at ``db_path`` go unless told otherwise."""
    return Path(db_path).parent / "backups"


def local_stamp(now: datetime | None = None) -> datetime:
    """Naive local time to the second, as used in backup file names."""
    now = now or datetime.now()
    if now.tzinfo is not None:
        now = now.astimezone().replace(tzinfo=None)
    return now.replace(microsecond=0)


def file_name(kind: str | None, when: datetime) -> str:
    """``selfeval-<kind>-<stamp>.sqlite3``, or ``selfeval-<stamp>.sqlite3`` without a kind."""
    parts = ["selfeval", kind, when.strftime(STAMP_FORMAT)]
    return "-".join(part for part in parts if part) + ".sqlite3"


def backup_path(directory: Path | str, kind: str, when: datetime | None = None) -> Path:
    """A fresh file name for a non-automatic backup; never an existing file."""
    directory = Path(directory)
    first = directory / file_name(kind, local_stamp(when))
    candidate, counter = first, 1
    while candidate.exists():
        candidate = first.with_name(f"{first.stem}-{counter}{first.suffix}")
        counter += 1
    return candidate


def backup_to(db: peewee.Database | sqlite3.Connection, target_path: Path | str) -> Path:
    """Copy a live database into ``target_path`` with the backup API.

    The copy is written under a temporary name, switched to a rollback journal
    (so it is one self-contained file), synced, then renamed into place.
    """
    source = db.connection() if isinstance(db, peewee.Database) else db
    target = Path(target_path)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        private_file(partial)
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        fsync_file(partial)
        replace(partial, target)
        fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
