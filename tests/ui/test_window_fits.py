"""The main window fits on the screen it opens on, whatever size was saved or preferred."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from selfeval.ui.settings import open_settings, restore_geometry


def test_the_preferred_size_shrinks_to_the_screen(qtbot, home):
    room = QGuiApplication.primaryScreen().availableGeometry()
    widget = QWidget()
    qtbot.addWidget(widget)
    restore_geometry(open_settings(), "nothing-saved", widget, QSize(room.width() + 400, room.height() + 300))
    assert widget.width() <= room.width() and widget.height() <= room.height()
    assert room.contains(widget.frameGeometry())


def test_a_geometry_saved_on_a_larger_monitor_is_brought_back_on_screen(qtbot, home):
    room = QGuiApplication.primaryScreen().availableGeometry()
    big = QWidget()
    qtbot.addWidget(big)
    big.setGeometry(room.width() + 200, 50, room.width() * 2, room.height() * 2)
    settings = open_settings()
    settings.setValue("geometry/test", big.saveGeometry())
    assert isinstance(settings.value("geometry/test"), QByteArray)
    widget = QWidget()
    qtbot.addWidget(widget)
    restore_geometry(settings, "geometry/test", widget, QSize(100, 100))
    assert widget.width() <= room.width() and widget.height() <= room.height()
    assert room.contains(widget.frameGeometry())


def test_the_main_window_opens_within_the_screen(window):
    room = QGuiApplication.primaryScreen().availableGeometry()
    assert room.contains(window.frameGeometry())
