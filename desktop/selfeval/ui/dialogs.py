"""Every modal question the program asks, and every hand-over to another
program, in one place (tests replace these).

The Qt classes are looked up when a question is asked: PySide6 makes a class's Python
enums the first time the class is named, and the window should not pay for dialogs at start.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from .i18n import tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def confirm(parent: QWidget, title: str, text: str) -> bool:
    button = QtWidgets.QMessageBox.StandardButton
    answer = QtWidgets.QMessageBox.question(parent, title, text, button.Yes | button.No, button.No)
    return answer == button.Yes


def choose(parent: QWidget, title: str, text: str, choices: list[tuple[str, str]]) -> str:
    """One of several answers: ``choices`` are (key, button text), the first the default; Esc
    gives the last."""
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, title, text, parent=parent)
    buttons = {box.addButton(label, QtWidgets.QMessageBox.ButtonRole.ActionRole): key for key, label in choices}
    first, last = list(buttons)[0], list(buttons)[-1]
    box.setDefaultButton(first)
    box.setEscapeButton(last)
    box.exec()
    answer = buttons.get(box.clickedButton(), choices[-1][0])
    box.deleteLater()
    return answer


def inform(parent: QWidget, title: str, text: str) -> None:
    QtWidgets.QMessageBox.information(parent, title, text)


def warn(parent: QWidget, title: str, text: str) -> None:
    QtWidgets.QMessageBox.warning(parent, title, text)


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """Several lines of text; Tab moves on to the buttons (Enter still starts a new line)."""
    dialog = QtWidgets.QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setOption(QtWidgets.QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    for box in dialog.findChildren(QtWidgets.QPlainTextEdit):
        box.setTabChangesFocus(True)
    ok = dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted
    text = dialog.textValue()
    dialog.deleteLater()
    return text.strip() if ok and text.strip() else None


def open_file(parent: QWidget, title: str, folder: Path, pattern: str) -> Path | None:
    name, _ = QtWidgets.QFileDialog.getOpenFileName(parent, title, str(folder), pattern)
    return Path(name) if name else None


def open_file_near(parent: QWidget, title: str, typed: str, pattern: str) -> Path | None:
    """:func:`open_file` starting in the folder of a path typed in a field (or the home folder)."""
    current = Path(typed.strip()).expanduser() if typed.strip() else Path.home()
    return open_file(parent, title, current if current.is_dir() else current.parent, pattern)


def save_file(parent: QWidget, title: str, suggested: Path, pattern: str) -> Path | None:
    name, _ = QtWidgets.QFileDialog.getSaveFileName(parent, title, str(suggested), pattern)
    return Path(name) if name else None


def pick_folder(parent: QWidget, title: str, folder: Path) -> Path | None:
    name = QtWidgets.QFileDialog.getExistingDirectory(parent, title, str(folder))
    return Path(name) if name else None


def show_folder(folder: Path) -> bool:
    """Open a local folder in the file manager (Explorer on Windows)."""
    return QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(folder)))


def app_title() -> str:
    return tr("部门整体支出绩效自评")
