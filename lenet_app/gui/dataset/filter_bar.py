"""The two rows above the grid: which split, which images, in which order, how large."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.dataset.filtering import Filter, SortOrder
from lenet_app.gui.dataset.image_list import SCALES
from lenet_app.gui.language import Retranslating
from lenet_app.gui.style import MARGIN, bold_font
from lenet_app.gui.text import arg, format_count

#: Splits with a confusion matrix of their own; the training set shows the test set's.
CONFUSION_SPLITS = ("test", MY_DIGITS_SPLIT)


class FilterBar(Retranslating, QWidget):
    """The split and filter controls; `changed` fires once per user change (or `show_cell`)."""

    changed = Signal()  # the split or the filter changed
    scale_changed = Signal(int)  # thumbnail scale (one of SCALES)
    cleared = Signal()  # "Show all": filters kept beside this bar reset too, before the one `changed`

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False  # set while several controls change as one
        # What the texts are formatted from: images per split, the count shown, and whether the
        # prediction filters work (ready, failed).
        self._split_sizes: Mapping[str, int] = {}
        self._count: tuple[int | None, int] = (None, 0)
        self._predictions: tuple[bool, bool] = (True, False)
        self._build_controls()
        self._lay_out()
        for combo in (self.split_combo, self.label_combo, self.predicted_combo, self.sort_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.misclassified_check.toggled.connect(self._on_changed)
        self.size_combo.currentIndexChanged.connect(self._on_size_changed)
        self.clear_button.clicked.connect(self._on_clear)
        self.retranslate()

    def _build_controls(self) -> None:
        self.split_combo = QComboBox()
        self.split_combo.setObjectName("splitCombo")
        self.split_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name in ("test", "train", MY_DIGITS_SPLIT):
            self.split_combo.addItem("", name)

        self.label_combo = QComboBox()
        self.label_combo.setObjectName("labelFilterCombo")
        self.predicted_combo = QComboBox()
        self.predicted_combo.setObjectName("predictedFilterCombo")
        for combo in (self.label_combo, self.predicted_combo):
            combo.addItem("", None)  # "Any"
            for digit in range(10):
                combo.addItem(str(digit), digit)

        self.misclassified_check = QCheckBox()
        self.misclassified_check.setObjectName("misclassifiedOnlyCheck")
        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("sortCombo")
        for order in SortOrder:
            self.sort_combo.addItem("", order)

        self.size_combo = QComboBox()
        self.size_combo.setObjectName("thumbnailSizeCombo")
        for scale in SCALES:
            self.size_combo.addItem("", scale)

        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clearFiltersButton")
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCountLabel")
        self.count_label.setFont(bold_font(self.count_label.font()))

    def _lay_out(self) -> None:
        self._buddy_labels: dict[QWidget, QLabel] = {}  # each control's label, "&Split:" …

        def labelled(widget: QWidget) -> list[QWidget]:
            label = QLabel()
            label.setBuddy(widget)
            self._buddy_labels[widget] = label
            return [label, widget]

        first_row = QHBoxLayout()
        second_row = QHBoxLayout()
        for row, widgets in ((first_row, [*labelled(self.split_combo), *labelled(self.label_combo),
                                          *labelled(self.predicted_combo)]),
                             (second_row, [self.misclassified_check, *labelled(self.sort_combo)])):
            for position, widget in enumerate(widgets):
                if position and isinstance(widget, QLabel):
                    row.addSpacing(MARGIN)
                row.addWidget(widget)
            row.addStretch(1)
        first_row.addWidget(self.count_label)
        for widget in labelled(self.size_combo):
            second_row.addWidget(widget)
        second_row.addSpacing(6)
        second_row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(first_row)
        layout.addLayout(second_row)

    def retranslate(self) -> None:
        """Every label, item and tooltip, and the split sizes, count and tooltips shown now."""
        for widget, text in ((self.split_combo, self.tr("&Split:")), (self.label_combo, self.tr("&True label:")),
                             (self.predicted_combo, self.tr("&Predicted:")), (self.sort_combo, self.tr("S&ort:")),
                             (self.size_combo, self.tr("Si&ze:"))):
            self._buddy_labels[widget].setText(text)
        self.split_combo.setAccessibleName(self.tr("Split"))
        self.split_combo.setToolTip(self.tr(
            "Which images to browse: MNIST's 10,000 test images the model never trained on, "
            "its 60,000 training images, or the digits you saved in the Draw tab"))
        self.label_combo.setAccessibleName(self.tr("True label"))
        self.label_combo.setToolTip(self.tr("Show only images of this digit (the label in MNIST)"))
        self.predicted_combo.setAccessibleName(self.tr("Predicted label"))
        for combo in (self.label_combo, self.predicted_combo):
            combo.setItemText(0, self.tr("Any"))
        self.misclassified_check.setText(self.tr("Misclassified only"))
        self.misclassified_check.setAccessibleName(self.tr("Misclassified only"))
        self.sort_combo.setAccessibleName(self.tr("Sort order"))
        sort_titles = {SortOrder.INDEX: self.tr("By index"),
                       SortOrder.LEAST_CONFIDENT: self.tr("Least confident first"),
                       SortOrder.CONFIDENT_MISTAKES: self.tr("Most confident mistakes first")}
        for i in range(self.sort_combo.count()):
            self.sort_combo.setItemText(i, sort_titles[self.sort_combo.itemData(i)])
        self.size_combo.setAccessibleName(self.tr("Thumbnail size"))
        self.size_combo.setToolTip(self.tr("How large the images are drawn; larger reads better on a projector"))
        for i in range(self.size_combo.count()):
            self.size_combo.setItemText(i, arg(self.tr("%1×"), self.size_combo.itemData(i)))
        self.clear_button.setText(self.tr("Show all"))
        self.clear_button.setAccessibleName(self.tr("Show all images of the split"))
        self.clear_button.setToolTip(self.tr("Reset the label, prediction and mistake filters"))
        self.count_label.setAccessibleName(self.tr("Number of images shown"))
        self.count_label.setToolTip(self.tr("Images that match the filters, of all images in the split"))
        self.set_split_sizes(self._split_sizes)
        self.set_count(*self._count)
        self.set_predictions_ready(*self._predictions)

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
        self._split_sizes = dict(sizes)
        for i in range(self.split_combo.count()):
            name = self.split_combo.itemData(i)
            title = self._split_title(name)
            self.split_combo.setItemText(i, title if name not in sizes else
                                         arg(self.tr("%1 (%2)"), title, format_count(sizes[name])))
        self.split_combo.setMinimumWidth(self.split_combo.sizeHint().width())

    def set_count(self, shown: int | None, total: int = 0) -> None:
        """"12 of 10,000" under the filters; None: no split to count."""
        self._count = (shown, total)
        self.count_label.setText("" if shown is None else
                                 arg(self.tr("%1 of %2"), format_count(shown), format_count(total)))

    def set_predictions_ready(self, ready: bool, failed: bool = False) -> None:
        """Filters on predictions work only with them; until then they are off and say why."""
        self._predictions = (ready, failed)
        if failed:
            why = self.tr("Needs the model's predictions, which could not be computed")
        else:
            why = self.tr("Needs the model's predictions for this split; they are being computed")
        tips = {self.predicted_combo: self.tr("Show only images the model reads as this digit"),
                self.misclassified_check: self.tr("Show only the images the model gets wrong"),
                self.sort_combo: self.tr(
                    "Order of the images: by their index in MNIST, the ones the model is least sure about "
                    "first, or the mistakes it is most sure about first")}
        for widget in self._prediction_controls():
            widget.setEnabled(ready)
            widget.setToolTip(tips[widget] if ready else why)

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
            self.cleared.emit()

    @Slot(int)
    def _on_size_changed(self, _index: int) -> None:
        self.scale_changed.emit(int(self.size_combo.currentData()))
