"""The Dataset tab as a user drives it: filters, sorting, confusion-matrix clicks, the detail pane,
getting MNIST when it is missing, and exporting; all against real MNIST and the core's numbers.

Widgets are found by their object names, as a user (or the monkey test) finds them on screen.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import time
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
import torch
from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from lenet_app.core import load_model
from lenet_app.core import mnist as core_mnist
from lenet_app.core.checkpoint import CheckpointError, TrainedModel
from lenet_app.core.errors import Cancelled
from lenet_app.core.evaluation import evaluate
from lenet_app.core.mnist import MnistError, MnistSplit, load_split
from lenet_app.core.models import create_model
from lenet_app.gui.dataset import DatasetTab
from lenet_app.gui.dataset.confusion_view import ClassAccuracyView, ConfusionMatrixView
from lenet_app.gui.dataset.export import ExportImagesDialog
from lenet_app.gui.dataset.filtering import Filter, SortOrder, filter_rows
from lenet_app.gui.jobs import running_jobs
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.text import format_count
from lenet_app.gui.widgets import Banner, DigitImageView, ProbabilityBars

log = logging.getLogger(__name__)


def _keep_none_alive() -> None:
    """PySide6 6.12 on CPython 3.11 returns None from void methods without a new reference.

    Every `painter.setPen(...)`, `widget.update()` … then lowers None's reference count by one,
    and after about 60,000 such calls (a minute of scrolling the grid) CPython aborts with
    "none_dealloc: deallocating None". CPython 3.12 made None immortal; on 3.11 we give it a
    reference count no program can use up. Applied only when the leak is measured here.
    """
    if sys.version_info >= (3, 12):
        return
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    if sys.getrefcount(None) < before - 50:
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


_keep_none_alive()


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def splits(mnist_dir) -> dict[str, MnistSplit]:
    return {name: load_split(mnist_dir, name) for name in ("train", "test")}


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    """The shipped model; a seeded untrained LeNet-5 while it is not there yet (the checks below
    compare the tab with the core's own numbers, so they hold for any model)."""
    try:
        return load_model()
    except CheckpointError:
        torch.manual_seed(0)
        return TrainedModel("lenet5", create_model("lenet5").eval(), {})


@pytest.fixture(scope="module")
def core_test_result(trained, splits):
    return evaluate(trained.module, splits["test"])


@pytest.fixture
def make_tab(make_dataset_tab):
    """A shown DatasetTab over `dataset` and `active` (an ActiveModel) or `model` (an untrained
    LeNet-5 without either)."""

    def make(dataset: DatasetState, model: TrainedModel | None = None,
             active: ActiveModel | None = None) -> DatasetTab:
        if active is None:
            active = ActiveModel(model if model is not None else
                                 TrainedModel("lenet5", create_model("lenet5").eval(), {}))
        return make_dataset_tab(dataset, active, (1180, 720))

    return make


@pytest.fixture
def loaded(splits, mnist_dir) -> DatasetState:
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, splits)
    return dataset


W = TypeVar("W", bound=QObject)


def _find(tab: QWidget, kind: type[W], name: str) -> W:
    widget = tab.findChild(kind, name)
    assert widget is not None, name
    return widget


def _combo(tab: DatasetTab, name: str) -> QComboBox:
    return _find(tab, QComboBox, name)


def _choose(tab: DatasetTab, name: str, data) -> None:
    combo = _combo(tab, name)
    combo.setCurrentIndex(combo.findData(data))


def _grid(tab: DatasetTab) -> QListView:
    return _find(tab, QListView, "datasetView")


def _rows(tab: DatasetTab) -> np.ndarray:
    """The image indices the grid shows, in order."""
    return _grid(tab).model().rows


def _mistakes_only(tab: DatasetTab) -> QCheckBox:
    return _find(tab, QCheckBox, "misclassifiedOnlyCheck")


def _count(tab: DatasetTab) -> str:
    return _find(tab, QLabel, "resultCountLabel").text()


def _page(tab: DatasetTab) -> str:
    return _find(tab, QWidget, "datasetPages").currentWidget().objectName()


def _matrix(tab: DatasetTab) -> ConfusionMatrixView:
    return _find(tab, ConfusionMatrixView, "confusionMatrixView")


def _wait_for_test_predictions(qtbot, tab: DatasetTab) -> None:
    qtbot.waitUntil(lambda: tab.predictions("test") is not None, timeout=30000)


