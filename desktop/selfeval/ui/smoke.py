"""The self-test's Qt steps: the main window opened and closed once, and Qt's text data."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _needs_offscreen() -> bool:
    if sys.platform in ("win32", "darwin"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# the offscreen platform says this for every window it shows; it is no fault of the program's
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def _quiet_offscreen() -> None:
    from PySide6.QtCore import qInstallMessageHandler

    def handler(kind, context, message):
        if message == OFFSCREEN_NOISE:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def open_and_close_main_window(db_path: Path) -> str:
    if _needs_offscreen():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _quiet_offscreen()
    from PySide6.QtWidgets import QApplication

    from ..workspace import Workspace
    from .app import application
    from .main_window import MainWindow
    from .settings import open_settings

    app = application()
    if QApplication.translate("QPlatformTheme", "Cancel") != "取消":  # Qt found its own folders
        raise RuntimeError("未能载入 Qt 自带的中文翻译（对话框按钮会是英文）")
    workspace = Workspace.open(db_path)
    reports = workspace.store.reports()
    try:
        window = MainWindow(workspace, open_settings())
        window.show()
        app.processEvents()
        shown = window.isVisible()
        size = window.size()
        pages = _visit_every_page(window, reports[0].id) if reports else 0
        window.close()
        app.processEvents()
    finally:
        workspace.close()
    if not shown:
        raise RuntimeError("主窗口未能显示")
    return (f"窗口 {size.width()}×{size.height()}，平台 {QApplication.platformName()}，"
            f"列出 {len(reports)} 份报告，打开第一份并显示了全部 {pages} 个页面")


def _visit_every_page(window, report_id: int) -> int:
    """Open the report in the wizard and show each of its pages once."""
    from PySide6.QtWidgets import QApplication

    wizard = window.open_report(report_id)
    pages = wizard.navigator.pages
    for page in pages:
        wizard.go_to(page.id)
        QApplication.processEvents()
        if not wizard.current_view().isVisible():
            raise RuntimeError(f"页面“{page.title}”未能显示")
    window.show_list()
    return len(pages)


def check_text_data() -> str:
    """Qt's collation and code-page data (ICU on Linux, which the bundle carries cut down): Chinese
    sorts by pinyin, as the file dialog lists names, and every code page Qt lists can be opened."""
    from PySide6.QtCore import QCollator, QLocale, QStringConverter, QStringDecoder

    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    names = sorted(["北京", "安徽", "重庆"], key=collator.sortKey)
    if names != ["安徽", "北京", "重庆"]:
        raise RuntimeError(f"中文排序不是按拼音：{'、'.join(names)}")
    codecs = QStringConverter.availableCodecs()
    broken = [name for name in codecs if not QStringDecoder(name).isValid()]
    if broken:
        raise RuntimeError(f"这些编码无法使用：{'、'.join(broken[:10])}")
    return f"中文按拼音排序，{len(codecs)} 种编码均可用"
