"""What happens when something goes wrong: a log file, a crash file, a dialog.

Uncaught Python exceptions are written to ``logs/selfeval.log`` and shown in
a dialog naming that file.  Fatal crashes (segfaults, aborts) are written by
:mod:`faulthandler` into ``logs/crash.log``; if that file holds anything at
the next start, the person is told once and the file is set aside.  Nothing
is ever sent anywhere.
"""
from __future__ import annotations

import faulthandler
import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Callable, TextIO

from .. import errors, files

LOG_NAME = errors.LOG_NAME
CRASH_NAME = "crash.log"

log = logging.getLogger("selfeval")
_crash_file: TextIO | None = None


def setup_logging(log_dir: Path) -> Path:
    return errors.setup_logging(log_dir)


def take_previous_crash(log_dir: Path) -> Path | None:
    """A crash file left by the last run, moved aside so it is reported only once."""
    path = log_dir / CRASH_NAME
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        kept = log_dir / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.replace(kept)
        return kept
    except OSError:
        return None


def enable_faulthandler(log_dir: Path) -> Path:
    global _crash_file
    path = log_dir / CRASH_NAME
    if _crash_file is None:
        _crash_file = open(files.private_file(path), "a", encoding="utf-8")
    faulthandler.enable(_crash_file, all_threads=True)
    return path


def is_known_problem(error: BaseException) -> bool:
    """Problems to tell the person about (disk, database), as opposed to bugs."""
    from ..store import StoreError  # loaded by then: a crash comes after the database opened

    return isinstance(error, (StoreError, OSError))


def install_excepthook(log_path: Path, show: Callable[[str, str], None]) -> None:
    """``show(title, text)`` displays the dialog; it must not raise."""

    def hook(kind, error, tb):
        text = "".join(traceback.format_exception(kind, error, tb))
        log.error("uncaught exception\n%s", text)
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        from .i18n import tr

        if is_known_problem(error):
            show(tr("操作未能完成"), str(error))
        else:
            show(tr("程序出错"), f"{kind.__name__}: {error}\n\n{tr('详细信息已写入日志文件：')}\n{log_path}")

    sys.excepthook = hook
