"""Where the program keeps its data.

``SELFEVAL_HOME`` wins; otherwise a file named ``portable`` beside the
executable makes a portable install that keeps everything in ``data/`` next to
it; otherwise the usual per-user folder of the operating system.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Mapping

APP_NAME = "selfeval"
PORTABLE_MARKER = "portable"
DATABASE_NAME = "selfeval.sqlite3"


def ensure_dir(path: Path) -> Path:
    """Make ``path`` if missing; a folder made here is its owner's only (0700 on POSIX)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _home(environ: Mapping[str, str]) -> Path:
    return Path(environ["HOME"]) if environ.get("HOME") else Path.home()


def _user_dir(environ: Mapping[str, str], platform: str) -> Path:
    if platform.startswith("win"):
        appdata = environ.get("APPDATA")
        base = Path(appdata) if appdata else _home(environ) / "AppData" / "Roaming"
    elif platform == "darwin":
        base = _home(environ) / "Library" / "Application Support"
    else:
        xdg = environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else _home(environ) / ".local" / "share"
    return base / APP_NAME


def data_dir(
    *,
    environ: Mapping[str, str] | None = None,
    executable: str | os.PathLike | None = None,
    platform: str | None = None,
) -> Path:
    environ = os.environ if environ is None else environ
    override = environ.get("SELFEVAL_HOME", "").strip()
    if override:
        return ensure_dir(Path(override).expanduser())
    app_dir = Path(executable or sys.executable).parent
    if (app_dir / PORTABLE_MARKER).is_file():
        return ensure_dir(app_dir / "data")
    return ensure_dir(_user_dir(environ, platform or sys.platform))


def database_path(**where) -> Path:
    return data_dir(**where) / DATABASE_NAME


def backup_dir(**where) -> Path:
    return ensure_dir(data_dir(**where) / "backups")


def log_dir(**where) -> Path:
    return ensure_dir(data_dir(**where) / "logs")