def _count_text(shown: int, total: int) -> str:
    return f"{format_count(shown)} of {format_count(total)}"


def _switch(tab: DatasetTab, action) -> float:
    """Run a filter change and let the grid lay out its first batch; milliseconds."""
    started = time.perf_counter()
    action()
    QCoreApplication.processEvents()
    return (time.perf_counter() - started) * 1000


# ------------------------------------------------------------------------------ grid and filters


def test_grid_is_a_batched_uniform_icon_view_over_the_whole_test_split(make_tab, loaded, splits):
    tab = make_tab(loaded)
    view = _grid(tab)
    assert view.viewMode() == QListView.ViewMode.IconMode
    assert view.uniformItemSizes()
    assert view.layoutMode() == QListView.LayoutMode.Batched
    assert view.gridSize().isValid() and view.gridSize().width() >= 2 * 28
    assert _combo(tab, "splitCombo").currentData() == "test"
    assert view.model().rowCount() == len(splits["test"]) == 10_000
    assert _count(tab) == _count_text(10_000, 10_000)
    if QLocale().language() in (QLocale.Language.C, QLocale.Language.English):
        assert _count(tab) == "10,000 of 10,000"

    # Until the model has read the split, the prediction-based controls are off and say why.
    assert tab.predictions("test") is None
    for name in ("predictedFilterCombo", "misclassifiedOnlyCheck", "sortCombo"):
        widget = _find(tab, QWidget, name)
        assert not widget.isEnabled()
        assert "prediction" in widget.toolTip().lower()
    assert _combo(tab, "labelFilterCombo").isEnabled()
    assert _find(tab, QProgressBar, "evaluationProgressBar").isVisible()

    # Every row carries the texts a screen reader and a tooltip need.
    index = view.model().index(123, 0)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == f"test image #123: label {int(splits['test'].labels[123])}"
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == index.data(Qt.ItemDataRole.ToolTipRole)


def test_label_filter_counts_match_numpy_and_switching_is_fast(make_tab, loaded, splits, record_property):
    tab = make_tab(loaded)
    images = _grid(tab).model()
    timings = []
    for split_name in ("test", "train"):
        split = splits[split_name]
        timings.append(_switch(tab, lambda: _choose(tab, "splitCombo", split_name)))
        assert _count(tab) == _count_text(len(split), len(split))
        for digit in (0, 3, 7, 9):
            timings.append(_switch(tab, lambda: _choose(tab, "labelFilterCombo", digit)))
            expected = int(np.sum(split.labels == digit))
            assert _count(tab) == _count_text(expected, len(split))
            assert np.array_equal(_rows(tab), np.flatnonzero(split.labels == digit))
            assert all(images.label(row) == digit for row in range(0, images.rowCount(), 97))
        timings.append(_switch(tab, lambda: _combo(tab, "labelFilterCombo").setCurrentIndex(0)))
        assert images.rowCount() == len(split)
    worst = max(timings)
    record_property("filter_switch_ms_max", round(worst, 2))
    record_property("filter_switch_ms_median", round(float(np.median(timings)), 2))
    log.warning("filter switch: median %.1f ms, worst %.1f ms (handler + first layout pass)",
                float(np.median(timings)), worst)
    assert worst < 2000  # generous: a loaded CI machine must not fail this, the log has the number


def test_misclassified_only_matches_the_core_evaluation(qtbot, make_tab, loaded, trained, core_test_result):
    tab = make_tab(loaded, trained)
    _wait_for_test_predictions(qtbot, tab)
    for name in ("predictedFilterCombo", "misclassifiedOnlyCheck", "sortCombo"):
        assert _find(tab, QWidget, name).isEnabled()
    started = time.perf_counter()
    _mistakes_only(tab).setChecked(True)
    log.warning("misclassified-only switch: %.1f ms", (time.perf_counter() - started) * 1000)
    wrong = np.flatnonzero(~core_test_result.correct)
    assert _count(tab) == _count_text(len(wrong), 10_000)
    assert np.array_equal(_rows(tab), wrong)
    np.testing.assert_array_equal(tab.predictions("test").predictions, core_test_result.predictions)

    # The predicted-label filter composes with it.
    target = int(np.bincount(core_test_result.predictions[wrong], minlength=10).argmax())
    _choose(tab, "predictedFilterCombo", target)
    assert np.array_equal(_rows(tab), wrong[core_test_result.predictions[wrong] == target])
    index = _grid(tab).model().index(0, 0)
    image = int(_rows(tab)[0])
    confidence = core_test_result.probabilities[image, target] * 100
    assert index.data(Qt.ItemDataRole.ToolTipRole) == (
        f"test image #{image}: label {int(core_test_result.labels[image])}, predicted {target} ({confidence:.0f}%)")


