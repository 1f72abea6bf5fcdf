"""Two small "why" maps for the detail pane: the digit the model chose and the one it did not.

For a mistake, the chosen digit and the true label ("why 6, why not 5?"); for a right answer,
the chosen digit and the runner-up. Both maps come from one job (`AttributionFeed`); a newer
selection drops the maps of an older one.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_app.core.attribution import Attribution
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.network.attribution import AttributionFeed, AttributionMaps, overlay_image
from lenet_app.gui.style import muted
from lenet_app.gui.text import arg
from lenet_app.gui.widgets import DigitImageView

#: The side of each map, in pixels: small multiples, the detail pane stays compact.
MAP_SIDE = 76
#: The explanation method: Integrated Gradients (the Draw tab offers the choice).
METHOD = "ig"


class WhyPair(Retranslating, QWidget):
    """`explain(model, pixels, chosen, other, other_is_label)` explains one image; `clear()` empties it."""

    def __init__(self, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whyPair")
        self.feed = AttributionFeed(jobs, self)
        self.feed.ready.connect(self._on_ready)
        self.feed.failed.connect(self._on_failed)
        self._key: tuple | None = None  # what is shown or being computed: no second job for it
        self._targets: tuple[int, int] | None = None
        self._other_is_label = False
        self._failure: str | None = None  # why the maps could not be computed
        self._attributions: tuple[Attribution, ...] = ()

        self.titles: list[QLabel] = []
        self.views: list[DigitImageView] = []
        self.explanation_label = muted(QLabel())
        self.explanation_label.setObjectName("whyPairExplanation")
        self.explanation_label.setWordWrap(True)
        self.explanation_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # One row, maps first and the sentence beside them: the row is as tall as a map and its
        # title, however the sentence wraps.
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        for name in ("whyChosen", "whyOther"):
            title = QLabel()
            title.setObjectName(name + "Title")
            view = DigitImageView()
            view.setObjectName(name + "Map")
            view.setFixedSize(MAP_SIDE, MAP_SIDE)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(title)
            column.addWidget(view, 0, Qt.AlignmentFlag.AlignLeft)
            column.addStretch(1)
            row.addLayout(column)
            self.titles.append(title)
            self.views.append(view)
        row.addWidget(self.explanation_label, 1, Qt.AlignmentFlag.AlignTop)
        self.clear()
        self.retranslate()

    def retranslate(self) -> None:
        """The titles, tooltips and sentence of the maps shown now (nothing while none are)."""
        if self._targets is None:
            return
        chosen, other = self._targets
        self.titles[0].setText(arg(self.tr("Why %1"), chosen))
        self.titles[1].setText(arg(self.tr("Why not %1 (true label)"), other) if self._other_is_label
                               else arg(self.tr("Why not %1 (next best)"), other))
        for title, view, target in zip(self.titles, self.views, self._targets):
            view.setAccessibleName(title.text())
            view.setToolTip(arg(self.tr("Red: pixels that pushed the model toward %1; blue: away "
                                        "from it (Integrated Gradients)"), target))
        self.explanation_label.setText(
            arg(self.tr("No explanation: %1"), self._failure) if self._failure is not None
            else self.tr("Red: pixels that pushed the model toward the digit named above "
                         "the map; blue: pixels that pushed it away."))

    def attributions(self) -> tuple[Attribution, ...]:
        """The maps shown now, chosen digit first; empty while none are."""
        return self._attributions

    def targets(self) -> tuple[int, int] | None:
        return self._targets

    def explain(self, model: TrainedModel, pixels: np.ndarray, chosen: int, other: int,
                other_is_label: bool) -> None:
        """Explain `pixels`: why the model read `chosen`, and why not `other` (the true label
        when `other_is_label`, else its runner-up). The same request again does nothing."""
        key = (id(model.module), pixels.tobytes(), chosen, other)
        if key == self._key:
            return
        self._key = key
        self._targets = (int(chosen), int(other))
        self._other_is_label = other_is_label
        self._failure = None
        self._attributions = ()
        for view in self.views:
            view.set_pixels(pixels)
        self.retranslate()
        self.feed.request(model.module, pixels, self._targets, METHOD)
        self.setVisible(True)

    def clear(self) -> None:
        """Nothing to explain (no image, or no prediction yet)."""
        self.feed.cancel()
        self._key = None
        self._targets = None
        self._failure = None
        self._attributions = ()
        for title, view in zip(self.titles, self.views):
            title.setText("")
            view.set_pixels(None)
            view.setToolTip("")
        self.explanation_label.setText("")
        self.setVisible(False)

    @Slot(object)
    def _on_ready(self, maps: AttributionMaps) -> None:
        if self._targets is None or len(maps.attributions) != 2:
            return
        self._attributions = maps.attributions
        for view, attribution in zip(self.views, maps.attributions):
            view.set_overlay(overlay_image(attribution))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._key = None  # a later selection of the same image tries again
        self._failure = message
        self.retranslate()
