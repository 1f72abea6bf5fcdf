"""Attribution heat maps ("why this digit?") computed on a job, coloured and explained.

`AttributionFeed` runs `core.attribution.attribute` on the window's `JobRunner`: at most one
job in flight, and the latest request wins (a newer request replaces one still waiting, and the
results of older ones are dropped), so a view may ask on every change of its digit.
`overlay_image` colours a map for `DigitImageView.set_overlay`; `AttributionLegend` is its key.
The Draw tab's Why? controls and the Dataset tab's detail pane are built on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget
from torch import nn

from lenet_app.core.attribution import Attribution, attribute
from lenet_app.core.mnist import digit_tensor
from lenet_app.gui.colour_scale import ColourScale
from lenet_app.gui.jobs import Job, JobControl, JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.style import FRAME
from lenet_app.gui.text import arg

#: Opacity of the strongest attribution over the digit (0–255); weaker ones fade out toward
#: zero, so pixels with little effect keep showing the grayscale input beneath.
OVERLAY_ALPHA = 235
#: Below 1, weak attributions stay visible instead of vanishing next to the strongest pixel.
OVERLAY_GAMMA = 0.5
#: The colour scale ends at this percentile of the non-zero magnitudes; the strongest pixels
#: beyond it saturate, so one extreme pixel cannot wash out all the others.
OVERLAY_PERCENTILE = 95.0


@dataclass(frozen=True)
class AttributionMaps:
    """What a job hands back (plain numpy): one map per requested target digit, in order."""

    request: int  # the feed's request number, to tell the latest result from stale ones
    method: str
    pixels: np.ndarray  # (28, 28) uint8: the digit the maps explain
    attributions: tuple[Attribution, ...]

    def for_target(self, target: int) -> Attribution | None:
        return next((a for a in self.attributions if a.target == target), None)


def compute_maps(module: nn.Module, pixels: np.ndarray, targets: tuple[int, ...], method: str,
                 request: int, control: JobControl | None = None) -> AttributionMaps:
    """The attribution of each target for the 28×28 uint8 digit `pixels` (a job's work)."""
    tensor = digit_tensor(pixels)
    maps = []
    for target in targets:
        if control is not None and control.is_cancelled():
            break  # the job then ends as cancelled; nobody waits for these maps
        maps.append(attribute(module, tensor, target, method))
    return AttributionMaps(request, method, pixels, tuple(maps))


class AttributionFeed(QObject):
    """`request(...)` whenever the digit, the targets or the method change; `ready` brings the
    maps of the latest request only."""

    ready = Signal(object)  # AttributionMaps
    failed = Signal(str)  # why the latest request could not be explained, for the user

    def __init__(self, jobs: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._job: Job | None = None
        self._pending: tuple | None = None  # the arguments of compute_maps, waiting for the job
        self._latest = 0  # the number of the latest request; results of others are dropped

    def request(self, module: nn.Module, pixels: np.ndarray, targets: tuple[int, ...], method: str) -> None:
        self._latest += 1
        pixels = np.array(pixels, dtype=np.uint8, copy=True).reshape(28, 28)
        self._pending = (module, pixels, tuple(int(t) for t in targets), method, self._latest)
        if self._job is None:
            self._start_pending()

    def cancel(self) -> None:
        """Forget every request: nothing waiting runs, and the job in flight is asked to stop."""
        self._latest += 1
        self._pending = None
        if self._job is not None:
            self._job.cancel()

    def busy(self) -> bool:
        """A job of this feed is running or waiting to run."""
        return self._job is not None or self._pending is not None

    def _start_pending(self) -> None:
        arguments, self._pending = self._pending, None
        if arguments is None:
            return
        job = Job(lambda control: compute_maps(*arguments, control=control), "attribution")
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(partial(self._on_failed, arguments[-1]))
        job.finished.connect(self._on_finished)
        self._job = job
        self._jobs.start(job)

    @Slot(object)
    def _on_succeeded(self, maps: AttributionMaps) -> None:
        if maps.request == self._latest:
            self.ready.emit(maps)

    def _on_failed(self, request: int, message: str) -> None:
        if request == self._latest:
            self.failed.emit(message)

    @Slot()
    def _on_finished(self) -> None:
        self._job = None
        self._start_pending()


def overlay_image(attribution: Attribution) -> QImage:
    """The map on the diverging scale, symmetric about zero (red toward the target, blue away),
    each pixel as opaque as it is strong; zero is transparent."""
    values = attribution.values
    magnitudes = np.abs(values)
    nonzero = magnitudes[magnitudes > 0]
    limit = max(float(np.percentile(nonzero, OVERLAY_PERCENTILE)) if nonzero.size else 0.0, 1e-12)
    strength = np.clip(magnitudes / limit, 0.0, 1.0) ** OVERLAY_GAMMA
    return ColourScale(True, limit).image(values, alpha=np.rint(strength * OVERLAY_ALPHA))


class AttributionLegend(Retranslating, QWidget):
    """The key to the overlay on one line: "away from N", the diverging bar, "toward N"."""

    BAR_WIDTH = 64

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attributionLegend")
        self._scale = ColourScale(True, 1.0)
        self._target: int | None = None
        self._low = self._high = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Colour key: blue pushed away, red pushed toward"))
        self.set_target(self._target)

    def texts(self) -> tuple[str, str]:
        return self._low, self._high

    def set_target(self, target: int | None) -> None:
        """Name the digit at both ends; None names no digit."""
        self._target = target
        if target is None:
            texts = self.tr("away"), self.tr("toward")
        else:
            texts = arg(self.tr("away from %1"), target), arg(self.tr("toward %1"), target)
        if texts == (self._low, self._high):
            return
        self._low, self._high = texts
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(self._low) + metrics.horizontalAdvance(self._high) + self.BAR_WIDTH + 16
        return QSize(width, metrics.height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        height = self.height()
        low_w = metrics.horizontalAdvance(self._low)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        painter.setPen(text_color)
        painter.drawText(QRectF(0, 0, low_w + 1, height), Qt.AlignmentFlag.AlignVCenter, self._low)
        bar = QRectF(low_w + 8.5, height * 0.25, self.BAR_WIDTH, height * 0.5)
        painter.setPen(FRAME)
        painter.setBrush(self._scale.legend_gradient(QPointF(bar.left(), 0), QPointF(bar.right(), 0)))
        painter.drawRect(bar)
        painter.setPen(text_color)
        painter.drawText(QRectF(bar.right() + 7, 0, self.width() - bar.right() - 7, height),
                         Qt.AlignmentFlag.AlignVCenter, self._high)
