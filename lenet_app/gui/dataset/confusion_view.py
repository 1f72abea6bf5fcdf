"""The test-set confusion matrix as a clickable heat map, and per-class accuracy bars.

Correct answers (the diagonal) are drawn in green and mistakes in red, each on its own scale,
so a handful of confusions stays visible next to the thousands of correct answers.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from lenet_app.gui.language import Retranslating
from lenet_app.gui.style import ACCENT, BADGE_TEXT, CORRECT, DARK_TEXT, MISTAKE, bold_font
from lenet_app.gui.text import arg, format_count, format_percent

NUM_CLASSES = 10


def _blend(base: QColor, color: QColor, amount: float) -> QColor:
    amount = min(max(amount, 0.0), 1.0)
    return QColor(round(base.red() + (color.red() - base.red()) * amount),
                  round(base.green() + (color.green() - base.green()) * amount),
                  round(base.blue() + (color.blue() - base.blue()) * amount))


def _text_on(color: QColor) -> QColor:
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return DARK_TEXT if luminance > 150 else BADGE_TEXT


class ConfusionMatrixView(Retranslating, QWidget):
    """Rows are true labels, columns predictions; a click (or Enter) on a cell emits it."""

    cell_activated = Signal(int, int)  # true label, predicted label
    geometry_changed = Signal()  # cells moved: views aligned to the rows repaint

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: np.ndarray | None = None
        self._placeholder = ""
        self._selected: tuple[int, int] | None = None
        self._hover: tuple[int, int] | None = None
        self._current = (0, 0)
        self.setObjectName("confusionMatrixView")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(280, 280)
        self.retranslate()  # the accessible name is its owner's: it names the split counted

    def retranslate(self) -> None:
        """The tooltip and description; the axis titles are painted (the placeholder is the owner's)."""
        self.setToolTip(self.tr("Rows: true digit, columns: what the model predicted. "
                                "Click a cell to see those images."))
        self._describe()
        self.update()

    # --- state -------------------------------------------------------------------------

    def matrix(self) -> np.ndarray | None:
        return self._matrix

    def set_matrix(self, matrix: np.ndarray | None, placeholder: str = "") -> None:
        self._matrix = None if matrix is None else np.asarray(matrix, dtype=np.int64)
        self._placeholder = placeholder
        self._hover = None
        self._describe()
        self.update()

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        """Outline the cell the grid is filtered to (None: the filter is no single cell)."""
        if cell != self._selected:
            self._selected = cell
            if cell is not None:
                self._current = cell
            self.update()

    def selected(self) -> tuple[int, int] | None:
        return self._selected

    def _describe(self) -> None:
        if self._matrix is None:
            self.setAccessibleDescription(self._placeholder)
            return
        mistakes = [(int(self._matrix[t, p]), t, p) for t in range(NUM_CLASSES)
                    for p in range(NUM_CLASSES) if t != p and self._matrix[t, p]]
        mistakes.sort(reverse=True)
        top = "; ".join(arg(self.tr("%1 read as %2: %3"), t, p, n) for n, t, p in mistakes[:5])
        self.setAccessibleDescription(arg(self.tr("Most frequent mistakes: %1"), top or "-"))

    # --- geometry ----------------------------------------------------------------------

    def _layout(self) -> tuple[QRectF, float]:
        """The 10×10 grid's rectangle and cell size, leaving room for the axis titles/headers."""
        metrics = self.fontMetrics()
        header = metrics.height() * 1.4
        title = metrics.height() * 1.3
        left, top = title + header, title + header
        side = max(min(self.width() - left - 4, self.height() - top - 4), 10.0)
        cell = side / NUM_CLASSES
        return QRectF(left, top, cell * NUM_CLASSES, cell * NUM_CLASSES), cell

    def cell_rect(self, true_label: int, predicted_label: int) -> QRectF:
        grid, cell = self._layout()
        return QRectF(grid.left() + predicted_label * cell, grid.top() + true_label * cell, cell, cell)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        grid, cell = self._layout()
        if not grid.contains(pos):
            return None
        column = min(int((pos.x() - grid.left()) / cell), NUM_CLASSES - 1)
        row = min(int((pos.y() - grid.top()) / cell), NUM_CLASSES - 1)
        return row, column

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(380, 380)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return width

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.geometry_changed.emit()

    def moveEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().moveEvent(event)
        self.geometry_changed.emit()

    # --- painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.WindowText)
        grid, cell = self._layout()
        metrics = self.fontMetrics()
        title_h = metrics.height() * 1.3
        header_h = metrics.height() * 1.4

        painter.setFont(bold_font(self.font()))
        painter.setPen(text)
        painter.drawText(QRectF(grid.left(), 0, grid.width(), title_h), Qt.AlignmentFlag.AlignCenter,
                         self.tr("Predicted digit"))
        painter.save()
        painter.translate(0, grid.bottom())
        painter.rotate(-90)
        painter.drawText(QRectF(0, 0, grid.height(), title_h), Qt.AlignmentFlag.AlignCenter,
                         self.tr("True digit"))
        painter.restore()
        for digit in range(NUM_CLASSES):
            painter.drawText(QRectF(grid.left() + digit * cell, title_h, cell, header_h),
                             Qt.AlignmentFlag.AlignCenter, str(digit))
            painter.drawText(QRectF(title_h, grid.top() + digit * cell, header_h, cell),
                             Qt.AlignmentFlag.AlignCenter, str(digit))

        if self._matrix is None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRect(grid)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.setFont(self.font())
            painter.drawText(grid.adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
            return

        matrix = self._matrix
        totals = np.maximum(matrix.sum(axis=1), 1)
        off = matrix.copy()
        np.fill_diagonal(off, 0)
        worst = max(int(off.max()), 1)
        count_font = QFont(self.font())
        count_font.setPixelSize(max(int(cell * 0.30), 8))
        painter.setFont(count_font)
        for true in range(NUM_CLASSES):
            for predicted in range(NUM_CLASSES):
                count = int(matrix[true, predicted])
                rect = self.cell_rect(true, predicted)
                if true == predicted:
                    color = _blend(base, CORRECT, 0.25 + 0.75 * count / totals[true])
                elif count:
                    # Log scale: one stray image must already be visible, the worst pair saturates.
                    color = _blend(base, MISTAKE, 0.18 + 0.82 * math.log1p(count) / math.log1p(worst))
                else:
                    color = base
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 0.5))
                painter.setBrush(color)
                painter.drawRect(rect)
                if count or true == predicted:
                    painter.setPen(_text_on(color))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        for cell_pos, color, width in ((self._hover, palette.color(QPalette.ColorRole.WindowText), 1.5),
                                       (self._selected, ACCENT, 3.0)):
            if cell_pos is not None:
                painter.setPen(QPen(color, width))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(self.cell_rect(*cell_pos).adjusted(1, 1, -1, -1))
        if self.hasFocus():
            painter.setPen(QPen(ACCENT, 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(*self._current).adjusted(3, 3, -3, -3))

    # --- interaction -------------------------------------------------------------------

    def _cell_text(self, cell: tuple[int, int]) -> str:
        true, predicted = cell
        count = format_count(int(self._matrix[true, predicted]))
        if true == predicted:
            return arg(self.tr("%1 test images of a %2 read correctly. Click to show them."), count, true)
        return arg(self.tr("%1 test images of a %2 read as %3. Click to show them."), count, true, predicted)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        cell = self.cell_at(event.position()) if self._matrix is not None else None
        if cell != self._hover:
            self._hover = cell
            self.setCursor(Qt.CursorShape.PointingHandCursor if cell else Qt.CursorShape.ArrowCursor)
            self.update()
        if cell is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self._cell_text(cell), self)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self._matrix is not None:
            cell = self.cell_at(event.position())
            if cell is not None:
                self._current = cell
                self.cell_activated.emit(*cell)
                return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        moves = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1),
                 Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}
        key = event.key()
        if key in moves:
            dr, dc = moves[key]
            row, column = self._current
            self._current = (min(max(row + dr, 0), NUM_CLASSES - 1), min(max(column + dc, 0), NUM_CLASSES - 1))
            self.update()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._matrix is not None:
            self.cell_activated.emit(*self._current)
            return
        super().keyPressEvent(event)


