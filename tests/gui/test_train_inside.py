"""The Train tab's "Inside the network" page, as a user sees it: a real short run started with a
click, C1's kernels and the fixed test digit's activations changing as the network learns."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.mnist import load_split
from lenet_app.core.models import create_model
from lenet_app.core.training import Snapshot
from lenet_app.gui.jobs import JobRunner, running_jobs
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.train import TrainTab

RUN_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def splits(mnist_dir):
    return {"train": load_split(mnist_dir, "train"), "test": load_split(mnist_dir, "test")}


@pytest.fixture
def tab(qtbot, mnist_dir, splits):
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, splits)
    widget = TrainTab(dataset, ActiveModel(TrainedModel("lenet5", create_model("lenet5").eval(), {})),
                      JobRunner())
    widget._test_state = (dataset, widget.active_model, widget.jobs)  # keep the state objects alive
    qtbot.addWidget(widget)
    widget.resize(1180, 740)
    form = widget.form
    form.subset_spin.setValue(2000)
    form.epochs_spin.setValue(2)
    form.batch_size_spin.setValue(128)
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))
    widget.show()
    yield widget
    assert widget.jobs.shutdown(timeout_s=RUN_TIMEOUT_MS / 1000)
    assert running_jobs() == 0


def _click(widget, pos: QPoint | None = None) -> None:
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.rect().center() if pos is None else pos)


def _open_inside_page(tab: TrainTab) -> None:
    bar = tab.views.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == "Inside the network")
    _click(bar, bar.tabRect(index).center())
    assert tab.views.currentWidget() is tab.inside and tab.inside.isVisible()


def _run(qtbot, tab: TrainTab) -> None:
    _click(tab.start_button)
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)


def test_kernels_and_activations_change_while_the_network_learns(qtbot, tab, splits):
    inside = tab.inside
    _open_inside_page(tab)
    # Before any run: the fixed test digit, and what to do.
    assert np.array_equal(inside.digit_view.pixels(), splits["test"].images[0])
    assert inside.digit_label.text() == f"Test image 1, a {splits['test'].labels[0]}"
    assert inside.network_view.placeholder() == "Start training to watch the kernels learn."
    assert inside.kernels_view is None and inside.state.activations is None

    shown: list[tuple[Snapshot, object]] = []  # every snapshot the views showed, with C1's first kernel

    def on_shown(snapshot: Snapshot) -> None:
        assert snapshot is inside.shown_snapshot()
        shown.append((snapshot, inside.kernels_view.kernel_image(0)))

    inside.shown.connect(on_shown)
    received: list[Snapshot] = []
    tab.run.snapshot.connect(received.append)
    _run(qtbot, tab)

    steps = 2 * -(-2000 // 128)
    assert received[0].global_step == 0 and received[-1].global_step == steps
    assert [s.epoch for s in received if s.step == s.steps_per_epoch] == [1, 2]
    assert len(shown) >= 2
    first, last = shown[0], shown[-1]
    assert first[0] is received[0]  # the untrained network shows at once
    assert last[0] is received[-1] is tab.run.last_snapshot  # and the end stays after the run
    assert inside.kernels_view.layer() == "C1" and inside.kernels_view.kernel_count() == 6
    assert first[1] != last[1]  # C1's kernels, as drawn, changed
    assert not np.array_equal(first[0].activations.kernels["C1"].weight, last[0].activations.kernels["C1"].weight)
    assert inside.network_view.shown_layers()[0] == "C1"
    assert inside.step_label.text() == "end of epoch 2/2"
    assert inside.answer_label.text() == f"The network reads {last[0].prediction}"


def test_a_hidden_page_catches_up_and_follows_another_architecture(qtbot, tab):
    inside = tab.inside
    assert tab.views.currentWidget() is tab.charts and not inside.isVisible()
    _run(qtbot, tab)
    assert inside.shown_snapshot() is tab.run.last_snapshot is not None  # the run's last tick showed it
    assert inside.kernels_view.layer() == "C1"

    tab.form.set_value("architecture", "lenet-28")
    tab.form.epochs_spin.setValue(1)
    _run(qtbot, tab)
    _open_inside_page(tab)
    assert inside.shown_snapshot().activations.architecture == "lenet-28"
    assert inside.kernels_view.layer() == "conv1"
    assert len(inside.findChildren(type(inside.kernels_view))) == 1  # the old view is gone
    assert inside.network_view.shown_layers()[0] == "conv1"
