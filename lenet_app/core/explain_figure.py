"""The figure page of one explanation, for reports and slides: the picture, the network input,
which pixels pushed the answer, every layer's activations and the first kernels, on one page.

Drawn with matplotlib's Agg canvas directly: no pyplot, so no GUI backend and no figure left in
pyplot's global list, off the GUI thread or in a frozen app. matplotlib is imported on first use;
captum brings it anyway. Axes are placed by hand in inches, from the top of the page down, so
that every architecture gets the same tidy layout whatever its number of maps.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lenet_app.core.activations import ConvKernels, LayerActivation
from lenet_app.core.attribution import METHODS
from lenet_app.core.checkpoint import atomic_write_bytes
from lenet_app.core.errors import LenetError
from lenet_app.core.explain_layout import (CONTENT_LEFT, MARGIN, PAGE_WIDTH, KernelMosaic, Mosaic,
                                           attribution_caption, kernel_mosaic, map_mosaic, number,
                                           percent, shape_text, unit_strip)
from lenet_app.core.explanation import Explanation
from lenet_app.core.i18n import _

__all__ = ["FORMATS", "render_figure", "save_figure"]

#: File types the page can be written as, by suffix.
FORMATS = ("png", "pdf", "svg")

ROW_GAP = 0.2
LABEL_HEIGHT = 0.78  # a layer's name, two lines and its colour key
DPI = 150

DIVERGING = "RdBu_r"  # signed values: blue below zero, white at zero, red above
SEQUENTIAL = "magma"  # non-negative values: black (off) to pale yellow, like the app's views
INK = "#222222"
MUTED = "#666666"
HIGHLIGHT = "#d9480f"
NO_CONNECTION = "#d0d0d0"

_PAGE_FONT = {"font.family": "DejaVu Sans", "font.size": 8, "axes.linewidth": 0.6,
              "svg.fonttype": "none"}


def render_figure(explanation: Explanation, source: str | None = None, fmt: str = "png") -> bytes:
    """The page as PNG, PDF or SVG bytes. `source` names the picture in the subtitle."""
    os.environ.setdefault("MPLBACKEND", "Agg")  # as in attribution: pyplot must never pick Qt
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if fmt not in FORMATS:
        raise LenetError(_("cannot write a .{format} figure; use one of: {formats}").format(
            format=fmt, formats=", ".join("." + f for f in FORMATS)))
    with matplotlib.rc_context(_PAGE_FONT):
        page = _Page(explanation, source)
        figure = Figure(figsize=(PAGE_WIDTH, page.height), dpi=DPI, facecolor="white")
        FigureCanvasAgg(figure)
        page.draw(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=DPI, facecolor="white", metadata=_metadata(fmt))
    return buffer.getvalue()


def save_figure(explanation: Explanation, path: str | Path, source: str | None = None) -> Path:
    """Write the page to `path` atomically, in the format its suffix names."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise LenetError(_("{path}: the figure must end in {formats}").format(
            path=path, formats=", ".join("." + f for f in FORMATS)))
    if path.parent != Path("") and not path.parent.is_dir():
        raise LenetError(_("{path}: the folder {folder} does not exist").format(path=path, folder=path.parent))
    data = render_figure(explanation, source, fmt)
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise LenetError(_("{path}: cannot write the figure ({reason})").format(
            path=path, reason=exc.strerror or exc)) from None
    return path


def _metadata(fmt: str) -> dict:
    # No creation date, so the same explanation gives the same file.
    if fmt == "png":
        return {"Software": "LeNet Digits"}
    if fmt == "pdf":
        return {"Creator": "LeNet Digits", "CreationDate": None}
    return {"Creator": "LeNet Digits", "Date": None}


# --------------------------------------------------------------------------- layout


