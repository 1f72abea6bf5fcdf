"""A drawing as data, and painting it into an image of any size.

Strokes are points in units of the canvas side, so the same drawing can be painted into the
screen image (whatever the widget's size and device pixel ratio) and into the fixed image
predictions read; a picture under the strokes is prepared once for each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QPainter, QPen

from lenet_app.gui.qimage import gray_array, gray_qimage
from lenet_app.gui.style import INK, PAPER

#: Side of the image predictions read: ten times MNIST's 28 px, so 1/12-side strokes come
#: out MNIST-thick after the core scales the digit down.
INPUT_SIDE = 280


def pressure_factor(pressure: float) -> float:
    """Pen pressure modulates the width only slightly (±25 %): MNIST strokes are even."""
    return 0.75 + 0.5 * min(max(pressure, 0.0), 1.0)


@dataclass
class Stroke:
    """One pen-down…pen-up gesture; coordinates are fractions of the canvas side."""

    width: float
    points: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y, pressure)


@dataclass
class Picture:
    """A picture under the strokes: light ink on dark, square, centred on the canvas."""

    image: QImage  # Grayscale8, as given: smoothed when shown
    for_input: QImage  # the same at INPUT_SIDE, prepared so the core reads it as the array
    fraction: float  # of the canvas side it covers

    @classmethod
    def from_pixels(cls, pixels: np.ndarray) -> Picture:
        """A small picture (a 28×28 MNIST digit) is enlarged for the network by a whole factor
        with square pixels, which the core's area-averaging undoes exactly: the canvas then
        reads an MNIST digit just as the core reads the raw array."""
        array = np.ascontiguousarray(pixels, dtype=np.uint8)
        side = array.shape[0]
        if side <= INPUT_SIDE:
            factor = INPUT_SIDE // side
            enlarged = np.ascontiguousarray(np.repeat(np.repeat(array, factor, 0), factor, 1))
            return cls(gray_qimage(array), gray_qimage(enlarged), side * factor / INPUT_SIDE)
        for_input = gray_qimage(array).scaled(  # area-averaged, like the core
            INPUT_SIDE, INPUT_SIDE, Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation)
        return cls(gray_qimage(array), for_input, 1.0)

    def for_screen(self, side_px: int) -> QImage:
        """The picture at its share of a `side_px` screen image, smoothed."""
        size = max(round(side_px * self.fraction), 1)
        if size > self.image.width():
            # Bicubic: Qt's bilinear enlargement of a 28 px digit shows diamond artefacts.
            array = gray_array(self.image)
            enlarged = np.asarray(Image.fromarray(array).resize((size, size), Image.Resampling.BICUBIC))
            return gray_qimage(np.ascontiguousarray(enlarged))
        return self.image.scaled(size, size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)


def paint_dot(painter: QPainter, stroke: Stroke, index: int, side: float) -> None:
    x, y, pressure = stroke.points[index]
    radius = stroke.width * side * pressure_factor(pressure) / 2.0
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(INK)
    painter.drawEllipse(QPointF(x * side, y * side), radius, radius)


def paint_segment(painter: QPainter, stroke: Stroke, index: int, side: float) -> None:
    x0, y0, p0 = stroke.points[index - 1]
    x1, y1, p1 = stroke.points[index]
    width = stroke.width * side * pressure_factor((p0 + p1) / 2.0)
    painter.setPen(QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    painter.drawLine(QPointF(x0 * side, y0 * side), QPointF(x1 * side, y1 * side))


def paint_latest(image: QImage, stroke: Stroke) -> None:
    """Add just the newest dot or segment of `stroke` to `image`: O(1) per mouse move."""
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = image.width() / image.devicePixelRatio()
    index = len(stroke.points) - 1
    if index == 0:
        paint_dot(painter, stroke, 0, side)
    else:
        paint_segment(painter, stroke, index, side)
    painter.end()


def render(image: QImage, strokes: list[Stroke], background: QImage | None) -> None:
    """Paint the whole drawing into `image` afresh: the background (pre-scaled to the pixel,
    drawn 1:1 and centred), then every stroke."""
    image.fill(PAPER)
    painter = QPainter(image)
    ratio = image.devicePixelRatio()
    side = image.width() / ratio
    if background is not None:
        offset = (image.width() - background.width()) // 2 / ratio
        background = QImage(background)  # shares the pixels
        background.setDevicePixelRatio(ratio)
        painter.drawImage(QPointF(offset, offset), background)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for stroke in strokes:
        paint_dot(painter, stroke, 0, side)
        for index in range(1, len(stroke.points)):
            paint_segment(painter, stroke, index, side)
    painter.end()
