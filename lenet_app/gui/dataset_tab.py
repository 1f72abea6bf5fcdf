"""The Dataset tab: browse all 70,000 MNIST images, and see which ones the active model gets wrong.

The grid, the filters, the confusion matrix and the detail pane all follow one state: the
current split, the current filter and the active model's predictions for each split. The
predictions are computed on a worker (test set first, it drives the confusion matrix) and
recomputed whenever the model or MNIST changes; results from an outdated run are dropped.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core import mnist as core_mnist
from lenet_app.core.evaluation import EvaluationResult, evaluate
from lenet_app.gui.confusion_view import ClassAccuracyView, ConfusionMatrixView
from lenet_app.gui.dataset_model import (
    MISTAKE,
    SCALES,
    DigitDelegate,
    DigitListModel,
    Filter,
    Ranking,
    SortOrder,
    filter_rows,
    format_count,
)
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.widgets import DigitImageView, ProbabilityBars, named
from lenet_app.gui.jobs import Job, JobRunner

SPLIT_ORDER = ("test", "train")  # evaluation order: the test set drives the confusion matrix
CORRECT_TEXT = "#2E9E5B"
ERROR_BANNER_STYLE = ("QLabel { background: #FDECEC; color: #8A1C1C; border: 1px solid #E8A0A0;"
                      " border-radius: 4px; padding: 6px 8px; }")
INFO_BANNER_STYLE = ("QLabel { background: #EAF2FB; color: #1D4F80; border: 1px solid #A9C8EA;"
                     " border-radius: 4px; padding: 6px 8px; }")


def _banner(name: str, style: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(style)
    label.hide()
    return label


def _heading(text: str, scale: float = 1.25) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


class _EvaluationJob(QObject):
    """Receives one evaluation worker's signals on the GUI thread and names the run they belong to.

    The tab keeps only its newest job; signals of an older, cancelled job still arrive here and
    are recognised as stale because the job is no longer the tab's current one.
    """

    def __init__(self, tab: "DatasetTab", split_name: str, worker: Job) -> None:
        super().__init__(tab)
        self.split_name = split_name
        self._tab = tab
        self._worker: Job | None = worker
        self.started = time.perf_counter()
        worker.progress.connect(self._on_progress)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self._tab._evaluation_progress(self, done, total)

    @Slot(object)
    def _on_succeeded(self, outcome: tuple[EvaluationResult, Ranking]) -> None:
        self._tab._evaluation_succeeded(self, *outcome)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._tab._evaluation_failed(self, message)

    @Slot()
    def _on_finished(self) -> None:
        self._worker = None
        self.deleteLater()


class ExportImagesDialog(QDialog):
    """Asks where to write the MNIST pictures, which splits and in which format."""

    def __init__(self, counts: dict[str, int], folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportImagesDialog")
        self.setWindowTitle(self.tr("Export MNIST images"))
        intro = QLabel(self.tr(
            "Writes every image as a picture named <i>split_index_label</i> "
            "(for example <tt>test_0_7.png</tt>). Pictures already in the folder are kept, "
            "so a stopped export continues where it left off."))
        intro.setWordWrap(True)

        self.folder_edit = QLineEdit(folder)
        self.folder_edit.setObjectName("exportFolderEdit")
        self.folder_edit.setAccessibleName(self.tr("Export folder"))
        self.folder_edit.setPlaceholderText(self.tr("Folder for the pictures"))
        self.folder_edit.setToolTip(self.tr("The pictures are written into this folder; it is "
                                            "created when missing"))
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("exportBrowseButton")
        browse.setToolTip(self.tr("Choose the export folder"))
        browse.clicked.connect(self._on_browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        self.split_checks: dict[str, QCheckBox] = {}
        split_box = QVBoxLayout()
        for name, text in (("train", self.tr("Training set (%1 images)")),
                           ("test", self.tr("Test set (%1 images)"))):
            check = QCheckBox(text.replace("%1", format_count(counts.get(name, 0))))
            check.setObjectName(f"export{name.title()}Check")
            check.setChecked(name == "test")
            check.setEnabled(name in counts)
            check.setToolTip(self.tr("Export this split"))
            check.toggled.connect(self._on_changed)
            self.split_checks[name] = check
            split_box.addWidget(check)

        self.format_combo = QComboBox()
        self.format_combo.setObjectName("exportFormatCombo")
        self.format_combo.setAccessibleName(self.tr("Picture format"))
        self.format_combo.setToolTip(self.tr("PNG keeps every pixel exactly; JPEG files are smaller"))
        self.format_combo.addItem(self.tr("PNG (lossless)"), "png")
        self.format_combo.addItem(self.tr("JPEG"), "jpg")

        form = QFormLayout()
        form.addRow(self.tr("Folder:"), folder_row)
        form.addRow(self.tr("Splits:"), split_box)
        form.addRow(self.tr("Format:"), self.format_combo)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportStartButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.folder_edit.textChanged.connect(self._on_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        self._on_changed()

    def folder(self) -> str:
        return self.folder_edit.text().strip()

    def splits(self) -> list[str]:
        return [name for name, check in self.split_checks.items() if check.isChecked() and check.isEnabled()]

    def image_format(self) -> str:
        return str(self.format_combo.currentData())

    @Slot()
    def _on_changed(self) -> None:
        self.export_button.setEnabled(bool(self.folder()) and bool(self.splits()))

    @Slot()
    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export images to"), self.folder())
        if folder:
            self.folder_edit.setText(folder)


class DatasetTab(QWidget):
    """Browse MNIST as a filtered thumbnail grid with the active model's verdict on each image."""

    try_in_draw = Signal(object)  # 28×28 uint8 numpy array

    def __init__(self, dataset: DatasetState, active_model: ActiveModel, jobs: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetTab")
        self._dataset = dataset
        self._active_model = active_model
        self._jobs = jobs
        self._results: dict[str, EvaluationResult] = {}
        self._rankings: dict[str, Ranking] = {}
        self._evaluation_seconds: dict[str, float] = {}
        self._job: _EvaluationJob | None = None
        self._evaluation_error: str | None = None
        self._download_worker: Job | None = None
        self._export_worker: Job | None = None
        self._export_dialog: QProgressDialog | None = None
        self._export_folder = ""
        self._selected: tuple[str, int] | None = None  # (split, image index) in the detail pane
        self._updating_filters = True  # no filtering while the combos are being filled
        self.last_filter_ms = 0.0
        self._sized = False  # the splitter gets its first sizes when the tab is first shown

        self.pages = QStackedWidget()
        self.pages.setObjectName("datasetPages")
        self.browse_page = self._build_browse_page()
        self.missing_page = self._build_missing_page()
        self.loading_page = self._build_loading_page()
        for page in (self.browse_page, self.missing_page, self.loading_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._updating_filters = False

        dataset.changed.connect(self._on_dataset_changed)
        dataset.loading_changed.connect(self._on_loading_changed)
        active_model.changed.connect(self._on_model_changed)
        self._on_dataset_changed()

    # ======================================================================== building

    def _build_browse_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("datasetBrowsePage")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("datasetSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_grid_panel())
        splitter.addWidget(self._build_side_panel())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        self._splitter = splitter
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        return page

    def _combo(self, name: str, accessible: str, tooltip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setToolTip(tooltip)
        combo.setProperty("readyTip", tooltip)
        combo.currentIndexChanged.connect(self._on_filter_changed)
        return combo

    def _build_grid_panel(self) -> QWidget:
        panel = QWidget()
        self.split_combo = self._combo("splitCombo", self.tr("Split"),
                                       self.tr("Which part of MNIST to browse: the 10,000 test images the "
                                               "model never trained on, or the 60,000 training images"))
        self.split_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.split_combo.addItem(self.tr("Test set"), "test")
        self.split_combo.addItem(self.tr("Training set"), "train")

        self.label_combo = self._combo("labelFilterCombo", self.tr("True label"),
                                       self.tr("Show only images of this digit (the label in MNIST)"))
        self.label_combo.addItem(self.tr("Any"), None)
        self.predicted_combo = self._combo("predictedFilterCombo", self.tr("Predicted label"),
                                           self.tr("Show only images the model reads as this digit"))
        self.predicted_combo.addItem(self.tr("Any"), None)
        for digit in range(10):
            self.label_combo.addItem(str(digit), digit)
            self.predicted_combo.addItem(str(digit), digit)

        self.misclassified_check = QCheckBox(self.tr("Misclassified only"))
        self.misclassified_check.setObjectName("misclassifiedOnlyCheck")
        self.misclassified_check.setAccessibleName(self.tr("Misclassified only"))
        tip = self.tr("Show only the images the model gets wrong")
        self.misclassified_check.setToolTip(tip)
        self.misclassified_check.setProperty("readyTip", tip)
        self.misclassified_check.toggled.connect(self._on_filter_changed)

        self.sort_combo = self._combo("sortCombo", self.tr("Sort order"),
                                      self.tr("Order of the images: by their index in MNIST, the ones the "
                                              "model is least sure about first, or the mistakes it is "
                                              "most sure about first"))
        self.sort_combo.addItem(self.tr("By index"), SortOrder.INDEX)
        self.sort_combo.addItem(self.tr("Least confident first"), SortOrder.LEAST_CONFIDENT)
        self.sort_combo.addItem(self.tr("Most confident mistakes first"), SortOrder.CONFIDENT_MISTAKES)

        self.size_combo = QComboBox()
        self.size_combo.setObjectName("thumbnailSizeCombo")
        self.size_combo.setAccessibleName(self.tr("Thumbnail size"))
        self.size_combo.setToolTip(self.tr("How large the images are drawn; larger reads better on a projector"))
        for scale in SCALES:
            self.size_combo.addItem(self.tr("%1×").replace("%1", str(scale)), scale)
        self.size_combo.currentIndexChanged.connect(self._on_size_changed)

        self.clear_button = named(QPushButton(self.tr("Show all")), "clearFiltersButton",
                                  self.tr("Show all images of the split"),
                                  self.tr("Reset the label, prediction and mistake filters"))
        self.clear_button.clicked.connect(self._on_clear_filters)

        self.count_label = QLabel()
        self.count_label.setObjectName("resultCountLabel")
        self.count_label.setAccessibleName(self.tr("Number of images shown"))
        self.count_label.setToolTip(self.tr("Images that match the filters, of all images in the split"))
        count_font = QFont(self.count_label.font())
        count_font.setBold(True)
        self.count_label.setFont(count_font)

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
                    row.addSpacing(10)
                row.addWidget(widget)
            row.addStretch(1)
        first_row.addWidget(self.count_label)
        second_row.addWidget(QLabel(self.tr("Si&ze:")))
        second_row.itemAt(second_row.count() - 1).widget().setBuddy(self.size_combo)
        second_row.addWidget(self.size_combo)
        second_row.addSpacing(6)
        second_row.addWidget(self.clear_button)
        filters = QVBoxLayout()
        filters.setSpacing(4)
        filters.addLayout(first_row)
        filters.addLayout(second_row)

        self.evaluation_bar = QProgressBar()
        self.evaluation_bar.setObjectName("evaluationProgressBar")
        self.evaluation_bar.setAccessibleName(self.tr("Evaluation progress"))
        self.evaluation_bar.setToolTip(self.tr("The active model is reading every image; the "
                                               "prediction filters unlock when it is done"))
        self.evaluation_bar.setMaximumHeight(18)
        self.evaluation_bar.hide()
        self.evaluation_error = _banner("evaluationErrorLabel", ERROR_BANNER_STYLE)

        self.model = DigitListModel(self)
        self.delegate = DigitDelegate(self)
        self.view = QListView()
        self.view.setObjectName("datasetView")
        self.view.setAccessibleName(self.tr("MNIST images"))
        self.view.setToolTip("")
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
        self.view.setModel(self.model)
        self.view.setGridSize(self.delegate.cell_size())
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.doubleClicked.connect(self._on_item_double_clicked)

        self.empty_label = QLabel(self.tr("No images match these filters."))
        self.empty_label.setObjectName("emptyResultLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.grid_stack = QStackedWidget()
        self.grid_stack.addWidget(self.view)
        self.grid_stack.addWidget(self.empty_label)

        legend = QLabel(self.tr(
            "Grey corner: the true label. <span style='color:%1'><b>Red frame and corner</b></span>: "
            "the model got it wrong, and what it read instead. Click an image for details, "
            "double-click to try it in the Draw tab.").replace("%1", MISTAKE.name()))
        legend.setObjectName("gridLegendLabel")
        legend.setWordWrap(True)
        legend.setTextFormat(Qt.TextFormat.RichText)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addLayout(filters)
        layout.addWidget(self.evaluation_bar)
        layout.addWidget(self.evaluation_error)
        layout.addWidget(self.grid_stack, 1)
        layout.addWidget(legend)
        return panel

    def _build_side_panel(self) -> QWidget:
        panel = QWidget()
        self.accuracy_label = QLabel()
        self.accuracy_label.setObjectName("overallAccuracyLabel")
        self.accuracy_label.setAccessibleName(self.tr("Test accuracy of the active model"))
        self.accuracy_label.setWordWrap(True)
        self.accuracy_label.setTextFormat(Qt.TextFormat.RichText)
        self.confusion_view = ConfusionMatrixView()
        self.confusion_view.cell_activated.connect(self.select_confusion_cell)
        self.class_accuracy = ClassAccuracyView(self.confusion_view)
        matrix_row = QHBoxLayout()
        matrix_row.setSpacing(8)
        matrix_row.addWidget(self.confusion_view, 3)
        matrix_row.addWidget(self.class_accuracy, 1)

        self.detail_image = DigitImageView(self.tr("28 × 28"))
        self.detail_image.setObjectName("detailImage")
        self.detail_image.setAccessibleName(self.tr("Selected image, enlarged"))
        self.detail_image.setToolTip(self.tr("The selected image as the network sees it: 28×28 pixels"))
        self.detail_image.setMinimumSize(128, 128)
        self.detail_image.setMaximumSize(200, 200)
        self.detail_title = _heading("", 1.15)
        self.detail_title.setObjectName("detailTitleLabel")
        self.detail_label = QLabel()
        self.detail_label.setObjectName("detailLabelLabel")
        self.detail_label.setAccessibleName(self.tr("True label"))
        self.detail_label.setWordWrap(True)
        self.detail_prediction = QLabel()
        self.detail_prediction.setObjectName("detailPredictionLabel")
        self.detail_prediction.setAccessibleName(self.tr("Prediction"))
        self.detail_prediction.setWordWrap(True)
        self.detail_prediction.setTextFormat(Qt.TextFormat.RichText)
        self.try_button = named(QPushButton(self.tr("Try in Draw tab")), "tryInDrawButton",
                                self.tr("Try this image in the Draw tab"),
                                self.tr("Open this image on the drawing pad, to edit it and watch "
                                        "the prediction change"))
        self.try_button.clicked.connect(self._on_try_in_draw)
        self.detail_bars = ProbabilityBars()
        self.detail_bars.setMinimumSize(140, 150)

        info = QVBoxLayout()
        info.setSpacing(4)
        info.addWidget(self.detail_title)
        info.addWidget(self.detail_label)
        info.addWidget(self.detail_prediction)
        info.addSpacing(6)
        info.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignLeft)
        info.addStretch(1)
        detail_top = QHBoxLayout()
        detail_top.addWidget(self.detail_image, 0, Qt.AlignmentFlag.AlignTop)
        detail_top.addLayout(info, 1)
        detail_top.addWidget(self.detail_bars, 1)

        detail = QFrame()
        detail.setObjectName("detailPane")
        detail.setFrameShape(QFrame.Shape.StyledPanel)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(8, 8, 8, 8)
        detail_layout.addLayout(detail_top)

        caption = QLabel(self.tr(
            "Rows: the true digit; columns: what the model read. <span style='color:%1'>Green</span>: "
            "read correctly; <span style='color:%2'>red</span>: mistakes, darker for more. "
            "Click a cell to show those images.").replace("%1", CORRECT_TEXT).replace("%2", MISTAKE.name()))
        caption.setObjectName("confusionCaption")
        caption.setWordWrap(True)
        caption.setTextFormat(Qt.TextFormat.RichText)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.accuracy_label)
        layout.addLayout(matrix_row, 1)
        layout.addWidget(caption)
        layout.addWidget(detail)
        self._show_detail(None)
        return panel

    def _build_missing_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("mnistMissingPage")
        title = _heading(self.tr("MNIST is not on this computer yet"), 1.5)
        title.setObjectName("mnistMissingTitle")
        explain = QLabel(self.tr(
            "The Dataset tab shows the 70,000 handwritten digits of MNIST and how the model "
            "reads each of them. Download MNIST once (about 11 MB), or choose a folder that "
            "already holds it: the four <tt>.gz</tt> files, or torchvision's <tt>MNIST/raw</tt> "
            "folder or its parent. The Draw tab works without it."))
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.RichText)
        self.missing_reason = _banner("mnistMissingReason", INFO_BANNER_STYLE)
        self.missing_reason.show()

        self.download_button = named(
            QPushButton(self.tr("Download MNIST (about 11 MB)")), "downloadMnistButton",
            self.tr("Download MNIST"),
            self.tr("Fetch the four MNIST files into %1").replace("%1", str(core_mnist.default_mnist_dir())))
        self.download_button.clicked.connect(self._on_download)
        self.choose_button = named(QPushButton(self.tr("Choose folder…")), "chooseMnistFolderButton",
                                   self.tr("Choose the MNIST folder"),
                                   self.tr("Point the app at a folder that already holds MNIST"))
        self.choose_button.clicked.connect(self._on_choose_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)

        self.download_bar = QProgressBar()
        self.download_bar.setObjectName("downloadProgressBar")
        self.download_bar.setAccessibleName(self.tr("Download progress"))
        self.download_bar.setToolTip(self.tr("Bytes of MNIST downloaded so far"))
        self.cancel_download_button = named(QPushButton(self.tr("Cancel")), "cancelDownloadButton",
                                            self.tr("Cancel the download"),
                                            self.tr("Stop downloading; complete files are kept"))
        self.cancel_download_button.clicked.connect(self._on_cancel_download)
        self.download_row = QWidget()
        download_layout = QHBoxLayout(self.download_row)
        download_layout.setContentsMargins(0, 0, 0, 0)
        download_layout.addWidget(self.download_bar, 1)
        download_layout.addWidget(self.cancel_download_button)
        self.download_row.hide()
        self.missing_error = _banner("mnistMissingError", ERROR_BANNER_STYLE)

        box = QWidget()
        box.setMaximumWidth(720)
        box_layout = QVBoxLayout(box)
        box_layout.setSpacing(12)
        box_layout.addWidget(title)
        box_layout.addWidget(explain)
        box_layout.addWidget(self.missing_reason)
        box_layout.addLayout(buttons)
        box_layout.addWidget(self.download_row)
        box_layout.addWidget(self.missing_error)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _build_loading_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("mnistLoadingPage")
        label = _heading(self.tr("Loading MNIST…"), 1.3)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        busy = QProgressBar()
        busy.setObjectName("mnistLoadingBar")
        busy.setAccessibleName(self.tr("Loading MNIST"))
        busy.setToolTip(self.tr("Reading the 70,000 images; this takes a second or two"))
        busy.setRange(0, 0)
        busy.setMaximumWidth(360)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addWidget(busy, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        return page

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._sized:
            # First show: the side panel at its natural width, all the rest for the images.
            self._sized = True
            side = max(self._splitter.widget(1).sizeHint().width(), 520)
            self._splitter.setSizes([max(self._splitter.width() - side, 300), side])

    # ======================================================================== workers

    def _start_worker(self, worker: Job) -> None:
        self._jobs.start(worker)

    # ======================================================================== shared state

    @Slot(bool)
    def _on_loading_changed(self, loading: bool) -> None:
        self._show_page()

    @Slot()
    def _on_dataset_changed(self) -> None:
        self._selected = None
        self._show_page()
        self._update_split_texts()
        self._restart_evaluation()

    @Slot(object)
    def _on_model_changed(self, model) -> None:
        self._restart_evaluation()

    def _show_page(self) -> None:
        if self._dataset.available:
            self.missing_error.hide()
            self.pages.setCurrentWidget(self.browse_page)
        elif self._dataset.loading:
            self.pages.setCurrentWidget(self.loading_page)
        else:
            self.missing_reason.setText(self._dataset.error or self.tr("MNIST has not been loaded."))
            self.pages.setCurrentWidget(self.missing_page)

    def _update_split_texts(self) -> None:
        for i in range(self.split_combo.count()):
            name = self.split_combo.itemData(i)
            split = self._dataset.split(name)
            base = self.tr("Test set") if name == "test" else self.tr("Training set")
            self.split_combo.setItemText(i, base if split is None else
                                         f"{base} ({format_count(len(split))})")
        self.split_combo.setMinimumWidth(self.split_combo.sizeHint().width())

    # ======================================================================== evaluation

    def predictions(self, split_name: str) -> EvaluationResult | None:
        """The active model's results on a split, None until its evaluation has finished."""
        return self._results.get(split_name)

    def evaluating(self) -> bool:
        return self._job is not None

    def cancel_work(self) -> None:
        """Ask every worker this tab started to stop (evaluation, download, export); none waits."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
            self.evaluation_bar.hide()
        for worker in (self._download_worker, self._export_worker):
            if worker is not None:
                worker.cancel()

    def _restart_evaluation(self) -> None:
        """Drop all predictions and evaluate the current model again, cancelling a run in flight."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self._results.clear()
        self._rankings.clear()
        self._evaluation_error = None
        self._evaluate_next()
        self._apply_filter()
        self._update_summary()

    def _evaluate_next(self) -> None:
        pending = [name for name in SPLIT_ORDER if name not in self._results and self._dataset.split(name)]
        if not pending or self._evaluation_error is not None:
            self.evaluation_bar.hide()
            return
        name = pending[0]
        split = self._dataset.split(name)
        module = self._active_model.model.module  # inference only: never trained in place

        def run(progress, cancelled):
            result = evaluate(module, split, progress=progress, cancel=cancelled)
            return result, Ranking(split.labels, result).precompute()

        worker = Job(lambda control: run(control.progress, control.is_cancelled), "dataset")
        self._job = _EvaluationJob(self, name, worker)
        self.evaluation_bar.setRange(0, len(split))
        self.evaluation_bar.setValue(0)
        self.evaluation_bar.setFormat(self.tr("Reading the %1 with %2… %p%").replace(
            "%1", self.tr("test set") if name == "test" else self.tr("training set")).replace(
            "%2", self._active_model.model.architecture))
        self.evaluation_bar.show()
        self._start_worker(worker)

    def _evaluation_progress(self, job: _EvaluationJob, done: int, total: int) -> None:
        if job is self._job:
            self.evaluation_bar.setValue(done)

    def _evaluation_succeeded(self, job: _EvaluationJob, result: EvaluationResult, ranking: Ranking) -> None:
        if job is not self._job:
            return  # a cancelled run for an older model or dataset
        self._job = None
        self._evaluation_seconds[job.split_name] = time.perf_counter() - job.started
        self._results[job.split_name] = result
        self._rankings[job.split_name] = ranking
        if job.split_name == "test":
            self._update_summary()
        if job.split_name == self._current_split_name():
            self._apply_filter()
        self._evaluate_next()

    def _evaluation_failed(self, job: _EvaluationJob, message: str) -> None:
        if job is not self._job:
            return
        self._job = None
        self._evaluation_error = message
        self.evaluation_bar.hide()
        self.evaluation_error.setText(self.tr("Could not evaluate the model on MNIST: %1").replace("%1", message))
        self.evaluation_error.show()
        self._update_prediction_controls(self._current_split_name() in self._results)
        self._update_summary()

    def evaluation_seconds(self) -> dict[str, float]:
        """Wall time of the last evaluation of each split (shown in tooltips, logged by tests)."""
        return dict(self._evaluation_seconds)

    def _update_summary(self) -> None:
        """Confusion matrix, per-class bars and the accuracy line for the test set."""
        result = self._results.get("test")
        model = self._active_model.model
        self.evaluation_error.setVisible(self._evaluation_error is not None)
        if result is None:
            if self._evaluation_error is not None:
                placeholder = self.tr("No predictions: see the message above the images.")
            elif self._dataset.split("test") is None:
                placeholder = self.tr("The test set is not loaded.")
            else:
                placeholder = self.tr("Reading the 10,000 test images…")
            self.confusion_view.set_matrix(None, placeholder)
            self.class_accuracy.set_confusion(None)
            self.accuracy_label.setText(self.tr("<b>Test set</b> · %1").replace("%1", model.architecture))
            return
        confusion = result.confusion
        correct = int(np.trace(confusion))
        self.confusion_view.set_matrix(confusion)
        self.class_accuracy.set_confusion(confusion)
        self.accuracy_label.setText(self.tr(
            "<b>Test set · %1: %2% correct</b> (%3 of %4, %5 mistakes)").replace(
            "%1", model.architecture).replace("%2", f"{result.accuracy * 100:.2f}").replace(
            "%3", format_count(correct)).replace("%4", format_count(len(result))).replace(
            "%5", format_count(len(result) - correct)))
        self._update_matrix_selection()

    # ======================================================================== filtering

    def _current_split_name(self) -> str:
        return str(self.split_combo.currentData())

    def current_filter(self) -> Filter:
        return Filter(true_label=self.label_combo.currentData(),
                      predicted_label=self.predicted_combo.currentData(),
                      misclassified_only=self.misclassified_check.isChecked(),
                      sort=self.sort_combo.currentData())

    @Slot()
    def _on_filter_changed(self) -> None:
        if not self._updating_filters:
            self._apply_filter()

    def _apply_filter(self) -> None:
        """Recompute the rows (numpy masks and one argsort) and reset the model once."""
        started = time.perf_counter()
        name = self._current_split_name()
        split = self._dataset.split(name)
        result = self._results.get(name)
        self._update_prediction_controls(result is not None)
        if split is None:
            self.model.set_view(None, None, np.zeros(0, np.int64))
            self.count_label.setText("")
            return
        rows = filter_rows(split.labels, result, self.current_filter(), self._rankings.get(name))
        self.model.set_view(split, result, rows)
        self.count_label.setText(self.tr("%1 of %2").replace("%1", format_count(len(rows))).replace(
            "%2", format_count(len(split))))
        self.grid_stack.setCurrentWidget(self.view if len(rows) else self.empty_label)
        self._reselect()
        self._update_matrix_selection()
        self.last_filter_ms = (time.perf_counter() - started) * 1000

    def _update_prediction_controls(self, ready: bool) -> None:
        if self._evaluation_error is not None:
            why = self.tr("Needs the model's predictions, which could not be computed")
        else:
            why = self.tr("Needs the model's predictions for this split; they are being computed")
        for widget in (self.predicted_combo, self.misclassified_check, self.sort_combo):
            widget.setEnabled(ready)
            widget.setToolTip(widget.property("readyTip") if ready else why)

    def _update_matrix_selection(self) -> None:
        spec = self.current_filter()
        on_cell = (self._current_split_name() == "test" and spec.true_label is not None
                   and spec.predicted_label is not None and "test" in self._results)
        self.confusion_view.set_selected((spec.true_label, spec.predicted_label) if on_cell else None)

    @Slot(int, int)
    def select_confusion_cell(self, true_label: int, predicted_label: int) -> None:
        """Show exactly the test images of `true_label` read as `predicted_label`, via the filters."""
        self._updating_filters = True
        try:
            self.split_combo.setCurrentIndex(self.split_combo.findData("test"))
            self.label_combo.setCurrentIndex(self.label_combo.findData(int(true_label)))
            self.predicted_combo.setCurrentIndex(self.predicted_combo.findData(int(predicted_label)))
            if true_label == predicted_label:
                self.misclassified_check.setChecked(False)  # the diagonal holds no mistakes
        finally:
            self._updating_filters = False
        self._apply_filter()
        self.view.scrollToTop()

    @Slot()
    def _on_clear_filters(self) -> None:
        self._updating_filters = True
        try:
            self.label_combo.setCurrentIndex(0)
            self.predicted_combo.setCurrentIndex(0)
            self.misclassified_check.setChecked(False)
        finally:
            self._updating_filters = False
        self._apply_filter()

    @Slot(int)
    def _on_size_changed(self, _index: int) -> None:
        self.delegate.set_scale(int(self.size_combo.currentData()))
        self.view.setGridSize(self.delegate.cell_size())
        self.view.doItemsLayout()
        if self.view.currentIndex().isValid():
            self.view.scrollTo(self.view.currentIndex())

    # ======================================================================== selection / detail

    def _reselect(self) -> None:
        """Keep the image in the detail pane selected when it is still shown after a reset."""
        row = None
        if self._selected is not None and self._selected[0] == self._current_split_name():
            row = self.model.row_of(self._selected[1])
        if row is None:
            self._selected = None
            self._show_detail(None)
            return
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        self._show_detail(self._selected)

    def select_image(self, image_index: int) -> bool:
        """Select an image of the current split in the grid; False when the filter hides it."""
        row = self.model.row_of(image_index)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        return True

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid() or self.model.split is None:
            return
        self._selected = (self.model.split.name, self.model.image_index(current.row()))
        self._show_detail(self._selected)

    def selected_image(self) -> tuple[str, int] | None:
        return self._selected

    def _show_detail(self, selected: tuple[str, int] | None) -> None:
        split = None if selected is None else self._dataset.split(selected[0])
        if split is None:
            self.detail_image.set_pixels(None)
            self.detail_title.setText(self.tr("No image selected"))
            self.detail_label.setText(self.tr("Click an image in the grid to see it here."))
            self.detail_prediction.setText("")
            self.detail_bars.set_probabilities(None)
            self.try_button.setEnabled(False)
            return
        name, index = selected
        self.detail_image.set_pixels(split.images[index])
        self.detail_title.setText(self.tr("%1 image #%2").replace(
            "%1", self.tr("Test") if name == "test" else self.tr("Training")).replace("%2", format_count(index)))
        label = int(split.labels[index])
        self.detail_label.setText(self.tr("True label: %1").replace("%1", str(label)))
        result = self._results.get(name)
        if result is None:
            self.detail_prediction.setText(self.tr("Prediction: being computed…"))
            self.detail_bars.set_probabilities(None)
        else:
            predicted = int(result.predictions[index])
            confidence = float(result.probabilities[index, predicted]) * 100
            color = CORRECT_TEXT if predicted == label else MISTAKE.name()
            verdict = self.tr("correct") if predicted == label else self.tr("wrong")
            self.detail_prediction.setText(self.tr(
                "Predicted: <span style='color:%1'><b>%2</b></span> (%3% sure, %4)").replace(
                "%1", color).replace("%2", str(predicted)).replace("%3", f"{confidence:.1f}").replace(
                "%4", verdict))
            self.detail_bars.set_probabilities(result.probabilities[index])
        self.try_button.setEnabled(True)

    @Slot()
    def _on_try_in_draw(self) -> None:
        if self._selected is None:
            return
        split = self._dataset.split(self._selected[0])
        if split is not None:
            self.try_in_draw.emit(np.array(split.images[self._selected[1]], dtype=np.uint8, copy=True))

    @Slot(QModelIndex)
    def _on_item_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._on_try_in_draw()

    # ======================================================================== getting MNIST

    def downloading(self) -> bool:
        return self._download_worker is not None

    @Slot()
    def _on_download(self) -> None:
        if self._download_worker is not None:
            return

        def run(progress, cancelled):
            # Looked up at call time so tests can replace the downloader.
            return core_mnist.download_mnist(progress=progress, cancel=cancelled)

        worker = Job(lambda control: run(control.progress, control.is_cancelled), "dataset")
        worker.progress.connect(self._on_download_progress)
        worker.succeeded.connect(self._on_download_succeeded)
        worker.failed.connect(self._on_download_failed)
        worker.cancelled.connect(self._on_download_cancelled)
        worker.finished.connect(self._on_download_finished)
        self._download_worker = worker
        self.missing_error.hide()
        self.download_bar.setRange(0, 0)
        self.download_bar.setFormat(self.tr("Connecting…"))
        self.download_row.show()
        self.cancel_download_button.setEnabled(True)
        self.download_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self._start_worker(worker)

    @Slot(int, int)
    def _on_download_progress(self, done: int, total: int) -> None:
        megabytes = done / 1e6
        if total > 0:
            self.download_bar.setRange(0, 1000)
            self.download_bar.setValue(int(1000 * done / total))
            self.download_bar.setFormat(self.tr("Downloading MNIST… %1 of %2 MB").replace(
                "%1", f"{megabytes:.1f}").replace("%2", f"{total / 1e6:.1f}"))
        else:
            self.download_bar.setFormat(self.tr("Downloading MNIST… %1 MB").replace("%1", f"{megabytes:.1f}"))

    @Slot(object)
    def _on_download_succeeded(self, folder: Path) -> None:
        self._dataset.load_async(self._jobs, folder)

    @Slot(str)
    def _on_download_failed(self, message: str) -> None:
        self.missing_error.setText(message)
        self.missing_error.show()

    @Slot()
    def _on_download_cancelled(self) -> None:
        self.missing_error.setText(self.tr("Download cancelled. Files that were complete are kept, "
                                           "so the next download continues from there."))
        self.missing_error.show()

    @Slot()
    def _on_download_finished(self) -> None:
        self._download_worker = None
        self.download_row.hide()
        self.download_button.setEnabled(True)
        self.choose_button.setEnabled(True)

    @Slot()
    def _on_cancel_download(self) -> None:
        if self._download_worker is not None:
            self._download_worker.cancel()
            self.cancel_download_button.setEnabled(False)
            self.download_bar.setFormat(self.tr("Cancelling…"))

    @Slot()
    def _on_choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder with MNIST"),
                                                  str(self._dataset.directory or Path.home()))
        if folder:
            self.use_mnist_folder(folder)

    def use_mnist_folder(self, folder: str | Path) -> bool:
        """Load MNIST from a folder the user picked; False (and an inline message) if it lacks it."""
        folder = Path(folder)
        found = DatasetState.locate(folder) or DatasetState.locate(folder / "raw")
        if found is None:
            names = ", ".join(f"{base}.gz" for split in core_mnist.SPLITS for base in core_mnist.FILES[split])
            self.missing_error.setText(self.tr(
                "No MNIST in %1. Choose the folder that holds the four files %2, torchvision's "
                "MNIST/raw folder, or its parent.").replace("%1", str(folder)).replace("%2", names))
            self.missing_error.show()
            return False
        self.missing_error.hide()
        self._dataset.load_async(self._jobs, found)
        return True

    # ======================================================================== exporting

    def export_images_dialog(self) -> None:
        """File → Export images…: ask where and what, then export on a worker with progress."""
        if self._export_worker is not None:
            self._message(QMessageBox.Icon.Information, self.tr("Export images"),
                          self.tr("An export is already running."))
            return
        if not self._dataset.available:
            self._message(QMessageBox.Icon.Information, self.tr("Export images"), self.tr(
                "MNIST is not loaded, so there are no images to export. Open the Dataset tab to "
                "download MNIST or to choose the folder that holds it.") + "\n\n" + (self._dataset.error or ""))
            return
        counts = {name: len(split) for name, split in self._dataset.splits.items()}
        dialog = ExportImagesDialog(counts, self._export_folder, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start_export(dialog.folder(), dialog.splits(), dialog.image_format())

    def start_export(self, folder: str | Path, split_names: list[str], fmt: str = "png") -> None:
        """Export the given splits into `folder` on a worker, with a cancellable progress dialog."""
        splits = [self._dataset.split(name) for name in split_names if self._dataset.split(name) is not None]
        if not splits or self._export_worker is not None:
            return
        self._export_folder = str(folder)
        total = sum(len(split) for split in splits)

        def run(progress, cancelled):
            done, results = 0, []
            for split in splits:
                offset = done
                results.append(core_mnist.export_images(
                    split, folder, fmt, progress=lambda n, _t, offset=offset: progress(offset + n, total),
                    cancel=cancelled))
                done += len(split)
            return results

        worker = Job(lambda control: run(control.progress, control.is_cancelled), "dataset")
        worker.progress.connect(self._on_export_progress)
        worker.succeeded.connect(self._on_export_succeeded)
        worker.failed.connect(self._on_export_failed)
        worker.cancelled.connect(self._on_export_cancelled)
        worker.finished.connect(self._on_export_finished)
        self._export_worker = worker
        dialog = QProgressDialog(self.tr("Exporting %1 images to %2…").replace(
            "%1", format_count(total)).replace("%2", str(folder)), self.tr("Cancel"), 0, total, self)
        dialog.setObjectName("exportProgressDialog")
        dialog.setWindowTitle(self.tr("Export images"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._on_export_cancel_requested)
        self._export_dialog = dialog
        dialog.show()
        self._start_worker(worker)

    def exporting(self) -> bool:
        return self._export_worker is not None

    @Slot(int, int)
    def _on_export_progress(self, done: int, total: int) -> None:
        if self._export_dialog is not None:
            self._export_dialog.setValue(min(done, self._export_dialog.maximum()))

    @Slot()
    def _on_export_cancel_requested(self) -> None:
        if self._export_worker is not None:
            self._export_worker.cancel()
            if self._export_dialog is not None:
                self._export_dialog.setLabelText(self.tr("Cancelling…"))

    @Slot(object)
    def _on_export_succeeded(self, results) -> None:
        written = sum(r.written for r in results)
        skipped = sum(r.skipped for r in results)
        text = self.tr("Wrote %1 images to %2.").replace("%1", format_count(written)).replace(
            "%2", self._export_folder)
        if skipped:
            text += " " + self.tr("%1 were already there and were kept.").replace("%1", format_count(skipped))
        self._message(QMessageBox.Icon.Information, self.tr("Export finished"), text)

    @Slot(str)
    def _on_export_failed(self, message: str) -> None:
        self._message(QMessageBox.Icon.Warning, self.tr("Export failed"), message)

    @Slot()
    def _on_export_cancelled(self) -> None:
        self._message(QMessageBox.Icon.Information, self.tr("Export cancelled"), self.tr(
            "The export was stopped. The pictures written so far are complete; exporting to the same "
            "folder again continues where it stopped."))

    @Slot()
    def _on_export_finished(self) -> None:
        self._export_worker = None
        if self._export_dialog is not None:
            self._export_dialog.canceled.disconnect(self._on_export_cancel_requested)
            self._export_dialog.close()
            self._export_dialog.deleteLater()
            self._export_dialog = None

    def _message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the event loop (workers keep reporting)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("datasetMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        return box
