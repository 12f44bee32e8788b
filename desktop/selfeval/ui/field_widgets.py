"""One editor per field type.  Every editor hands back plain text, which the
session parses with :func:`selfeval.values.parse_input`; editors never decide
whether input is valid.

Signals: ``edited(field_id, text)`` on every change made by the person,
``left(field_id, text)`` when focus leaves the editor.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QDate, QLocale, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from ..form import DECIMAL_TYPES, INTEGER_TYPES, AdjustmentKind, Field, Form
from ..parsing import NO, UNANSWERED, YES, fold_marks, format_money, strip_item_number
from ..values import display
from .i18n import language, tr

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# A button Enter goes past when it moves from field to field (the wizard's 上一步: Enter, Enter from
# a page's last field goes on to 下一步 and presses it, never back a page).
ENTER_PASSES = "enterPasses"
# Focus that goes to another window or a context menu has not left the field.
_STAYING = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)
NUMERIC_TYPES = DECIMAL_TYPES | INTEGER_TYPES
NUMERIC_WIDTH = 220  # widest a number's line edit grows


def is_enter(event: QKeyEvent) -> bool:
    """Enter or Return, alone (the keypad's Enter too)."""
    return event.key() in _ENTER_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


def move_on(widget: QWidget) -> None:
    """Enter in a field: on to the next thing to fill in, as Tab goes, but past a button marked
    :data:`ENTER_PASSES`; arriving at a list's 添加一项, a list of lines starts its first item.
    ``widget``: one of ours in the window (Qt's focusNextChild moves on from the window's focus)."""
    widget.focusNextChild()
    for _ in range(3):
        focused = QApplication.focusWidget()
        if focused is None or not focused.property(ENTER_PASSES):
            break
        widget.focusNextChild()
    focused = QApplication.focusWidget()
    if isinstance(focused, AddButton):
        focused.reached_by_enter()


class _Line(QLineEdit):
    """A line edit that reports focus changes and moves on with Enter (or does ``on_enter``)."""

    focus_in = Signal()
    focus_out = Signal()
    on_enter: Callable[[], None] | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            (self.on_enter or (lambda: move_on(self)))()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focus_in.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() not in _STAYING:
            self.focus_out.emit()


class _Combo(QComboBox):
    focus_out = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS:
            move_on(self)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() not in _STAYING:
            self.focus_out.emit()


class PastingTextEdit(QPlainTextEdit):
    """Multi-line text where pasted line, page and cell marks (Word's \\x0b, \\x0c, \\x07…)
    arrive as the line breaks and tabs that :func:`selfeval.parsing.fold_marks` makes of them."""

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.insertPlainText(fold_marks(source.text()))
        else:
            super().insertFromMimeData(source)


class _Text(PastingTextEdit):
    focus_out = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() not in _STAYING:
            self.focus_out.emit()


class FieldEditor(QWidget):
    edited = Signal(str, str)
    left = Signal(str, str)

    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        self.field = field
        self.value: Any = None
        self._loading = False

    def text(self) -> str:
        raise NotImplementedError

    def show_value(self, value: Any) -> None:
        """Show a stored value without emitting ``edited``."""
        self.value = value
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def find_text(self, text: str, *, from_start: bool = False) -> bool:
        """Select the next ``text`` after the cursor (from the start when asked); False when none."""
        return False

    def _emit_edited(self, *_args) -> None:
        if not self._loading:
            self.edited.emit(self.field.id, self.text())

    def _emit_left(self, *_args) -> None:
        if not self._loading:
            self.left.emit(self.field.id, self.text())

    def _leave_when_focus_is_outside(self) -> None:
        """For editors made of several widgets: ``left`` only when focus leaves them all."""

        def check():
            focused = QApplication.focusWidget()
            if focused is None or not self.isAncestorOf(focused):
                self._emit_left()

        QTimer.singleShot(0, check)


class LineEditor(FieldEditor):
    """Single-line text and numbers (money, counts, percent, scores, years, codes)."""

    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(form, field, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line = _Line(self)
        layout.addWidget(self.line, 1)
        numeric = field.type in NUMERIC_TYPES
        if numeric:
            self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.line.setMaximumWidth(NUMERIC_WIDTH)
        if field.max_length and field.type == "text" and field.max_length <= 30:
            self.line.setMaximumWidth(320)
            layout.addStretch(0)
        suffix = _unit_text(field)
        if suffix:
            self.unit = QLabel(suffix, self)
            layout.addWidget(self.unit)
        if numeric:
            layout.addStretch(1)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._emit_edited)
        self.line.focus_out.connect(self._emit_left)
        self.line.focus_in.connect(self._on_focus_in)

    def text(self) -> str:
        return self.line.text()

    def _show(self, value: Any) -> None:
        self.line.setText(display(self.field, value))
        self.line.setCursorPosition(0)

    def _on_focus_in(self) -> None:
        # Money shows thousands separators only while not being edited.
        if self.field.type == "money" and self.value is not None and self.line.text() == display(self.field, self.value):
            self._loading = True
            self.line.setText(format_money(self.value, grouping=False))
            self._loading = False
            self.line.selectAll()

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)

    def find_text(self, text: str, *, from_start: bool = False) -> bool:
        return _select_in_line(self.line, text, from_start)

    def show_sum(self, total: Any) -> None:
        """A total left empty shows the sum of its parts, greyed, as worked out (``sum_of``)."""
        if total is None:
            self.line.setPlaceholderText(tr("不填时自动合计"))
            self.line.setToolTip("")
            return
        shown = display(self.field, int(total) if self.field.type == "count" else total)
        self.line.setPlaceholderText(f"{shown} {tr('自动合计')}")
        self.line.setToolTip(tr("未填写，按各项之和计算；如合计另有依据，可直接填写"))


