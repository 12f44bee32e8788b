"""Durable file writes: a file is either absent or complete, also after a crash or a pulled stick."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

# Windows refuses to replace or rename a file another process holds open for a moment (a virus
# scanner, the search indexer, a backup tool): ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION,
# ERROR_LOCK_VIOLATION.  Such a rename is tried again, for at most RETRY_SECONDS in all.
TRANSIENT_WINERRORS = frozenset({5, 32, 33})
RETRY_SECONDS = 2.0
_FIRST_PAUSE = 0.02


def is_transient(error: OSError) -> bool:
    """True for the Windows errors that mean "held by another process just now"."""
    return isinstance(error, PermissionError) and getattr(error, "winerror", None) in TRANSIENT_WINERRORS


def retrying(action: Callable[[], None], *, budget: float = RETRY_SECONDS,
             sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
    """Run ``action``; while it fails with a transient Windows error, wait a little longer and again.

    After ``budget`` seconds the last error is raised; any other error at once."""
    deadline, pause = clock() + budget, _FIRST_PAUSE
    while True:
        try:
            action()
            return
        except OSError as error:
            left = deadline - clock()
            if not is_transient(error) or left <= 0:
                raise
            sleep(min(pause, left))
            pause *= 2


def replace(source: Path, target: Path) -> None:
    """``os.replace``, tried again while another process briefly holds one of the files (Windows)."""
    retrying(lambda: os.replace(source, target))


def rename(source: Path, target: Path) -> None:
    """``os.rename``, tried again while another process briefly holds one of the files (Windows)."""
    retrying(lambda: os.rename(source, target))


def write_new(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Create ``path`` (it must not exist), write ``data`` and sync it to the disk.

    ``mode`` (less the umask) applies on POSIX: 0o600 for the owner's eyes only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in ``directory`` durable (not possible on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Write ``target`` under a temporary sibling name, sync it and rename it into place."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial-{os.urandom(4).hex()}")
    try:
        write_new(partial, data, mode=mode)
        replace(partial, target)
        fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def private_file(path: Path, mode: int = 0o600) -> Path:
    """Create ``path`` empty if it is missing, readable by its owner only (on POSIX)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, mode))
    except FileExistsError:
        pass
    return Path(path)
