"""The drawing pad of the Draw tab: light ink on a dark square, like an MNIST digit.

Strokes are kept as data (`strokes.Stroke`), not only as pixels, so the canvas can undo a
stroke and redraw itself crisply at any size and device pixel ratio. Every stroke is painted
twice: into a screen image at the widget's physical resolution, and into a fixed 280×280
image that predictions read. The fixed image makes a prediction cost the same whatever the
window size or screen, and gives the same answer for the same drawing on a laptop and on a
4K monitor.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_app.gui.draw.strokes import INPUT_SIDE, Picture, Stroke, paint_latest, pressure_factor, render
from lenet_app.gui.language import Retranslating
from lenet_app.gui.qimage import gray_array
from lenet_app.gui.style import ACCENT, FRAME, PAPER, PLACEHOLDER

#: Default pen width as a fraction of the canvas side.
DEFAULT_PEN_WIDTH = 1.0 / 12.0
#: Pressure a mouse or finger is taken to press with; a pen varies around it.
NEUTRAL_PRESSURE = 0.5

_CORNER = 8.0


class DrawingCanvas(Retranslating, QWidget):
    """A square drawing pad for mouse, pen tablet and touch, with undo and a background picture."""

    #: The contents changed (also during a stroke, once per new segment).
    changed = Signal()
    #: A stroke ended: the drawing is complete for now.
    stroke_finished = Signal()
    #: Something was dropped on the canvas; the QMimeData is valid only during the call.
    mime_dropped = Signal(QMimeData)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawCanvas")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(280, 280)

        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._pen_width = DEFAULT_PEN_WIDTH
        self._picture: Picture | None = None
        self._screen = QImage()  # physical pixels, devicePixelRatio set
        self._input = QImage(INPUT_SIDE, INPUT_SIDE, QImage.Format.Format_Grayscale8)
        self._input.fill(PAPER)
        self._drop_hover = False
        self.retranslate()

    def retranslate(self) -> None:
        """Its names and tooltip; the painted hints are translated as they are painted (Qt
        repaints a widget on LanguageChange)."""
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.setAccessibleDescription(self.tr(
            "Draw one digit with the mouse, a pen or a finger; drop a picture to read it instead"))
        self.setToolTip(self.tr("Draw a digit here. You can also drop or paste a picture of one."))

    # --- public API ---------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, 520)

    def set_pen_width(self, fraction: float) -> None:
        """Width of the strokes drawn from now on, as a fraction of the canvas side."""
        self._pen_width = min(max(float(fraction), 0.005), 0.5)

    def is_blank(self) -> bool:
        return not self._strokes and self._picture is None

    def is_drawing(self) -> bool:
        return self._current is not None

    def stroke_count(self) -> int:
        return len(self._strokes)

    def has_background(self) -> bool:
        return self._picture is not None

    def input_array(self) -> np.ndarray:
        """The drawing as the network input is made from: 280×280 uint8, light ink on black."""
        return gray_array(self._input).copy()

    def screen_image(self) -> QImage:
        """The image shown on screen, at physical resolution (for tests and screenshots)."""
        self._ensure_screen()
        return self._screen

    def clear(self) -> None:
        """Remove every stroke and the background picture."""
        self._current = None
        self._strokes.clear()
        self._picture = None
        self._render()
        self.changed.emit()

    def undo(self) -> bool:
        """Remove the last stroke (the one being drawn, if any); False when there is none."""
        if not self._strokes:
            return False
        self._strokes.pop()  # a stroke being drawn is always the last one
        self._current = None
        self._render()
        self.changed.emit()
        return True

    def set_background(self, pixels: np.ndarray | None) -> None:
        """Start over from a picture (square 2-D uint8, light ink on dark) to draw on top of."""
        self._current = None
        self._strokes.clear()
        self._picture = None if pixels is None else Picture.from_pixels(pixels)
        self._render()
        self.changed.emit()

    # --- geometry -----------------------------------------------------------------------

    def drawing_rect(self) -> QRectF:
        """The square the drawing occupies, in widget coordinates (centred in the widget)."""
        side = float(max(min(self.width(), self.height()), 1))
        return QRectF((self.width() - side) / 2.0, (self.height() - side) / 2.0, side, side)

    def _to_unit(self, position: QPointF) -> tuple[float, float]:
        square = self.drawing_rect()
        return ((position.x() - square.left()) / square.width(),
                (position.y() - square.top()) / square.height())

    # --- rendering ----------------------------------------------------------------------

    def _ensure_screen(self) -> None:
        ratio = self.devicePixelRatioF()
        side_px = max(round(self.drawing_rect().width() * ratio), 1)
        if (self._screen.isNull() or self._screen.width() != side_px
                or self._screen.devicePixelRatio() != ratio):
            self._screen = QImage(side_px, side_px, QImage.Format.Format_Grayscale8)
            self._screen.setDevicePixelRatio(ratio)
            render(self._screen, self._strokes, self._picture_for_screen(side_px))

    def _picture_for_screen(self, side_px: int) -> QImage | None:
        return None if self._picture is None else self._picture.for_screen(side_px)

    def _render(self) -> None:
        """Redraw both images from the strokes; only on clear, undo, resize and new pictures."""
        render(self._input, self._strokes, None if self._picture is None else self._picture.for_input)
        if not self._screen.isNull():
            render(self._screen, self._strokes, self._picture_for_screen(self._screen.width()))
        self._ensure_screen()
        self.update()

    def _paint_latest(self, stroke: Stroke) -> None:
        """Paint just the newest dot or segment into both images, and repaint only around it."""
        self._ensure_screen()
        paint_latest(self._screen, stroke)
        paint_latest(self._input, stroke)
        index = len(stroke.points) - 1
        square = self.drawing_rect()
        xs = [p[0] for p in stroke.points[max(index - 1, 0):]]
        ys = [p[1] for p in stroke.points[max(index - 1, 0):]]
        margin = stroke.width * pressure_factor(1.0) / 2.0 + 2.0 / square.width()
        dirty = QRectF(square.left() + (min(xs) - margin) * square.width(),
                       square.top() + (min(ys) - margin) * square.height(),
                       (max(xs) - min(xs) + 2 * margin) * square.width(),
                       (max(ys) - min(ys) + 2 * margin) * square.height())
        self.update(dirty.toAlignedRect())

    # --- strokes from any pointing device ------------------------------------------------

    def _begin(self, position: QPointF, pressure: float) -> None:
        if self._current is not None:
            self._finish()
        self._current = Stroke(self._pen_width)
        self._strokes.append(self._current)
        self._extend(position, pressure)

    def _extend(self, position: QPointF, pressure: float) -> None:
        stroke = self._current
        if stroke is None:
            return
        x, y = self._to_unit(position)
        if stroke.points:
            last_x, last_y, _ = stroke.points[-1]
            # Sub-pixel moves add nothing but work.
            side = self.drawing_rect().width()
            if abs(x - last_x) * side < 0.5 and abs(y - last_y) * side < 0.5:
                return
        stroke.points.append((x, y, pressure))
        self._paint_latest(stroke)
        self.changed.emit()

    def _finish(self) -> None:
        if self._current is None:
            return
        self._current = None
        self.stroke_finished.emit()

    def _cancel(self) -> None:
        """The system took the gesture away (touch cancel): forget the half-drawn stroke."""
        if self._current is None:
            return
        self.undo()
        self.stroke_finished.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), NEUTRAL_PRESSURE)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        # Without mouse tracking Qt only sends moves while a button is held; the stroke
        # itself says whether the pen is down.
        if self._current is not None:
            self._extend(event.position(), NEUTRAL_PRESSURE)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._extend(event.position(), NEUTRAL_PRESSURE)
            self._finish()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletMove:
            if self._current is not None:
                self._extend(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletRelease:
            self._finish()
        event.accept()  # no synthesised mouse events: they would draw the stroke twice

    def event(self, event: QEvent) -> bool:  # noqa: D102 - touch is delivered only here
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel):
            points = event.points()
            if kind == QEvent.Type.TouchCancel:
                self._cancel()
            elif points:
                position = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(position, NEUTRAL_PRESSURE)
                else:
                    self._extend(position, NEUTRAL_PRESSURE)
                    if kind == QEvent.Type.TouchEnd:
                        self._finish()
            event.accept()
            return True
        if kind == QEvent.Type.DevicePixelRatioChange:
            self._ensure_screen()
            self.update()
        return super().event(event)

    # --- drag and drop ------------------------------------------------------------------

    @staticmethod
    def _can_take(mime: QMimeData | None) -> bool:
        if mime is None:
            return False
        if mime.hasImage() or any(url.isLocalFile() for url in mime.urls()):
            return True
        return any(name.startswith("image/") for name in mime.formats())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._can_take(event.mimeData()):
            event.acceptProposedAction()
            self._drop_hover = True
            self.update()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt override
        self._drop_hover = False
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self._drop_hover = False
        self.update()
        mime = event.mimeData()
        if not self._can_take(mime):
            event.ignore()
            return
        event.acceptProposedAction()
        self.mime_dropped.emit(mime)

    # --- painting -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._ensure_screen()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._ensure_screen()
        square = self.drawing_rect()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = QPainterPath()
        clip.addRoundedRect(square, _CORNER, _CORNER)
        painter.setClipPath(clip)
        painter.drawImage(square.topLeft(), self._screen)
        if self.is_blank() and not self._drop_hover:
            painter.setPen(PLACEHOLDER)
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.4)
            painter.setFont(font)
            painter.drawText(square, Qt.AlignmentFlag.AlignCenter, self.tr("Draw a digit here"))
        painter.setClipping(False)
        if self._drop_hover:
            painter.setPen(QPen(ACCENT, 3, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(square.adjusted(1.5, 1.5, -1.5, -1.5), _CORNER, _CORNER)
            painter.setPen(ACCENT.lighter(130))
            painter.drawText(square, Qt.AlignmentFlag.AlignCenter, self.tr("Drop the picture to read it"))
        else:
            painter.setPen(QPen(FRAME, 1))
            painter.drawRoundedRect(square.adjusted(0.5, 0.5, -0.5, -0.5), _CORNER, _CORNER)
