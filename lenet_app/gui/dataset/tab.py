"""The Dataset tab: browse all 70,000 MNIST images, and see which ones the active model gets wrong.

It composes parts that each do one job and follow the shared state through signals:
`PredictionStore` (the model's answers per split), `ImageBrowser` (filter bar and grid),
`TestSetSummary` (accuracy and confusion matrix), `DetailPane` (the selected image),
`MnistSetupPage` (getting MNIST), `ImageExporter` (File → Export images…), and for comparing the
active model with a second one `ModelComparison` (its predictions) with `AgreementView` (who got
which images right). The tab itself only picks the page to show and connects the parts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from lenet_app.core.my_digits import MY_DIGITS_SPLIT

from lenet_app.core.evaluation import EvaluationResult
from lenet_app.gui.dataset.browser import ImageBrowser
from lenet_app.gui.dataset.detail import DetailPane
from lenet_app.gui.dataset.export import ImageExporter
from lenet_app.gui.dataset.predictions import PredictionStore
from lenet_app.gui.dataset.setup_page import MnistLoadingPage, MnistSetupPage
from lenet_app.gui.dataset.summary import TestSetSummary
from lenet_app.gui.dataset.versus import AgreementView, ModelComparison
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.widgets import Banner


class DatasetTab(Retranslating, QWidget):
    """Browse MNIST as a filtered thumbnail grid with the active model's verdict on each image."""

    try_in_draw = Signal(object)  # 28×28 uint8 numpy array

    def __init__(self, dataset: DatasetState, active_model: ActiveModel, jobs: JobRunner,
                 parent: QWidget | None = None, *, run_history: RunHistoryState | None = None) -> None:
        """`run_history`: the window's models to compare with (the tab reads its own without one)."""
        super().__init__(parent)
        self.setObjectName("datasetTab")
        self._dataset = dataset
        self._sized = False  # the splitter gets its first sizes when the tab is first shown
        self._browsing_without_mnist = False  # the user's own digits while MNIST is missing

        self.predictions_store = PredictionStore(dataset, active_model, jobs, self)
        run_history = run_history if run_history is not None else RunHistoryState(jobs, parent=self)
        self.comparison = ModelComparison(dataset, self.predictions_store, active_model, run_history, jobs, self)
        self.browser = ImageBrowser(dataset, self.predictions_store, self.comparison)
        self.summary = TestSetSummary(dataset, self.predictions_store)
        self.agreement = AgreementView(dataset, self.comparison)
        self.detail = DetailPane(dataset, self.predictions_store, active_model, jobs, self.comparison)
        self.setup_page = MnistSetupPage(dataset, jobs)
        self.loading_page = MnistLoadingPage()
        self.exporter = ImageExporter(dataset, jobs, self)

        self.browse_page = self._build_browse_page()
        self.pages = QStackedWidget()
        self.pages.setObjectName("datasetPages")
        for page in (self.browse_page, self.setup_page, self.loading_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.browser.selection_changed.connect(self.detail.show_image)
        self.browser.image_activated.connect(self._on_image_activated)
        self.browser.filter_applied.connect(self._on_filter_applied)
        self.summary.cell_activated.connect(self.browser.show_confusion_cell)
        self.agreement.outcome_activated.connect(self.browser.show_outcome)
        self.detail.try_in_draw.connect(self.try_in_draw)
        self.setup_page.browse_my_digits.connect(self._on_browse_my_digits)
        self.get_mnist_button.clicked.connect(self._on_get_mnist)
        dataset.changed.connect(self._on_dataset_changed)
        dataset.loading_changed.connect(self._on_dataset_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """The banner's button, and the banner itself when it shows."""
        self.get_mnist_button.setText(self.tr("Get MNIST…"))
        self.get_mnist_button.setAccessibleName(self.tr("Get MNIST"))
        self.get_mnist_button.setToolTip(self.tr("Download MNIST or choose its folder"))
        self._on_dataset_changed()

    def _build_browse_page(self) -> QWidget:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 0, 0)
        side_layout.addWidget(self.summary, 1)
        side_layout.addWidget(self.agreement)
        side_layout.addWidget(self.detail)
        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.setObjectName("datasetSplitter")
        self._splitter.setChildrenCollapsible(False)
        self._splitter.addWidget(self.browser)
        self._splitter.addWidget(side)
        self._splitter.setStretchFactor(0, 1)
        self._splitter.setStretchFactor(1, 0)
        # While MNIST is missing, only the user's digits are shown: this says so, with the way back.
        self.no_mnist_banner = Banner("noMnistBanner")
        self.get_mnist_button = QPushButton()
        self.get_mnist_button.setObjectName("getMnistButton")
        self.no_mnist_banner.add_widget(self.get_mnist_button)
        page = QWidget()
        page.setObjectName("datasetBrowsePage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.no_mnist_banner)
        layout.addWidget(self._splitter)
        return page

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._sized:
            # First show: the side panel at its natural width, all the rest for the images.
            self._sized = True
            side = max(self._splitter.widget(1).sizeHint().width(), 520)
            self._splitter.setSizes([max(self._splitter.width() - side, 300), side])

    # --- what the rest of the window (and tests) ask of the tab ----------------------------

    def predictions(self, split_name: str) -> EvaluationResult | None:
        """The active model's results on a split, None until its evaluation has finished."""
        return self.predictions_store.result(split_name)

    def evaluating(self) -> bool:
        return self.predictions_store.evaluating() is not None

    def compared_predictions(self, split_name: str) -> EvaluationResult | None:
        """The compared model's results on a split, None while none is compared or it is reading."""
        return self.comparison.store.result(split_name) if self.comparison.on else None

    def downloading(self) -> bool:
        return self.setup_page.downloading()

    def exporting(self) -> bool:
        return self.exporter.exporting()

    def select_image(self, image_index: int) -> bool:
        """Select an image of the current split in the grid; False when the filter hides it."""
        return self.browser.select_image(image_index)

    def selected_image(self) -> tuple[str, int] | None:
        return self.browser.selected_image()

    @Slot()
    def export_images_dialog(self) -> None:
        """File → Export images…"""
        self.exporter.ask()

    def start_export(self, folder: str | Path, split_names: list[str], fmt: str = "png") -> None:
        self.exporter.start(folder, split_names, fmt)

    def cancel_work(self) -> None:
        """Ask every job this tab started to stop (evaluations, loading the model compared,
        download, export); none waits."""
        self.predictions_store.cancel()
        self.comparison.cancel()
        self.setup_page.cancel()
        self.exporter.cancel()

    # --- wiring ----------------------------------------------------------------------------

    @Slot()
    def _on_dataset_changed(self) -> None:
        if self._dataset.available:
            self._browsing_without_mnist = False
            self.no_mnist_banner.hide()
            self.pages.setCurrentWidget(self.browse_page)
        elif self._browsing_without_mnist and not self._dataset.loading:
            self.no_mnist_banner.show_message("info", self.tr(
                "MNIST is not loaded: only your own digits can be browsed."))
            self.pages.setCurrentWidget(self.browse_page)
        elif self._dataset.loading:
            self.pages.setCurrentWidget(self.loading_page)
        else:
            self.pages.setCurrentWidget(self.setup_page)

    @Slot()
    def _on_browse_my_digits(self) -> None:
        self._browsing_without_mnist = True
        self.browser.filters.set_split(MY_DIGITS_SPLIT)
        self._on_dataset_changed()

    @Slot()
    def _on_get_mnist(self) -> None:
        self._browsing_without_mnist = False
        self._on_dataset_changed()

    @Slot()
    def _on_filter_applied(self) -> None:
        self.summary.set_split(self.browser.filters.split_name())
        self.summary.show_cell(self.browser.confusion_cell())
        self.agreement.set_split(self.browser.filters.split_name())
        self.agreement.show_outcome(self.browser.compare_bar.outcome())

    @Slot(str, int)
    def _on_image_activated(self, split_name: str, image_index: int) -> None:
        self.detail.show_image((split_name, image_index))  # already shown: a double-click selects first
        self.detail.send_to_draw()
