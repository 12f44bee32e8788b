"""Typing into real widgets the way a person with a Chinese input method does."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

IME_PHRASE = 4  # characters committed at once, like picking a phrase in the input method


def commit(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_text(widget: QWidget, text: str) -> None:
    """ASCII as key clicks, Chinese as input-method commits, newlines as Enter."""
    run = ""

    def flush_run():
        nonlocal run
        for start in range(0, len(run), IME_PHRASE):
            commit(widget, run[start:start + IME_PHRASE])
        run = ""

    for char in text:
        if char == "\n":
            flush_run()
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif char.isascii() and char.isprintable():
            flush_run()
            QTest.keyClicks(widget, char)
        else:
            run += char
    flush_run()


def replace_text(widget: QWidget, text: str) -> None:
    """Click into the widget, select everything, type ``text``."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    if not widget.hasFocus():
        widget.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if not text:
        QTest.keyClick(widget, Qt.Key.Key_Delete)
        return
    type_text(widget, text)
