"""Colour legends of the network views: one small bar per layer and the key to both scales.

Every bar is painted from `ColourScale.legend_gradient`, so it cannot disagree with the pixels.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_app.gui.colour_scale import ColourScale
from lenet_app.gui.style import FRAME, MUTED_TEXT


def number(value: float, decimals: int = 2) -> str:
    """A value as the network views print it: fixed decimals, a true minus sign, no "−0.00"."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{decimals}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return text.replace("-", "\u2212")


def small_font(base: QFont, scale: float = 0.85) -> QFont:
    """The font of numbers and labels painted inside the views."""
    font = QFont(base)
    font.setPointSizeF(max(font.pointSizeF() * scale, 6.0))
    return font


def paint_scale_bar(painter: QPainter, rect: QRectF, scale: ColourScale, text_color=None) -> None:
    """A legend for `scale` in `rect`: its low end as text, the gradient bar, its high end."""
    painter.save()
    metrics = painter.fontMetrics()
    low, high = number(scale.low), number(scale.high)
    low_w = metrics.horizontalAdvance(low) + 4
    high_w = metrics.horizontalAdvance(high) + 4
    bar_h = min(rect.height(), metrics.height() * 0.7)
    bar = QRectF(rect.left() + low_w, rect.center().y() - bar_h / 2,
                 max(rect.width() - low_w - high_w, 8.0), bar_h)
    painter.setPen(text_color if text_color is not None else MUTED_TEXT)
    painter.drawText(QRectF(rect.left(), rect.top(), low_w - 3, rect.height()),
                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, low)
    painter.drawText(QRectF(bar.right() + 3, rect.top(), high_w, rect.height()),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, high)
    painter.setPen(FRAME)
    painter.setBrush(scale.legend_gradient(QPointF(bar.left(), 0), QPointF(bar.right(), 0)))
    painter.drawRect(bar)
    painter.restore()


class ColourLegend(QWidget):
    """The key to the two colour scales, in words a student can follow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkColourLegend")
        self._entries = (
            (ColourScale(True, 1.0), self.tr("negative · zero · positive: numbers that can be "
                                             "negative (before ReLU, after tanh) and kernel weights")),
            (ColourScale(False, 1.0), self.tr("zero … large: numbers that are never negative "
                                              "(after ReLU)")),
        )
        self.setAccessibleName(self.tr("Colour legend"))
        self.setAccessibleDescription(" ".join(text for _, text in self._entries))
        self.setToolTip(self.tr("Each layer has its own range: its bar shows the numbers at "
                                "both ends of its colours."))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def texts(self) -> list[str]:
        return [text for _, text in self._entries]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(600, self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        metrics = self.fontMetrics()
        return QSize(200, math.ceil(metrics.height() * 1.3) * 2 + 2)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        line = math.ceil(metrics.height() * 1.3)
        bar_w = 54
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        for row, (scale, text) in enumerate(self._entries):
            top = 1 + row * line
            bar = QRectF(0.5, top + line * 0.2, bar_w, line * 0.6)
            painter.setPen(FRAME)
            painter.setBrush(scale.legend_gradient(QPointF(bar.left(), 0), QPointF(bar.right(), 0)))
            painter.drawRect(bar)
            painter.setPen(text_color)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.width() - bar_w - 10)
            painter.drawText(QRectF(bar_w + 8, top, self.width() - bar_w - 8, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
