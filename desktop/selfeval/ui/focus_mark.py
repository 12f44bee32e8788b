"""A visible mark on the button that has the keyboard focus.

Enter and Tab move from field to field and on to buttons (下一步, a list's 添加一项); the style
the program runs in may draw a focused tool button just like any other (Fusion does), and a
clerk then types into nothing she can see. Every push and tool button with the focus gets a
ring in the selection colour, over whatever the style draws."""
from __future__ import annotations

from PySide6.QtCore import QRectF  # not Qt: naming it makes PySide6 build its hundred-odd enums at start
from PySide6.QtGui import QBrush, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption

RING_WIDTH = 2


class FocusMarkStyle(QProxyStyle):
    """The system's own style, with the focus ring added."""

    def drawControl(self, element, option, painter, widget=None):  # noqa: N802 (Qt's name)
        super().drawControl(element, option, painter, widget)
        if element == QStyle.ControlElement.CE_PushButton and option.state & QStyle.StateFlag.State_HasFocus:
            _ring(option, painter)

    def drawComplexControl(self, control, option, painter, widget=None):  # noqa: N802
        super().drawComplexControl(control, option, painter, widget)
        if control == QStyle.ComplexControl.CC_ToolButton and option.state & QStyle.StateFlag.State_HasFocus:
            _ring(option, painter)


def _ring(option: QStyleOption, painter: QPainter) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Highlight), RING_WIDTH))
    painter.setBrush(QBrush())  # no fill
    inset = RING_WIDTH / 2 + 0.5
    painter.drawRoundedRect(QRectF(option.rect).adjusted(inset, inset, -inset, -inset), 3, 3)
    painter.restore()


def install(app: QApplication) -> None:
    """Once per application: its style gets the focus ring."""
    if not isinstance(app.style(), FocusMarkStyle):
        app.setStyle(FocusMarkStyle())
