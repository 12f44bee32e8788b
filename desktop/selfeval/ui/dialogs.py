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
from .settings import keep_on_screen

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


TEXT_WIDTH = 480  # about what a message box gives its text
ROOM_FOR_BUTTONS = 160  # title bar, margins and the row of buttons under a message's text


def message_box(parent: QWidget | None, icon, title: str, text: str, buttons=None) -> QtWidgets.QMessageBox:
    """A message box that fits on the screen: a text too long for it (every problem that keeps a
    report from being finalised, say) scrolls above buttons that stay in view."""
    box = QtWidgets.QMessageBox(icon, title, text, parent=parent)
    if buttons is not None:
        box.setStandardButtons(buttons)
    _scroll_long_text(box)
    keep_on_screen(box)
    return box


def _scroll_long_text(box: QtWidgets.QMessageBox) -> None:
    label = box.findChild(QtWidgets.QLabel, "qt_msgbox_label")  # Qt's name for the message's text
    screen = (box.parentWidget() or box).screen() or QtGui.QGuiApplication.primaryScreen()
    layout = box.layout()
    if label is None or screen is None or not isinstance(layout, QtWidgets.QGridLayout):
        return
    room = screen.availableGeometry().height() - ROOM_FOR_BUTTONS
    label.setWordWrap(True)
    needed = label.heightForWidth(TEXT_WIDTH)
    if needed <= room:
        return
    row, column, rows, columns = layout.getItemPosition(layout.indexOf(label))
    layout.removeWidget(label)
    area = QtWidgets.QScrollArea(box)
    area.setObjectName("messageText")
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidgetResizable(True)
    area.setWidget(label)
    scrollbar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumSize(TEXT_WIDTH + scrollbar, max(room, 120))
    layout.addWidget(area, row, column, rows, columns)


def confirm(parent: QWidget, title: str, text: str) -> bool:
    button = QtWidgets.QMessageBox.StandardButton
    box = message_box(parent, QtWidgets.QMessageBox.Icon.Question, title, text, button.Yes | button.No)
    box.setDefaultButton(button.No)
    answer = box.exec()
    box.deleteLater()
    return answer == button.Yes


def choose(parent: QWidget, title: str, text: str, choices: list[tuple[str, str]]) -> str:
    """One of several answers: ``choices`` are (key, button text), the first the default; Esc
    gives the last."""
    box = message_box(parent, QtWidgets.QMessageBox.Icon.Warning, title, text)
    buttons = {box.addButton(label, QtWidgets.QMessageBox.ButtonRole.ActionRole): key for key, label in choices}
    first, last = list(buttons)[0], list(buttons)[-1]
    box.setDefaultButton(first)
    box.setEscapeButton(last)
    box.exec()
    answer = buttons.get(box.clickedButton(), choices[-1][0])
    box.deleteLater()
    return answer


def _tell(parent: QWidget | None, icon, title: str, text: str) -> None:
    box = message_box(parent, icon, title, text, QtWidgets.QMessageBox.StandardButton.Ok)
    box.exec()
    box.deleteLater()


def inform(parent: QWidget, title: str, text: str) -> None:
    _tell(parent, QtWidgets.QMessageBox.Icon.Information, title, text)


def warn(parent: QWidget, title: str, text: str) -> None:
    _tell(parent, QtWidgets.QMessageBox.Icon.Warning, title, text)


def error(parent: QWidget | None, title: str, text: str) -> None:
    """Something went wrong in the program itself (the crash handler's message)."""
    _tell(parent, QtWidgets.QMessageBox.Icon.Critical, title, text)


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """Several lines of text; Tab moves on to the buttons (Enter still starts a new line)."""
    dialog = QtWidgets.QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setOption(QtWidgets.QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    for box in dialog.findChildren(QtWidgets.QPlainTextEdit):
        box.setTabChangesFocus(True)
    for label in dialog.findChildren(QtWidgets.QLabel):  # a long question wraps, as in a message box
        label.setWordWrap(True)
        label.setMaximumWidth(TEXT_WIDTH)
    keep_on_screen(dialog)
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
