"""Drawing on the canvas as a user does: press, move through every point, release."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

# Digits in units of the canvas side: (x, y) points, many per stroke so it is continuous.
ONE = [[(0.52, 0.14 + 0.72 * i / 40) for i in range(41)]]
SEVEN = [[(0.28 + 0.46 * i / 20, 0.18) for i in range(21)]
         + [(0.74 - 0.30 * i / 30, 0.18 + 0.68 * i / 30) for i in range(1, 31)]]
ZERO = [[(0.5 + 0.22 * math.sin(2 * math.pi * i / 60), 0.5 - 0.32 * math.cos(2 * math.pi * i / 60))
         for i in range(63)]]


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