def test_sort_orders_by_confidence(qtbot, make_tab, loaded, trained, core_test_result):
    tab = make_tab(loaded, trained)
    _wait_for_test_predictions(qtbot, tab)
    result = tab.predictions("test")
    confidences = result.confidences

    _choose(tab, "sortCombo", SortOrder.CONFIDENT_MISTAKES)
    rows = _rows(tab)
    wrong = core_test_result.misclassified()
    assert len(rows) == 10_000
    # Exactly the core's mistake order on top (most confident first), then the correct images.
    assert np.array_equal(rows[: len(wrong)], wrong)
    assert np.all(np.diff(confidences[rows[: len(wrong)]]) <= 0)
    assert np.all(result.correct[rows[len(wrong):]])

    _mistakes_only(tab).setChecked(True)
    assert np.array_equal(_rows(tab), wrong)

    _mistakes_only(tab).setChecked(False)
    _choose(tab, "sortCombo", SortOrder.LEAST_CONFIDENT)
    assert np.all(np.diff(confidences[_rows(tab)]) >= 0)

    # The precomputed ranking gives the same rows as sorting from scratch, for every filter.
    labels = loaded.split("test").labels
    ranking = tab.predictions_store.ranking("test")
    for spec in (Filter(true_label=4, sort=SortOrder.LEAST_CONFIDENT),
                 Filter(predicted_label=9, misclassified_only=True, sort=SortOrder.CONFIDENT_MISTAKES),
                 Filter(true_label=8, sort=SortOrder.CONFIDENT_MISTAKES)):
        assert np.array_equal(filter_rows(labels, result, spec, ranking), filter_rows(labels, result, spec))


def test_show_all_and_thumbnail_size(make_tab, loaded, splits):
    tab = make_tab(loaded)
    _choose(tab, "labelFilterCombo", 4)
    assert _grid(tab).model().rowCount() == int(np.sum(splits["test"].labels == 4))
    QTest.mouseClick(_find(tab, QPushButton, "clearFiltersButton"), Qt.MouseButton.LeftButton)
    assert _combo(tab, "labelFilterCombo").currentData() is None
    assert _count(tab) == _count_text(10_000, 10_000)
    small = _grid(tab).gridSize().width()
    _choose(tab, "thumbnailSizeCombo", 4)
    assert _grid(tab).gridSize().width() > small


# ------------------------------------------------------------------------------ confusion matrix


def _click_cell(tab: DatasetTab, true_label: int, predicted: int) -> None:
    matrix = _matrix(tab)
    centre = matrix.cell_rect(true_label, predicted).center().toPoint()
    QTest.mouseClick(matrix, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)


def test_confusion_cell_click_filters_grid_to_exactly_those_images(qtbot, make_tab, loaded, trained,
                                                                   core_test_result):
    tab = make_tab(loaded, trained)
    _choose(tab, "splitCombo", "train")  # the click switches back
    _wait_for_test_predictions(qtbot, tab)
    matrix = _matrix(tab).matrix()
    np.testing.assert_array_equal(matrix, core_test_result.confusion)

    off = matrix.copy()
    np.fill_diagonal(off, 0)
    true_label, predicted = (int(v) for v in np.unravel_index(off.argmax(), off.shape))
    _click_cell(tab, true_label, predicted)

    expected = np.flatnonzero((core_test_result.labels == true_label)
                              & (core_test_result.predictions == predicted))
    assert _combo(tab, "splitCombo").currentData() == "test"
    assert _combo(tab, "labelFilterCombo").currentData() == true_label
    assert _combo(tab, "predictedFilterCombo").currentData() == predicted
    assert np.array_equal(_rows(tab), expected)
    assert _count(tab) == _count_text(len(expected), 10_000)
    assert _matrix(tab).selected() == (true_label, predicted)

    # A diagonal cell shows the correct ones, even when "misclassified only" was on.
    _mistakes_only(tab).setChecked(True)
    _click_cell(tab, 3, 3)
    assert not _mistakes_only(tab).isChecked()
    assert _grid(tab).model().rowCount() == matrix[3, 3]
    assert _matrix(tab).selected() == (3, 3)
    # Any other filter leaves no single cell outlined.
    _combo(tab, "labelFilterCombo").setCurrentIndex(0)
    assert _matrix(tab).selected() is None

    accuracies = _find(tab, ClassAccuracyView, "perClassAccuracyView").accuracies()
    np.testing.assert_allclose(accuracies, core_test_result.per_class_accuracy)
    assert f"{core_test_result.accuracy * 100:.2f}%" in _find(tab, QLabel, "overallAccuracyLabel").text()


