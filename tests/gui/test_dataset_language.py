"""The Dataset tab switches language in a running window, in each of its states: browsing MNIST
with an image selected, getting MNIST (downloading, cancelled, a wrong folder), browsing only
the user's own digits, loading, and the export dialogs. Every text a user can read turns
Chinese, and switching back gives exactly the English there was before.

Besides what `visible_texts` walks (labels, buttons, combo items, tooltips…), the checks read
what it cannot: accessible names and descriptions, progress bar texts, the grid's tooltips (an
item model's data) and the painted confusion matrix and accuracy bars.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import numpy as np
import pytest
import torch
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QPushButton, QWidget

from lenet_app.core import load_model
from lenet_app.core import mnist as core_mnist
from lenet_app.core.checkpoint import CheckpointError, TrainedModel
from lenet_app.core.errors import Cancelled
from lenet_app.core.mnist import MnistSplit, load_split
from lenet_app.core.models import create_model
from lenet_app.core.my_digits import MY_DIGITS_SPLIT, MyDigitsStore
from lenet_app.gui import language
from lenet_app.gui.dataset import DatasetTab
from lenet_app.gui.dataset import export as export_module
from lenet_app.gui.dataset.confusion_view import ClassAccuracyView, ConfusionMatrixView
from lenet_app.gui.dataset.export import ExportImagesDialog
from lenet_app.gui.dataset.predictions import SPLIT_ORDER, reading_format
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.state import ActiveModel, DatasetState
from gui.visible_texts import english_words, untranslated, visible_texts

CJK = re.compile(r"[\u4e00-\u9fff]")
Texts = dict[str, str]


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def test_split(mnist_dir) -> MnistSplit:
    return load_split(mnist_dir, "test")


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    """The shipped model (its mistakes fill the "why not" maps); an untrained LeNet-5 without it."""
    try:
        return load_model()
    except CheckpointError:
        torch.manual_seed(0)
        return TrainedModel("lenet5", create_model("lenet5").eval(), {})


@pytest.fixture
def my_digits(tmp_path) -> MyDigitsState:
    """Three of the user's own digits, drawn."""
    state = MyDigitsState(MyDigitsStore(tmp_path / "my-digits"))
    for offset in range(3):
        pixels = np.zeros((28, 28), np.uint8)
        pixels[4:24, 10 + offset:14 + offset] = 255
        assert state.add(pixels, 1, "drawn") is not None
    return state


@pytest.fixture
def english(qapp):
    """English to start with, and again when the test ends. The Chinese font fallback, once
    installed, stays (and makes rich-text lines a little taller): installed first, the English
    before and after a switch is laid out alike."""
    language.use_language("en")
    language.add_cjk_fallback(qapp)
    yield
    language.use_language("en")


@pytest.fixture
def make_tab(make_dataset_tab, trained, english):
    """A shown DatasetTab over `dataset`, `trained` active."""
    return lambda dataset: make_dataset_tab(dataset, ActiveModel(trained), (1180, 760))


# ------------------------------------------------------------------------------ the check


