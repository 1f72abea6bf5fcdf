"""Tooltips of the painted views: the text depends on the spot under the mouse, not the widget."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip, QWidget


def tooltip_event(widget: QWidget, event: QEvent, text_at: Callable[[QPoint], str]) -> bool:
    """Answer a ToolTip event with `text_at(position)` (none where it is empty); True if handled."""
    if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
        return False
    text = text_at(event.pos())
    if text:
        QToolTip.showText(event.globalPos(), text, widget)
    else:
        QToolTip.hideText()
        event.ignore()
    return True
