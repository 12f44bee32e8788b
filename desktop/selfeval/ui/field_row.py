"""A row on a page: a field with its label, editor, help text and the message
under it, or a read-only value worked out from the fields above it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..form import Field, Form
from ..navigation import FieldItem, Shown, ShownItem, shown_label
from .field_widgets import NUMERIC_WIDTH, FieldEditor, editor_for
from .i18n import tr

COLOURS = {"error": "#b3261e", "warning": "#8a5300", "note": "#555555"}
CARRIED_MARK = "从上年报告转入，尚未修改"
MUTED = "#5a6b80"
LABEL_WIDTH = 230
TEXT_INSET = 5  # from a line edit's edge to its text: read-only values line up with typed ones


class SteadyLabel(QLabel):
    """A word-wrapped message that does not give back the room it took while its page is shown.

    Once shown, hidden or given a shorter text it keeps the height of the
    tallest text it has shown at the present width, so that the rows below it
    never move under the pointer when a message goes away (the form may grow
    when a message first appears, never shrink).  :meth:`release_room` gives
    the room back when the page is shown anew."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.shown_texts: list[str] = []

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        if text and text not in self.shown_texts:
            self.shown_texts.append(text)
            if not self.sizePolicy().retainSizeWhenHidden():
                policy = self.sizePolicy()
                policy.setRetainSizeWhenHidden(True)
                self.setSizePolicy(policy)
        super().setText(text)

    def release_room(self) -> None:
        """Forget the texts shown before: keep only the room of the one shown now."""
        self.shown_texts = [self.text()] if self.text() and not self.isHidden() else []
        if not self.shown_texts:
            policy = self.sizePolicy()
            policy.setRetainSizeWhenHidden(False)
            self.setSizePolicy(policy)
        self.updateGeometry()

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        own = super().heightForWidth(width)
        margins = self.contentsMargins()
        inner = max(1, width - margins.left() - margins.right())
        metrics = self.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap.value)
        tallest = max((metrics.boundingRect(0, 0, inner, 1 << 20, flags, text).height()
                       for text in self.shown_texts), default=0)
        return max(own, tallest + margins.top() + margins.bottom())


def message_label(parent: QWidget) -> QLabel:
    label = SteadyLabel(parent)
    label.hide()
    return label


def show_message(label: QLabel, text: str | None, severity: str = "error") -> None:
    if not text:
        label.hide()
        return
    mark = {"error": "✖ ", "warning": "⚠ "}.get(severity, "")
    label.setStyleSheet(f"color: {COLOURS[severity]};")
    label.setText(mark + text)
    label.show()


def row_label(text: str, parent: QWidget) -> QLabel:
    """The left column of a row, level with the text inside the editor beside it."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setFixedWidth(LABEL_WIDTH)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(0, 5, 0, 0)
    return label


def add_row(form: Form, item: FieldItem | ShownItem, grid: QGridLayout, parent: QWidget) -> FieldRow | ReadOnlyRow:
    """The next row of ``grid``: an editor for a field, a read-only row for anything shown."""
    if isinstance(item, FieldItem):
        return FieldRow(form, form.fields[item.field], grid, grid.rowCount(), parent)
    return ReadOnlyRow(shown_label(form, item), grid, grid.rowCount(), parent)


class FieldRow:
    """Puts one field into row ``row`` of ``grid``: label left, editor and messages right."""

    def __init__(self, form: Form, field: Field, grid: QGridLayout, row: int, parent: QWidget):
        self.field = field
        self.label = row_label(field.label + (" *" if field.required else ""), parent)
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
        self.carried = QLabel("↺ " + tr(CARRIED_MARK), holder)
        self.carried.setObjectName("carriedMark")
        self.carried.setStyleSheet(f"color: {COLOURS['warning']}; font-size: small;")
        self.carried.hide()
        box.addWidget(self.carried)
        self.message = message_label(holder)
        box.addWidget(self.message)
        self.label.setBuddy(self.editor)
        grid.addWidget(self.label, row, 0)
        grid.addWidget(holder, row, 1)

    def show_message(self, text: str | None, severity: str = "error") -> None:
        show_message(self.message, text, severity)

    def keep_room_for_carried(self) -> None:
        """In a report with texts carried over: the mark comes and goes, its line stays."""
        policy = self.carried.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.carried.setSizePolicy(policy)

    def release_room(self) -> None:
        """Give back the room of messages no longer shown (when the page is shown anew)."""
        if isinstance(self.message, SteadyLabel):
            self.message.release_room()

    def show_carried(self, carried: bool) -> None:
        """Mark a text carried over from last year's report and not changed since."""
        if self.carried.isHidden() == carried:
            self.carried.setVisible(carried)


class ReadOnlyRow:
    """A value worked out from other fields, in row ``row`` of ``grid``: muted,
    a figure lined up with the numbers typed above it, a note in words from the
    editors' left edge; never taking the keyboard focus."""

    def __init__(self, label: str, grid: QGridLayout, row: int, parent: QWidget):
        self.label = row_label(label, parent)
        self.label.setContentsMargins(0, 0, 0, 0)  # no editor frame beside it: close to the inputs above
        holder = QWidget(parent)
        self.box = QHBoxLayout(holder)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.value = SteadyLabel(holder)  # a long 待填写 note giving way to a figure leaves its room
        self.value.setObjectName("shownValue")
        self.unit = QLabel(holder)
        self.box.addWidget(self.value)
        self.box.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignTop)  # beside the figure's first line
        self.box.addStretch(1)
        for widget in (self.label, self.value, self.unit):
            widget.setStyleSheet(f"color: {MUTED};")
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        grid.addWidget(self.label, row, 0)
        grid.addWidget(holder, row, 1)

    def show(self, shown: Shown) -> None:
        note = shown.note
        self.value.setMinimumWidth(0 if note else NUMERIC_WIDTH)
        left, right = (TEXT_INSET, 0) if note else (0, TEXT_INSET)
        self.value.setContentsMargins(left, 0, right, 0)
        self.value.setAlignment((Qt.AlignmentFlag.AlignLeft if note else Qt.AlignmentFlag.AlignRight)
                                | Qt.AlignmentFlag.AlignTop)
        self.box.setStretch(0, 1 if note else 0)
        self.box.setStretch(2, 0 if note else 1)
        self.value.setText(shown.text)
        self.unit.setText(shown.unit)
        self.unit.setVisible(bool(shown.unit))

    def text(self) -> str:
        """The row as one line, as a person reads it: "编制数合计：19 人"."""
        unit = self.unit.text()
        return f"{self.label.text()}：{self.value.text()}" + (f" {unit}" if unit else "")
