"""The side list of pages with a coloured mark for each page's state, under the headings of the
form's chapters that hold several pages (一、部门的基本情况 over its （一）（二）（三））."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ..navigation import Page, PageState, in_chapter, side_list
from .i18n import tr

STATE_COLOURS = {
    PageState.NOT_STARTED: "#b0b7c0",
    PageState.IN_PROGRESS: "#3b7dd8",
    PageState.COMPLETE: "#2e7d32",
    PageState.WARNINGS: "#e69500",
    PageState.ERRORS: "#c62828",
}
SECTION_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_ROLE = Qt.ItemDataRole.UserRole + 2  # a page's index in the wizard; headings have none
INDENT = "  "
_icons: dict[PageState, QIcon] = {}


def state_icon(state: PageState) -> QIcon:
    if state not in _icons:
        pixmap = QPixmap(32, 32)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(STATE_COLOURS[state])
        if state is PageState.NOT_STARTED:
            painter.setPen(colour)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
        painter.drawEllipse(4, 4, 24, 24)
        painter.end()
        _icons[state] = QIcon(pixmap)
    return _icons[state]


def _empty_icon() -> QIcon:
    """A heading's icon: as wide as a state mark, so its text lines up with the pages' texts."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    return QIcon(pixmap)


class PageList(QListWidget):
    """Rows are the pages, and above the pages of a chapter of several pages its heading, which
    cannot be chosen (the arrow keys and the mouse pass it by). ``page_chosen`` gives the page's index."""

    page_chosen = Signal(int)

    def __init__(self, pages: tuple[Page, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setIconSize(QSize(14, 14))
        self.setWordWrap(True)
        self.states: dict[str, PageState] = {}
        self.page_rows: list[int] = []  # page index → row
        for entry in side_list(pages):
            if isinstance(entry, str):
                self._heading(entry)
                continue
            grouped = in_chapter(entry)
            item = QListWidgetItem((INDENT if grouped else "") + entry.title, self)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setData(PAGE_ROLE, len(self.page_rows))
            item.setData(SECTION_ROLE, entry.section_title if grouped else "")
            self.page_rows.append(self.row(item))
        self.currentRowChanged.connect(self._row_changed)

    def _heading(self, title: str) -> QListWidgetItem:
        item = QListWidgetItem(title, self)
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # neither chosen nor greyed: drawn in the text's colour below
        item.setForeground(self.palette().text())
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        item.setIcon(_empty_icon())
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tr("章节标题"))
        return item

    def moveCursor(self, action, modifiers):  # noqa: N802 (Qt's name)
        """Home (and any move Qt would end on a heading) goes on to the nearest page that way."""
        index = super().moveCursor(action, modifiers)
        row = index.row()
        if not index.isValid() or self.page_at(row) is not None:
            return index
        moves = QAbstractItemView.CursorAction
        backwards = action in (moves.MoveUp, moves.MovePageUp, moves.MoveEnd, moves.MovePrevious, moves.MoveLeft)
        rows = [r for r in self.page_rows if (r < row if backwards else r > row)]
        if not rows:
            rows = [r for r in self.page_rows if r != row]
        target = min(rows, key=lambda r: abs(r - row)) if rows else row
        return self.model().index(target, 0)

    def page_at(self, row: int) -> int | None:
        """The index of the page shown in ``row``; None for a heading."""
        item = self.item(row)
        return item.data(PAGE_ROLE) if item is not None else None

    def show_page(self, index: int) -> None:
        """Mark page ``index`` as the current one, without asking for it again."""
        row = self.page_rows[index]
        if self.currentRow() != row:
            self.blockSignals(True)
            self.setCurrentRow(row)
            self.blockSignals(False)

    def _row_changed(self, row: int) -> None:
        index = self.page_at(row)
        if index is not None:
            self.page_chosen.emit(index)

    def show_states(self, states: dict[str, PageState]) -> None:
        for row in self.page_rows:
            item = self.item(row)
            state = states[item.data(Qt.ItemDataRole.UserRole)]
            if self.states.get(item.data(Qt.ItemDataRole.UserRole)) is state:
                continue
            item.setIcon(state_icon(state))
            item.setStatusTip(tr(state.label))
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tr(state.label))
            item.setToolTip("\n".join(filter(None, [item.data(SECTION_ROLE), f"{tr('状态')}：{tr(state.label)}"])))
        self.states = dict(states)
