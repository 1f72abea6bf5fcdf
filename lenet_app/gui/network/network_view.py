"""Every layer's output for one digit as small multiples, painted by one widget.

One row per layer, in forward order: feature maps as little pictures (C1's six 28×28 maps, …),
the units of dense layers (C5's 120, F6's 84) as compact cells, the ten outputs as squares with
their digit. Layers that only pass their input on (padding, flatten, dropout) are left out.
Each row has its own colour scale and a legend bar with the numbers at its ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_app.core.activations import Activations, LayerActivation
from lenet_app.gui.colour_scale import ColourScale
from lenet_app.gui.language import Retranslating
from lenet_app.gui.network.grid import Flow, flow
from lenet_app.gui.network.hover import tooltip_event
from lenet_app.gui.network.legend import number, paint_scale_bar, small_font
from lenet_app.gui.network.state import ActivationsState
from lenet_app.gui.style import ACCENT, BADGE_TEXT, DARK_TEXT, FRAME, MUTED_TEXT, bold_font
from lenet_app.gui.text import arg

LABEL_WIDTH = 108  # the column with each layer's name and shape, on the left
LEGEND_WIDTH = 132  # each layer's colour legend, on the right
ROW_GAP = 6
MARGIN = 4


def shown(layer: LayerActivation) -> bool:
    """Whether a layer gets a row: everything except layers that only pass their input on."""
    return layer.role != "reshape"


def layer_flow(layer: LayerActivation, available: int) -> Flow:
    """The cells of one layer's row in `available` pixels of width."""
    if layer.role == "output":
        return flow(layer.units.size, available, 26, 16, 3)
    if layer.is_maps:
        side = layer.values.shape[1]
        largest = min(48, round(14 + 1.25 * side))
        return flow(layer.values.shape[0], available, largest, min(largest, max(12, round(0.8 * side))), 4)
    return flow(layer.units.size, available, 16, 4, 1, height=14)


def shape_text(layer: LayerActivation) -> str:
    if layer.is_maps:
        count, height, width = layer.values.shape
        return f"{count}×{height}×{width}"
    return str(layer.units.size)


@dataclass(frozen=True)
class _Row:
    layer: LayerActivation
    top: int
    height: int
    cells: tuple[QRect, ...]