class _Page:
    """The page as a list of blocks (height in inches, how to draw it at a given top)."""

    def __init__(self, explanation: Explanation, source: str | None) -> None:
        self.explanation = explanation
        self.source = source
        self.blocks: list[tuple[float, Callable[[float], None]]] = []
        self.figure = None
        self._plan()

    @property
    def height(self) -> float:
        return MARGIN + sum(height for height, _ in self.blocks) + MARGIN * 0.6

    def draw(self, figure) -> None:
        self.figure = figure
        top = MARGIN
        for height, draw in self.blocks:
            draw(top)
            top += height

    # -- helpers in inches from the page's top left

    def axes(self, left: float, top: float, width: float, height: float):
        page_height = self.height
        ax = self.figure.add_axes((left / PAGE_WIDTH, 1 - (top + height) / page_height,
                                   width / PAGE_WIDTH, height / page_height))
        return ax

    def text(self, left: float, top: float, text: str, **style) -> None:
        style.setdefault("va", "top")
        style.setdefault("color", INK)
        self.figure.text(left / PAGE_WIDTH, 1 - top / self.height, text, **style)

    # -- the plan

    def _plan(self) -> None:
        e = self.explanation
        self.blocks.append((0.75, self._title))
        self.blocks.append((3.45, self._header))
        self.blocks.append((0.55, lambda top: self._heading(
            top, "Activations, layer by layer",
            "one colour scale per layer: blue–white–red for signed values (white is zero), "
            "black to yellow for values that are never negative")))
        for layer in e.activations.layers:
            if layer.role == "reshape":
                continue
            if layer.role == "output":
                self.blocks.append((1.45, lambda top, layer=layer: self._output_row(top, layer)))
            elif layer.is_maps:
                mosaic = map_mosaic(layer.values)
                self.blocks.append((max(mosaic.height, LABEL_HEIGHT) + ROW_GAP,
                                    lambda top, layer=layer, m=mosaic: self._maps_row(top, layer, m)))
            else:
                strip = unit_strip(layer.units)
                self.blocks.append((max(strip.height, LABEL_HEIGHT) + ROW_GAP,
                                    lambda top, layer=layer, m=strip: self._units_row(top, layer, m)))
        convs = list(e.activations.kernels.values())[:2]
        if convs:
            self.blocks.append((0.55, lambda top: self._heading(
                top, "Kernels of the first convolutions" if len(convs) > 1 else "Kernels of the convolution",
                "the weights each map multiplies its input by: red positive, blue negative, "
                "one scale per layer, symmetric about zero")))
            for kernels in convs:
                tiles = kernel_mosaic(kernels)
                label = 0.5 + 0.15 * (2 + len(tiles.how_to_read))
                self.blocks.append((max(tiles.mosaic.height, label) + ROW_GAP,
                                    lambda top, k=kernels, t=tiles: self._kernels_row(top, k, t)))

    # -- blocks

    def _title(self, top: float) -> None:
        e = self.explanation
        name = e.architecture or "the model"
        self.text(MARGIN, top, f"{name} reads this picture as {e.digit} "
                  f"({percent(e.probabilities[e.digit])})", fontsize=15, weight="bold")
        attribution = e.attribution
        method = METHODS[attribution.method]
        about = (f"why {attribution.target}" if attribution.target == e.digit
                 else f"what speaks for {attribution.target} instead")
        parts = [self.source] if self.source else []
        parts.append(f"{about}, by {method}")
        self.text(MARGIN, top + 0.34, "  ·  ".join(parts), fontsize=9.5, color=MUTED)

    def _header(self, top: float) -> None:
        e = self.explanation
        size = 2.45
        panel_top = top + 0.3
        left = MARGIN
        ax = self.axes(left, panel_top, size, size)
        if e.picture is not None:
            gray = e.picture.ndim == 2
            ax.imshow(e.picture, cmap="gray" if gray else None, vmin=0, vmax=255,
                      interpolation="antialiased")
        else:
            ax.text(0.5, 0.5, "(not available)", ha="center", va="center", color=MUTED,
                    transform=ax.transAxes)
        _frame(ax, "Your picture")

        left += size + 0.45
        ax = self.axes(left, panel_top, size, size)
        ax.imshow(e.pixels, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        _frame(ax, "Network input, 28 × 28")

        left += size + 0.45
        attribution = e.attribution
        ax = self.axes(left, panel_top, size, size)
        heat = ax.imshow(attribution.values, cmap=DIVERGING, vmin=-attribution.scale,
                         vmax=attribution.scale, interpolation="nearest")
        # The ink's outline on top, so the colours can be read against the digit.
        ax.contour(e.pixels, levels=[96], colors=INK, linewidths=0.7, alpha=0.8,
                   corner_mask=False)
        _frame(ax, f"What pushed toward {attribution.target}")
        bar = self.axes(left + size + 0.08, panel_top, 0.11, size)
        colourbar = self.figure.colorbar(heat, cax=bar)
        colourbar.ax.tick_params(labelsize=7, length=2)
        colourbar.ax.yaxis.set_major_formatter(_formatter())
        colourbar.outline.set_linewidth(0.4)

        left += size + 0.95
        self._probabilities(left, panel_top, PAGE_WIDTH - MARGIN - left, size - 0.2)

        caption, detail = attribution_caption(attribution)
        self.text(MARGIN, panel_top + size + 0.14, caption, fontsize=8.5, color=INK)
        self.text(MARGIN, panel_top + size + 0.32, detail, fontsize=8, color=MUTED)

    def _probabilities(self, left: float, top: float, width: float, height: float) -> None:
        e = self.explanation
        ax = self.axes(left + 0.2, top, width - 0.2, height)
        digits = np.arange(10)
        colours = [HIGHLIGHT if d == e.digit else "#9aa5b1" for d in digits]
        ax.barh(digits, e.probabilities, color=colours, height=0.7)
        ax.set_xlim(0, 1)
        ax.set_ylim(9.6, -0.6)
        ax.set_yticks(digits)
        ax.set_xticks([0, 0.5, 1])
        ax.set_xticklabels(["0", "50%", "100%"])
        ax.tick_params(labelsize=7.5, length=2)
        for label in ax.get_yticklabels():
            if label.get_text() == str(e.digit):
                label.set_color(HIGHLIGHT)
                label.set_fontweight("bold")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title("Probabilities", fontsize=9, color=INK, loc="left", pad=4)

    def _heading(self, top: float, title: str, note: str) -> None:
        self.text(MARGIN, top + 0.08, title, fontsize=11.5, weight="bold")
        self.figure.add_artist(_rule(self.figure, top + 0.02, self.height))
        self.text(MARGIN, top + 0.3, note, fontsize=8, color=MUTED)

    def _label(self, top: float, name: str, lines: list[str]) -> None:
        self.text(MARGIN, top, name, fontsize=10, weight="bold")
        for index, line in enumerate(lines):
            self.text(MARGIN, top + 0.2 + index * 0.15, line, fontsize=7.5, color=MUTED)

    def _layer_label(self, top: float, layer: LayerActivation, extra: str | None = None) -> None:
        lines = [f"{layer.role}  {shape_text(layer.shape)}",
                 f"min {number(layer.minimum)}  max {number(layer.maximum)}"]
        if extra:
            lines.append(extra)
        self._label(top, layer.name, lines)

    def _colour_key(self, top: float, image) -> None:
        bar = self.axes(MARGIN, top, 1.25, 0.07)
        colourbar = self.figure.colorbar(image, cax=bar, orientation="horizontal")
        colourbar.ax.tick_params(labelsize=6, length=1.5, pad=1)
        colourbar.outline.set_linewidth(0.3)
        colourbar.set_ticks(_key_ticks(image.norm.vmin, image.norm.vmax))
        colourbar.ax.xaxis.set_major_formatter(_formatter())

    def _maps_row(self, top: float, layer: LayerActivation, mosaic: Mosaic) -> None:
        ax = self.axes(CONTENT_LEFT, top, mosaic.width, mosaic.height)
        image = ax.imshow(mosaic.values, interpolation="nearest", **_scale(layer))
        ax.set_axis_off()
        self._layer_label(top, layer)
        self._colour_key(top + 0.55, image)

    def _units_row(self, top: float, layer: LayerActivation, strip: Mosaic) -> None:
        ax = self.axes(CONTENT_LEFT, top, strip.width, strip.height)
        image = ax.pcolormesh(strip.values, edgecolors="white", linewidth=0.4, **_scale(layer))
        ax.set_xlim(0, strip.values.shape[1])
        ax.set_ylim(strip.values.shape[0], 0)
        ax.set_axis_off()
        self._layer_label(top, layer)
        self._colour_key(top + 0.55, image)

    def _output_row(self, top: float, layer: LayerActivation) -> None:
        e = self.explanation
        logits = layer.units
        ax = self.axes(CONTENT_LEFT + 0.1, top + 0.05, 4.6, 1.05)
        colours = [HIGHLIGHT if d == e.digit else "#9aa5b1" for d in range(10)]
        ax.bar(np.arange(10), logits, color=colours, width=0.7)
        ax.axhline(0, color=INK, linewidth=0.5)
        ax.set_xticks(np.arange(10))
        ax.set_xlim(-0.6, 9.6)
        ax.tick_params(labelsize=7.5, length=2)
        for label in ax.get_xticklabels():
            if label.get_text() == str(e.digit):
                label.set_color(HIGHLIGHT)
                label.set_fontweight("bold")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        high = float(logits[e.digit])
        ax.annotate(f"reads {e.digit}", (e.digit, high), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom" if high >= 0 else "top", fontsize=7.5, color=HIGHLIGHT)
        low, top_value = float(min(logits.min(), 0)), float(max(logits.max(), 0))
        span = max(top_value - low, 1e-6)
        ax.set_ylim(low - 0.05 * span, top_value + 0.2 * span)
        self._layer_label(top, layer, "logits, one per digit")

    def _kernels_row(self, top: float, kernels: ConvKernels, tiles: KernelMosaic) -> None:
        mosaic = tiles.mosaic
        limit = max(float(np.abs(kernels.weight).max()), 1e-12)
        ax = self.axes(CONTENT_LEFT, top, mosaic.width, mosaic.height)
        image = ax.imshow(mosaic.values, cmap=_cmap(DIVERGING), vmin=-limit, vmax=limit,
                          interpolation="nearest")
        if tiles.unconnected.any():
            grey = np.zeros((*tiles.unconnected.shape, 4), dtype=np.float32)
            grey[tiles.unconnected] = (*_rgb(NO_CONNECTION), 1.0)
            ax.imshow(grey, interpolation="nearest")
        ax.set_axis_off()
        lines = [shape_text(kernels.weight.shape), f"{kernels.input_layer} → {kernels.layer}",
                 *tiles.how_to_read]
        self._label(top, f"{kernels.layer} kernels", lines)
        self._colour_key(top + 0.3 + 0.15 * len(lines), image)


# --------------------------------------------------------------------------- styles


def _cmap(name: str):
    from matplotlib import colormaps

    return colormaps[name].with_extremes(bad=(1, 1, 1, 0))  # gaps between tiles show the page


def _scale(layer: LayerActivation) -> dict:
    limit = max(abs(layer.minimum), abs(layer.maximum), 1e-12)
    if layer.signed:
        return {"cmap": _cmap(DIVERGING), "vmin": -limit, "vmax": limit}
    return {"cmap": _cmap(SEQUENTIAL), "vmin": 0.0, "vmax": limit}


def _key_ticks(low: float, high: float) -> list[float]:
    return [low, 0.0, high] if low < 0 < high else [low, high]


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def _frame(ax, title: str) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
    ax.set_title(title, fontsize=9, color=INK, loc="left", pad=4)


def _rule(figure, top: float, page_height: float):
    from matplotlib.lines import Line2D

    y = 1 - top / page_height
    return Line2D([MARGIN / PAGE_WIDTH, 1 - MARGIN / PAGE_WIDTH], [y, y], transform=figure.transFigure,
                  color="#cccccc", linewidth=0.6)


def _formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: "0" if value == 0 else number(value))
