"""Colour legends of the network views: one small bar per layer and the key to both scales.

Every bar is painted from `ColourScale.legend_gradient`, so it cannot disagree with the pixels.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_app.gui.colour_scale import ColourScale
from lenet_app.gui.language import Retranslating
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


class ColourLegend(Retranslating, QWidget):
    """The key to the two colour scales on one line; the tooltip says when each is used."""

    BAR_WIDTH = 44

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkColourLegend")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.retranslate()

    def retranslate(self) -> None:
        """The scales' names (the width follows them) and the explanation."""
        self._entries = (
            (ColourScale(True, 1.0), self.tr("negative · 0 · positive")),
            (ColourScale(False, 1.0), self.tr("0 … large")),
        )
        self._explanation = self.tr(
            "Blue, white, red: numbers that can be negative (before ReLU, after tanh) and kernel weights, "
            "blue below zero and red above. Black to yellow: numbers that are never negative (after ReLU). "
            "Each layer has its own range: its bar shows the numbers at both ends.")
        self.setAccessibleName(self.tr("Colour legend"))
        self.setAccessibleDescription(self._explanation)
        self.setToolTip(self._explanation)
        self.updateGeometry()
        self.update()

    def texts(self) -> list[str]:
        return [text for _, text in self._entries] + [self._explanation]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        metrics = self.fontMetrics()
        width = sum(self.BAR_WIDTH + 6 + metrics.horizontalAdvance(text) + 18 for _, text in self._entries)
        return QSize(width, metrics.height() + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        x = 0.5
        height = self.height()
        for scale, text in self._entries:
            bar = QRectF(x, height * 0.25, self.BAR_WIDTH, height * 0.5)
            painter.setPen(FRAME)
            painter.setBrush(scale.legend_gradient(QPointF(bar.left(), 0), QPointF(bar.right(), 0)))
            painter.drawRect(bar)
            x += self.BAR_WIDTH + 6
            width = metrics.horizontalAdvance(text) + 2
            painter.setPen(text_color)
            painter.drawText(QRectF(x, 0, width, height), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             text)
            x += width + 16
