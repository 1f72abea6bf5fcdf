"""How the active model does on the test set: the accuracy line, the confusion matrix (its cells
filter the grid) and the accuracy per digit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_app.gui.dataset.confusion_view import ClassAccuracyView, ConfusionMatrixView
from lenet_app.gui.dataset.predictions import PredictionStore
from lenet_app.gui.state import DatasetState
from lenet_app.gui.style import CORRECT, MISTAKE, SPACING, hex_color
from lenet_app.gui.text import arg, format_count, format_percent


class TestSetSummary(QWidget):
    """Follows the store's test-set results; `cell_activated` when the user picks a matrix cell."""

    cell_activated = Signal(int, int)  # true label, predicted label

    def __init__(self, dataset: DatasetState, store: PredictionStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset = dataset
        self._store = store
        self.accuracy_label = QLabel()
        self.accuracy_label.setObjectName("overallAccuracyLabel")
        self.accuracy_label.setAccessibleName(self.tr("Test accuracy of the active model"))
        self.accuracy_label.setWordWrap(True)
        self.accuracy_label.setTextFormat(Qt.TextFormat.RichText)
        self.confusion_view = ConfusionMatrixView()
        self.confusion_view.cell_activated.connect(self.cell_activated)
        self.class_accuracy = ClassAccuracyView(self.confusion_view)
        matrix_row = QHBoxLayout()
        matrix_row.setSpacing(SPACING)
        matrix_row.addWidget(self.confusion_view, 3)
        matrix_row.addWidget(self.class_accuracy, 1)
        caption = QLabel(arg(self.tr(
            "Rows: the true digit; columns: what the model read. <span style='color:%1'>Green</span>: "
            "read correctly; <span style='color:%2'>red</span>: mistakes, darker for more. "
            "Click a cell to show those images."), hex_color(CORRECT), hex_color(MISTAKE)))
        caption.setObjectName("confusionCaption")
        caption.setWordWrap(True)
        caption.setTextFormat(Qt.TextFormat.RichText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.accuracy_label)
        layout.addLayout(matrix_row, 1)
        layout.addWidget(caption)

        store.reset.connect(self._on_results_changed)
        store.ready.connect(self._on_ready)
        store.failed.connect(self._on_results_changed)
        self._on_results_changed()

    def show_cell(self, cell: tuple[int, int] | None) -> None:
        """Outline the cell the grid is filtered to (None: the filter is no single cell)."""
        self.confusion_view.set_selected(cell)

    @Slot(str)
    def _on_ready(self, split_name: str) -> None:
        if split_name == "test":
            self._on_results_changed()

    @Slot()
    def _on_results_changed(self) -> None:
        result = self._store.result("test")
        architecture = self._store.architecture
        if result is None:
            if self._store.error is not None:
                placeholder = self.tr("No predictions: see the message above the images.")
            elif self._dataset.split("test") is None:
                placeholder = self.tr("The test set is not loaded.")
            else:
                placeholder = self.tr("Reading the 10,000 test images…")
            self.confusion_view.set_matrix(None, placeholder)
            self.class_accuracy.set_confusion(None)
            self.accuracy_label.setText(arg(self.tr("<b>Test set</b> · %1"), architecture))
            return
        confusion = result.confusion
        correct = int(np.trace(confusion))
        self.confusion_view.set_matrix(confusion)
        self.class_accuracy.set_confusion(confusion)
        self.accuracy_label.setText(arg(
            self.tr("<b>Test set · %1: %2 correct</b> (%3 of %4, %5 mistakes)"), architecture,
            format_percent(result.accuracy), format_count(correct), format_count(len(result)),
            format_count(len(result) - correct)))
