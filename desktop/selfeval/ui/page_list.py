"""The side list of pages with a coloured mark for each page's state."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ..navigation import Page, PageState
from .i18n import tr

STATE_COLOURS = {
    PageState.NOT_STARTED: "#b0b7c0",
    PageState.IN_PROGRESS: "#3b7dd8",
    PageState.COMPLETE: "#2e7d32",
    PageState.WARNINGS: "#e69500",
    PageState.ERRORS: "#c62828",
}
SECTION_ROLE = Qt.ItemDataRole.UserRole + 1
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


class PageList(QListWidget):
    def __init__(self, pages: tuple[Page, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setIconSize(QSize(14, 14))
        self.setWordWrap(True)
        self.states: dict[str, PageState] = {}
        for page in pages:
            indent = "" if page.title == page.section_title or page.part is None else "  "
            item = QListWidgetItem(indent + page.title, self)
            item.setData(Qt.ItemDataRole.UserRole, page.id)
            section = page.section_title if page.title != page.section_title and page.part is not None else ""
            item.setData(SECTION_ROLE, section)

    def show_states(self, states: dict[str, PageState]) -> None:
        for row in range(self.count()):
            item = self.item(row)
            state = states[item.data(Qt.ItemDataRole.UserRole)]
            if self.states.get(item.data(Qt.ItemDataRole.UserRole)) is state:
                continue
            item.setIcon(state_icon(state))
            item.setStatusTip(tr(state.label))
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tr(state.label))
            item.setToolTip("\n".join(filter(None, [item.data(SECTION_ROLE), f"{tr('状态')}：{tr(state.label)}"])))
        self.states = dict(states)
