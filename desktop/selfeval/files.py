"""Durable file writes: a file is either absent or complete, also after a crash or a pulled stick."""
from __future__ import annotations

import os
import uuid
from pathlib import Path


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
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        write_new(partial, data, mode=mode)
        os.replace(partial, target)
        fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
