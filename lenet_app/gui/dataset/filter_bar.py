"""The two rows above the grid: which split, which images, in which order, how large."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.dataset.filtering import Filter, SortOrder
from lenet_app.gui.dataset.image_list import SCALES
from lenet_app.gui.style import MARGIN, bold_font
from lenet_app.gui.text import arg, format_count
from lenet_app.gui.widgets import named

#: Splits with a confusion matrix of their own; the training set shows the test set's.
CONFUSION_SPLITS = ("test", MY_DIGITS_SPLIT)


class FilterBar(QWidget):
    """The split and filter controls; `changed` fires once per user change (or `show_cell`)."""

    changed = Signal()  # the split or the filter changed
    scale_changed = Signal(int)  # thumbnail scale (one of SCALES)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False  # set while several controls change as one
        self._build_controls()
        # The tooltips the prediction controls show once they work (they say why not until then).
        self._ready_tips = {widget: widget.toolTip() for widget in self._prediction_controls()}
        self._lay_out()
        for combo in (self.split_combo, self.label_combo, self.predicted_combo, self.sort_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.misclassified_check.toggled.connect(self._on_changed)
        self.size_combo.currentIndexChanged.connect(self._on_size_changed)
        self.clear_button.clicked.connect(self._on_clear)

    def _build_controls(self) -> None:
        self.split_combo = named(QComboBox(), "splitCombo", self.tr("Split"), self.tr(
            "Which images to browse: MNIST's 10,000 test images the model never trained on, "
            "its 60,000 training images, or the digits you saved in the Draw tab"))
        self.split_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name in ("test", "train", MY_DIGITS_SPLIT):
            self.split_combo.addItem(self._split_title(name), name)

        self.label_combo = named(QComboBox(), "labelFilterCombo", self.tr("True label"),
                                 self.tr("Show only images of this digit (the label in MNIST)"))
        self.predicted_combo = named(QComboBox(), "predictedFilterCombo", self.tr("Predicted label"),
                                     self.tr("Show only images the model reads as this digit"))
        for combo in (self.label_combo, self.predicted_combo):
            combo.addItem(self.tr("Any"), None)
            for digit in range(10):
                combo.addItem(str(digit), digit)

        self.misclassified_check = named(QCheckBox(self.tr("Misclassified only")), "misclassifiedOnlyCheck",
                                         self.tr("Misclassified only"),
                                         self.tr("Show only the images the model gets wrong"))
        self.sort_combo = named(QComboBox(), "sortCombo", self.tr("Sort order"), self.tr(
            "Order of the images: by their index in MNIST, the ones the model is least sure about "
            "first, or the mistakes it is most sure about first"))
        self.sort_combo.addItem(self.tr("By index"), SortOrder.INDEX)
        self.sort_combo.addItem(self.tr("Least confident first"), SortOrder.LEAST_CONFIDENT)
        self.sort_combo.addItem(self.tr("Most confident mistakes first"), SortOrder.CONFIDENT_MISTAKES)

        self.size_combo = named(QComboBox(), "thumbnailSizeCombo", self.tr("Thumbnail size"),
                                self.tr("How large the images are drawn; larger reads better on a projector"))
        for scale in SCALES:
            self.size_combo.addItem(arg(self.tr("%1×"), scale), scale)

        self.clear_button = named(QPushButton(self.tr("Show all")), "clearFiltersButton",
                                  self.tr("Show all images of the split"),
                                  self.tr("Reset the label, prediction and mistake filters"))
        self.count_label = named(QLabel(), "resultCountLabel", self.tr("Number of images shown"),
                                 self.tr("Images that match the filters, of all images in the split"))
        self.count_label.setFont(bold_font(self.count_label.font()))

    def _lay_out(self) -> None:
        def labelled(text: str, widget: QWidget) -> list[QWidget]:
            label = QLabel(text)
            label.setBuddy(widget)
            return [label, widget]

        first_row = QHBoxLayout()
        second_row = QHBoxLayout()
        for row, widgets in ((first_row, [*labelled(self.tr("&Split:"), self.split_combo),
                                          *labelled(self.tr("&True label:"), self.label_combo),
                                          *labelled(self.tr("&Predicted:"), self.predicted_combo)]),
                             (second_row, [self.misclassified_check,
                                           *labelled(self.tr("S&ort:"), self.sort_combo)])):
            for position, widget in enumerate(widgets):
                if position and isinstance(widget, QLabel):
                    row.addSpacing(MARGIN)
                row.addWidget(widget)
            row.addStretch(1)
        first_row.addWidget(self.count_label)
        for widget in labelled(self.tr("Si&ze:"), self.size_combo):
            second_row.addWidget(widget)
        second_row.addSpacing(6)
        second_row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(first_row)
        layout.addLayout(second_row)

    # --- state ---------------------------------------------------------------------------

    def split_name(self) -> str:
        return str(self.split_combo.currentData())

    def filter(self) -> Filter:
        return Filter(true_label=self.label_combo.currentData(),
                      predicted_label=self.predicted_combo.currentData(),
                      misclassified_only=self.misclassified_check.isChecked(),
                      sort=self.sort_combo.currentData())

    def set_split_sizes(self, sizes: Mapping[str, int]) -> None:
        """Name each split with its number of images (just its name when it is not loaded)."""
        for i in range(self.split_combo.count()):
            name = self.split_combo.itemData(i)
            title = self._split_title(name)
            self.split_combo.setItemText(i, title if name not in sizes else
                                         arg(self.tr("%1 (%2)"), title, format_count(sizes[name])))
        self.split_combo.setMinimumWidth(self.split_combo.sizeHint().width())

    def set_count(self, shown: int | None, total: int = 0) -> None:
        """"12 of 10,000" under the filters; None: no split to count."""
        self.count_label.setText("" if shown is None else
                                 arg(self.tr("%1 of %2"), format_count(shown), format_count(total)))

    def set_predictions_ready(self, ready: bool, failed: bool = False) -> None:
        """Filters on predictions work only with them; until then they are off and say why."""
        if failed:
            why = self.tr("Needs the model's predictions, which could not be computed")
        else:
            why = self.tr("Needs the model's predictions for this split; they are being computed")
        for widget in self._prediction_controls():
            widget.setEnabled(ready)
            widget.setToolTip(self._ready_tips[widget] if ready else why)

    def set_split(self, name: str) -> None:
        self.split_combo.setCurrentIndex(self.split_combo.findData(name))

    def show_cell(self, true_label: int, predicted_label: int) -> None:
        """Filter to the images of `true_label` read as `predicted_label` (one `changed`): of
        the user's digits when they are shown, else of the test set (the matrix shown)."""
        with self._one_change():
            if self.split_name() not in CONFUSION_SPLITS:
                self.set_split("test")
            self.label_combo.setCurrentIndex(self.label_combo.findData(int(true_label)))
            self.predicted_combo.setCurrentIndex(self.predicted_combo.findData(int(predicted_label)))
            if true_label == predicted_label:
                self.misclassified_check.setChecked(False)  # the diagonal holds no mistakes

    # --- internals -------------------------------------------------------------------------

    def _split_title(self, name: str) -> str:
        return {"test": self.tr("Test set"), "train": self.tr("Training set"),
                MY_DIGITS_SPLIT: self.tr("My digits")}.get(name, name)

    def _prediction_controls(self) -> tuple[QWidget, ...]:
        return (self.predicted_combo, self.misclassified_check, self.sort_combo)

    @contextmanager
    def _one_change(self) -> Iterator[None]:
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False
        self.changed.emit()

    @Slot()
    def _on_changed(self) -> None:
        if not self._quiet:
            self.changed.emit()

    @Slot()
    def _on_clear(self) -> None:
        with self._one_change():
            self.label_combo.setCurrentIndex(0)
            self.predicted_combo.setCurrentIndex(0)
            self.misclassified_check.setChecked(False)

    @Slot(int)
    def _on_size_changed(self, _index: int) -> None:
        self.scale_changed.emit(int(self.size_combo.currentData()))
