"""The selected image, its true label and the active model's answer, with "Try in Draw tab" and
which pixels made that answer (`WhyPair`); for one of the user's own digits also Relabel, Delete
and Undo. While a second model is compared, both models' answers, each under its name."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_app.core.mnist import MnistSplit
from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.core.evaluation import EvaluationResult
from lenet_app.gui.dataset.predictions import PredictionStore
from lenet_app.gui.dataset.versus import ModelComparison
from lenet_app.gui.dataset.why_pair import WhyPair
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.prediction_panel import PredictionPanel
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.style import CORRECT, MARGIN, MISTAKE, bold_font, hex_color
from lenet_app.gui.text import arg, format_count

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


class DetailPane(Retranslating, QFrame):
    """Shows one image of a split (`show_image`) and follows the store for its prediction."""

    try_in_draw = Signal(object)  # the image: a 28×28 uint8 array the receiver owns

    def __init__(self, dataset: DatasetState, store: PredictionStore, active_model: ActiveModel,
                 jobs: JobRunner, comparison: ModelComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._dataset = dataset
        self._store = store
        self._active_model = active_model
        self._comparison = comparison
        self._shown: tuple[MnistSplit, int] | None = None
        self._shown_id: str | None = None  # the shown own digit's id: edits move its index

        self.title_label = QLabel()
        self.title_label.setObjectName("detailTitleLabel")
        self.title_label.setFont(bold_font(self.title_label.font(), 1.15))
        # One line each, never wrapped: a wrapped label asks its layouts for its preferred height
        # as a minimum, and a short window then squeezed these lines until they were cut off.
        self.label_label = QLabel()
        self.label_label.setObjectName("detailLabelLabel")
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("detailPredictionLabel")
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.compared_label = QLabel()  # the compared model's answer
        self.compared_label.setObjectName("detailComparedLabel")
        self.compared_label.setTextFormat(Qt.TextFormat.RichText)
        self.compared_label.hide()
        self.try_button = QPushButton()
        self.try_button.setObjectName("tryInDrawButton")
        self.try_button.clicked.connect(self.send_to_draw)
        self.edit_row = self._build_edit_row()

        self.panel = PredictionPanel(compact=True, names=PANEL_NAMES, placeholder=self.tr("28 × 28"))
        actions = QWidget()
        actions_layout = QVBoxLayout(actions)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.setSpacing(4)
        actions_layout.addWidget(self.label_label)
        actions_layout.addSpacing(4)
        actions_layout.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignLeft)
        actions_layout.addWidget(self.edit_row)
        actions_layout.addStretch(1)
        self.panel.add_widget(actions)
        # The readings span the pane, under the image and bars: two models' readings ("lenet5-1998
        # read 8 (43.1% sure, wrong)") do not fit in the answer's narrow column.
        facts = QVBoxLayout()
        facts.setSpacing(2)
        facts.addWidget(self.verdict_label)
        facts.addWidget(self.compared_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN - 2, MARGIN - 2, MARGIN - 2, MARGIN - 2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.panel)
        layout.addLayout(facts)
        self.why = WhyPair(jobs)  # which pixels made the answer, and which argued for another
        layout.addWidget(self.why)

        store.reset.connect(self._on_results_changed)
        store.ready.connect(self._on_ready)
        store.failed.connect(self._on_results_changed)
        dataset.my_changed.connect(self._on_results_changed)
        comparison.changed.connect(self._on_results_changed)
        comparison.store.reset.connect(self._on_results_changed)
        comparison.store.ready.connect(self._on_ready)
        comparison.store.failed.connect(self._on_results_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """Every control's texts, and what is said about the image shown now."""
        self.label_label.setAccessibleName(self.tr("True label"))
        self.verdict_label.setAccessibleName(self.tr("Prediction"))
        self.compared_label.setAccessibleName(self.tr("Prediction of the model compared"))
        self.try_button.setText(self.tr("Try in Draw tab"))
        self.try_button.setAccessibleName(self.tr("Try this image in the Draw tab"))
        self.try_button.setToolTip(self.tr("Open this image on the drawing pad, to edit it and watch "
                                           "the prediction change"))
        self.relabel_label.setText(self.tr("&Label:"))
        self.relabel_combo.setAccessibleName(self.tr("Label of this digit"))
        self.relabel_combo.setToolTip(self.tr("Give this digit of yours another label"))
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete this digit"))
        self.delete_button.setToolTip(self.tr("Remove this digit from your digits (Undo brings it back)"))
        self.undo_button.setText(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the last change to your digits"))
        self.undo_button.setToolTip(self.tr("Take back the last save, relabel or delete of your digits"))
        self._on_results_changed()

    def _build_edit_row(self) -> QWidget:
        """Relabel, Delete and Undo for the user's own digits (hidden for MNIST's)."""
        self.relabel_combo = QComboBox()
        self.relabel_combo.setObjectName("relabelCombo")
        for digit in range(10):
            self.relabel_combo.addItem(str(digit), digit)
        self.relabel_combo.activated.connect(self._on_relabel_chosen)
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("deleteDigitButton")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoDigitEditButton")
        self.undo_button.clicked.connect(self._on_undo_clicked)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.relabel_label = QLabel()
        self.relabel_label.setBuddy(self.relabel_combo)
        layout.addWidget(self.relabel_label)
        layout.addWidget(self.relabel_combo)
        layout.addWidget(self.delete_button)
        layout.addWidget(self.undo_button)
        layout.addStretch(1)
        row.hide()
        return row

    @Slot(object)
    def show_image(self, selection: tuple[str, int] | None) -> None:
        """Show image `index` of split `name` — (name, index) — or nothing (None)."""
        split = None if selection is None else self._dataset.split(selection[0])
        self._shown = None if split is None or not 0 <= int(selection[1]) < len(split) else (
            split, int(selection[1]))
        record = self._my_record()
        self._shown_id = None if record is None else record.id
        self._on_results_changed()

    def _my_record(self):
        """The shown image's DigitRecord when it is one of the user's digits, else None."""
        my_digits = self._dataset.my_digits
        if self._shown is None or self._shown[0].name != MY_DIGITS_SPLIT or my_digits is None:
            return None
        return my_digits.record_at(self._shown[1])

    @Slot()
    def send_to_draw(self) -> None:
        if self._shown is not None:
            split, index = self._shown
            self.try_in_draw.emit(np.array(split.images[index], dtype=np.uint8, copy=True))

    @Slot(str)
    def _on_ready(self, split_name: str) -> None:
        if self._shown is not None and self._shown[0].name == split_name:
            self._on_results_changed()

    @Slot(int)
    def _on_relabel_chosen(self, _index: int) -> None:
        label = self.relabel_combo.currentData()
        record = self._my_record()
        if record is not None and label != record.label:
            self._dataset.my_digits.relabel(record.id, int(label))

    @Slot()
    def _on_delete_clicked(self) -> None:
        record = self._my_record()
        if record is not None:
            self._dataset.my_digits.remove(record.id)

    @Slot()
    def _on_undo_clicked(self) -> None:
        if self._dataset.my_digits is not None:
            self._dataset.my_digits.undo()

    def _follow_my_digit(self) -> None:
        """After an edit of the user's digits: the same digit at its new index, or nothing."""
        my_digits = self._dataset.my_digits
        index = None if my_digits is None or self._shown_id is None else my_digits.index_of(self._shown_id)
        self._shown = None if index is None else (my_digits.split(), index)

    @Slot()
    def _on_results_changed(self) -> None:
        if self._shown is not None and self._shown[0].name == MY_DIGITS_SPLIT:
            self._follow_my_digit()
        elif self._shown is not None and self._dataset.split(self._shown[0].name) is not self._shown[0]:
            self._shown = None  # MNIST was replaced: that image is gone
        my_digits = self._dataset.my_digits
        self.undo_button.setEnabled(my_digits is not None and my_digits.can_undo())
        record = self._my_record()
        self.edit_row.setVisible(record is not None or (
            self._shown is None and my_digits is not None and my_digits.can_undo()))
        self.relabel_combo.setEnabled(record is not None)
        self.delete_button.setEnabled(record is not None)
        if record is not None:
            self.relabel_combo.setCurrentIndex(self.relabel_combo.findData(record.label))
        if self._shown is None:
            self.title_label.setText(self.tr("No image selected"))
            self.label_label.setText(self.tr("Click an image in the grid to see it here."))
            self.verdict_label.setText("")
            self.compared_label.hide()
            self.panel.clear()
            self.why.clear()
            self.try_button.setEnabled(False)
            return
        split, index = self._shown
        if record is not None:
            self.title_label.setText(arg(self.tr("My digit #%1 (%2, %3)"), format_count(index),
                                         self._source_text(record.source), record.created[:10]))
        else:
            kind = self.tr("Test") if split.name == "test" else self.tr("Training")
            self.title_label.setText(arg(self.tr("%1 image #%2"), kind, format_count(index)))
        label = int(split.labels[index])
        self.label_label.setText(arg(self.tr("True label: %1"), label))
        self.try_button.setEnabled(True)
        pixels = split.images[index]
        self._show_compared(split.name, index, label)
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
        if self._comparison.on:
            self.verdict_label.setText(self._reading(self._comparison.name_a(), result, index, label))
        else:
            self.verdict_label.setText(arg(
                self.tr("Predicted: <span style='color:%1'><b>%2</b></span> (%3)"),
                hex_color(CORRECT if right else MISTAKE), predicted,
                self.tr("correct") if right else self.tr("wrong")))
        self.panel.set_prediction(result.probabilities[index], pixels)
        probabilities = result.probabilities[index]
        runner_up = int(np.argsort(probabilities)[-2])
        self.why.explain(self._active_model.model, pixels, predicted,
                         runner_up if right else label, other_is_label=not right)

    def _show_compared(self, split_name: str, index: int, label: int) -> None:
        """The compared model's answer on the image shown, under its name (hidden when none is)."""
        comparison = self._comparison
        self.compared_label.setVisible(comparison.on)
        if not comparison.on:
            return
        result = comparison.store.result(split_name)
        if result is not None and index < len(result):
            self.compared_label.setText(self._reading(comparison.name_b(), result, index, label))
        elif comparison.store.error is not None:
            self.compared_label.setText(arg(self.tr("%1: no prediction"), comparison.name_b()))
        else:
            self.compared_label.setText(arg(self.tr("%1: being computed…"), comparison.name_b()))

    def _reading(self, name: str, result: EvaluationResult, index: int, label: int) -> str:
        """"lenet5 read 7 (99.8% sure, correct)": one model's answer, for two models side by side."""
        predicted = int(result.predictions[index])
        right = predicted == label
        return arg(self.tr("%1 read <span style='color:%2'><b>%3</b></span> (%4 sure, %5)"), name,
                   hex_color(CORRECT if right else MISTAKE), predicted,
                   self.panel.percent(float(result.probabilities[index, predicted])),
                   self.tr("correct") if right else self.tr("wrong"))

    def _source_text(self, source: str) -> str:
        return {"drawn": self.tr("drawn"), "file": self.tr("from a file"),
                "pasted": self.tr("pasted")}.get(source, source)