# ------------------------------------------------------------------------------ detail pane


def test_selecting_an_image_fills_the_detail_pane_and_try_in_draw_emits_it(qtbot, make_tab, loaded, trained,
                                                                             core_test_result, splits):
    tab = make_tab(loaded, trained)
    _wait_for_test_predictions(qtbot, tab)
    try_button = _find(tab, QPushButton, "tryInDrawButton")
    assert not try_button.isEnabled()
    _mistakes_only(tab).setChecked(True)
    view = _grid(tab)
    index = view.model().index(2, 0)
    image = int(_rows(tab)[2])
    QCoreApplication.processEvents()
    rect = view.visualRect(index)
    assert rect.isValid()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())

    assert tab.selected_image() == ("test", image)
    pixels = splits["test"].images[image]
    assert np.array_equal(_find(tab, DigitImageView, "detailImage").pixels(), pixels)
    assert f"#{format_count(image)}" in _find(tab, QLabel, "detailTitleLabel").text()
    label = int(splits["test"].labels[image])
    predicted = int(core_test_result.predictions[image])
    assert _find(tab, QLabel, "detailLabelLabel").text().endswith(str(label))
    verdict = _find(tab, QLabel, "detailPredictionLabel").text()
    assert f">{predicted}<" in verdict and "wrong" in verdict
    assert _find(tab, QLabel, "detailDigitLabel").text() == str(predicted)
    np.testing.assert_allclose(_find(tab, ProbabilityBars, "probabilityBars").probabilities(),
                               core_test_result.probabilities[image], rtol=1e-6)
    assert try_button.isEnabled()

    with qtbot.waitSignal(tab.try_in_draw, timeout=1000) as blocker:
        QTest.mouseClick(try_button, Qt.MouseButton.LeftButton)
    sent = blocker.args[0]
    assert sent.shape == (28, 28) and sent.dtype == np.uint8
    assert np.array_equal(sent, pixels)
    sent[:] = 0  # the receiver owns a copy
    assert pixels.any()

    # A double-click on an image sends it to the Draw tab too.
    centre = view.visualRect(view.model().index(3, 0)).center()
    with qtbot.waitSignal(tab.try_in_draw, timeout=1000) as blocker:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    assert np.array_equal(blocker.args[0], splits["test"].images[int(_rows(tab)[3])])

    # The selection survives a re-sort, and a filter that hides the image clears the pane.
    assert tab.select_image(image)
    _choose(tab, "sortCombo", SortOrder.LEAST_CONFIDENT)
    assert tab.selected_image() == ("test", image)
    assert view.currentIndex().row() == view.model().row_of(image)
    _choose(tab, "labelFilterCombo", (label + 1) % 10)
    assert tab.selected_image() is None
    assert not try_button.isEnabled()
    assert _find(tab, DigitImageView, "detailImage").pixels() is None


def test_detail_pane_shows_the_image_before_its_prediction(qtbot, make_tab, loaded, splits):
    tab = make_tab(loaded)
    assert tab.predictions("test") is None
    assert tab.select_image(7)
    assert np.array_equal(_find(tab, DigitImageView, "detailImage").pixels(), splits["test"].images[7])
    assert "being computed" in _find(tab, QLabel, "detailPredictionHint").text()
    _wait_for_test_predictions(qtbot, tab)
    assert _find(tab, QLabel, "detailDigitLabel").text() == str(int(tab.predictions("test").predictions[7]))


