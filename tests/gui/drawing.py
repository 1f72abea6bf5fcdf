"""Drawing on the canvas as a user does: press, move through every point, release."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def draw_strokes(canvas, strokes, release: bool = True) -> None:
    """Real mouse events on `canvas`; points are fractions of its drawing square."""
    square = canvas.drawing_rect()

    def at(x: float, y: float) -> QPoint:
        return QPoint(round(square.left() + x * square.width()), round(square.top() + y * square.height()))

    for points in strokes:
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*points[0]))
        for x, y in points[1:]:
            QTest.mouseMove(canvas, at(x, y))
        if release:
            QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*points[-1]))
