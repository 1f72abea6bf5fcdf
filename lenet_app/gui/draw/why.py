"""The Draw tab's "Why?": which pixels of the network input pushed it toward a digit.

A toggle, the digit to explain (the predicted one unless the user picks another: "why not 9?")
and the method; the map is painted over the network input view and explained in one sentence.
Each map is computed on a job (`AttributionFeed`: one in flight, the latest request wins);
while a stroke is drawn at most one request per INTERVAL_MS, at once when it ends.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_app.core.attribution import Attribution
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.network.attribution import AttributionFeed, AttributionLegend, AttributionMaps, overlay_image
from lenet_app.gui.style import muted
from lenet_app.gui.text import arg
from lenet_app.gui.widgets import DigitImageView

#: At most one attribution request per this many ms while a stroke is drawn (10 per second).
INTERVAL_MS = 100
#: The digit combo's first item: follow the prediction.
PREDICTED = -1


class WhyPanel(Retranslating, QWidget):
    """Why? controls under the prediction; paints its maps over `view` (the network input)."""

    def __init__(self, view: DigitImageView, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whyPanel")
        self._view = view
        self._input: tuple[TrainedModel, np.ndarray, int] | None = None  # model, pixels, predicted
        self._attribution: Attribution | None = None
        self._failure: str | None = None  # why there is no map, while the explanation says so
        self.feed = AttributionFeed(jobs, self)
        self.feed.ready.connect(self._on_ready)
        self.feed.failed.connect(self._on_failed)
        self._timer = QTimer(self)
        self._timer.setObjectName("whyTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._request)

        self.toggle = QCheckBox()
        self.toggle.setObjectName("whyToggle")
        self.digit_combo = QComboBox()
        self.digit_combo.setObjectName("whyDigitCombo")
        for digit in (PREDICTED, *range(10)):
            self.digit_combo.addItem("", digit)
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("whyMethodCombo")
        for method in ("ig", "occlusion"):
            self.method_combo.addItem("", method)

        self.legend = AttributionLegend()
        self.legend.setObjectName("whyLegend")
        self.explanation_label = muted(QLabel())
        self.explanation_label.setObjectName("whyExplanationLabel")
        self.explanation_label.setWordWrap(True)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.toggle)
        controls.addWidget(self.digit_combo, 1)
        controls.addWidget(self.method_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addWidget(self.legend)
        layout.addWidget(self.explanation_label)

        self.toggle.toggled.connect(self._on_toggled)
        self.digit_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.method_combo.currentIndexChanged.connect(self._on_choice_changed)
        self._on_toggled(False)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the controls (the combos keep their choice) and the explanation."""
        self.toggle.setText(self.tr("Why?"))
        self.toggle.setAccessibleName(self.tr("Why this digit"))
        self.toggle.setToolTip(self.tr("Colour the pixels of the network input by how much they pushed "
                                       "the network toward the chosen digit"))
        self.digit_combo.setAccessibleName(self.tr("Digit to explain"))
        self.digit_combo.setToolTip(self.tr("The digit to explain: the predicted one, or any other "
                                            "(\u201cwhy not 9?\u201d)"))
        self._name_predicted()
        for digit in range(10):
            self.digit_combo.setItemText(digit + 1, arg(self.tr("digit %1"), digit))
        self.method_combo.setAccessibleName(self.tr("Explanation method"))
        self.method_combo.setToolTip(self.tr("Integrated Gradients: how the score grows as the ink fades in "
                                             "from black. Occlusion: how much it drops when a 4×4 patch is "
                                             "blacked out."))
        self.method_combo.setItemText(0, self.tr("Integrated Gradients"))
        self.method_combo.setItemText(1, self.tr("Occlusion"))
        self._describe(self._failure)

    def _name_predicted(self) -> None:
        """The digit combo's first item, with the predicted digit when there is one."""
        self.digit_combo.setItemText(0, self.tr("predicted") if self._input is None
                                     else arg(self.tr("predicted (%1)"), self._input[2]))

    # --- what the Draw tab calls -----------------------------------------------------------

    def enabled(self) -> bool:
        return self.toggle.isChecked()

    def target(self) -> int | None:
        """The digit explained: the user's choice, else the predicted digit (None: no digit)."""
        chosen = self.digit_combo.currentData()
        if chosen != PREDICTED:
            return int(chosen)
        return None if self._input is None else self._input[2]

    def attribution(self) -> Attribution | None:
        """The map shown now (None while off or not computed yet)."""
        return self._attribution

    def show_input(self, model: TrainedModel, pixels: np.ndarray, predicted: int, now: bool = True) -> None:
        """A new network input and its predicted digit: explained at once when `now`, else
        within INTERVAL_MS (while drawing)."""
        self._input = (model, pixels, int(predicted))
        self._name_predicted()
        if not self.enabled():
            return
        self._describe()  # the sentence names the digit, which may be a new prediction
        if now:
            self._timer.stop()
            self._request()
        elif not self._timer.isActive():
            self._timer.start()

    def clear(self) -> None:
        """No digit to explain (a blank canvas, a model that cannot read it)."""
        self._input = None
        self._name_predicted()
        self._stop()
        self._describe()

    # --- inside ----------------------------------------------------------------------------

    def _request(self) -> None:
        target = self.target()
        if not self.enabled() or self._input is None or target is None:
            return
        model, pixels, _ = self._input
        self.feed.request(model.module, pixels, (target,), self.method_combo.currentData())

    def _stop(self) -> None:
        self._timer.stop()
        self.feed.cancel()
        self._attribution = None
        self._view.set_overlay(None)

    def _describe(self, failure: str | None = None) -> None:
        """The sentence under the map, or `failure`: why there is no map."""
        self._failure = failure
        target = self.target()
        self.legend.set_target(target)
        if failure is not None:
            text = arg(self.tr("No explanation: %1"), failure)
        elif target is None:
            text = self.tr("Draw a digit to see which pixels pushed the network toward it.")
        else:
            text = arg(self.tr("Over the network input: red pixels pushed the network toward %1, "
                               "blue ones away from it; uncoloured ones had little effect."), target)
        self.explanation_label.setText(text)

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self.digit_combo.setEnabled(on)
        self.method_combo.setEnabled(on)
        self.legend.setVisible(on)
        self.explanation_label.setVisible(on)
        if on:
            self._describe()
            self._request()
        else:
            self._stop()

    @Slot()
    def _on_choice_changed(self) -> None:
        self._describe()
        self._timer.stop()
        self._request()

    @Slot(object)
    def _on_ready(self, maps: AttributionMaps) -> None:
        attribution = maps.attributions[0] if maps.attributions else None
        if not self.enabled() or self._input is None or attribution is None:
            return
        self._attribution = attribution
        self._view.set_overlay(overlay_image(attribution))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._attribution = None
        self._view.set_overlay(None)
        self._describe(message)
