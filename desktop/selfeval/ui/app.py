"""Starting the desktop program: ``run(db_path)`` (used by the command line) and ``main``."""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, QFile, QIODevice, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from .. import argparse_zh, paths
from ..catalog import resources_dir
from ..streams import ensure_streams
from . import crash, dialogs, focus_mark
from .i18n import install_qt_translations, set_language, tr
from .main_window import BACKUP_FILTER, MainWindow
from .settings import open_settings

if TYPE_CHECKING:
    from ..workspace import Workspace

STARTED = "已显示报告列表"  # what --startup-check prints
FONT_FILE = Path("fonts") / "SelfevalSans-Regular.ttf"
FONT_POINT_SIZE = 10
_bundled_family: str | None = None  # "" once we know there is none


def load_bundled_font(app: QApplication) -> str | None:
    """Use the bundled font, so Chinese renders where no Chinese font is installed."""
    global _bundled_family
    if _bundled_family is None:
        _bundled_family = _add_bundled_font() or ""
    if _bundled_family:
        app.setFont(QFont(_bundled_family, FONT_POINT_SIZE))
    return _bundled_family or None


def _add_bundled_font() -> str | None:
    # from memory: a file replaced while running cannot break rendering; read by Qt into its own
    # buffer (7 MB), not into Python bytes copied once more
    file = QFile(str(resources_dir() / FONT_FILE))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        return None
    data = file.readAll()
    file.close()
    font_id = QFontDatabase.addApplicationFontFromData(data)
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, set up with our name, font and translations."""
    app = QApplication.instance()
    if app is None:  # Qt 6 scales by the screen's own factor (150 % stays 1.5: PassThrough)
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
        app.setApplicationName("selfeval")
        app.setOrganizationName("selfeval")
    settings = open_settings()
    set_language(str(settings.value("language", "zh_CN")))
    install_qt_translations(app)
    load_bundled_font(app)
    focus_mark.install(app)
    app.setApplicationDisplayName(dialogs.app_title())
    return app


def _show_error(title: str, text: str) -> None:
    try:
        dialogs.error(QApplication.activeWindow(), title, text)
    except Exception:  # the dialog itself must never raise from the excepthook
        print(f"{title}\n{text}", file=sys.stderr)


def open_workspace(db_path: Path | None = None) -> Workspace | None:
    """Open the database; when it cannot be opened, offer to restore it from a backup
    (again, until it opens or the person gives up: then ``None``)."""
    from ..store import StoreError, restore_from
    from ..store.backup_files import default_backup_dir
    from ..workspace import Workspace

    path = Path(db_path) if db_path else paths.database_path()
    while True:
        try:
            return Workspace.open(path)
        except StoreError as error:
            question = f"{error}\n\n{tr('要从备份恢复数据库吗？恢复前会先保存当前的数据库文件。')}"
            if not dialogs.confirm(None, tr("无法打开数据库"), question):
                return None
        source = dialogs.open_file(None, tr("恢复数据库"), default_backup_dir(path), BACKUP_FILTER)
        if source is None:
            return None
        try:
            restore_from(source, path)
        except StoreError as error:
            dialogs.warn(None, tr("恢复数据库"), str(error))


def run(db_path: Path | None = None, *, startup_check: bool = False) -> int:
    """Open the database (the usual one when ``db_path`` is None) and show the main window.
    ``startup_check``: once the report list is shown, say so on standard output and quit."""
    # Until the list is shown, Python's cyclic garbage collector would run some fifty times over
    # objects that all stay (modules, classes, the form files): it is paused, and what start-up
    # made is then frozen (left out of later collections) instead of all being looked at once more.
    gc.disable()
    app = application()
    try:
        log_dir = paths.log_dir()
    except OSError:  # no data folder (a full or read-only disk): log beside the other temporary files
        log_dir = Path(tempfile.gettempdir())
    log_path = crash.setup_logging(log_dir)
    previous_crash = crash.take_previous_crash(log_dir)
    crash.enable_faulthandler(log_dir)
    crash.install_excepthook(log_path, _show_error)
    # the window first; the database, the forms and the list once it has been drawn
    window = MainWindow(None, open_settings())
    window.show()

    def attach() -> None:
        try:
            workspace = open_workspace(db_path)
            if workspace is None:
                app.exit(1)
                return
            window.attach(workspace)
        finally:
            gc.freeze()
            gc.enable()
        if startup_check:
            print(STARTED, flush=True)
            app.quit()
            return
        window.offer_recovery()
        if previous_crash is not None:
            dialogs.warn(window, tr("程序出错"),
                         f"{tr('上次运行时程序意外退出。')}\n{tr('详细信息已写入日志文件：')}\n{previous_crash}")

    after_first_paint(window, attach)
    try:
        return app.exec()
    finally:
        gc.enable()  # also when the window closed before the database was opened
        if window.wizard is not None:
            window.wizard.shutdown()
        if window.workspace is not None:
            window.workspace.close()


class _FirstPaint(QObject):
    """Calls ``action`` once, from the event loop, after ``widget`` was first painted."""

    def __init__(self, widget, action: Callable[[], None], fallback_ms: int):
        super().__init__(widget)
        self.action, self.done = action, False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self.fire)  # a window that is never painted (minimised) still opens

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            QTimer.singleShot(0, self.fire)
        return False

    def fire(self) -> None:
        if not self.done:
            self.done = True
            self.parent().removeEventFilter(self)
            self.action()


def after_first_paint(widget, action: Callable[[], None], fallback_ms: int = 500) -> None:
    """Run ``action`` as soon as ``widget`` has been drawn once (at the latest after ``fallback_ms``)."""
    _FirstPaint(widget, action, fallback_ms)


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    parser = argparse_zh.ArgumentParser(prog="selfeval-gui", description="部门整体支出绩效自评（图形界面）")
    parser.add_argument("--db", type=Path, metavar="文件", help="数据库文件（默认使用数据目录中的数据库）")
    parser.add_argument("--startup-check", action="store_true",
                        help=f"显示报告列表后立即退出并输出“{STARTED}”：检查程序能否启动，测量启动时间")
    return parser


def main(argv: list[str] | None = None) -> int:
    ensure_streams()  # selfeval-gui.exe is a windowed program: no sys.stdout or sys.stderr
    args = build_parser().parse_args(argv)
    return run(args.db, startup_check=args.startup_check)


if __name__ == "__main__":
    sys.exit(main())