def _deliver() -> None:
    """Let the LanguageChange events Qt posted for the switch reach every widget."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


def _readable(root: QWidget) -> Texts:
    """What `visible_texts` sees, and what it cannot: accessible names and descriptions and
    progress bar texts of the visible widgets."""
    texts = visible_texts(root, tooltips=True)
    for number, widget in enumerate(root.findChildren(QWidget)):
        if not widget.isVisibleTo(root):
            continue
        place = f"{number}:{widget.objectName() or type(widget).__name__}"
        for kind, text in (("accessible", widget.accessibleName()),
                           ("description", widget.accessibleDescription()),
                           ("bar", widget.text() if isinstance(widget, QProgressBar) else "")):
            if text:
                texts[f"{place}#{kind}"] = text
    return texts


def _round_trip(root: QWidget, extra: Callable[[], Texts] = dict, english_kept: Callable[[], Texts] = dict) -> Texts:
    """Switch to 简体中文 and back; assert every text (and `extra`) turned Chinese but those in
    `english_kept` (shown as they came, e.g. the core's own message), and English came back
    exactly. The Chinese texts."""
    english = {**_readable(root), **extra()}
    try:
        language.use_language("zh_CN")
        _deliver()
        chinese = {**_readable(root), **extra()}
    finally:
        language.use_language("en")
        _deliver()
    kept = english_kept()
    left = {place: text for place, text in untranslated(chinese).items() if text not in kept.values()}
    assert not left, f"still English in Chinese: {left}"
    back = {**_readable(root), **extra()}
    differ = {place: (english.get(place), back.get(place)) for place in english.keys() | back.keys()
              if english.get(place) != back.get(place)}
    assert not differ, f"not the same English after switching back: {differ}"
    return chinese


def _tooltips(tab: DatasetTab, rows: int = 5) -> Texts:
    """The grid's first tooltips: the item model's data, read when the mouse rests on an image."""
    model = tab.browser.images_model
    return {f"grid[{row}]#tooltip": model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
            for row in range(min(rows, model.rowCount(QModelIndex())))}


# ------------------------------------------------------------------------------ MNIST loaded


def test_browsing_mnist_with_a_mistake_selected_switches_and_comes_back(qtbot, make_tab, test_split,
                                                                       mnist_dir, my_digits):
    dataset = DatasetState(my_digits=my_digits)
    dataset.set_loaded(mnist_dir, {"test": test_split})
    tab = make_tab(dataset)
    # The evaluation bar's text is formatted from the split being read: it follows the language.
    bar = tab.browser.evaluation_bar
    english_format = bar.format()
    language.use_language("zh_CN")
    _deliver()
    chinese_format = bar.format()
    language.use_language("en")
    _deliver()
    assert CJK.search(chinese_format) and not english_words(chinese_format.replace("lenet5", "")), chinese_format
    # English again, for the split being read now: the evaluation may have moved on meanwhile.
    english = {reading_format(split, "lenet5") for split in SPLIT_ORDER}
    assert english_format in english and bar.format() in english, bar.format()

    qtbot.waitUntil(lambda: tab.predictions("test") is not None, timeout=30000)
    qtbot.waitUntil(lambda: tab.predictions(MY_DIGITS_SPLIT) is not None, timeout=30000)
    result = tab.predictions("test")
    mistake = int(np.flatnonzero(result.predictions != test_split.labels)[0])
    tab.browser.filters.misclassified_check.setChecked(True)  # the count reads "N of 10,000"
    assert tab.select_image(mistake)
    assert tab.detail.why.targets() is not None
    assert "(true label)" in tab.detail.why.titles[1].text()

    chinese = _round_trip(tab, lambda: _tooltips(tab))
    combo = [text for place, text in chinese.items() if "splitCombo" in place and "[" in place]
    assert len(combo) == 3 and all(CJK.search(text) for text in combo), combo
    assert tab.selected_image() == ("test", mistake), "the selection survives the switch"
    assert tab.browser.filters.misclassified_check.isChecked()

    # With the predictions shown the item model says so: it tells the view its texts changed.
    with qtbot.waitSignal(tab.browser.images_model.dataChanged, timeout=2000):
        language.use_language("zh_CN")
        _deliver()
    tooltip = _tooltips(tab, 1)["grid[0]#tooltip"]
    assert CJK.search(tooltip) and not english_words(tooltip), tooltip  # the split named in Chinese too
    language.use_language("en")
    _deliver()


def test_while_predictions_are_computed_the_filters_say_why_in_either_language(qtbot, make_tab,
                                                                              test_split, mnist_dir):
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, {"test": test_split})
    tab = make_tab(dataset)
    filters = tab.browser.filters
    tab.predictions_store.cancel()  # no predictions: the controls that need them are off
    filters.set_predictions_ready(False)
    assert not filters.sort_combo.isEnabled()
    chinese = _round_trip(tab)
    assert any(place.endswith("sortCombo:3#tooltip") and CJK.search(text) for place, text in chinese.items())
    assert "being computed" in filters.sort_combo.toolTip()


# ------------------------------------------------------------------------------ MNIST missing


def _missing(my_digits: MyDigitsState | None = None) -> DatasetState:
    dataset = DatasetState(my_digits=my_digits)
    dataset.set_missing("MNIST not found (looked in: /nowhere). Run `lenet-app download` to fetch it.")
    return dataset


def _reason(tab: DatasetTab) -> Texts:
    """The core's message why MNIST is missing: shown as it came, in the language it came in."""
    return {"reason": tab.setup_page.missing_reason.text()}


def test_the_setup_page_switches_in_each_of_its_states(qtbot, make_tab, monkeypatch, my_digits, tmp_path):
    def slow(dest=None, progress=None, cancel=None):
        while not cancel():
            progress(1_500_000, 11_594_722)
            time.sleep(0.01)
        raise Cancelled("MNIST download cancelled")

    monkeypatch.setattr(core_mnist, "download_mnist", slow)
    dataset = _missing(my_digits)
    tab = make_tab(dataset)
    page = tab.setup_page
    assert tab.pages.currentWidget() is page and page.browse_my_button.isVisible()
    _round_trip(tab, english_kept=lambda: _reason(tab))
    assert tab.setup_page.missing_reason.text() == dataset.error

    # A folder without MNIST: the inline error names it, in either language.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert not page.use_mnist_folder(empty)
    chinese = _round_trip(tab, english_kept=lambda: _reason(tab))
    assert any(str(empty) in text and CJK.search(text) for text in chinese.values())

    # Downloading: the bar says how far, in the language of the moment.
    page.download_button.click()
    qtbot.waitUntil(lambda: "MB" in page.download_bar.format(), timeout=5000)
    _round_trip(tab, english_kept=lambda: _reason(tab))
    page.cancel_download_button.click()
    qtbot.waitUntil(lambda: not tab.downloading(), timeout=5000)
    assert page.missing_error.isVisible() and "cancelled" in page.missing_error.text()
    _round_trip(tab, english_kept=lambda: _reason(tab))

    # Loading: its own page.
    dataset.loading = True
    dataset.loading_changed.emit(True)
    assert tab.pages.currentWidget() is tab.loading_page
    _round_trip(tab)
    dataset.set_missing(dataset.error)


def test_browsing_only_my_digits_switches_and_comes_back(qtbot, make_tab, my_digits):
    tab = make_tab(_missing(my_digits))
    tab.setup_page.browse_my_button.click()
    assert tab.pages.currentWidget() is tab.browse_page and tab.no_mnist_banner.isVisible()
    qtbot.waitUntil(lambda: tab.predictions(MY_DIGITS_SPLIT) is not None, timeout=30000)
    assert tab.select_image(1)
    assert tab.detail.edit_row.isVisible(), "relabel, delete and undo for an own digit"
    assert tab.detail.title_label.text().startswith("My digit #1 (drawn, ")
    _round_trip(tab, lambda: _tooltips(tab))


def test_the_painted_matrix_and_bars_follow_the_language(qtbot, english):
    """The axis titles, "Accuracy per digit", "of 980" and "bars from 90% to 100%" are painted,
    not set: drawn again in the language of the moment (standalone, at a fixed size, so the
    pictures compare pixel for pixel)."""
    box = QWidget()
    qtbot.addWidget(box)
    matrix = ConfusionMatrixView(box)
    matrix.setGeometry(0, 0, 400, 400)
    bars = ClassAccuracyView(matrix, box)
    bars.setGeometry(410, 0, 170, 400)
    box.resize(600, 400)
    box.show()
    qtbot.waitExposed(box)
    confusion = np.diag(np.full(10, 980)) + np.eye(10, k=1, dtype=np.int64) * 3

    def pictures() -> list[QImage]:
        return [matrix.grab().toImage(), bars.grab().toImage()]

    for state in ("placeholder", "matrix"):
        if state == "placeholder":
            matrix.set_matrix(None, "…")
            bars.set_confusion(None)
        else:
            matrix.set_matrix(confusion)
            bars.set_confusion(confusion)
        english = pictures()
        try:
            language.use_language("zh_CN")
            _deliver()
            chinese = pictures()
            assert CJK.search(matrix.toolTip()) and CJK.search(bars.toolTip())
            if state == "matrix":
                assert CJK.search(matrix.accessibleDescription()), matrix.accessibleDescription()
        finally:
            language.use_language("en")
            _deliver()
        assert chinese[0] != english[0] and chinese[1] != english[1], f"{state}: still painted in English"
        assert pictures() == english, f"{state}: the English pictures differ after switching back"


# ------------------------------------------------------------------------------ export


def test_the_export_dialog_switches_and_comes_back(qtbot, make_tab, test_split, mnist_dir):
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, {"test": test_split})
    tab = make_tab(dataset)
    tab.predictions_store.cancel()
    dialog = ExportImagesDialog({"test": len(test_split)}, "", tab)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # "JPEG" is the format's name in Chinese too.
    chinese = _round_trip(dialog, lambda: {"title": dialog.windowTitle()}, lambda: {"format": "JPEG"})
    assert CJK.search(chinese["title"]) and dialog.windowTitle() == "Export MNIST images"
    dialog.close()


def test_the_export_progress_dialog_switches_and_comes_back(qtbot, make_tab, test_split, mnist_dir,
                                                           monkeypatch, tmp_path):
    def slow(splits, folder, fmt, progress=None, cancel=None):
        while not cancel():
            progress(10, 10_000)
            time.sleep(0.01)
        raise Cancelled("export cancelled")

    monkeypatch.setattr(export_module, "export_splits", slow)
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, {"test": test_split})
    tab = make_tab(dataset)
    tab.predictions_store.cancel()
    tab.start_export(tmp_path / "out", ["test"])
    progress = tab.findChild(QProgressDialog, "exportProgressDialog")
    qtbot.waitUntil(lambda: progress.isVisible() and progress.value() == 10, timeout=3000)
    assert "Exporting 10,000 images" in progress.labelText()
    chinese = _round_trip(progress, lambda: {"title": progress.windowTitle()})
    assert CJK.search(chinese["title"])
    assert progress.findChild(QPushButton).text() == "Cancel"
    tab.cancel_work()
    qtbot.waitUntil(lambda: not tab.exporting(), timeout=5000)
    for box in tab.findChildren(QWidget, "datasetMessage"):
        box.close()
