"""The explanation page's content without matplotlib: the page's measures, small multiples as one
array each (tiles side by side, NaN between them, so one image draws a whole layer), and the
texts. `explain_figure` draws what this module lays out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lenet_app.core.activations import ConvKernels
from lenet_app.core.attribution import IG_STEPS, OCCLUSION_STRIDE, OCCLUSION_WINDOW, Attribution

PAGE_WIDTH = 12.0  # inches
MARGIN = 0.45
LABEL_WIDTH = 1.75  # the column naming each row
CONTENT_LEFT = MARGIN + LABEL_WIDTH
CONTENT_WIDTH = PAGE_WIDTH - MARGIN - CONTENT_LEFT
MAPS_PER_LINE = 16  # cnn-bn's 32 maps take two lines
UNITS_PER_LINE = 64
MAP_TILE = 0.62  # the largest a feature map is drawn, inches
KERNEL_TILE = 0.42
UNIT_CELL = 0.17


@dataclass(frozen=True)
class Mosaic:
    """Tiles in one 2-D array (NaN in the gaps) and the size of one of its pixels on the page."""

    values: np.ndarray
    inch: float  # inches per array pixel

    @property
    def width(self) -> float:
        return self.values.shape[1] * self.inch

    @property
    def height(self) -> float:
        return self.values.shape[0] * self.inch


def tiled(tiles: np.ndarray, per_line_max: int, gap: int | None = None) -> tuple[np.ndarray, int]:
    """(N, H, W) tiles side by side, at most `per_line_max` on a line, in even lines."""
    count, height, width = tiles.shape
    lines = math.ceil(count / per_line_max)
    per_line = math.ceil(count / lines)
    gap = max(1, round(max(height, width) / 6)) if gap is None else gap
    mosaic = np.full((lines * height + (lines - 1) * gap, per_line * width + (per_line - 1) * gap),
                     np.nan, dtype=np.float32)
    for index in range(count):
        row, column = divmod(index, per_line)
        r0, c0 = row * (height + gap), column * (width + gap)
        mosaic[r0 : r0 + height, c0 : c0 + width] = tiles[index]
    return mosaic, per_line


def _fit(values: np.ndarray, per_line: int, tile_pixels: int, largest: float) -> Mosaic:
    """Tiles as large as `largest` inches, smaller when a line would not fit the page."""
    line_pixels = values.shape[1]
    inch = min(largest / tile_pixels, CONTENT_WIDTH / line_pixels)
    return Mosaic(values, inch)


def map_mosaic(values: np.ndarray) -> Mosaic:
    """A layer's (C, H, W) feature maps as small multiples."""
    mosaic, per_line = tiled(values, MAPS_PER_LINE)
    return _fit(mosaic, per_line, values.shape[2], MAP_TILE)


def unit_strip(units: np.ndarray) -> Mosaic:
    """Units (C5's 120, F6's 84, …) as a few even lines of cells, NaN after the last."""
    lines = math.ceil(units.size / UNITS_PER_LINE)
    per_line = math.ceil(units.size / lines)
    grid = np.full(lines * per_line, np.nan, dtype=np.float32)
    grid[: units.size] = units
    return Mosaic(grid.reshape(lines, per_line), min(UNIT_CELL, CONTENT_WIDTH / per_line))


@dataclass(frozen=True)
class KernelMosaic:
    mosaic: Mosaic
    unconnected: np.ndarray  # bool, same shape: pixels of kernels the layer does not have
    how_to_read: tuple[str, ...]


def kernel_mosaic(kernels: ConvKernels) -> KernelMosaic:
    """One tile per kernel: a line per input map and a column per output map (wrapped like
    feature maps when there is one input map)."""
    weight = kernels.weight
    out_maps, in_maps, k, _ = weight.shape
    missing = np.ones((out_maps, in_maps), dtype=np.float32)
    for o, inputs in enumerate(kernels.connections):
        missing[o, list(inputs)] = 0.0
    if in_maps == 1:
        tiles, per_line_max = weight[:, 0], MAPS_PER_LINE
        how = (f"one per {kernels.layer} map",)
    else:
        tiles, per_line_max = weight.transpose(1, 0, 2, 3).reshape(-1, k, k), out_maps
        how = (f"rows: {kernels.input_layer} maps", f"columns: {kernels.layer} maps")
        missing = missing.T
    values, per_line = tiled(tiles, per_line_max, gap=1)
    flags, _ = tiled(np.broadcast_to(missing.reshape(-1, 1, 1), tiles.shape), per_line_max, gap=1)
    unconnected = flags == 1.0
    if unconnected.any():
        how += ("grey: not connected",)
    return KernelMosaic(_fit(values, per_line, k, KERNEL_TILE), unconnected, how)


# --------------------------------------------------------------------------- texts


def attribution_caption(attribution: Attribution) -> tuple[str, str]:
    """What the heat map's colours mean, and how the method got them (two lines)."""
    target = attribution.target
    if attribution.method == "ig":
        return (f"Heat map: red pixels raised the score for {target}, blue ones lowered it, compared "
                "with a black picture; the outline is the ink.",
                f"Integrated Gradients ({IG_STEPS} steps from the black picture): the values add up "
                f"to {number(attribution.total, '+')}, and the score for {target} changed by "
                f"{number(attribution.logit_difference, '+')} from the black picture to this one.")
    window = f"{OCCLUSION_WINDOW} × {OCCLUSION_WINDOW}"
    return (f"Heat map: red pixels raised the score for {target} (blacking them out lowers it), "
            "blue ones lowered it; the outline is the ink.",
            f"Occlusion: each pixel shows how much the score for {target} fell when a black {window} "
            f"patch covered it (patches {OCCLUSION_STRIDE} pixels apart, averaged where they overlap).")


def shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(str(n) for n in shape)


def number(value: float, sign: str = "") -> str:
    """Three significant digits with a real minus sign."""
    return f"{value:{sign}.3g}".replace("-", "−")


def percent(value: float) -> str:
    """99.97% (or > 99.99%) rather than a rounded 100.0% for a confident but not certain answer."""
    if value >= 1:
        return "100%"
    if value >= 0.99995:
        return "> 99.99%"
    text = f"{value * 100:.1f}%"
    return f"{value * 100:.2f}%" if text == "100.0%" else text
