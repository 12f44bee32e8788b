"""Open and close the main window once, for the self-test of an installed program."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _needs_offscreen() -> bool:
    if sys.platform in ("win32", "darwin"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_and_close_main_window(db_path: Path) -> str:
    if _needs_offscreen():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..workspace import Workspace
    from .app import application
    from .main_window import MainWindow
    from .settings import open_settings

    app = application()
    workspace = Workspace.open(db_path)
    reports = len(workspace.store.reports())
    try:
        window = MainWindow(workspace, open_settings())
        window.show()
        app.processEvents()
        shown = window.isVisible()
        size = window.size()
        window.close()
        app.processEvents()
    finally:
        workspace.close()
    if not shown:
        raise RuntimeError("主窗口未能显示")
    return f"窗口 {size.width()}×{size.height()}，平台 {QApplication.platformName()}，列出 {reports} 份报告"
