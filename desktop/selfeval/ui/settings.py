"""Window geometry and preferences, kept in an INI file beside the data."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from .. import paths

SETTINGS_NAME = "selfeval.ini"


def open_settings() -> QSettings:
    return QSettings(str(paths.data_dir() / SETTINGS_NAME), QSettings.Format.IniFormat)


def restore_geometry(settings: QSettings, key: str, widget: QWidget) -> bool:
    saved = settings.value(key)
    return bool(saved) and widget.restoreGeometry(saved)


def save_geometry(settings: QSettings, key: str, widget: QWidget) -> None:
    settings.setValue(key, widget.saveGeometry())
    settings.sync()
