"""The filter bar and the thumbnail grid over one split, with the evaluation's progress above it.

The grid follows the filter bar, the compare bar (a second model and the outcome filter) and both
models' `PredictionStore`s: every change of any recomputes the rows (numpy masks over a
precomputed order) and resets the item model once. The selected image survives a re-filter as
long as it is still shown and the data has not been replaced.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QListView, QProgressBar, QStackedWidget, QVBoxLayout, QWidget

from lenet_app.core.agreement import Outcome
from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.dataset.filter_bar import CONFUSION_SPLITS, FilterBar
from lenet_app.gui.dataset.filtering import filter_rows
from lenet_app.gui.dataset.image_list import DigitDelegate, MnistImageListModel
from lenet_app.gui.dataset.predictions import PredictionStore, reading_format
from lenet_app.gui.dataset.versus import CompareBar, ModelComparison
from lenet_app.gui.language import Retranslating
from lenet_app.gui.state import DatasetState
from lenet_app.gui.style import MISTAKE, WARNING, hex_color
from lenet_app.gui.text import arg
from lenet_app.gui.widgets import Banner

Selection = tuple[str, int]  # (split name, image index)


class ImageBrowser(Retranslating, QWidget):
    """Browse one split as a filtered grid; says which image is selected or double-clicked."""

    selection_changed = Signal(object)  # Selection, or None when no image is selected
    image_activated = Signal(str, int)  # double-clicked: split name, image index
    filter_applied = Signal()  # the rows were recomputed

    def __init__(self, dataset: DatasetState, store: PredictionStore, comparison: ModelComparison,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset = dataset
        self._store = store
        self._comparison = comparison
        self._selected: Selection | None = None
        self._selected_id: str | None = None  # the selected own digit's id: it survives edits
        self._evaluating: str | None = None  # the split the evaluation bar is about
        self.filters = FilterBar()
        self.compare_bar = CompareBar(comparison)
        self._build_progress()
        self._build_grid()
        self.legend = QLabel()
        self.legend.setObjectName("gridLegendLabel")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.filters)
        layout.addWidget(self.compare_bar)
        layout.addWidget(self.evaluation_bar)
        layout.addWidget(self.evaluation_error)
        layout.addWidget(self.grid_stack, 1)
        layout.addWidget(self.legend)

        self.filters.changed.connect(self._apply_filter)
        self.filters.scale_changed.connect(self._on_scale_changed)
        self.filters.cleared.connect(self.compare_bar.clear_outcome)
        self.compare_bar.outcome_changed.connect(self._apply_filter)
        comparison.changed.connect(self._on_comparison_changed)
        comparison.store.reset.connect(self._apply_filter)
        comparison.store.ready.connect(self._on_ready)
        comparison.store.failed.connect(self._apply_filter)
        store.reset.connect(self._on_reset)
        store.started.connect(self._on_evaluation_started)
        store.progress.connect(self._on_evaluation_progress)
        store.ready.connect(self._on_ready)
        store.failed.connect(self._on_failed)
        store.idle.connect(self.evaluation_bar.hide)
        dataset.my_changed.connect(self._on_my_digits_changed)
        if store.evaluating() is not None:
            self._on_evaluation_started(*store.evaluating())
        self._on_reset()
        self.retranslate()

    def retranslate(self) -> None:
        """The legend, the grid's names and tooltips, and the evaluation's progress or error."""
        self._show_legend()
        self.evaluation_bar.setAccessibleName(self.tr("Evaluation progress"))
        self.evaluation_bar.setToolTip(self.tr("The active model is reading every image; the prediction "
                                               "filters unlock when it is done"))
        if self._evaluating is not None:
            self._show_evaluation_format()
        if self._store.error is not None:
            self._show_evaluation_error()
        self.view.setAccessibleName(self.tr("MNIST images"))
        self.empty_label.setText(self.tr("No images match these filters."))
        self.images_model.texts_changed()

    def _show_legend(self) -> None:
        legend = arg(self.tr(
            "Grey corner: the true label. <span style='color:%1'><b>Red frame and corner</b></span>: "
            "the model got it wrong, and what it read instead. Click an image for details, "
            "double-click to try it in the Draw tab."), hex_color(MISTAKE))
        if self._comparison.on:
            legend += " " + arg(self.tr(
                "<span style='color:%1'><b>Orange corner below</b></span>: %2 got it wrong, and what it read."),
                hex_color(WARNING), self._comparison.name_b())
        self.legend.setText(legend)

    def _build_progress(self) -> None:
        self.evaluation_bar = QProgressBar()
        self.evaluation_bar.setObjectName("evaluationProgressBar")
        self.evaluation_bar.setMaximumHeight(18)
        self.evaluation_bar.hide()
        self.evaluation_error = Banner("evaluationErrorLabel")

    def _build_grid(self) -> None:
        self.images_model = MnistImageListModel(self)
        self.delegate = DigitDelegate(self)
        self.view = QListView()
        self.view.setObjectName("datasetView")
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setWrapping(True)
        self.view.setUniformItemSizes(True)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(2000)
        self.view.setSpacing(0)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.view.verticalScrollBar().setSingleStep(24)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.images_model)
        self.view.setGridSize(self.delegate.cell_size())
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.doubleClicked.connect(self._on_double_clicked)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyResultLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.grid_stack = QStackedWidget()
        self.grid_stack.addWidget(self.view)
        self.grid_stack.addWidget(self.empty_label)

    # --- public ---------------------------------------------------------------------------

    def selected_image(self) -> Selection | None:
        return self._selected

    def select_image(self, image_index: int) -> bool:
        """Select an image of the current split in the grid; False when the filter hides it."""
        row = self.images_model.row_of(image_index)
        if row is None:
            return False
        index = self.images_model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        return True

    def show_outcome(self, outcome: Outcome | None) -> None:
        """Show the images with this outcome of the two models compared (None: all of them): of
        the user's digits when they are shown, else of the test set (the agreement table's)."""
        if self.filters.split_name() in CONFUSION_SPLITS:
            self.compare_bar.set_outcome(outcome)
        else:
            self.compare_bar.set_outcome(outcome, quiet=True)
            self.filters.set_split("test")  # one `changed`: the rows follow once
        self.view.scrollToTop()

    @Slot(int, int)
    def show_confusion_cell(self, true_label: int, predicted_label: int) -> None:
        """Show exactly the test images of `true_label` read as `predicted_label`."""
        self.filters.show_cell(true_label, predicted_label)
        self.view.scrollToTop()

    def confusion_cell(self) -> tuple[int, int] | None:
        """The confusion-matrix cell the filters select exactly, None when they are no single cell."""
        spec = self.filters.filter()
        name = self.filters.split_name()
        if (name not in CONFUSION_SPLITS or spec.true_label is None
                or spec.predicted_label is None or self._store.result(name) is None):
            return None
        return spec.true_label, spec.predicted_label

    # --- rows -----------------------------------------------------------------------------

    @Slot()
    def _apply_filter(self) -> None:
        """Recompute the rows and reset the item model once."""
        name = self.filters.split_name()
        split = self._dataset.split(name)
        result = self._store.result(name)
        compared_store = self._comparison.store
        compared = compared_store.result(name) if self._comparison.on else None
        self.filters.set_predictions_ready(result is not None, self._store.error is not None)
        self.compare_bar.set_outcome_ready(result is not None and compared is not None,
                                           self._store.error is not None or compared_store.error is not None)
        if split is None:
            self.images_model.set_view(None, None, np.zeros(0, np.int64))
            self.filters.set_count(None)
            self._set_selected(None)
            return
        same_images = split is self.images_model.split or name == MY_DIGITS_SPLIT
        spec = replace(self.filters.filter(), outcome=self.compare_bar.outcome())
        rows = filter_rows(split.labels, result, spec, self._store.ranking(name), compared)
        self.images_model.set_view(split, result, rows, compared, self._comparison.name_b())
        self.filters.set_count(len(rows), len(split))
        self.grid_stack.setCurrentWidget(self.view if len(rows) else self.empty_label)
        self._reselect(same_images)
        self.filter_applied.emit()

    def _reselect(self, same_images: bool) -> None:
        """Keep the selected image selected when it is still shown after a reset (an own digit
        by its id, since relabelling or deleting another one moves it)."""
        index = None if self._selected is None else self._selected[1]
        my_digits = self._dataset.my_digits
        if self._selected is not None and self._selected[0] == MY_DIGITS_SPLIT and my_digits is not None:
            index = None if self._selected_id is None else my_digits.index_of(self._selected_id)
        if not same_images or index is None or not self.select_image(index):
            self._set_selected(None)

    def _set_selected(self, selected: Selection | None) -> None:
        my_digits = self._dataset.my_digits
        if selected is not None and selected[0] == MY_DIGITS_SPLIT and my_digits is not None:
            record = my_digits.record_at(selected[1])
            self._selected_id = None if record is None else record.id
        if selected != self._selected:
            self._selected = selected
            self.selection_changed.emit(selected)

    @Slot()
    def _on_comparison_changed(self) -> None:
        """Another model B (or none): the legend names it, the grid shows its answers."""
        self._show_legend()
        self._apply_filter()

    @Slot(int)
    def _on_scale_changed(self, scale: int) -> None:
        self.delegate.set_scale(scale)
        self.view.setGridSize(self.delegate.cell_size())
        self.view.doItemsLayout()
        if self.view.currentIndex().isValid():
            self.view.scrollTo(self.view.currentIndex())

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        split = self.images_model.split
        if current.isValid() and split is not None:
            self._set_selected((split.name, self.images_model.image_index(current.row())))

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        split = self.images_model.split
        if index.isValid() and split is not None:
            self.image_activated.emit(split.name, self.images_model.image_index(index.row()))

    # --- the predictions ------------------------------------------------------------------

    @Slot()
    def _on_reset(self) -> None:
        self.evaluation_error.hide()
        self._show_split_sizes()
        self._apply_filter()

    def _show_split_sizes(self) -> None:
        self.filters.set_split_sizes(self._dataset.split_sizes())

    @Slot()
    def _on_my_digits_changed(self) -> None:
        self._show_split_sizes()  # the grid follows the store's `ready` for the split

    @Slot(str, int)
    def _on_evaluation_started(self, split_name: str, total: int) -> None:
        self._evaluating = split_name
        self.evaluation_bar.setRange(0, total)
        self.evaluation_bar.setValue(0)
        self._show_evaluation_format()
        self.evaluation_bar.show()

    def _show_evaluation_format(self) -> None:
        self.evaluation_bar.setFormat(reading_format(self._evaluating, self._store.architecture))

    def _show_evaluation_error(self) -> None:
        self.evaluation_error.show_message("error", arg(self.tr("Could not evaluate the model on MNIST: %1"),
                                                        self._store.error))

    @Slot(str, int, int)
    def _on_evaluation_progress(self, split_name: str, done: int, total: int) -> None:
        self.evaluation_bar.setValue(done)

    @Slot(str)
    def _on_ready(self, split_name: str) -> None:
        if split_name == self.filters.split_name():
            self._apply_filter()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.evaluation_bar.hide()
        self._show_evaluation_error()
        self.filters.set_predictions_ready(self._store.result(self.filters.split_name()) is not None, True)
