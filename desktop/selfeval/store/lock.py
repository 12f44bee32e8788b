"""Who has the database open: every open ``Store`` holds a shared lock on
``<database>.lock``; restoring takes it exclusively, so a backup never
replaces a file another process is still writing into.

The operating system drops the locks of a process that ends, also when it is
killed, so a lock can never be left behind.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

from ..errors import log

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _SPAN = 1 << 20  # a shared holder locks one byte in here, an exclusive one all of it

    def _try(fd: int, exclusive: bool) -> bool:
        offsets = [0] if exclusive else random.sample(range(1, _SPAN), 8)
        for offset in offsets:
            os.lseek(fd, offset, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, _SPAN if exclusive else 1)
                return True
            except OSError:
                continue
        return False
else:
    import fcntl

    def _try(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def lock_path(db_path: Path | str) -> Path:
    return Path(f"{db_path}.lock")


class DatabaseLock:
    """A shared or exclusive hold on the database at ``db_path``; released on :meth:`release`."""

    def __init__(self, db_path: Path | str):
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self, *, exclusive: bool) -> bool:
        """``False`` when another holder prevents it; ``True`` also when the
        lock file cannot be made at all (a read-only folder: nobody writes there)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            log.info("no lock file %s: %s", self.path, error)
            return True
        if not _try(fd, exclusive):
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None
