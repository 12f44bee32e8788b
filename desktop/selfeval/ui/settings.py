"""Window geometry and preferences, kept in an INI file beside the data."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

from .. import paths

SETTINGS_NAME = "selfeval.ini"
FRAME_ALLOWANCE = QSize(16, 40)  # a window manager's borders and title bar, before the window is shown


def open_settings() -> QSettings:
    return QSettings(str(paths.data_dir() / SETTINGS_NAME), QSettings.Format.IniFormat)


def restore_geometry(settings: QSettings, key: str, widget: QWidget, preferred: QSize) -> None:
    """The saved geometry, or ``preferred``; either way the window fits on the screen it opens on
    (an office laptop has 1366 × 768, and a size saved on a larger monitor must not hide the
    wizard's buttons below the screen's edge)."""
    saved = settings.value(key)
    if not (saved and widget.restoreGeometry(saved)):
        widget.resize(preferred)
    fit_to_screen(widget)


def fit_to_screen(widget: QWidget, *, move: bool = True) -> None:
    """Shrink ``widget`` (a window) to the free room of its screen, and (unless not to ``move`` it)
    move it wholly onto it."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    room: QRect = screen.availableGeometry()
    frame = widget.frameGeometry().size() - widget.geometry().size()  # title bar and borders, once shown
    if frame.isEmpty():  # not shown yet: leave room for a title bar and borders
        frame = FRAME_ALLOWANCE
    width = min(widget.width(), room.width() - frame.width())
    height = min(widget.height(), room.height() - frame.height())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    if not move:
        return
    box = widget.frameGeometry()
    x = min(max(box.x(), room.left()), room.right() - box.width() + 1)
    y = min(max(box.y(), room.top()), room.bottom() - box.height() + 1)
    if (x, y) != (box.x(), box.y()):
        widget.move(x, y)


class _FitWhenShown(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            # a dialog is then centred over its parent and kept on the screen by Qt, at the size set
            # here; moved by us it would no longer be centred
            fit_to_screen(watched, move=not isinstance(watched, QDialog))
        return False


def keep_on_screen(widget: QWidget, preferred: QSize | None = None) -> None:
    """Every window and dialog but the main one (which keeps its geometry: :func:`restore_geometry`):
    ``preferred`` size (or its own) cut down to the screen, and fitted again each time it is shown
    (a dialog's size is known only then, when its contents ask for more than the screen has)."""
    if preferred is not None:  # else Qt gives it the size its contents ask for when first shown
        widget.resize(preferred)
        fit_to_screen(widget, move=not isinstance(widget, QDialog))
    widget.installEventFilter(_FitWhenShown(widget))


def save_geometry(settings: QSettings, key: str, widget: QWidget) -> None:
    settings.setValue(key, widget.saveGeometry())
    settings.sync()