class ClassAccuracyView(Retranslating, QWidget):
    """Accuracy per true digit as bars, each beside its row of the confusion matrix."""

    def __init__(self, matrix_view: ConfusionMatrixView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix_view = matrix_view
        self._accuracy: np.ndarray | None = None
        self._counts: np.ndarray | None = None
        self.setObjectName("perClassAccuracyView")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(130)
        matrix_view.geometry_changed.connect(self.update)
        self.retranslate()

    def retranslate(self) -> None:
        """Name and tooltip; the title and the counts are painted."""
        self.setAccessibleName(self.tr("Accuracy per digit on the test set"))
        self.setToolTip(self.tr("How often the model reads each digit correctly, and how many "
                                "test images there are of it"))
        self.update()

    def set_confusion(self, matrix: np.ndarray | None) -> None:
        if matrix is None:
            self._accuracy = self._counts = None
            self.setAccessibleDescription("")
        else:
            matrix = np.asarray(matrix)
            self._counts = matrix.sum(axis=1)
            # A digit without images (a few of the user's own digits) has no accuracy: NaN, drawn as "–".
            self._accuracy = np.where(self._counts > 0, np.diag(matrix) / np.maximum(self._counts, 1), np.nan)
            self.setAccessibleDescription(", ".join(
                f"{d}: {format_percent(a, 1)}" for d, a in enumerate(self._accuracy)))
        self.update()

    def accuracies(self) -> np.ndarray | None:
        return self._accuracy

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(170, 380)

    def _row_rect(self, digit: int) -> QRectF:
        """The confusion matrix's row `digit`, in this widget's coordinates."""
        cell = self._matrix_view.cell_rect(digit, 0)
        top = self.mapFromGlobal(self._matrix_view.mapToGlobal(cell.topLeft().toPoint())).y()
        return QRectF(0, top, self.width(), cell.height())

    def _scale_floor(self) -> float:
        """Where the bars start: 90 % for a trained model, so 97 % and 99.5 % look different."""
        if self._accuracy is None or np.isnan(self._accuracy).all():
            return 0.9
        return min(0.9, math.floor(float(np.nanmin(self._accuracy)) * 10) / 10)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = self.fontMetrics()
        painter.setFont(bold_font(self.font()))
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, self.width(), metrics.height() * 1.3), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignVCenter, self.tr("Accuracy per digit"))
        value_w = metrics.horizontalAdvance("100.0%") + 6
        bar_w = max(self.width() - value_w - 4, 20)
        floor = self._scale_floor()
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 6.0))
        two_lines = metrics.height() + QFontMetrics(small).height()  # a row this tall shows "of N" too
        for digit in range(NUM_CLASSES):
            row = self._row_rect(digit)
            track = QRectF(0, row.top() + row.height() * 0.3, bar_w, row.height() * 0.4)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(track, 3, 3)
            if self._accuracy is None:
                continue
            accuracy = float(self._accuracy[digit])
            if accuracy == accuracy:
                fill = min(max((accuracy - floor) / (1.0 - floor), 0.0), 1.0)
                painter.setBrush(_blend(MISTAKE, CORRECT, fill))
                painter.drawRoundedRect(QRectF(track.left(), track.top(), max(track.width() * fill, 2.0),
                                               track.height()), 3, 3)
            painter.setFont(self.font())
            painter.setPen(text)
            if row.height() < two_lines:  # a small window: the count only in the tooltip
                painter.drawText(QRectF(bar_w + 4, row.top(), value_w, row.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 format_percent(accuracy, 1))
                continue
            painter.drawText(QRectF(bar_w + 4, row.top(), value_w, row.height() * 0.58),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, format_percent(accuracy, 1))
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(QRectF(bar_w + 4, row.top() + row.height() * 0.58, value_w, row.height() * 0.42),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             arg(self.tr("of %1"), format_count(int(self._counts[digit]))))
        if self._accuracy is not None:
            painter.setFont(small)
            painter.setPen(muted)
            header = self._matrix_view.cell_rect(0, 0)
            top = self.mapFromGlobal(self._matrix_view.mapToGlobal(header.topLeft().toPoint())).y()
            painter.drawText(QRectF(0, top - metrics.height() * 1.4, self.width(), metrics.height() * 1.3),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             arg(self.tr("bars from %1 to %2"), format_percent(floor, 0), format_percent(1.0, 0)))