def _select_in_line(line: QLineEdit, text: str, from_start: bool) -> bool:
    if from_start:
        start = 0
    else:
        start = line.selectionStart() + 1 if line.hasSelectedText() else line.cursorPosition()
    at = line.text().find(text, start)
    if at < 0:
        return False
    line.setFocus(Qt.FocusReason.OtherFocusReason)
    line.setSelection(at, len(text))
    return True


def _unit_text(field: Field) -> str:
    if field.type == "score" and field.maximum is not None:
        return f"{tr('分')}（{tr('满分')} {display(field, field.maximum)}）"
    if field.type == "percent":
        return "%"
    return field.unit if field.unit and field.unit != "%" else ""


class DateEditor(LineEditor):
    """A line edit taking 2023-01-15 or 2023年1月15日, with a calendar button."""

    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(form, field, parent)
        self.line.setPlaceholderText("2023年1月15日")
        self.line.setMaximumWidth(220)
        self.button = QToolButton(self)
        self.button.setText(tr("日历"))
        self.button.setToolTip(tr("选择日期"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.layout().insertWidget(1, self.button)
        self.layout().addStretch(1)
        self.calendar: QCalendarWidget | None = None
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._prepare_calendar)
        self.button.setMenu(self.menu)

    def _prepare_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self.menu)
            if language() == "zh_CN":
                self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            self.calendar.clicked.connect(self.pick)
            action = QWidgetAction(self.menu)
            action.setDefaultWidget(self.calendar)
            self.menu.addAction(action)
        if self.value is not None:
            self.calendar.setSelectedDate(QDate(self.value.year, self.value.month, self.value.day))

    def pick(self, day: QDate) -> None:
        self.menu.close()
        self.line.setText(f"{day.year()}年{day.month()}月{day.day()}日")
        self._emit_edited()
        self._emit_left()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.button.setEnabled(not read_only)


