"""What the clerk is told when SQLite, the disk or a file's encoding fails: one
place that turns such errors into Chinese.  The original (English) text goes
to the log file (``logs/selfeval.log`` in the data folder) for whoever helps.
"""
from __future__ import annotations

import errno
import logging
from pathlib import Path

from .files import private_file

LOG_NAME = "selfeval.log"
RESTORE_HINT = "请在“备份与恢复”中选择一个较早的备份进行恢复。"

log = logging.getLogger("selfeval")


class PartlyDone(Exception):
    """A command did part of what was asked; the message says exactly what was
    written and what was not, in Chinese (exit status 1, not "nothing changed")."""


_handler: logging.FileHandler | None = None


def setup_logging(log_dir: Path) -> Path:
    """Log to ``log_dir/selfeval.log`` (owner-only), instead of any log file set before."""
    global _handler
    path = Path(log_dir) / LOG_NAME
    if _handler is not None and Path(_handler.baseFilename) == path.absolute():
        return path
    private_file(path)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if _handler is not None:
        log.removeHandler(_handler)
        _handler.close()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _handler = handler
    return path


def _original(error: BaseException) -> BaseException:
    """The sqlite3 exception behind a peewee one (peewee re-raises inside ``except``)."""
    import sqlite3  # loaded by then: the error came from it

    context = error.__context__
    if not isinstance(error, sqlite3.Error) and isinstance(context, sqlite3.Error):
        return context
    return error


def sqlite_message(error: BaseException, path: Path | str) -> str:
    """A Chinese sentence for a failed SQLite operation on the database at ``path``."""
    error = _original(error)
    log.warning("database %s: %s: %s", path, type(error).__name__, error)
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return (f"数据库文件“{path}”是只读的（或所在文件夹不允许写入），无法保存修改，本次未作修改。"
                "请把数据库放到可以写入的位置，或在文件属性中取消“只读”后重试。")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return (f"数据库“{path}”正被另一个 selfeval 窗口或命令使用，等待后仍未空闲，本次未作修改。"
                "请关闭其他正在使用它的 selfeval 后重试。")
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return f"磁盘空间不足，无法写入数据库“{path}”，本次未作修改。请清理磁盘空间后重试。"
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return (f"读写数据库“{path}”时磁盘出错（磁盘可能已满、U 盘已拔出或磁盘有故障），本次未作修改。"
                "请检查磁盘空间和连接后重试。")
    if name == "SQLITE_NOTADB":
        return f"文件“{path}”不是本程序的数据库文件（不是 SQLite 数据库），无法打开。"
    if name == "SQLITE_CORRUPT" or "malformed" in text or text.startswith("Could not decode"):
        return f"数据库文件“{path}”已损坏，无法读取。{RESTORE_HINT}"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return f"无法打开数据库文件“{path}”：文件夹不存在，或没有读写权限。"
    if name.startswith(("SQLITE_PERM", "SQLITE_AUTH")):
        return f"没有权限读写数据库文件“{path}”。"
    if text.startswith(("no such table", "no such column")):
        missing = text.split(":", 1)[-1].strip()
        return f"数据库文件“{path}”缺少“{missing}”，不完整或已损坏。{RESTORE_HINT}"
    return f"读写数据库“{path}”时出错，本次未作修改。详细信息已写入日志。"


def os_message(error: OSError, path: Path | str, *, doing: str = "写入") -> str:
    """A Chinese sentence for a failed file operation on ``path``."""
    log.warning("file %s: %s", path, error)
    code = error.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"磁盘空间不足，无法{doing}“{path}”。请清理空间或换一个 U 盘后重试。"
    if code in (errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO):
        return f"无法{doing}“{path}”：文件夹不存在，或磁盘、U 盘已拔出或损坏。"
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"无法{doing}“{path}”：目标是只读的或没有权限。请换一个位置，或检查 U 盘的写保护开关。"
    return f"无法{doing}“{path}”（系统错误代码 {code}，详细信息已写入日志）。"


def not_utf8(name: Path | str, error: UnicodeDecodeError | None = None) -> str:
    """The file is not UTF-8 (usually GBK, as older Windows programs save it)."""
    if error is not None:
        log.warning("file %s: %s", name, error)
    return (f"文件“{name}”不是 UTF-8 编码（可能是 GBK/ANSI 编码），无法读取，未作任何修改。"
            "请用记事本打开该文件，选择“文件 → 另存为”，在“编码”中选择“UTF-8”后保存，再重新导入。")
