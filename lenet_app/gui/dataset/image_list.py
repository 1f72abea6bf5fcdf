"""The thumbnail grid's item model and delegate, built to stay fast over all 70,000 images.

Rows are a numpy index array into one split, so filtering and sorting (see `filtering`) end
in one model reset; the delegate paints each visible thumbnail straight from the uint8
images, so no per-image widget, file or pixmap ever exists.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from lenet_app.core.evaluation import EvaluationResult
from lenet_app.core.mnist import MnistSplit
from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.qimage import gray_qimage
from lenet_app.gui.style import ACCENT, BADGE_TEXT, LABEL_BADGE, MISTAKE, WARNING
from lenet_app.gui.text import arg, format_percent

IMAGE_SIDE = 28
#: Thumbnail scales offered to the user: 2× fits many on screen, 4× reads well on a projector.
SCALES = (2, 3, 4)
#: The compared model's wrong answer on a thumbnail (the active model's is MISTAKE red).
COMPARED_MISTAKE = WARNING


class MnistImageListModel(QAbstractListModel):
    """One row per shown image: `rows[i]` is the image's index in the current split."""

    CACHE_SIZE = 4096  # about 3 MB of 28×28 QImages: several screens of scrolling back and forth

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._split: MnistSplit | None = None
        self._result: EvaluationResult | None = None
        self._compared: EvaluationResult | None = None  # the second model's, when two are compared
        self._compared_name = ""
        self._rows = np.zeros(0, dtype=np.int64)
        self._cache: OrderedDict[int, QImage] = OrderedDict()

    # --- state -------------------------------------------------------------------------

    @property
    def split(self) -> MnistSplit | None:
        return self._split

    @property
    def rows(self) -> np.ndarray:
        return self._rows

    def cached_thumbnails(self) -> int:
        return len(self._cache)

    def set_view(self, split: MnistSplit | None, result: EvaluationResult | None,
                 rows: np.ndarray, compared: EvaluationResult | None = None, compared_name: str = "") -> None:
        """Show `rows` of `split`; one reset, because views relayout fastest from scratch.
        `compared` (named `compared_name`): a second model's results on the split, or None."""
        self.beginResetModel()
        if split is not self._split:
            self._cache.clear()
        self._split = split
        self._result = result if split is not None else None
        same_images = split is not None and compared is not None and len(compared) == len(split)
        self._compared = compared if same_images else None
        self._compared_name = compared_name
        self._rows = np.asarray(rows, dtype=np.int64) if split is not None else np.zeros(0, np.int64)
        self.endResetModel()

    def row_of(self, image_index: int) -> int | None:
        """The row showing `image_index`, None when the filter hides it (vectorised, no loop)."""
        hits = np.flatnonzero(self._rows == image_index)
        return int(hits[0]) if len(hits) else None

    def texts_changed(self) -> None:
        """The language changed: every row's tooltip and accessible text reads differently
        (the model gets no LanguageChange; its view calls this)."""
        if len(self._rows):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole])

    # --- per-item values, cheap enough to call from paint ---------------------------------

    def image_index(self, row: int) -> int:
        return int(self._rows[row])

    def thumbnail(self, row: int) -> QImage:
        """The image as a QImage over the 28×28 slice, kept in a small LRU cache."""
        index = int(self._rows[row])
        image = self._cache.get(index)
        if image is not None:
            self._cache.move_to_end(index)
            return image
        image = gray_qimage(self._split.images[index])
        self._cache[index] = image
        if len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)
        return image

    def label(self, row: int) -> int:
        return int(self._split.labels[self._rows[row]])

    def prediction(self, row: int) -> tuple[int, float] | None:
        if self._result is None:
            return None
        index = self._rows[row]
        predicted = int(self._result.predictions[index])
        return predicted, float(self._result.probabilities[index, predicted])

    def compared_prediction(self, row: int) -> tuple[int, float] | None:
        """The second model's answer, None when no second model is compared (or still reading)."""
        if self._compared is None:
            return None
        index = self._rows[row]
        predicted = int(self._compared.predictions[index])
        return predicted, float(self._compared.probabilities[index, predicted])

    def describe(self, row: int) -> str:
        name = {"test": self.tr("test image"), "train": self.tr("training image"),
                MY_DIGITS_SPLIT: self.tr("my digit")}.get(self._split.name, self._split.name)
        text = arg(self.tr("%1 #%2: label %3"), name, self.image_index(row), self.label(row))
        prediction = self.prediction(row)
        if prediction is not None:
            text += arg(self.tr(", predicted %1 (%2)"), prediction[0], format_percent(prediction[1], 0))
        compared = self.compared_prediction(row)
        if compared is not None:
            text += arg(self.tr("; %1 read %2 (%3)"), self._compared_name, compared[0],
                        format_percent(compared[1], 0))
        return text

    # --- QAbstractListModel ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._split is None or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.label(index.row()))
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(index.row())
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class DigitDelegate(QStyledItemDelegate):
    """Paints a thumbnail with its true label, and a mistake's prediction in red, in the corners;
    when a second model is compared, its wrong answers in orange in the corner below."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scale = SCALES[0]
        self._font = QFont()
        self._update_font()

    def set_scale(self, scale: int) -> None:
        self._scale = int(scale)
        self._update_font()

    def _update_font(self) -> None:
        self._font.setBold(True)
        self._font.setPixelSize(7 + 2 * self._scale)

    def _padding(self) -> int:
        # Wide enough that the corner badges cover little more than MNIST's empty 4-pixel border.
        return 4 + 2 * self._scale

    def cell_size(self) -> QSize:
        side = IMAGE_SIDE * self._scale + 2 * self._padding()
        return QSize(side, side)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return self.cell_size()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        images = index.model()
        row = index.row()
        rect = QRect(option.rect)
        side = IMAGE_SIDE * self._scale
        target = QRect(rect.left() + (rect.width() - side) // 2, rect.top() + (rect.height() - side) // 2,
                       side, side)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(rect, option.palette.color(QPalette.ColorRole.Highlight))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, images.thumbnail(row))

        prediction = images.prediction(row)
        label = images.label(row)
        wrong = prediction is not None and prediction[0] != label
        if wrong:
            painter.setPen(QPen(MISTAKE, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(target).adjusted(1, 1, -1, -1))

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font)
        badge = painter.fontMetrics().height() + 1
        inset = self._padding() // 2
        cell = QRectF(rect).adjusted(inset, inset, -inset, -inset)
        self._badge(painter, QRectF(cell.left(), cell.top(), badge, badge), str(label), LABEL_BADGE)
        if wrong:
            self._badge(painter, QRectF(cell.right() - badge, cell.top(), badge, badge),
                        str(prediction[0]), MISTAKE)
        compared = images.compared_prediction(row)
        if compared is not None and compared[0] != label:
            self._badge(painter, QRectF(cell.right() - badge, cell.bottom() - badge, badge, badge),
                        str(compared[0]), COMPARED_MISTAKE)
        if option.state & QStyle.StateFlag.State_HasFocus and selected:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(QPen(ACCENT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(rect).adjusted(1, 1, -1, -1))
        painter.restore()

    @staticmethod
    def _badge(painter: QPainter, rect: QRectF, text: str, color: QColor) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(BADGE_TEXT)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
