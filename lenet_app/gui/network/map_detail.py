"""One feature map (or one layer's units) enlarged, and for a convolution the arithmetic behind
the pixel under the mouse: a non-modal window the network view opens on a click and reuses."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.activations import Activations, ConvArithmetic, LayerActivation, conv_arithmetic
from lenet_app.gui.colour_scale import ColourScale
from lenet_app.gui.language import Retranslating
from lenet_app.gui.network.arithmetic_view import ArithmeticView
from lenet_app.gui.network.legend import number, paint_scale_bar, small_font
from lenet_app.gui.network.state import ActivationsState
from lenet_app.gui.style import ACCENT, BADGE_TEXT, DARK_TEXT, FRAME, bold_font, muted
from lenet_app.gui.text import arg

MAP_SIDE = 300


class EnlargedMap(QWidget):
    """A 2-D map drawn large (`pixel_chosen(row, column)` as the mouse moves over it) or a list
    of units as numbered cells (`pixel_chosen(0, index)` on a click), with its colour legend."""

    pixel_chosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enlargedMap")
        self._values: np.ndarray | None = None
        self._scale = ColourScale(True, 1.0)
        self._image = None
        self._selected: tuple[int, int] | None = None
        self._digits = False
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_values(self, values: np.ndarray | None, scale: ColourScale, selected: tuple[int, int] | None,
                   digits: bool = False) -> None:
        """A 2-D map, or 1-D units (`digits`: label the cells 0–9, the output layer)."""
        self._values, self._scale, self._selected, self._digits = values, scale, selected, digits
        self._image = scale.image(values) if values is not None and values.ndim == 2 else None
        self.updateGeometry()
        self.update()

    def _columns(self) -> int:
        return 10 if self._digits else 12

    def _legend_height(self) -> int:
        return self.fontMetrics().height() + 8

    def _cell_rects(self) -> list[QRectF]:
        """The rectangle of each pixel (row-major) or unit."""
        values = self._values
        if values is None:
            return []
        if values.ndim == 2:
            height, width = values.shape
            side = MAP_SIDE / max(height, width)
            return [QRectF(c * side, r * side, side, side) for r in range(height) for c in range(width)]
        columns = self._columns()
        width = MAP_SIDE * 1.6 / columns
        height = self.fontMetrics().height() * (2.6 if self._digits else 1.5)
        return [QRectF((i % columns) * width, (i // columns) * height, width, height) for i in range(values.size)]

    def pixel_rect(self, row: int, column: int = 0) -> QRect:
        """Where a pixel (or unit `row`… for a list, use `pixel_rect(0, index)`) is drawn."""
        values = self._values
        assert values is not None
        index = row * values.shape[1] + column if values.ndim == 2 else column
        return self._cell_rects()[index].toAlignedRect()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        rects = self._cell_rects()
        if not rects:
            return QSize(MAP_SIDE, MAP_SIDE)
        right = max(r.right() for r in rects)
        bottom = max(r.bottom() for r in rects)
        return QSize(int(max(right, MAP_SIDE)) + 2, int(bottom) + 4 + self._legend_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        values = self._values
        if values is None:
            return
        painter = QPainter(self)
        rects = self._cell_rects()
        bottom = max(r.bottom() for r in rects)
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            area = QRectF(0, 0, max(r.right() for r in rects), bottom)
            painter.drawImage(area, self._image)
            painter.setPen(FRAME)
            painter.drawRect(area)
        else:
            self._paint_units(painter, values.reshape(-1), rects)
        if self._selected is not None:
            index = self._selected[0] * values.shape[1] + self._selected[1] if values.ndim == 2 else self._selected[1]
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(ACCENT, 3))
            painter.drawRect(rects[index].adjusted(-1, -1, 1, 1))
        painter.setFont(small_font(self.font()))
        paint_scale_bar(painter, QRectF(0, bottom + 6, min(MAP_SIDE, 260), self.fontMetrics().height()),
                        self._scale)

    def _paint_units(self, painter: QPainter, units: np.ndarray, rects: list[QRectF]) -> None:
        colours = self._scale.rgb(units)
        regular, bold = small_font(self.font()), bold_font(self.font())
        for index, (rect, value) in enumerate(zip(rects, units)):
            r, g, b = (int(c) for c in colours[index])
            painter.fillRect(rect, QColor(r, g, b))
            painter.setPen(FRAME)
            painter.drawRect(rect)
            painter.setPen(DARK_TEXT if 0.299 * r + 0.587 * g + 0.114 * b > 140 else BADGE_TEXT)
            text_rect = rect
            if self._digits:
                painter.setFont(bold)
                painter.drawText(rect.adjusted(0, 2, 0, -rect.height() / 2), Qt.AlignmentFlag.AlignCenter, str(index))
                text_rect = rect.adjusted(0, rect.height() / 2, 0, -2)
            painter.setFont(regular)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, number(float(value)))

    def _hit(self, pos: QPointF) -> tuple[int, int] | None:
        values = self._values
        if values is None:
            return None
        for index, rect in enumerate(self._cell_rects()):
            if rect.contains(pos):
                return divmod(index, values.shape[1]) if values.ndim == 2 else (0, index)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        hit = self._hit(event.position())
        if hit is not None and self._image is not None and hit != self._selected:
            self.pixel_chosen.emit(*hit)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        hit = self._hit(event.position())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.pixel_chosen.emit(*hit)
        super().mousePressEvent(event)


class MapDetailDialog(Retranslating, QDialog):
    """The map the user clicked (`show_map(layer, index)`), following the state as it changes."""

    def __init__(self, state: ActivationsState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapDetailDialog")
        self.setModal(False)
        self._state = state
        self._layer: str | None = None
        self._index = 0
        self._pixel: tuple[int, int] | None = None
        self._arithmetic: ConvArithmetic | None = None

        self._title = QLabel()
        self._title.setObjectName("mapDetailTitle")
        self._title.setFont(bold_font(self.font(), 1.2))
        self._explanation = muted(QLabel())
        self._explanation.setObjectName("mapDetailExplanation")
        self._explanation.setWordWrap(True)
        self._explanation.setFixedWidth(MAP_SIDE + 360)
        self.enlarged = EnlargedMap()
        self.arithmetic_view = ArithmeticView()
        self._arithmetic_scroll = QScrollArea()
        self._arithmetic_scroll.setWidget(self.arithmetic_view)
        self._arithmetic_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._arithmetic_label = QLabel()
        self._arithmetic_label.setObjectName("arithmeticLabel")
        self._arithmetic_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._arithmetic_label.setWordWrap(True)

        right = QVBoxLayout()
        right.addWidget(self._arithmetic_scroll)
        right.addWidget(self._arithmetic_label)
        right.addStretch(1)
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self.enlarged, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        # Always exactly its content's size (the wrapped texts included), whichever layer it shows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(self._title)
        layout.addWidget(self._explanation)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

        self.enlarged.pixel_chosen.connect(self._on_pixel_chosen)
        state.changed.connect(self._on_state_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """The title, and the texts of the map shown (the Close button is Qt's own)."""
        self.setWindowTitle(self.tr("Inside the network: one map"))
        self.enlarged.setAccessibleName(self.tr("The map, enlarged"))
        if self._layer is not None:
            self._refresh()

    # --- public ---------------------------------------------------------------------------------

    def show_map(self, layer: str, index: int) -> None:
        """Show map (or unit) `index` of `layer`, its most active pixel chosen; raise the window."""
        if (layer, index) != (self._layer, self._index):
            self._pixel = None
        self._layer, self._index = layer, index
        self._refresh()
        self.show()
        self.raise_()
        self.activateWindow()

    def current(self) -> tuple[str, int] | None:
        return None if self._layer is None else (self._layer, self._index)

    def pixel(self) -> tuple[int, int] | None:
        return self._pixel

    def arithmetic(self) -> ConvArithmetic | None:
        return self._arithmetic

    def arithmetic_text(self) -> str:
        return self._arithmetic_label.text()

    def explanation(self) -> str:
        return self._explanation.text()

    # --- following the state and the mouse ----------------------------------------------------------

    @Slot()
    def _on_state_changed(self) -> None:
        if self.isVisible():
            self._refresh()

    @Slot(int, int)
    def _on_pixel_chosen(self, row: int, column: int) -> None:
        self._pixel = (row, column)
        self._refresh()

    def _refresh(self) -> None:
        acts = self._state.activations
        layer = None
        if acts is not None and self._layer in acts.names:
            layer = acts.layer(self._layer)
        if layer is None:
            self._show_nothing(acts)
            return
        maps = layer.is_maps
        count = layer.values.shape[0] if maps else layer.units.size
        if maps:
            self._index = min(self._index, count - 1)
            values = layer.values[self._index]
            if self._pixel is None or not (self._pixel[0] < values.shape[0] and self._pixel[1] < values.shape[1]):
                self._pixel = tuple(int(v) for v in np.unravel_index(np.argmax(np.abs(values)), values.shape))
            self._title.setText(arg(self.tr("%1 · map %2 of %3 · %4×%5"), layer.name, self._index + 1, count,
                                    values.shape[0], values.shape[1]))
        else:
            self._index = min(self._index, count - 1)
            values = layer.units
            self._pixel = (0, self._index)
            self._title.setText(arg(self.tr("%1 · %2 units"), layer.name, count))
        scale = ColourScale.for_values(layer.values, signed=layer.signed)
        self.enlarged.set_values(values, scale, self._pixel, digits=layer.role == "output")
        self._explanation.setText(self._explain(acts, layer))
        self._show_arithmetic(acts, layer)

    def _show_nothing(self, acts: Activations | None) -> None:
        self._arithmetic = None
        self._title.setText(self.tr("No map"))
        if acts is None:
            self._explanation.setText(self.tr("Draw a digit, then click a map in the network view."))
        else:
            self._explanation.setText(arg(self.tr("The current model has no layer %1. Click a map in the "
                                                  "network view."), self._layer or ""))
        self.enlarged.set_values(None, ColourScale(True, 1.0), None)
        self.arithmetic_view.set_arithmetic(None)
        self._arithmetic_scroll.hide()
        self._arithmetic_label.clear()

    def _show_arithmetic(self, acts: Activations, layer: LayerActivation) -> None:
        if not (layer.role == "conv" and layer.is_maps and layer.name in acts.kernels and self._pixel):
            self._arithmetic = None
            self.arithmetic_view.set_arithmetic(None)
            self._arithmetic_scroll.hide()
            self._arithmetic_label.clear()
            return
        row, column = self._pixel
        a = conv_arithmetic(acts, layer.name, self._index, row, column)
        self._arithmetic = a
        kernels = acts.kernels[layer.name]
        self.arithmetic_view.set_arithmetic(a, acts.conv_inputs[layer.name],
                                            ColourScale.for_values(kernels.weight, signed=True))
        self.arithmetic_view.adjustSize()
        hint = self.arithmetic_view.sizeHint()
        self._arithmetic_scroll.setFixedSize(hint.width() + 4, min(hint.height(), 470) + 4)
        self._arithmetic_scroll.show()
        shown = float(layer.values[self._index, row, column])
        products = a.kernel.size
        lines = [
            arg(self.tr("Pixel at row %1, column %2:"), row, column),
            arg(self.tr("sum of the %1 products patch × kernel = %2"), products, number(a.weighted_sum, 3)),
            arg(self.tr("+ bias %1 = %2"), number(a.bias, 3), number(a.pre_activation, 3)),
        ]
        if a.activation:
            lines.append(arg(self.tr("%1(%2) = %3"), a.activation, number(a.pre_activation, 3), number(a.value, 3)))
        else:
            lines.append(arg(self.tr("No activation function inside %1 itself (a later layer applies it), "
                                     "so the value is %2"), layer.name, number(a.value, 3)))
        lines.append(arg(self.tr("The map holds %1 at this pixel."), number(shown, 3)))
        self._arithmetic_label.setText("\n".join(lines))

    def _explain(self, acts: Activations, layer: LayerActivation) -> str:
        if layer.role == "conv" and layer.is_maps:
            activation = acts.kernels[layer.name].activation if layer.name in acts.kernels else None
            if activation:
                return arg(self.tr("A feature map: where one kernel finds its pattern. Each pixel is the patch "
                                   "under the kernel, multiplied weight by weight and summed, plus a bias, then "
                                   "passed through %1. Point at or click a pixel to see its numbers."), activation)
            return self.tr("A feature map: where one kernel finds its pattern. Each pixel is the patch under the "
                           "kernel, multiplied weight by weight and summed, plus a bias. Point at or click a pixel to "
                           "see its numbers.")
        if layer.role == "conv":
            return arg(self.tr("Each unit of %1 is a convolution whose kernels cover the whole of every map "
                               "below, so each of its maps is a single number: too many weights to show as "
                               "arithmetic here."), layer.name)
        if layer.role == "pool":
            if _is_max_pool(acts, layer):
                return self.tr("A pooling layer takes the largest value of each 2×2 block of the map below, so "
                               "the map shrinks by half and small shifts of the digit matter less. No kernel here.")
            return self.tr("A subsampling layer sums up each 2×2 block of the map below in one number (here a "
                           "weighted average), so the map shrinks by half. No kernel here.")
        if layer.role == "norm":
            return self.tr("A normalisation layer shifts and rescales each map of the layer below with numbers "
                           "learned in training, to keep them in a steady range. No kernel here.")
        if layer.role == "output":
            return self.tr("The output layer: one number per digit. The largest is the network's answer; "
                           "softmax turns them into the probabilities.")
        return self.tr("A dense (fully connected) layer: each unit multiplies every number of the layer below "
                       "by its own weight, sums them, adds a bias and applies its activation. Too many "
                       "weights to show as arithmetic here.")


def _is_max_pool(acts: Activations, layer: LayerActivation) -> bool:
    """Whether each value is the largest of its 2×2 block below (ReLU after it allowed)."""
    index = acts.names.index(layer.name)
    if index == 0:
        return False
    below = acts.layers[index - 1].values
    channels, height, width = layer.values.shape
    if below.ndim != 3 or below.shape[0] != channels or below.shape[1] < 2 * height or below.shape[2] < 2 * width:
        return False
    blocks = below[:, : 2 * height, : 2 * width].reshape(channels, height, 2, width, 2).max(axis=(2, 4))
    return bool(np.allclose(layer.values, blocks, atol=1e-5)
                or np.allclose(layer.values, np.maximum(blocks, 0.0), atol=1e-5))