class LongTextEditor(FieldEditor):
    """Multi-line text with a live character count; Enter starts a new line."""

    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(form, field, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.edit = _Text(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(96)
        self.edit.setMaximumHeight(160)
        layout.addWidget(self.edit)
        self.count = QLabel(self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.count.setStyleSheet("color: #666;")
        layout.addWidget(self.count)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._changed)
        self.edit.focus_out.connect(self._emit_left)
        self._update_count()

    def text(self) -> str:
        return self.edit.toPlainText()

    def _show(self, value: Any) -> None:
        self.edit.setPlainText(display(self.field, value))
        self._update_count()

    def _changed(self) -> None:
        self._update_count()
        self._emit_edited()

    def _update_count(self) -> None:
        n = len(self.edit.toPlainText().strip())
        limit = f" / {self.field.max_length}" if self.field.max_length else ""
        self.count.setText(f"{n}{limit} {tr('字')}")

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def find_text(self, text: str, *, from_start: bool = False) -> bool:
        cursor = self.edit.textCursor()
        if from_start:
            cursor.setPosition(0)
        found = self.edit.document().find(text, cursor)
        if found.isNull():
            return False
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit.setTextCursor(found)
        self.edit.ensureCursorVisible()
        return True


class YesNoEditor(FieldEditor):
    CHOICES = ("", YES, NO)

    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(form, field, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = _Combo(self)
        self.combo.addItems([tr(UNANSWERED), tr(YES), tr(NO)])
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)
        self.combo.activated.connect(self._picked)
        self.combo.focus_out.connect(self._emit_left)

    def text(self) -> str:
        return self.CHOICES[max(self.combo.currentIndex(), 0)]

    def _show(self, value: Any) -> None:
        self.combo.setCurrentIndex(0 if value is None else (1 if value else 2))

    def _picked(self, _index: int) -> None:
        self._emit_edited()
        self._emit_left()

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)


class AddButton(QToolButton):
    """A list's 添加一项: Enter or Space adds an item; what is typed while it has the focus (a letter,
    or a word from the input method) starts a new item and goes into it instead of being lost."""

    def __init__(self, editor: RowListEditor):
        super().__init__(editor)
        self.editor = editor
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            self.click()
            return
        typed = event.text()
        if typed and typed.isprintable() and not typed.isspace() and self.isEnabled() and not (
                event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            self._into_new_item(event)
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802 (Qt's name)
        if (event.commitString() or event.preeditString()) and self.isEnabled():
            self._into_new_item(event)
            return
        super().inputMethodEvent(event)

    def _into_new_item(self, event) -> None:
        self.editor.add_row(None, focus=True)
        target = QApplication.focusWidget()
        if target is not None and target is not self:
            QApplication.sendEvent(target, event)

    def reached_by_enter(self) -> None:
        """Enter moved here from the field before: an empty list of lines starts its first item."""
        if isinstance(self.editor, LinesEditor) and not self.editor.rows and self.isEnabled():
            self.editor.add_row(None, focus=True)


class RowListEditor(FieldEditor):
    """A list of rows with add, remove, move up and move down."""

    def __init__(self, form: Form, field: Field, parent: QWidget | None = None):
        super().__init__(form, field, parent)
        self.read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(4)
        layout.addLayout(self.rows_box)
        self.anchor = QWidget(self)  # marks the place of the rows in the tab order
        # Qt ignores setTabOrder with a NoFocus widget; a 0×0 widget never gets a click
        self.anchor.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.anchor.setFixedSize(0, 0)
        self.add_button = AddButton(self)
        self.add_button.setText("＋ " + tr("添加一项"))
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_button.clicked.connect(lambda: self.add_row(None, focus=True))
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.rows: list[QWidget] = []

    # subclasses: the widgets of one row and its text
    def make_row(self, row: QWidget, layout: QHBoxLayout, item: Any) -> QWidget:
        raise NotImplementedError

    def row_text(self, row: QWidget) -> str:
        raise NotImplementedError

    def text(self) -> str:
        return "\n".join(self.row_text(row) for row in self.rows)

    def value_text(self, value: Any) -> str:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            return  # never rebuild the rows under the person's cursor
        if self.rows and self.text() == self.value_text(value or []):
            return
        for row in self.rows:
            self._drop(row)
        self.rows = []
        for item in value or []:
            self.add_row(item, focus=False)

    def _drop(self, row: QWidget) -> None:
        row.hide()
        self.rows_box.removeWidget(row)
        row.deleteLater()

    def _order_tabs(self) -> None:
        chain = [self.anchor]
        for row in self.rows:
            chain.extend(w for w in row.findChildren(QWidget)
                         if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.parent() is row)
        chain.append(self.add_button)
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def add_row(self, item: Any, *, focus: bool) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        first = self.make_row(row, layout, item)
        for symbol, tip, action in (("↑", tr("上移"), -1), ("↓", tr("下移"), 1), ("✕", tr("删除"), 0)):
            button = QToolButton(row)
            button.setText(symbol)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, r=row, a=action: self._row_action(r, a))
            button.setEnabled(not self.read_only)
            layout.addWidget(button)
        row.first = first
        self.rows.append(row)
        self.rows_box.addWidget(row)
        row.show()  # now, not on the next pass of the event loop: it may take the focus at once
        self._order_tabs()
        if focus:
            first.setFocus()
            self._emit_edited()
        return row

    def _row_action(self, row: QWidget, action: int) -> None:
        index = self.rows.index(row)
        if action == 0:
            self.rows.pop(index)
            self._drop(row)
        else:
            target = index + action
            if not 0 <= target < len(self.rows):
                return
            self.rows.insert(target, self.rows.pop(index))
            self.rows_box.removeWidget(row)
            self.rows_box.insertWidget(target, row)
            self._order_tabs()
        self._emit_edited()
        self._emit_left()

    def _connect_line(self, line: _Line) -> None:
        line.textEdited.connect(self._emit_edited)
        line.focus_out.connect(self._leave_when_focus_is_outside)

    def move_past(self) -> None:
        """On to the field after the list, past its 添加一项 (Tab still stops there)."""
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.add_button.focusNextChild()
        for _ in range(3):
            focused = QApplication.focusWidget()
            if focused is None or not focused.property(ENTER_PASSES):
                break
            self.add_button.focusNextChild()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.add_button.setEnabled(not read_only)
        for row in self.rows:
            for child in row.findChildren(QWidget):
                if isinstance(child, QLineEdit):
                    child.setReadOnly(read_only)
                else:
                    child.setEnabled(not read_only)


class LinesEditor(RowListEditor):
    """``lines``: one item per row.  Pasted lines become rows of their own, without
    the numbering they were pasted with; a row not being edited shows the start of its text."""

    def make_row(self, row: QWidget, layout: QHBoxLayout, item: Any) -> QWidget:
        line = _Line(row)
        line.on_enter = lambda r=row: self._enter(r)
        line.setText(item or "")
        line.setCursorPosition(0)
        line.setReadOnly(self.read_only)
        layout.addWidget(line, 1)
        row.line = line
        line.textChanged.connect(lambda _text, r=row: self._split_pasted(r))
        line.focus_out.connect(lambda l=line: l.setCursorPosition(0))
        self._connect_line(line)
        return line

    def _enter(self, row: QWidget) -> None:
        """Enter in an item: on to the next item; after the last, a new item, or — when the last is
        still empty — on past the list (the empty item dropped), as in a word processor's list."""
        if self.read_only:
            move_on(row.line)
        elif row is not self.rows[-1]:
            self.rows[self.rows.index(row) + 1].line.setFocus(Qt.FocusReason.TabFocusReason)
        elif row.line.text().strip():
            self.add_row(None, focus=True)
        else:
            self.move_past()
            self.rows.remove(row)
            self._drop(row)
            self._order_tabs()
            self._emit_edited()
            self._emit_left()

    def _split_pasted(self, row: QWidget) -> None:
        """Text with line breaks (pasted, dropped) is spread over this row and new ones after it."""
        text = row.line.text()
        if "\n" not in text and "\r" not in text:
            return
        items = [strip_item_number(piece) for piece in fold_marks(text).split("\n")]
        items = [item for item in items if item] or [""]
        row.line.blockSignals(True)
        row.line.setText(items[0])
        row.line.setCursorPosition(0)
        row.line.blockSignals(False)
        at = self.rows.index(row)
        for offset, item in enumerate(items[1:], 1):
            added = self.add_row(item, focus=False)
            self.rows.remove(added)
            self.rows.insert(at + offset, added)
            self.rows_box.removeWidget(added)
            self.rows_box.insertWidget(at + offset, added)
        self._order_tabs()
        last = self.rows[at + len(items) - 1].line
        last.setFocus(Qt.FocusReason.OtherFocusReason)
        last.setCursorPosition(len(last.text()))
        self._emit_edited()

    def row_text(self, row: QWidget) -> str:
        return row.line.text()

    def find_text(self, text: str, *, from_start: bool = False) -> bool:
        focused = QApplication.focusWidget()
        current = next((n for n, row in enumerate(self.rows) if row.line is focused), None)
        start = 0 if from_start or current is None else current
        for n, row in enumerate(self.rows[start:], start):
            if _select_in_line(row.line, text, from_start or n != current):
                return True
        return False

    def value_text(self, value: Any) -> str:
        return "\n".join(value)


def adjustment_example(kind: AdjustmentKind | None) -> str:
    """The description's placeholder, with the form's example for the kind when it gives one."""
    return f"说明，例如：{kind.example}" if kind is not None and kind.example else "说明"


class AdjustmentsEditor(RowListEditor):
    """``adjustments``: kind, level and description per row, from the form's rules."""

    def make_row(self, row: QWidget, layout: QHBoxLayout, item: Any) -> QWidget:
        rules = self.form.adjustments
        kinds = [k.name for k in rules.kinds] if rules else []
        row.kind = _Combo(row)
        row.kind.addItems(kinds)
        row.level = _Combo(row)
        row.description = _Line(row)

        def fill_levels(kind: str, keep: str | None = None) -> None:
            row.level.clear()
            found = rules.kind(kind) if rules else None
            row.level.addItems([name for name, _ in found.points] if found else [])
            if keep:
                row.level.setCurrentText(keep)
            row.description.setPlaceholderText(adjustment_example(found))

        if item:
            row.kind.setCurrentText(item["kind"])
            row.description.setText(item["description"])
        fill_levels(row.kind.currentText(), item["level"] if item else None)
        row.kind.activated.connect(lambda _i: (fill_levels(row.kind.currentText()), self._emit_edited()))
        row.level.activated.connect(self._emit_edited)
        for combo in (row.kind, row.level):
            combo.focus_out.connect(self._leave_when_focus_is_outside)
            combo.setEnabled(not self.read_only)
        row.description.setReadOnly(self.read_only)
        # Enter after the last item's description goes on past 添加一项 (Tab stops there to add one)
        row.description.on_enter = lambda r=row: self.move_past() if r is self.rows[-1] else move_on(r.description)
        self._connect_line(row.description)
        layout.addWidget(row.kind)
        layout.addWidget(row.level)
        layout.addWidget(row.description, 1)
        return row.kind

    def row_text(self, row: QWidget) -> str:
        return f"{row.kind.currentText()}/{row.level.currentText()}/{row.description.text()}"

    def value_text(self, value: Any) -> str:
        return "\n".join(f"{e['kind']}/{e['level']}/{e['description']}" for e in value)


EDITORS: dict[str, Callable[[Form, Field, QWidget | None], FieldEditor]] = {
    "longtext": LongTextEditor,
    "date": DateEditor,
    "yesno": YesNoEditor,
    "lines": LinesEditor,
    "adjustments": AdjustmentsEditor,
}


def editor_for(form: Form, field: Field, parent: QWidget | None = None) -> FieldEditor:
    if field.type == "rows":  # a table field: the table page (ui/rows_editor.py)
        from .rows_editor import RowsEditor
        return RowsEditor(form, field, parent)
    return EDITORS.get(field.type, LineEditor)(form, field, parent)