def test_model_change_reevaluates_and_drops_stale_results(qtbot, make_tab, loaded, trained, core_test_result):
    active = ActiveModel(trained)
    tab = make_tab(loaded, active=active)
    torch.manual_seed(1)
    other = TrainedModel("lenet5", create_model("lenet5").eval(), {})
    active.set_model(other)  # while the first evaluation is still running
    assert tab.predictions("test") is None
    active.set_model(trained)
    _wait_for_test_predictions(qtbot, tab)
    np.testing.assert_array_equal(tab.predictions("test").predictions, core_test_result.predictions)
    # A second, later set_model invalidates them again at once.
    active.set_model(other)
    assert tab.predictions("test") is None
    assert not _mistakes_only(tab).isEnabled()
    _wait_for_test_predictions(qtbot, tab)
    expected = evaluate(other.module, loaded.split("test")).predictions
    np.testing.assert_array_equal(tab.predictions("test").predictions, expected)


def test_other_mnist_drops_the_selection_and_the_predictions(qtbot, make_tab, loaded, splits, mnist_dir):
    tab = make_tab(loaded)
    _wait_for_test_predictions(qtbot, tab)
    assert tab.select_image(20)
    small = {name: MnistSplit(name, split.images[:10], split.labels[:10]) for name, split in splits.items()}
    loaded.set_loaded(mnist_dir, small)  # e.g. another folder chosen
    assert tab.selected_image() is None and tab.predictions("test") is None
    assert _count(tab) == _count_text(10, 10)
    _wait_for_test_predictions(qtbot, tab)
    assert len(tab.predictions("test")) == 10


