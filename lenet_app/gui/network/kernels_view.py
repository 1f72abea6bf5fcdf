"""The kernels of one convolution layer as pictures, on one signed colour scale.

A kernel is the small grid of weights a convolution slides over the maps it reads; each output
map has one kernel per input map it is connected to. A layer that reads one map (C1 reads the
digit) shows its kernels in a row; one that reads several (C3 reads S2's six maps) shows a
table: a column per output map, a row per input map, empty where the two are not connected
(LeNet-5 (1998)'s C3 connects each map to only some of S2's).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QFontMetrics, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_app.core.activations import ConvKernels
from lenet_app.gui.colour_scale import ColourScale
from lenet_app.gui.language import Retranslating
from lenet_app.gui.network.grid import flow
from lenet_app.gui.network.hover import tooltip_event
from lenet_app.gui.network.legend import number, paint_scale_bar, small_font
from lenet_app.gui.network.state import ActivationsState
from lenet_app.gui.style import FRAME, MUTED, MUTED_TEXT, bold_font
from lenet_app.gui.text import arg

HEADER_GAP = 6
LEGEND_WIDTH = 150


class KernelsView(Retranslating, QWidget):
    """The kernels of `layer` in the state's activations (`Activations.kernels`); hover one for
    its numbers. Asks for the height its width needs (put it in a QScrollArea if space is short)."""

    def __init__(self, state: ActivationsState, layer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"kernelsView_{layer}")
        self._state = state
        self._layer = layer
        self._kernels: ConvKernels | None = None
        self._scale = ColourScale(True, 1.0)
        self._images: dict[tuple[int, int], QImage] = {}  # (output map, input map) -> picture
        self._cells: dict[tuple[int, int], QRect] = {}
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        state.changed.connect(self._on_state_changed)
        self._on_state_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """Its name; painted texts and tooltips are translated as they are made."""
        self.setAccessibleName(arg(self.tr("Kernels of %1"), self._layer))
        self.update()

    # --- read-only views ------------------------------------------------------------------------

    def layer(self) -> str:
        return self._layer

    def kernel_count(self) -> int:
        """How many kernel pictures are shown (connected pairs only)."""
        return len(self._images)

    def kernel_rect(self, output_map: int, input_map: int = 0) -> QRect:
        return QRect(self._cells[(output_map, input_map)])

    def kernel_image(self, output_map: int, input_map: int = 0) -> QImage:
        return QImage(self._images[(output_map, input_map)])

    def scale(self) -> ColourScale:
        return self._scale

    def placeholder(self) -> str:
        if self._state.activations is None:
            return self.tr("Draw a digit to see the kernels.")
        if self._kernels is None:
            return arg(self.tr("This model has no convolution layer %1."), self._layer)
        return ""

    def title(self) -> str:
        """The line beside the layer's name: how many kernels, how large, what they read."""
        kernels = self._kernels
        if kernels is None:
            return ""
        out_maps, in_maps, k, _ = kernels.weight.shape
        if in_maps == 1:
            return arg(self.tr("%1 kernels of %2×%3 weights, one per map, each sliding over %4"),
                       out_maps, k, k, self._source_name())
        return arg(self.tr("%1 kernels of %2×%3 weights: a column per %4 map, a row per %5 map it reads"),
                   sum(len(c) for c in kernels.connections), k, k, self._layer, kernels.input_layer)

    def tooltip_at(self, pos: QPoint) -> str:
        for (out, inp), rect in self._cells.items():
            if rect.adjusted(0, 0, 1, 1).contains(pos):
                return self._tooltip(out, inp)
        return ""

    # --- following the state ---------------------------------------------------------------------

    @Slot()
    def _on_state_changed(self) -> None:
        acts = self._state.activations
        kernels = acts.kernels.get(self._layer) if acts is not None else None
        old = self._kernels
        self._kernels = kernels
        unchanged = (old is not None and kernels is not None and old.weight.shape == kernels.weight.shape
                     and np.array_equal(old.weight, kernels.weight) and old.connections == kernels.connections)
        if not unchanged:
            self._images = {}
            if kernels is not None:
                self._scale = ColourScale.for_values(kernels.weight, signed=True)
                for out, inputs in enumerate(kernels.connections):
                    for inp in inputs:
                        self._images[(out, inp)] = self._scale.image(kernels.weight[out, inp])
            self._relayout(self.width())
            self.updateGeometry()
        self.update()

    # --- geometry -----------------------------------------------------------------------------------

    def _header_height(self) -> int:
        return self.fontMetrics().height() + HEADER_GAP

    def _grid(self, width: int) -> tuple[dict[tuple[int, int], QRect], int]:
        """Each kernel's rectangle at this width, and the height they need."""
        kernels = self._kernels
        if kernels is None:
            return {}, 0
        out_maps, in_maps = kernels.weight.shape[:2]
        top = self._header_height()
        if in_maps == 1:
            cells = flow(out_maps, width, 44, 30, 4)
            rects = cells.rects(0, top)
            return {(out, 0): rects[out] for out in range(out_maps)}, top + cells.total_height
        small = QFontMetrics(small_font(self.font()))
        label_w = small.horizontalAdvance(f"{kernels.input_layer} {in_maps}") + 8
        side = max(4, min(34, (width - label_w + 3) // out_maps - 3))
        top += small.height() + 2  # the output map numbers
        rects = {(out, inp): QRect(label_w + out * (side + 3), top + inp * (side + 3), side, side)
                 for out in range(out_maps) for inp in range(in_maps)}
        return rects, top + in_maps * (side + 3) - 3

    def _relayout(self, width: int) -> None:
        self._cells = self._grid(width)[0]

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return max(self._grid(width)[1] + 2, self.fontMetrics().height() * 3)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(600, self.heightForWidth(600))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(240, self.fontMetrics().height() * 3)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._relayout(event.size().width())

    # --- painting -------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        kernels = self._kernels
        if kernels is None:
            painter.setPen(MUTED_TEXT)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder())
            return
        in_maps = kernels.weight.shape[1]
        line = self.fontMetrics().height()
        painter.setFont(bold_font(self.font()))
        painter.setPen(self.palette().windowText().color())
        painter.drawText(QRect(0, 0, self.width(), line), Qt.AlignmentFlag.AlignVCenter, self._layer)
        name_w = painter.fontMetrics().horizontalAdvance(self._layer) + 8
        painter.setFont(self.font())
        painter.setPen(MUTED_TEXT)
        text_w = max(self.width() - name_w - LEGEND_WIDTH - 12, 40)
        painter.drawText(QRect(name_w, 0, text_w, line), Qt.AlignmentFlag.AlignVCenter,
                         self.fontMetrics().elidedText(self.title(), Qt.TextElideMode.ElideRight, text_w))
        painter.setFont(small_font(self.font()))
        paint_scale_bar(painter, QRectF(self.width() - LEGEND_WIDTH, 0, LEGEND_WIDTH, line), self._scale)
        if in_maps > 1:
            self._paint_headers(painter, kernels)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        for key, rect in self._cells.items():
            image = self._images.get(key)
            if image is None:  # not connected
                painter.setPen(MUTED)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(0, 0, -1, -1))
                continue
            painter.drawImage(rect, image)
            painter.setPen(FRAME)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))

    def _paint_headers(self, painter: QPainter, kernels: ConvKernels) -> None:
        metrics = painter.fontMetrics()
        out_maps, in_maps = kernels.weight.shape[:2]
        painter.setPen(MUTED_TEXT)
        for out in range(out_maps):
            rect = self._cells[(out, 0)]
            painter.drawText(QRect(rect.left() - 4, rect.top() - metrics.height() - 2, rect.width() + 8,
                                   metrics.height()), Qt.AlignmentFlag.AlignCenter, str(out + 1))
        for inp in range(in_maps):
            rect = self._cells[(0, inp)]
            painter.drawText(QRect(0, rect.top(), rect.left() - 6, rect.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{kernels.input_layer} {inp + 1}")

    def _source_name(self) -> str:
        """What the layer reads, in words: "the digit" when that is the network input (padded or not)."""
        acts, kernels = self._state.activations, self._kernels
        assert kernels is not None
        name = kernels.input_layer
        if name == "input" or (acts is not None and name in acts.names and acts.layer(name).role == "reshape"
                               and acts.names.index(name) == 0):
            return self.tr("the digit")
        return name

    # --- tooltips -----------------------------------------------------------------------------------

    def _tooltip(self, out: int, inp: int) -> str:
        kernels = self._kernels
        assert kernels is not None
        source = arg(self.tr("%1 map %2"), kernels.input_layer, inp + 1)
        if (out, inp) not in self._images:
            return arg(self.tr("%1 map %2 does not read %3: the two are not connected."),
                       self._layer, out + 1, source)
        weights = kernels.weight[out, inp]
        return "\n".join([
            arg(self.tr("Kernel of %1 map %2 reading %3"), self._layer, out + 1, source),
            arg(self.tr("%1×%2 weights from %3 to %4"), weights.shape[0], weights.shape[1],
                number(float(weights.min())), number(float(weights.max()))),
            arg(self.tr("bias of the map: %1"), number(float(kernels.bias[out]), 3)),
        ])

    def event(self, event: QEvent) -> bool:
        return tooltip_event(self, event, self.tooltip_at) or super().event(event)

