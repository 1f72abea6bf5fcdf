"""The selected image, its true label and the active model's answer, with "Try in Draw tab" and
which pixels made that answer (`WhyPair`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_app.core.mnist import MnistSplit
from lenet_app.gui.dataset.predictions import PredictionStore
from lenet_app.gui.dataset.why_pair import WhyPair
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.prediction_panel import PredictionPanel
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.style import CORRECT, MARGIN, MISTAKE, bold_font, hex_color
from lenet_app.gui.text import arg, format_count
from lenet_app.gui.widgets import named

#: The prediction panel's parts, named apart from the Draw tab's ("detailImage" as always).
PANEL_NAMES = {
    "panel": "detailPredictionPanel",
    "stack": "detailPredictionStack",
    "hint": "detailPredictionHint",
    "digit": "detailDigitLabel",
    "confidence": "detailConfidenceLabel",
    "runner_up": "detailRunnerUpLabel",
    "input": "detailImage",
    "caption": "detailImageCaption",
}


class DetailPane(QFrame):
    """Shows one image of a split (`show_image`) and follows the store for its prediction."""

    try_in_draw = Signal(object)  # the image: a 28×28 uint8 array the receiver owns

    def __init__(self, dataset: DatasetState, store: PredictionStore, active_model: ActiveModel,
                 jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._dataset = dataset
        self._store = store
        self._active_model = active_model
        self._shown: tuple[MnistSplit, int] | None = None

        self.title_label = QLabel()
        self.title_label.setObjectName("detailTitleLabel")
        self.title_label.setFont(bold_font(self.title_label.font(), 1.15))
        self.label_label = QLabel()
        self.label_label.setObjectName("detailLabelLabel")
        self.label_label.setAccessibleName(self.tr("True label"))
        self.label_label.setWordWrap(True)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("detailPredictionLabel")
        self.verdict_label.setAccessibleName(self.tr("Prediction"))
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.try_button = named(QPushButton(self.tr("Try in Draw tab")), "tryInDrawButton",
                                self.tr("Try this image in the Draw tab"),
                                self.tr("Open this image on the drawing pad, to edit it and watch "
                                        "the prediction change"))
        self.try_button.clicked.connect(self.send_to_draw)

        self.panel = PredictionPanel(compact=True, names=PANEL_NAMES, placeholder=self.tr("28 × 28"))
        facts = QWidget()
        facts_layout = QVBoxLayout(facts)
        facts_layout.setContentsMargins(0, 0, 0, 0)
        facts_layout.setSpacing(4)
        facts_layout.addWidget(self.label_label)
        facts_layout.addWidget(self.verdict_label)
        facts_layout.addSpacing(6)
        facts_layout.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignLeft)
        facts_layout.addStretch(1)
        self.panel.add_widget(facts)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN - 2, MARGIN - 2, MARGIN - 2, MARGIN - 2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.panel)
        self.why = WhyPair(jobs)  # which pixels made the answer, and which argued for another
        layout.addWidget(self.why)

        store.reset.connect(self._on_results_changed)
        store.ready.connect(self._on_ready)
        store.failed.connect(self._on_results_changed)
        self._on_results_changed()

    @Slot(object)
    def show_image(self, selection: tuple[str, int] | None) -> None:
        """Show image `index` of split `name` — (name, index) — or nothing (None)."""
        split = None if selection is None else self._dataset.split(selection[0])
        self._shown = None if split is None else (split, int(selection[1]))
        self._on_results_changed()

    @Slot()
    def send_to_draw(self) -> None:
        if self._shown is not None:
            split, index = self._shown
            self.try_in_draw.emit(np.array(split.images[index], dtype=np.uint8, copy=True))

    @Slot(str)
    def _on_ready(self, split_name: str) -> None:
        if self._shown is not None and self._shown[0].name == split_name:
            self._on_results_changed()

    @Slot()
    def _on_results_changed(self) -> None:
        if self._shown is not None and self._dataset.split(self._shown[0].name) is not self._shown[0]:
            self._shown = None  # MNIST was replaced: that image is gone
        if self._shown is None:
            self.title_label.setText(self.tr("No image selected"))
            self.label_label.setText(self.tr("Click an image in the grid to see it here."))
            self.verdict_label.setText("")
            self.panel.clear()
            self.why.clear()
            self.try_button.setEnabled(False)
            return
        split, index = self._shown
        kind = self.tr("Test") if split.name == "test" else self.tr("Training")
        self.title_label.setText(arg(self.tr("%1 image #%2"), kind, format_count(index)))
        label = int(split.labels[index])
        self.label_label.setText(arg(self.tr("True label: %1"), label))
        self.try_button.setEnabled(True)
        pixels = split.images[index]
        result = self._store.result(split.name)
        if result is None:
            self.verdict_label.setText("")
            self.panel.clear(self.tr("No prediction: the model could not be evaluated")
                             if self._store.error is not None else self.tr("Prediction: being computed…"))
            self.panel.network_view.set_pixels(pixels)  # the image, even without an answer
            self.why.clear()
            return
        predicted = int(result.predictions[index])
        right = predicted == label
        self.verdict_label.setText(arg(
            self.tr("Predicted: <span style='color:%1'><b>%2</b></span> (%3)"),
            hex_color(CORRECT if right else MISTAKE), predicted,
            self.tr("correct") if right else self.tr("wrong")))
        self.panel.set_prediction(result.probabilities[index], pixels)
        probabilities = result.probabilities[index]
        runner_up = int(np.argsort(probabilities)[-2])
        self.why.explain(self._active_model.model, pixels, predicted,
                         runner_up if right else label, other_is_label=not right)
