"""One convolution pixel worked out in pictures: for every input map the kernel reads, the map
with the patch under the kernel outlined, the patch, the kernel, and what their products add
up to. With a single input map (C1) the patch and the kernel show their numbers too."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_app.core.activations import ConvArithmetic
from lenet_app.gui.colour_scale import ColourScale
from lenet_app.gui.language import Retranslating
from lenet_app.gui.network.legend import number, small_font
from lenet_app.gui.style import BADGE_TEXT, DARK_TEXT, FRAME, MUTED_TEXT, bold_font
from lenet_app.gui.text import arg

GAP = 10
SIGN_WIDTH = 22
SUM_WIDTH = 78
LABEL_WIDTH = 54


def _outline(painter: QPainter, rect: QRectF) -> None:
    """A highlight that shows on any colour: black outside, white inside."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor(0, 0, 0), 3))
    painter.drawRect(rect)
    painter.setPen(QPen(QColor(255, 255, 255), 1))
    painter.drawRect(rect)


class ArithmeticView(Retranslating, QWidget):
    """Paints one `ConvArithmetic` with the maps it read (`set_arithmetic`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arithmeticView")
        self._arithmetic: ConvArithmetic | None = None
        self._maps: np.ndarray | None = None
        self._map_scale = ColourScale(True, 1.0)
        self._kernel_scale = ColourScale(True, 1.0)
        self._map_images: list[QImage] = []  # the connected input maps
        self._images: list[tuple[QImage, QImage]] = []  # (patch, kernel) per connected input map
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.retranslate()

    def retranslate(self) -> None:
        """Its name; the painted headers are translated as they are painted."""
        self.setAccessibleName(self.tr("How the chosen pixel is computed"))
        self.update()

    def set_arithmetic(self, arithmetic: ConvArithmetic | None, maps: np.ndarray | None = None,
                       kernel_scale: ColourScale | None = None) -> None:
        """`maps`: every map of the layer the convolution read, (C, H, W); the kernels are
        coloured on `kernel_scale` (the layer's), so they compare with the Kernels view."""
        rebuild = arithmetic is None or maps is not self._maps or self._arithmetic is None \
            or self._arithmetic.input_maps != arithmetic.input_maps
        self._arithmetic = arithmetic
        if arithmetic is not None and maps is not None:
            if rebuild:
                self._maps = maps
                self._map_scale = ColourScale.for_values(maps, signed=bool(maps.min() < 0))
                self._map_images = [self._map_scale.image(maps[i]) for i in arithmetic.input_maps]
            self._kernel_scale = kernel_scale or ColourScale.for_values(arithmetic.kernel, signed=True)
            self._images = [(self._map_scale.image(patch), self._kernel_scale.image(kernel))
                            for patch, kernel in zip(arithmetic.patch, arithmetic.kernel)]
        self.updateGeometry()
        self.update()

    def column_titles(self) -> tuple[str, ...]:
        """The titles painted over the columns: input map, patch, kernel, sum."""
        if self._arithmetic is None:
            return ()
        return (arg(self.tr("%1 map"), self._arithmetic.input_layer), self.tr("patch"), self.tr("kernel"),
                self.tr("Σ products"))

    def kernel_count(self) -> int:
        """How many kernels the pixel's sum used (one per connected input map)."""
        return 0 if self._arithmetic is None else len(self._arithmetic.input_maps)

    # --- geometry ---------------------------------------------------------------------------

    def _sizes(self) -> tuple[int, int, bool]:
        """(input map side, patch/kernel side, numbers shown) for the current arithmetic."""
        single = self._arithmetic is not None and len(self._arithmetic.input_maps) == 1
        return (112, 150, True) if single else (64, 56, False)

    def _header(self) -> int:
        return self.fontMetrics().height() + 6

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if self._arithmetic is None:
            return QSize(300, 40)
        thumb, grid, _ = self._sizes()
        row = max(thumb, grid)
        count = len(self._arithmetic.input_maps)
        width = LABEL_WIDTH + thumb + GAP + grid + SIGN_WIDTH + grid + SIGN_WIDTH + SUM_WIDTH
        return QSize(width, self._header() + count * (row + GAP))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        a = self._arithmetic
        if a is None or self._maps is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        thumb, grid, numbers = self._sizes()
        row_h = max(thumb, grid)
        x_thumb = LABEL_WIDTH
        x_patch = x_thumb + thumb + GAP
        x_kernel = x_patch + grid + SIGN_WIDTH
        x_sum = x_kernel + grid + SIGN_WIDTH
        painter.setPen(MUTED_TEXT)
        header = self._header()
        for x, width, text in zip((x_thumb, x_patch, x_kernel, x_sum), (thumb, grid, grid, SUM_WIDTH),
                                  self.column_titles()):
            painter.drawText(QRect(x - 8, 0, width + 16, header), Qt.AlignmentFlag.AlignHCenter
                             | Qt.AlignmentFlag.AlignTop, text)
        height, width = self._maps.shape[1:]
        k = a.kernel.shape[-1]
        for i, map_index in enumerate(a.input_maps):
            top = header + i * (row_h + GAP)
            painter.setPen(MUTED_TEXT)
            painter.setFont(small_font(self.font()))
            painter.drawText(QRect(0, top, LABEL_WIDTH - 6, thumb), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, arg(self.tr("map %1"), map_index + 1))
            painter.setFont(self.font())
            target = QRectF(x_thumb, top + (row_h - thumb) / 2, thumb, thumb)
            painter.drawImage(target, self._map_images[i])
            painter.setPen(FRAME)
            painter.drawRect(target)
            sx, sy = thumb / width, thumb / height
            _outline(painter, QRectF(target.left() + a.left * sx, target.top() + a.top * sy, k * sx, k * sy))
            patch_image, kernel_image = self._images[i]
            g_top = top + (row_h - grid) / 2
            for x, image, values, scale in ((x_patch, patch_image, a.patch[i], self._map_scale),
                                            (x_kernel, kernel_image, a.kernel[i], self._kernel_scale)):
                cell = QRectF(x, g_top, grid, grid)
                painter.drawImage(cell, image)
                painter.setPen(FRAME)
                painter.drawRect(cell)
                if numbers:
                    self._paint_numbers(painter, cell, values, scale)
            painter.setPen(self.palette().windowText().color())
            painter.setFont(bold_font(self.font()))
            middle = QRectF(0, g_top, 0, grid)
            painter.drawText(QRectF(x_kernel - SIGN_WIDTH, middle.top(), SIGN_WIDTH, grid),
                             Qt.AlignmentFlag.AlignCenter, "×")
            painter.drawText(QRectF(x_sum - SIGN_WIDTH, middle.top(), SIGN_WIDTH, grid),
                             Qt.AlignmentFlag.AlignCenter, "=")
            painter.setFont(self.font())
            partial = float((a.patch[i].astype(np.float64) * a.kernel[i].astype(np.float64)).sum())
            painter.drawText(QRectF(x_sum, middle.top(), SUM_WIDTH, grid),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number(partial, 3))

    def _paint_numbers(self, painter: QPainter, cell: QRectF, values: np.ndarray, scale: ColourScale) -> None:
        k = values.shape[0]
        side = cell.width() / k
        painter.setFont(small_font(self.font(), 0.75))
        rgb = scale.rgb(values)
        for r in range(k):
            for c in range(k):
                red, green, blue = (int(v) for v in rgb[r, c])
                light = 0.299 * red + 0.587 * green + 0.114 * blue > 140
                painter.setPen(DARK_TEXT if light else BADGE_TEXT)
                painter.drawText(QRectF(cell.left() + c * side, cell.top() + r * side, side, side),
                                 Qt.AlignmentFlag.AlignCenter, number(float(values[r, c])))
        painter.setFont(self.font())
