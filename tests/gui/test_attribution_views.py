"""Why? — attribution heat maps as a user meets them: over the Draw tab's network input (toggle,
digit, method) and side by side in the Dataset tab's detail pane; computed on jobs, checked
against the core's own numbers."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QListView, QPushButton

from lenet_app.core import load_model, predict
from lenet_app.core.attribution import attribute
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.mnist import load_split, normalize
from lenet_app.core.models import create_model, model_names
from lenet_app.gui.dataset import DatasetTab
from lenet_app.gui.draw import DrawTab
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.network.attribution import AttributionFeed, AttributionLegend
from lenet_app.gui.qimage import rgba_array
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.widgets import DigitImageView

from gui.drawing import ONE, SEVEN, draw_strokes

BAR = [[(0.30 + 0.40 * i / 20, 0.55) for i in range(21)]]  # turns the one into a four-ish


@pytest.fixture(scope="module")
def shipped_model() -> TrainedModel:
    return load_model()


@pytest.fixture
def jobs(qtbot):
    runner = JobRunner()
    yield runner
    assert runner.shutdown(), "a job did not stop"
    QCoreApplication.processEvents()


@pytest.fixture
def tab(qtbot, shipped_model, jobs):
    active = ActiveModel(shipped_model)
    widget = DrawTab(active, jobs)
    widget._test_active = active
    qtbot.addWidget(widget)
    widget.resize(1180, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.network.detail.close()


def draw(tab: DrawTab, strokes) -> None:
    draw_strokes(tab.canvas, strokes)


def child(parent, kind, name: str):
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    return widget


def click(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.rect().center())


def choose(combo: QComboBox, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def expected(module, pixels: np.ndarray, target: int, method: str = "ig") -> np.ndarray:
    tensor = normalize(torch.from_numpy(np.ascontiguousarray(pixels)).reshape(1, 1, 28, 28))
    return attribute(module, tensor, target, method).values


def shown_for(tab: DrawTab, module, target: int, method: str = "ig") -> bool:
    """The overlay shows the map of `target` for the current drawing, as the core computes it."""
    shown = tab.why.attribution()
    if shown is None or shown.target != target or shown.method != method:
        return False
    if child(tab, DigitImageView, "networkInputView").overlay() is None:
        return False
    pixels = tab.current_prediction().pixels
    return np.allclose(shown.values, expected(module, pixels, target, method), atol=1e-5)


# ------------------------------------------------------------------------------ Draw tab


def test_why_overlays_the_predicted_digit_then_any_other_then_goes_away(qtbot, tab, shipped_model, jobs):
    module = shipped_model.module
    toggle = child(tab, QCheckBox, "whyToggle")
    digits = child(tab, QComboBox, "whyDigitCombo")
    methods = child(tab, QComboBox, "whyMethodCombo")
    view = child(tab, DigitImageView, "networkInputView")
    sentence = child(tab, QLabel, "whyExplanationLabel")
    assert not toggle.isChecked() and not digits.isEnabled() and not sentence.isVisible()

    draw(tab, SEVEN)
    assert tab.current_prediction().digit == 7
    assert view.overlay() is None and not tab.why.feed.busy()  # off: nothing computed

    click(toggle)
    assert toggle.isChecked() and digits.isEnabled() and methods.isEnabled()
    qtbot.waitUntil(lambda: shown_for(tab, module, 7), timeout=15000)
    shown = tab.why.attribution()
    assert shown.total > 0  # the ink, on the whole, is why it reads 7
    assert sentence.isVisible() and "toward 7" in sentence.text()
    assert child(tab, AttributionLegend, "whyLegend").texts() == ("away from 7", "toward 7")
    assert "(7)" in digits.itemText(0)

    # The overlay: red where a pixel pushed toward 7, blue where away, clear where no effect.
    overlay = rgba_array(view.overlay())
    assert overlay.shape == (28, 28, 4)
    strongest_up = np.unravel_index(np.argmax(shown.values), (28, 28))
    red, green, blue, alpha = (int(v) for v in overlay[strongest_up])
    assert red > blue and alpha > 200
    if shown.values.min() < -0.2 * shown.scale:
        strongest_down = np.unravel_index(np.argmin(shown.values), (28, 28))
        assert overlay[strongest_down][2] > overlay[strongest_down][0]
    assert (overlay[..., 3][shown.values == 0] == 0).all()

    # "Why not 9?": another digit, kept while the drawing changes.
    choose(digits, 9)
    qtbot.waitUntil(lambda: shown_for(tab, module, 9), timeout=5000)
    assert "toward 9" in sentence.text()
    assert tab.why.attribution().total < shown.total
    draw(tab, BAR)
    qtbot.waitUntil(lambda: shown_for(tab, module, 9), timeout=5000)

    # Back to following the prediction, and the other method.
    choose(digits, -1)
    predicted = tab.current_prediction().digit
    qtbot.waitUntil(lambda: shown_for(tab, module, predicted), timeout=5000)
    choose(methods, "occlusion")
    qtbot.waitUntil(lambda: shown_for(tab, module, predicted, "occlusion"), timeout=5000)

    # Off: the overlay goes, and drawing computes nothing more.
    click(toggle)
    assert not toggle.isChecked() and view.overlay() is None and tab.why.attribution() is None
    assert not sentence.isVisible()
    draw(tab, ONE)
    QCoreApplication.processEvents()
    assert view.overlay() is None and not tab.why.feed.busy()


def test_why_follows_clearing_and_every_architecture(qtbot, tab, shipped_model):
    click(child(tab, QCheckBox, "whyToggle"))
    assert "Draw a digit" in child(tab, QLabel, "whyExplanationLabel").text()
    draw(tab, SEVEN)
    qtbot.waitUntil(lambda: shown_for(tab, shipped_model.module, 7), timeout=15000)

    click(child(tab, QPushButton, "clearButton"))
    assert tab.why.attribution() is None
    assert child(tab, DigitImageView, "networkInputView").overlay() is None

    draw(tab, SEVEN)
    for seed, name in enumerate(model_names()):
        torch.manual_seed(seed)
        model = TrainedModel(name, create_model(name).eval(), {})
        tab._test_active.set_model(model)  # switching the active model explains again
        digit = predict(model, tab.canvas.input_array()).digit
        qtbot.waitUntil(lambda: shown_for(tab, model.module, digit), timeout=5000)


def test_feed_keeps_one_job_and_hands_back_only_the_latest(qtbot, jobs, shipped_model, monkeypatch):
    started = []
    start = jobs.start
    monkeypatch.setattr(jobs, "start", lambda job: started.append(job) or start(job))
    feed = AttributionFeed(jobs)
    received = []
    feed.ready.connect(received.append)
    digit = np.zeros((28, 28), np.uint8)
    digit[6:22, 13:16] = 255
    for target in range(5):  # asked five times at once: one job runs, the last request waits
        feed.request(shipped_model.module, digit, (target,), "ig")
    assert len(started) == 1 and feed.busy()
    qtbot.waitUntil(lambda: not feed.busy(), timeout=15000)
    QCoreApplication.processEvents()
    assert len(started) == 2  # the first request's job, then the latest; those between never ran
    assert [maps.attributions[0].target for maps in received] == [4]
    assert np.array_equal(received[0].pixels, digit)

    feed.request(shipped_model.module, digit, (1, 7), "occlusion")
    feed.cancel()  # nothing of a cancelled request arrives
    qtbot.waitUntil(lambda: not feed.busy(), timeout=5000)
    QCoreApplication.processEvents()
    assert len(received) == 1


# ------------------------------------------------------------------------------ Dataset tab


@pytest.fixture(scope="module")
def test_split(mnist_dir):
    return load_split(mnist_dir, "test")


@pytest.fixture
def dataset_tab(qtbot, mnist_dir, test_split, shipped_model, jobs):
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, {"test": test_split})
    active = ActiveModel(shipped_model)
    tab = DatasetTab(dataset, active, jobs)
    tab._test_refs = (active, dataset)
    qtbot.addWidget(tab)
    tab.resize(1180, 720)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.predictions("test") is not None, timeout=30000)
    yield tab
    tab.cancel_work()


def select_row(tab: DatasetTab, row: int) -> int:
    """Click the grid's image at `row`; its image index."""
    view = child(tab, QListView, "datasetView")
    QCoreApplication.processEvents()
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    return int(view.model().rows[row])


