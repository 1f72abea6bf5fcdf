"""Numbers as colours, written once: feature maps, kernels and attribution heat maps.

A signed quantity (a convolution's sum, a tanh, a kernel weight, an attribution) uses a
diverging scale centred on zero: blue below, white at zero, red above. A non-negative one (after
ReLU) uses a sequential scale from black to bright yellow, so "off" reads as dark as MNIST's
background. Every view that colours numbers draws its legend with `legend_gradient`, so the
legend and the pixels can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QLinearGradient

# Anchor colours (R, G, B) of the two scales, from their low end to their high end.
_DIVERGING = np.array([(0x21, 0x66, 0xAC), (0x92, 0xC5, 0xDE), (0xF7, 0xF7, 0xF7),
                       (0xF4, 0xA5, 0x82), (0xB2, 0x18, 0x2B)], dtype=np.float32)
_SEQUENTIAL = np.array([(0x00, 0x00, 0x00), (0x3B, 0x0F, 0x70), (0x8C, 0x29, 0x81),
                        (0xDE, 0x49, 0x68), (0xFE, 0x9F, 0x6D), (0xFC, 0xFD, 0xBF)], dtype=np.float32)


def _table(anchors: np.ndarray) -> np.ndarray:
    """256 colours interpolated between the anchors: a lookup table indexed by a uint8."""
    positions = np.linspace(0.0, 1.0, len(anchors))
    steps = np.linspace(0.0, 1.0, 256)
    return np.stack([np.interp(steps, positions, anchors[:, c]) for c in range(3)], axis=1).astype(np.uint8)


_TABLES = {True: _table(_DIVERGING), False: _table(_SEQUENTIAL)}


@dataclass(frozen=True)
class ColourScale:
    """A mapping from numbers to colours: [-limit, +limit] when signed, else [0, limit]."""

    signed: bool
    limit: float

    @classmethod
    def for_values(cls, values: np.ndarray, signed: bool | None = None) -> "ColourScale":
        """The scale that spans `values` (symmetric about zero if any value is negative)."""
        values = np.asarray(values)
        if signed is None:
            signed = bool(values.size and values.min() < 0)
        limit = float(np.abs(values).max()) if values.size else 0.0
        return cls(signed, limit if limit > 1e-12 else 1.0)

    @property
    def low(self) -> float:
        return -self.limit if self.signed else 0.0

    @property
    def high(self) -> float:
        return self.limit

    def indices(self, values: np.ndarray) -> np.ndarray:
        """Each value's position on the scale, 0–255 (clipped)."""
        position = (np.asarray(values, dtype=np.float32) - self.low) / (self.high - self.low)
        return np.clip(np.rint(position * 255.0), 0, 255).astype(np.uint8)

    def rgb(self, values: np.ndarray) -> np.ndarray:
        """(…, 3) uint8 colours of `values`."""
        return _TABLES[self.signed][self.indices(values)]

    def color(self, value: float) -> QColor:
        r, g, b = (int(v) for v in self.rgb(np.array([value]))[0])
        return QColor(r, g, b)

    def image(self, values: np.ndarray, alpha: np.ndarray | None = None) -> QImage:
        """An RGB (or, with `alpha` 0–255, RGBA) QImage of a 2-D array, one pixel per value."""
        values = np.asarray(values)
        if values.ndim != 2:
            raise ValueError(f"expected a 2-D array, got shape {values.shape}")
        rgb = self.rgb(values)
        if alpha is None:
            pixels = np.ascontiguousarray(rgb)
            fmt = QImage.Format.Format_RGB888
        else:
            pixels = np.ascontiguousarray(np.dstack([rgb, np.asarray(alpha, dtype=np.uint8)]))
            fmt = QImage.Format.Format_RGBA8888
        height, width = values.shape
        return QImage(pixels.data, width, height, pixels.strides[0], fmt).copy()

    def legend_gradient(self, start: QPointF, stop: QPointF) -> QLinearGradient:
        """The scale as a gradient from `start` (low end) to `stop` (high end), for legends."""
        gradient = QLinearGradient(start, stop)
        table = _TABLES[self.signed]
        for position in np.linspace(0.0, 1.0, 9):
            r, g, b = (int(v) for v in table[int(round(position * 255))])
            gradient.setColorAt(float(position), QColor(r, g, b))
        return gradient
