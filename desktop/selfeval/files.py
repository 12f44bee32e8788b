"""Durable file writes: a file is either absent or complete, also after a crash or a pulled stick."""
from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist), write ``data`` and sync it to the disk."""
    with open(path, "xb") as handle:
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


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``target`` under a temporary sibling name, sync it and rename it into place."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        write_new(partial, data)
        os.replace(partial, target)
        fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