class _Broken(torch.nn.Module):
    """A checkpoint whose network cannot run (as a wrong-shaped custom model would)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (2000x400 and 256x120)")


def test_failed_evaluation_is_explained_and_browsing_still_works(qtbot, make_tab, loaded):
    tab = make_tab(loaded, TrainedModel("lenet5", _Broken(), {}))
    banner = _find(tab, Banner, "evaluationErrorLabel")
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=10000)
    assert "shapes cannot be multiplied" in banner.text()
    assert not _find(tab, QProgressBar, "evaluationProgressBar").isVisible()
    assert not tab.evaluating()
    assert not _mistakes_only(tab).isEnabled()
    assert "could not be computed" in _mistakes_only(tab).toolTip()
    assert _matrix(tab).matrix() is None
    _choose(tab, "labelFilterCombo", 5)
    assert _grid(tab).model().rowCount() == int(np.sum(loaded.split("test").labels == 5))


# ------------------------------------------------------------------------------ MNIST missing


def _missing() -> DatasetState:
    dataset = DatasetState()
    dataset.set_missing("MNIST not found (looked in: /nowhere). Run `lenet-app download` to fetch it.")
    return dataset


def test_missing_mnist_shows_an_inline_page_with_both_ways_to_get_it(make_tab):
    dataset = _missing()
    tab = make_tab(dataset)
    assert _page(tab) == "mnistMissingPage"
    assert "/nowhere" in _find(tab, Banner, "mnistMissingReason").text()
    download = _find(tab, QPushButton, "downloadMnistButton")
    choose = _find(tab, QPushButton, "chooseMnistFolderButton")
    assert "11 MB" in download.text()
    assert download.isVisible() and download.isEnabled()
    assert choose.isVisible() and choose.isEnabled()
    assert tab.evaluating() is False

    dataset.loading = True
    dataset.loading_changed.emit(True)
    assert _page(tab) == "mnistLoadingPage"
    dataset.set_missing("still not there")
    assert _page(tab) == "mnistMissingPage"
    assert _find(tab, Banner, "mnistMissingReason").text() == "still not there"


def test_failed_download_is_shown_inline_and_the_app_stays_usable(qtbot, make_tab, monkeypatch, mnist_dir,
                                                                   tmp_path):
    calls = []

    def offline(dest=None, progress=None, cancel=None):
        calls.append(dest)
        progress(0, 11_594_722)
        raise MnistError("Could not download MNIST (https://example.invalid/: [Errno -3] Temporary "
                         "failure in name resolution). Put the four files … into /x by hand.")

    monkeypatch.setattr(core_mnist, "download_mnist", offline)
    tab = make_tab(_missing())
    download = _find(tab, QPushButton, "downloadMnistButton")
    choose = _find(tab, QPushButton, "chooseMnistFolderButton")
    error = _find(tab, Banner, "mnistMissingError")
    QTest.mouseClick(download, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.downloading(), timeout=5000)
    assert calls
    assert error.isVisible()
    assert "name resolution" in error.text()
    assert not _find(tab, QProgressBar, "downloadProgressBar").isVisible()
    assert download.isEnabled() and choose.isEnabled()
    assert _page(tab) == "mnistMissingPage"
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=3000)

    # A folder without MNIST is refused inline; the real one loads and the grid appears.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(tmp_path))
    QTest.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert "No MNIST in" in error.text() and error.isVisible()
    assert "t10k-images-idx3-ubyte.gz" in error.text()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(mnist_dir))
    QTest.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert _page(tab) == "mnistLoadingPage"
    qtbot.waitUntil(lambda: _page(tab) == "datasetBrowsePage", timeout=20000)
    assert _count(tab) == _count_text(10_000, 10_000)


def test_download_can_be_cancelled(qtbot, make_tab, monkeypatch):
    def slow(dest=None, progress=None, cancel=None):
        for done in range(0, 11_000_000, 10_000):
            if cancel():
                raise Cancelled("MNIST download cancelled")
            progress(done, 11_594_722)
            time.sleep(0.002)
        raise AssertionError("the download was not cancelled")

    monkeypatch.setattr(core_mnist, "download_mnist", slow)
    tab = make_tab(_missing())
    download = _find(tab, QPushButton, "downloadMnistButton")
    bar = _find(tab, QProgressBar, "downloadProgressBar")
    QTest.mouseClick(download, Qt.MouseButton.LeftButton)
    assert bar.isVisible() and not download.isEnabled()
    qtbot.waitUntil(lambda: "MB" in bar.format(), timeout=3000)
    QTest.mouseClick(_find(tab, QPushButton, "cancelDownloadButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.downloading(), timeout=5000)
    assert "cancelled" in _find(tab, Banner, "mnistMissingError").text().lower()
    assert download.isEnabled()


# ------------------------------------------------------------------------------ export


def _open_messages(tab: DatasetTab) -> list[QMessageBox]:
    return [box for box in tab.findChildren(QMessageBox, "datasetMessage") if box.isVisible()]


def test_export_writes_the_chosen_splits_on_a_job(qtbot, make_tab, splits, tmp_path):
    small = {name: MnistSplit(name, split.images[:25], split.labels[:25]) for name, split in splits.items()}
    dataset = DatasetState()
    dataset.set_loaded(tmp_path, small)
    tab = make_tab(dataset)
    out = tmp_path / "export"
    tab.start_export(out, ["train", "test"], "png")
    assert tab.exporting()
    qtbot.waitUntil(lambda: not tab.exporting(), timeout=20000)
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 50
    assert f"test_0_{int(small['test'].labels[0])}.png" in files
    messages = _open_messages(tab)
    assert messages and "50" in messages[-1].text()
    for box in messages:
        box.close()


def test_export_dialog_starts_the_export_it_was_asked_for(qtbot, make_tab, splits, tmp_path, monkeypatch):
    small = {name: MnistSplit(name, split.images[:10], split.labels[:10]) for name, split in splits.items()}
    dataset = DatasetState()
    dataset.set_loaded(tmp_path, small)
    tab = make_tab(dataset)
    out = tmp_path / "jpegs"
    seen = {}

    def fill_and_accept(dialog):
        seen["default_splits"] = dialog.splits()
        seen["export_enabled_without_folder"] = dialog.export_button.isEnabled()
        dialog.folder_edit.setText(str(out))
        dialog.split_checks["train"].setChecked(True)
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("jpg"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportImagesDialog, "exec", fill_and_accept)
    tab.export_images_dialog()
    qtbot.waitUntil(lambda: not tab.exporting(), timeout=20000)
    assert seen == {"default_splits": ["test"], "export_enabled_without_folder": False}
    assert len(list(out.glob("*.jpg"))) == 20
    for box in _open_messages(tab):
        box.close()


def test_export_without_mnist_explains_instead(make_tab):
    tab = make_tab(_missing())
    tab.export_images_dialog()
    messages = _open_messages(tab)
    assert messages and "not loaded" in messages[-1].text()
    for box in messages:
        box.close()


def test_screenshot_with_the_mistakes_filter(qtbot, make_tab, loaded, trained):
    """Not a check: leaves /tmp/dataset_tab.png for people to look at (mistakes filter on)."""
    tab = make_tab(loaded, trained)
    _wait_for_test_predictions(qtbot, tab)
    _mistakes_only(tab).setChecked(True)
    _choose(tab, "sortCombo", SortOrder.CONFIDENT_MISTAKES)
    tab.select_image(int(_rows(tab)[0]))
    QCoreApplication.processEvents()
    assert tab.grab().save(str(Path("/tmp") / "dataset_tab.png"))
