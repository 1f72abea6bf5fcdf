"""How the active model does on the test set (or on the user's own digits while they are
browsed): the accuracy line, the confusion matrix (its cells filter the grid) and the accuracy
per digit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.dataset.confusion_view import ClassAccuracyView, ConfusionMatrixView
from lenet_app.gui.dataset.predictions import PredictionStore
from lenet_app.gui.language import Retranslating
from lenet_app.gui.state import DatasetState
from lenet_app.gui.style import CORRECT, MISTAKE, SPACING, hex_color
from lenet_app.gui.text import arg, format_count, format_percent


class TestSetSummary(Retranslating, QWidget):
    """Follows the store's test-set results; `cell_activated` when the user picks a matrix cell."""

    cell_activated = Signal(int, int)  # true label, predicted label

    def __init__(self, dataset: DatasetState, store: PredictionStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset = dataset
        self._store = store
        self._split = "test"  # or MY_DIGITS_SPLIT: the split the matrix counts
        self.accuracy_label = QLabel()
        self.accuracy_label.setObjectName("overallAccuracyLabel")
        self.accuracy_label.setWordWrap(True)
        self.accuracy_label.setTextFormat(Qt.TextFormat.RichText)
        self.confusion_view = ConfusionMatrixView()
        self.confusion_view.cell_activated.connect(self.cell_activated)
        self.class_accuracy = ClassAccuracyView(self.confusion_view)
        matrix_row = QHBoxLayout()
        matrix_row.setSpacing(SPACING)
        matrix_row.addWidget(self.confusion_view, 3)
        matrix_row.addWidget(self.class_accuracy, 1)
        self.caption = QLabel()
        self.caption.setObjectName("confusionCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.accuracy_label)
        layout.addLayout(matrix_row, 1)
        layout.addWidget(self.caption)

        store.reset.connect(self._on_results_changed)
        store.ready.connect(self._on_ready)
        store.failed.connect(self._on_results_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """The caption, and the accuracy and matrix of the split shown now."""
        self.accuracy_label.setAccessibleName(self.tr("Test accuracy of the active model"))
        self.caption.setText(arg(self.tr(
            "Rows: the true digit; columns: what the model read. <span style='color:%1'>Green</span>: "
            "read correctly; <span style='color:%2'>red</span>: mistakes, darker for more. "
            "Click a cell to show those images."), hex_color(CORRECT), hex_color(MISTAKE)))
        self._on_results_changed()

    def split_name(self) -> str:
        return self._split

    def set_split(self, name: str) -> None:
        """Follow the browsed split: the user's digits get their own matrix, MNIST's training
        set shows the test set's (the model learned the training set)."""
        name = MY_DIGITS_SPLIT if name == MY_DIGITS_SPLIT else "test"
        if name != self._split:
            self._split = name
            self._on_results_changed()

    def show_cell(self, cell: tuple[int, int] | None) -> None:
        """Outline the cell the grid is filtered to (None: the filter is no single cell)."""
        self.confusion_view.set_selected(cell)

    @Slot(str)
    def _on_ready(self, split_name: str) -> None:
        if split_name == self._split:
            self._on_results_changed()

    @Slot()
    def _on_results_changed(self) -> None:
        mine = self._split == MY_DIGITS_SPLIT
        result = self._store.result(self._split)
        split = self._dataset.split(self._split)
        architecture = self._store.architecture
        title = self.tr("My digits") if mine else self.tr("Test set")
        self.confusion_view.setAccessibleName(self.tr("Confusion matrix of your digits") if mine
                                              else self.tr("Confusion matrix of the test set"))
        if result is None:
            if self._store.error is not None:
                placeholder = self.tr("No predictions: see the message above the images.")
            elif mine and (split is None or len(split) == 0):
                placeholder = self.tr("No digits saved yet. Draw one in the Draw tab and press "
                                      "its key (0–9) to save it.")
            elif split is None:
                placeholder = self.tr("The test set is not loaded.")
            elif mine:
                placeholder = self.tr("Reading your digits…")
            else:
                placeholder = self.tr("Reading the 10,000 test images…")
            self.confusion_view.set_matrix(None, placeholder)
            self.class_accuracy.set_confusion(None)
            self.accuracy_label.setText(arg(self.tr("<b>%1</b> · %2"), title, architecture))
            return
        confusion = result.confusion
        correct = int(np.trace(confusion))
        self.confusion_view.set_matrix(confusion)
        self.class_accuracy.set_confusion(confusion)
        self.accuracy_label.setText(arg(
            self.tr("<b>%6 · %1: %2 correct</b> (%3 of %4, %5 mistakes)"), architecture,
            format_percent(result.accuracy), format_count(correct), format_count(len(result)),
            format_count(len(result) - correct), title))
