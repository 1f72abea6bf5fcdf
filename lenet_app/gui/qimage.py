"""numpy ↔ QImage, written once: every picture the GUI shows or reads goes through here."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage


def gray_qimage(pixels: np.ndarray) -> QImage:
    """A Grayscale8 QImage of a 2-D uint8 array, copied (the array may change afterwards)."""
    array = np.ascontiguousarray(pixels, dtype=np.uint8)
    height, width = array.shape
    return QImage(array.data, width, height, array.strides[0], QImage.Format.Format_Grayscale8).copy()


def gray_array(image: QImage) -> np.ndarray:
    """A 2-D uint8 *view* of a Grayscale8 QImage without its row padding (no per-pixel loop);
    copy it before the image changes."""
    height, width, stride = image.height(), image.width(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, :width]


def rgba_array(image: QImage, max_side: int | None = None) -> np.ndarray:
    """RGBA pixels (H, W, 4) of any QImage, a copy, transparency kept for the core to interpret;
    shrunk first (smoothly, keeping the aspect) when a side exceeds `max_side`."""
    if max_side is not None and max(image.width(), image.height()) > max_side:
        image = image.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    height, width, stride = image.height(), image.width(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, :width * 4].reshape(height, width, 4).copy()