class NetworkView(Retranslating, QWidget):
    """The activations in an `ActivationsState`, one row per layer; hover a cell for its numbers,
    click it (`map_clicked(layer, index)`) to open it enlarged.

    Meant to sit in a QScrollArea (it asks for the height its width needs). Repaints whenever
    the state changes, so the owner decides the rate (the Draw tab: at most ~15 times a second).
    """

    map_clicked = Signal(str, int)

    def __init__(self, state: ActivationsState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self._state = state
        self._placeholder: str | None = None  # None: the view's own hint
        self._rows: list[_Row] = []
        self._layout_key: tuple | None = None
        self._scales: dict[str, ColourScale] = {}
        self._images: dict[str, list[QImage]] = {}  # maps layers: one image per map
        self._colours: dict[str, np.ndarray] = {}  # unit layers: (n, 3) uint8
        self._values: dict[str, np.ndarray] = {}  # what the images were built from
        self._hovered: tuple[str, int] | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(True)
        state.changed.connect(self._on_state_changed)
        self._on_state_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """Its name; painted texts and tooltips are translated as they are made."""
        self.setAccessibleName(self.tr("Feature maps of every layer"))
        self.update()

    # --- read-only views for tests and the owner ---------------------------------------------

    def set_placeholder(self, text: str) -> None:
        """The hint shown while the state holds no activations, instead of the view's own (the
        owner sets it again when the language changes)."""
        self._placeholder = text
        self.update()

    def placeholder(self) -> str:
        """The hint shown instead of the rows ("" while there are rows)."""
        if self._state.activations is None:
            if self._placeholder is None:
                return self.tr("Draw a digit to see what each layer of the network computes from it.")
            return self._placeholder
        return "" if self._rows else self.tr("This model has no layers to show.")

    def shown_layers(self) -> tuple[str, ...]:
        return tuple(row.layer.name for row in self._rows)

    def cell_count(self, layer: str) -> int:
        return len(self._row(layer).cells)

    def cell_rect(self, layer: str, index: int) -> QRect:
        return QRect(self._row(layer).cells[index])

    def map_image(self, layer: str, index: int) -> QImage:
        """The picture shown for one feature map (a null image for a layer of units)."""
        images = self._images.get(layer)
        return QImage(images[index]) if images else QImage()

    def scale(self, layer: str) -> ColourScale:
        return self._scales[layer]

    def tooltip_at(self, pos: QPoint) -> str:
        hit = self._hit(pos)
        if hit is None:
            return self._row_tooltip(pos)
        row, index = hit
        return self._tooltip(row.layer, index, row.cells[index], pos)

    # --- following the state -----------------------------------------------------------------

    @Slot()
    def _on_state_changed(self) -> None:
        acts: Activations | None = self._state.activations
        layers = [layer for layer in acts.layers if shown(layer)] if acts is not None else []
        for layer in layers:
            self._refresh_layer(layer)
        names = {layer.name for layer in layers}
        for cache in (self._scales, self._images, self._colours, self._values):
            for name in [n for n in cache if n not in names]:
                del cache[name]
        key = tuple((layer.name, layer.role, layer.shape) for layer in layers)
        if key != self._layout_key:
            self._layout_key = key
            self._relayout(layers)
            self.updateGeometry()
        else:
            self._rows = [_Row(layer, row.top, row.height, row.cells) for layer, row in zip(layers, self._rows)]
        self.update()

    def _refresh_layer(self, layer: LayerActivation) -> None:
        """Rebuild a layer's pictures only if its numbers changed."""
        old = self._values.get(layer.name)
        if old is not None and old.shape == layer.values.shape and np.array_equal(old, layer.values):
            return
        scale = ColourScale.for_values(layer.values, signed=layer.signed)
        self._scales[layer.name] = scale
        self._values[layer.name] = layer.values
        if layer.is_maps:
            self._images[layer.name] = [scale.image(values) for values in layer.values]
            self._colours.pop(layer.name, None)
        else:
            self._colours[layer.name] = scale.rgb(layer.units)
            self._images.pop(layer.name, None)

    # --- geometry ----------------------------------------------------------------------------

    def _relayout(self, layers: list[LayerActivation]) -> None:
        self._rows = []
        top = MARGIN
        label_height = self.fontMetrics().height()
        for layer in layers:
            cells = layer_flow(layer, self._cells_width(self.width()))
            height = max(cells.total_height, label_height)
            rects = tuple(cells.rects(LABEL_WIDTH + MARGIN, top + (height - cells.total_height) // 2))
            self._rows.append(_Row(layer, top, height, rects))
            top += height + ROW_GAP

    def _content_height(self, width: int) -> int:
        acts = self._state.activations
        if acts is None:
            return self.fontMetrics().height() * 3
        label_height = self.fontMetrics().height()
        rows = [max(layer_flow(layer, self._cells_width(width)).total_height, label_height)
                for layer in acts.layers if shown(layer)]
        return sum(rows) + ROW_GAP * (len(rows) - 1) + 2 * MARGIN

    @staticmethod
    def _cells_width(width: int) -> int:
        return width - LABEL_WIDTH - LEGEND_WIDTH - 2 * MARGIN - 8

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._content_height(width)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(720, self._content_height(720))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(LABEL_WIDTH + LEGEND_WIDTH + 200, self.fontMetrics().height() * 3)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._relayout([row.layer for row in self._rows])

    def _row(self, name: str) -> _Row:
        for row in self._rows:
            if row.layer.name == name:
                return row
        raise KeyError(name)

    def _hit(self, pos: QPoint) -> tuple[_Row, int] | None:
        for row in self._rows:
            if row.top <= pos.y() < row.top + row.height:
                for index, rect in enumerate(row.cells):
                    if rect.adjusted(0, 0, 1, 1).contains(pos):
                        return row, index
        return None

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        if not self._rows:
            painter.setPen(MUTED_TEXT)
            painter.drawText(self.rect().adjusted(MARGIN, 0, -MARGIN, 0),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder())
            return
        clip = event.rect()
        for row in self._rows:
            if row.top > clip.bottom() or row.top + row.height < clip.top():
                continue
            self._paint_label(painter, row)
            if row.layer.is_maps:
                self._paint_maps(painter, row)
            else:
                self._paint_units(painter, row)
        if self._hovered is not None and self._hovered[0] in self.shown_layers():
            name, index = self._hovered
            painter.setPen(QPen(ACCENT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self._row(name).cells[index]).adjusted(-1.5, -1.5, 1.5, 1.5))

    def _paint_label(self, painter: QPainter, row: _Row) -> None:
        """Name and shape on the left, the colour legend on the right, centred on the row."""
        line = self.fontMetrics().height()
        top = row.top + (row.height - line) // 2
        painter.setFont(bold_font(self.font()))
        painter.setPen(self.palette().windowText().color())
        name_w = painter.fontMetrics().horizontalAdvance(row.layer.name) + 6
        painter.drawText(QRect(0, top, LABEL_WIDTH, line), Qt.AlignmentFlag.AlignVCenter, row.layer.name)
        painter.setFont(small_font(self.font()))
        painter.setPen(MUTED_TEXT)
        shape_w = LABEL_WIDTH - name_w - 4
        painter.drawText(QRect(name_w, top, shape_w, line), Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(shape_text(row.layer), Qt.TextElideMode.ElideRight,
                                                          shape_w))
        paint_scale_bar(painter, QRectF(self.width() - LEGEND_WIDTH - MARGIN, top, LEGEND_WIDTH, line),
                        self._scales[row.layer.name])
        painter.setFont(self.font())

    def _paint_maps(self, painter: QPainter, row: _Row) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setPen(FRAME)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect, image in zip(row.cells, self._images[row.layer.name]):
            painter.drawImage(rect, image)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))

    def _paint_units(self, painter: QPainter, row: _Row) -> None:
        colours = self._colours[row.layer.name]
        output = row.layer.role == "output"
        winner = int(np.argmax(row.layer.units)) if output else -1
        if not output:  # a frame, so units near zero (white, on a diverging scale) still show
            painter.setPen(FRAME)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            first, last = row.cells[0], row.cells[-1]
            painter.drawRect(QRect(first.topLeft(), QPoint(max(r.right() for r in row.cells), last.bottom()))
                             .adjusted(-1, -1, 0, 0))
        painter.setPen(Qt.PenStyle.NoPen)
        for index, rect in enumerate(row.cells):
            r, g, b = (int(c) for c in colours[index])
            painter.fillRect(rect, QColor(r, g, b))
            if not output:
                continue
            light = 0.299 * r + 0.587 * g + 0.114 * b > 140
            painter.setPen(DARK_TEXT if light else BADGE_TEXT)
            painter.setFont(bold_font(self.font()) if index == winner else self.font())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(index))
            painter.setPen(QPen(ACCENT, 2) if index == winner else QPen(FRAME, 1))
            painter.drawRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setFont(self.font())

    # --- hover, tooltips, clicks --------------------------------------------------------------

    def _tooltip(self, layer: LayerActivation, index: int, rect: QRect, pos: QPoint) -> str:
        name = layer.name
        if layer.role == "output":
            lines = [arg(self.tr("%1, digit %2: %3"), name, index, number(float(layer.units[index]), 3))]
        elif layer.is_maps:
            count, height, width = layer.values.shape
            values = layer.values[index]
            lines = [arg(self.tr("%1, map %2 of %3 (%4×%5)"), name, index + 1, count, height, width),
                     arg(self.tr("min %1, max %2"), number(float(values.min())), number(float(values.max())))]
            row = min(max((pos.y() - rect.top()) * height // max(rect.height(), 1), 0), height - 1)
            column = min(max((pos.x() - rect.left()) * width // max(rect.width(), 1), 0), width - 1)
            lines.append(arg(self.tr("here (row %1, column %2): %3"), row, column,
                             number(float(values[row, column]), 3)))
        else:
            lines = [arg(self.tr("%1, unit %2 of %3: %4"), name, index + 1, layer.units.size,
                         number(float(layer.units[index]), 3))]
        lines.append(arg(self.tr("whole layer: min %1, max %2"), number(layer.minimum), number(layer.maximum)))
        lines.append(self.tr("Click to enlarge."))
        return "\n".join(lines)

    def _row_tooltip(self, pos: QPoint) -> str:
        """On a row's name or legend: the layer's range and what its colours span."""
        for row in self._rows:
            if row.top <= pos.y() < row.top + row.height and (
                    pos.x() < LABEL_WIDTH or pos.x() >= self.width() - LEGEND_WIDTH - MARGIN):
                scale = self._scales[row.layer.name]
                return "\n".join([
                    arg(self.tr("%1: %2 numbers from %3 to %4"), row.layer.name, row.layer.units.size,
                        number(row.layer.minimum), number(row.layer.maximum)),
                    arg(self.tr("colours from %1 to %2"), number(scale.low), number(scale.high)),
                ])
        return ""

    def event(self, event: QEvent) -> bool:
        return tooltip_event(self, event, self.tooltip_at) or super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        hit = self._hit(event.position().toPoint())
        hovered = None if hit is None else (hit[0].layer.name, hit[1])
        if hovered != self._hovered:
            self._hovered = hovered
            self.setCursor(Qt.CursorShape.PointingHandCursor if hovered else Qt.CursorShape.ArrowCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if self._hovered is not None:
            self._hovered = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        hit = self._hit(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and hit is not None:
            self.map_clicked.emit(hit[0].layer.name, hit[1])
            event.accept()
            return
        super().mousePressEvent(event)