def pair_shows(tab: DatasetTab, module, pixels, targets) -> bool:
    pair = tab.detail.why
    maps = pair.attributions()
    if pair.targets() != targets or len(maps) != 2:
        return False
    if any(child(tab, DigitImageView, name).overlay() is None for name in ("whyChosenMap", "whyOtherMap")):
        return False
    return all(np.allclose(m.values, expected(module, pixels, t), atol=1e-5) for m, t in zip(maps, targets))


def test_detail_pane_explains_a_misread_digit_and_a_right_one(qtbot, dataset_tab, test_split, shipped_model):
    tab = dataset_tab
    result = tab.predictions("test")
    click(child(tab, QCheckBox, "misclassifiedOnlyCheck"))
    image = select_row(tab, 0)
    predicted, label = int(result.predictions[image]), int(test_split.labels[image])
    assert predicted != label
    pixels = test_split.images[image]
    qtbot.waitUntil(lambda: pair_shows(tab, shipped_model.module, pixels, (predicted, label)), timeout=15000)
    assert child(tab, QLabel, "whyChosenTitle").text() == f"Why {predicted}"
    assert child(tab, QLabel, "whyOtherTitle").text() == f"Why not {label} (true label)"
    assert np.array_equal(child(tab, DigitImageView, "whyChosenMap").pixels(), pixels)
    assert "Red" in child(tab, QLabel, "whyPairExplanation").text()
    chosen, other = tab.detail.why.attributions()
    assert chosen.total > other.total  # the model read `predicted`: its evidence is stronger

    # Another misread image: the maps follow the selection.
    image = select_row(tab, 1)
    pixels = test_split.images[image]
    targets = (int(result.predictions[image]), int(test_split.labels[image]))
    qtbot.waitUntil(lambda: pair_shows(tab, shipped_model.module, pixels, targets), timeout=5000)

    # A right answer: the chosen digit and the runner-up.
    click(child(tab, QCheckBox, "misclassifiedOnlyCheck"))
    assert tab.select_image(0)
    pixels = test_split.images[0]
    ranked = np.argsort(result.probabilities[0])[::-1]
    assert int(ranked[0]) == int(test_split.labels[0])
    targets = (int(ranked[0]), int(ranked[1]))
    qtbot.waitUntil(lambda: pair_shows(tab, shipped_model.module, pixels, targets), timeout=5000)
    assert child(tab, QLabel, "whyOtherTitle").text() == f"Why not {targets[1]} (next best)"


def test_detail_pane_explains_again_with_another_model(qtbot, dataset_tab, test_split):
    tab = dataset_tab
    assert tab.select_image(3)
    torch.manual_seed(1)
    model = TrainedModel("lenet-28", create_model("lenet-28").eval(), {})
    tab._test_refs[0].set_model(model)
    assert not tab.detail.why.isVisible()  # no prediction yet, nothing to explain
    qtbot.waitUntil(lambda: tab.predictions("test") is not None, timeout=30000)
    result = tab.predictions("test")
    predicted, label = int(result.predictions[3]), int(test_split.labels[3])
    if predicted == label:
        other = int(np.argsort(result.probabilities[3])[-2])
    else:
        other = label
    qtbot.waitUntil(lambda: pair_shows(tab, model.module, test_split.images[3], (predicted, other)),
                    timeout=5000)
