"""A field on a page: its label, editor, help text and the message under it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ..form import Field, Form
from .field_widgets import FieldEditor, editor_for

COLOURS = {"error": "#b3261e", "warning": "#8a5300", "note": "#555555"}
LABEL_WIDTH = 230


def message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def show_message(label: QLabel, text: str | None, severity: str = "error") -> None:
    if not text:
        label.hide()
        label.clear()
        return
    mark = {"error": "✖ ", "warning": "⚠ "}.get(severity, "")
    label.setStyleSheet(f"color: {COLOURS[severity]};")
    label.setText(mark + text)
    label.show()


class FieldRow:
    """Puts one field into row ``row`` of ``grid``: label left, editor and messages right."""

    def __init__(self, form: Form, field: Field, grid: QGridLayout, row: int, parent: QWidget):
        self.field = field
        title = field.label + (" *" if field.required else "")
        self.label = QLabel(title, parent)
        self.label.setWordWrap(True)
        self.label.setFixedWidth(LABEL_WIDTH)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.label.setContentsMargins(0, 5, 0, 0)  # level with the text inside the editor
        if field.required:
            self.label.setToolTip("必填")
        holder = QWidget(parent)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        self.editor: FieldEditor = editor_for(form, field, holder)
        box.addWidget(self.editor)
        if field.help:
            hint = QLabel(field.help, holder)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #666; font-size: small;")
            box.addWidget(hint)
        self.message = message_label(holder)
        box.addWidget(self.message)
        self.label.setBuddy(self.editor)
        grid.addWidget(self.label, row, 0)
        grid.addWidget(holder, row, 1)

    def show_message(self, text: str | None, severity: str = "error") -> None:
        show_message(self.message, text, severity)
