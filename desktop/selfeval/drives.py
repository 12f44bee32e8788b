"""Removable drives (USB sticks, memory cards) to offer as export targets.

Windows: the drive letters whose ``GetDriveTypeW`` is ``DRIVE_REMOVABLE``.
Linux: the writable mount points under ``/media/$USER``, ``/run/media/$USER``
and ``/media``, read from ``/proc/mounts``.  The parsing takes its inputs as
arguments, so it is tested with made-up mount tables and drive types.
"""
from __future__ import annotations

import getpass
import os
import string
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

DRIVE_REMOVABLE = 2  # GetDriveTypeW
SEM_FAILCRITICALERRORS = 1
MOUNTS = Path("/proc/mounts")


@dataclass(frozen=True)
class Drive:
    path: Path
    name: str  # volume label or folder name; may be empty

    @property
    def label(self) -> str:
        """How the drive is offered: ``可移动磁盘 KINGSTON（E:\\）``."""
        name = f" {self.name}" if self.name else ""
        return f"可移动磁盘{name}（{self.path}）"


def _unescape(field: str) -> str:
    r"""Undo the octal escapes of /proc/mounts (``\040`` for a space, ``\134`` for a backslash)."""
    out, i = [], 0
    while i < len(field):
        chunk = field[i + 1:i + 4]
        if field[i] == "\\" and len(chunk) == 3 and all(c in "01234567" for c in chunk):
            out.append(chr(int(chunk, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def linux_mount_roots(user: str) -> tuple[PurePosixPath, ...]:
    roots = [PurePosixPath("/media", user), PurePosixPath("/run/media", user)] if user else []
    return (*roots, PurePosixPath("/media"))


def linux_removable(mounts: str, user: str) -> list[Drive]:
    """Writable mount points directly inside a removable-media folder, in table order."""
    roots = linux_mount_roots(user)
    found: list[Drive] = []
    seen: set[PurePosixPath] = set()
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        point = PurePosixPath(_unescape(parts[1]))
        if "ro" in parts[3].split(","):
            continue
        if point in roots or point.parent not in roots or point in seen:
            continue
        seen.add(point)
        found.append(Drive(Path(str(point)), point.name))
    return found


def windows_removable(logical_drives: int, drive_type: Callable[[str], int],
                      volume_name: Callable[[str], str] | None = None) -> list[Drive]:
    """Drive letters set in the ``GetLogicalDrives`` mask whose type is removable."""
    found = []
    for bit, letter in enumerate(string.ascii_uppercase):
        if not logical_drives & (1 << bit):
            continue
        root = f"{letter}:\\"
        if drive_type(root) != DRIVE_REMOVABLE:
            continue
        name = volume_name(root) if volume_name else ""
        found.append(Drive(Path(root), name or ""))
    return found


def _windows() -> list[Drive]:
    import ctypes

    kernel32 = ctypes.windll.kernel32

    def volume_name(root: str) -> str:
        buffer = ctypes.create_unicode_buffer(261)
        ok = kernel32.GetVolumeInformationW(ctypes.c_wchar_p(root), buffer, len(buffer),
                                            None, None, None, None, 0)
        return buffer.value if ok else ""

    previous = kernel32.SetErrorMode(SEM_FAILCRITICALERRORS)  # no "insert a disk" box for an empty slot
    try:
        found = windows_removable(kernel32.GetLogicalDrives(),
                                  lambda root: kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)), volume_name)
        return [drive for drive in found if drive.path.exists()]
    finally:
        kernel32.SetErrorMode(previous)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "")


def removable_drives() -> list[Drive]:
    """The removable drives of this computer that exist now; never raises."""
    try:
        if sys.platform == "win32":
            return _windows()
        if sys.platform.startswith("linux"):
            text = MOUNTS.read_text(encoding="utf-8", errors="replace")
            return [d for d in linux_removable(text, _user()) if d.path.is_dir()]
    except (OSError, AttributeError, ValueError):
        return []
    return []
