"""Small widgets shared by several tabs: probability bars, a 28×28 digit view, a live value,
a message banner, a vertical scroll area, and `named()` for every control."""

from __future__ import annotations

from typing import Sequence, TypeVar

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from lenet_app.gui.language import Retranslating
from lenet_app.gui.qimage import gray_qimage
from lenet_app.gui.style import ACCENT, BANNER_TINTS, MARGIN, MUTED, bold_font, hex_color

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str, tip: str) -> W:
    """The three things every control gets here: a stable object name (tests, styles), a name
    for screen readers and a tooltip that says what it does."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setToolTip(tip)
    return widget


class StatLabel(QLabel):
    """A label for a value that changes several times a second (speed, loss, the prediction).

    `QLabel.setText` invalidates every layout up to the window, and Qt then repaints the whole
    window: at the Train tab's 10 Hz that cost the GUI thread ~0.3 s of CPU per 3 s epoch,
    taken from training on a 2-core machine, and drawing repainted the window ~30 times a
    second. A widget of fixed size stops that request at itself, so this label keeps a fixed
    size that only grows when a longer value needs it (which also keeps the row from
    jittering as digits change).
    """

    def setText(self, text: str) -> None:  # noqa: N802 - shadows QLabel.setText
        if text == self.text():
            return
        super().setText(text)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.setMinimumSize(0, 0)  # may need to shrink as well as grow
            self._fit()

    def _fit(self) -> None:
        current = self.minimumSize()
        needed = self.sizeHint().expandedTo(current)
        if needed != current or self.maximumSize() != current:
            self.setFixedSize(needed)


class ProbabilityBars(Retranslating, QWidget):
    """Ten horizontal bars for the digits 0–9, the winner highlighted; empty when no digit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probabilities: tuple[float, ...] | None = None
        self.setObjectName("probabilityBars")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(180, 200)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Probability of each digit"))
        self.setToolTip(self.tr("How sure the network is about each digit 0–9"))

    def probabilities(self) -> tuple[float, ...] | None:
        return self._probabilities

    def set_probabilities(self, probabilities: Sequence[float] | None) -> None:
        self._probabilities = None if probabilities is None else tuple(float(p) for p in probabilities)
        self.setAccessibleDescription(
            "" if self._probabilities is None else
            ", ".join(f"{d}: {p * 100:.0f}%" for d, p in enumerate(self._probabilities)))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(260, 260)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        rows = 10
        row_h = self.height() / rows
        label_w = painter.fontMetrics().horizontalAdvance("0") * 2 + 6
        pct_w = painter.fontMetrics().horizontalAdvance("100%") + 8
        bar_w = max(self.width() - label_w - pct_w, 10)
        probs = self._probabilities
        regular = QFont(painter.font())
        bold = QFont(regular)
        bold.setBold(True)
        winner = max(range(10), key=lambda d: probs[d]) if probs else -1
        for digit in range(rows):
            top = digit * row_h
            painter.setPen(text_color)
            painter.setFont(bold if digit == winner else regular)
            painter.drawText(QRectF(0, top, label_w - 6, row_h), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, str(digit))
            track = QRectF(label_w, top + row_h * 0.2, bar_w, row_h * 0.6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(track, 3, 3)
            if probs is None:
                continue
            value = min(max(probs[digit], 0.0), 1.0)
            painter.setBrush(ACCENT if digit == winner else MUTED)
            painter.drawRoundedRect(QRectF(track.left(), track.top(), max(track.width() * value, 1.0),
                                           track.height()), 3, 3)
            painter.setPen(text_color)
            painter.setFont(bold if digit == winner else regular)
            painter.drawText(QRectF(label_w + bar_w + 4, top, pct_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{value * 100:.0f}%")


class DigitImageView(QWidget):
    """A small grayscale image (e.g. the 28×28 network input) enlarged with nearest-neighbour,
    optionally with a same-sized colour overlay (an attribution heat map) over a dimmed copy."""

    #: How bright the grayscale image stays under an overlay, so the colours stand out on the ink.
    UNDERLAY_OPACITY = 0.4

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._overlay: QImage | None = None
        self._pixels: np.ndarray | None = None
        self._placeholder = placeholder
        self.setMinimumSize(112, 112)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def pixels(self) -> np.ndarray | None:
        return self._pixels

    def placeholder(self) -> str:
        return self._placeholder

    def set_placeholder(self, text: str) -> None:
        """The text shown while there is no image (its owner sets it again when the language
        changes)."""
        self._placeholder = text
        self.update()

    def set_pixels(self, pixels: np.ndarray | None) -> None:
        """The image to show; None shows the placeholder and drops any overlay."""
        self._pixels = None if pixels is None else np.array(pixels, dtype=np.uint8, copy=True)
        self._image = None if pixels is None else gray_qimage(self._pixels)
        if pixels is None:
            self._overlay = None
        self.update()

    def overlay(self) -> QImage | None:
        return self._overlay

    def set_overlay(self, image: QImage | None) -> None:
        """A colour image (with alpha) stretched over the digit, pixel for pixel; None removes it."""
        self._overlay = image
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(168, 168)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return width

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        side = min(self.width(), self.height())
        target = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.fillRect(target, Qt.GlobalColor.black)
        if self._image is None:
            painter.setPen(MUTED)
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self._placeholder)
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            if self._overlay is not None:
                painter.setOpacity(self.UNDERLAY_OPACITY)
            painter.drawImage(target, self._image)
            if self._overlay is not None:
                painter.setOpacity(1.0)
                painter.drawImage(target, self._overlay)
        painter.setPen(MUTED)
        painter.drawRect(target.adjusted(0, 0, -1, -1))


class Banner(QFrame):
    """A tinted, word-wrapped message strip ("info", "success", "warning" or "error"), with
    room for buttons on its right (`add_widget`). Hidden until `show_message`."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel()
        self.label.setObjectName(name + "Label")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(MARGIN, MARGIN // 2 + 1, MARGIN, MARGIN // 2 + 1)
        self._row.addWidget(self.label, 1)
        self.kind = "info"
        self.hide()

    def add_widget(self, widget: QWidget) -> None:
        self._row.addWidget(widget)

    def text(self) -> str:
        return self.label.text()

    def show_message(self, kind: str, text: str, large: bool = False) -> None:
        background, border, foreground = (hex_color(c) for c in BANNER_TINTS[kind])
        if kind != self.kind or not self.styleSheet():
            self.kind = kind
            self.setStyleSheet(
                f"#{self.objectName()} {{ background: {background}; border: 1px solid {border};"
                f" border-left: 5px solid {border}; border-radius: 4px; }}"
                f" #{self.objectName()} QLabel {{ color: {foreground}; background: transparent;"
                f" border: none; }}")
        self.label.setFont(bold_font(self.font(), 1.25) if large else QFont(self.font()))
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()


class VerticalScrollArea(QScrollArea):
    """Scrolls `widget` up and down, never sideways: the widget is as wide as the area, which
    is never made narrower than the widget's own minimum (so nothing is cut off at the right),
    and it gets the height its width needs, wrapped lines included, scrolling when the window
    has less."""

    def __init__(self, widget: QWidget, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(widget)
        self._content_width = widget.minimumSizeHint().width()
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """The content's layout changed (a part shown, another language): where its minimum
        width changed too, the layouts around this area ask again (only then: the Train tab's
        kernels relayout on every snapshot of a run)."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            width = watched.minimumSizeHint().width()
            if width != self._content_width:
                self._content_width = width
                self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width), hint.height())
