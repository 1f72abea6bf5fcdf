"""Pictures from files, the clipboard or the Dataset tab, made ready for the canvas.

A picture becomes the canvas background as light ink on dark, framed like an MNIST digit, so
it is predicted exactly like a drawing and strokes added on top match its scale.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from lenet_app.core.preprocess import BOX, SIZE

#: Pictures with a longer side are reduced to it first: the canvas shows no more detail, the
#: network needs far less, and a camera photo would otherwise take a noticeable moment.
MAX_PICTURE_SIDE = 2048


def framed_digit(ink: np.ndarray) -> np.ndarray:
    """Crop the ink and centre it in a square with MNIST's margin (digit = 20/28 of the side).

    A picture then fills the canvas the way a drawn digit would, so strokes added on top
    match its scale whatever the picture's size or margins.
    """
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    height, width = crop.shape
    side = max(math.ceil(max(height, width) * SIZE / BOX), 1)
    square = np.zeros((side, side), dtype=np.uint8)
    top, left = (side - height) // 2, (side - width) // 2
    pixels = (crop * np.float32(255.0) + np.float32(0.5)).astype(np.uint8)
    square[top:top + height, left:left + width] = pixels
    return square


def reduced(image):
    """A huge PIL picture shrunk to MAX_PICTURE_SIDE (area-averaged); anything else unchanged."""
    if isinstance(image, Image.Image) and max(image.size) > MAX_PICTURE_SIDE:
        try:
            image = image.copy()
            image.thumbnail((MAX_PICTURE_SIDE, MAX_PICTURE_SIDE), Image.Resampling.BOX)
        except (ValueError, OSError):
            pass  # a mode Pillow cannot resize: the core reads it at full size instead
    return image
