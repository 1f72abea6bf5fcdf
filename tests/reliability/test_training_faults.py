"""Training that goes wrong, in the app: a clear message, the last good weights, and an app that
trains again right afterwards.

Divergence is injected as a NaN loss at chosen batches (and once for real, with a huge
learning rate); Stop is pressed at random moments; Pause is held for seconds; CUDA is asked
for on a machine without it; memory runs out in training and in the Dataset tab's evaluation.
"""

from __future__ import annotations

import math
import random
import threading
import time

import pytest
import torch
from PySide6.QtCore import QTimer

import lenet_app.core.training as training_module
from lenet_app.cli import main
from lenet_app.core.checkpoint import load_checkpoint
from lenet_app.core.models import LeNet5
from lenet_app.core.training import Diverged, Failed, Finished, Stopped
from lenet_app.gui.jobs import running_jobs
from reliability import ledger
from reliability.conftest import main_window_on
from reliability.samples import one_line_error, write_mnist_subset

STEPS_PER_EPOCH = 4  # 512 images, batch 128
NAN_AT = [1, 3, 5, 12]  # global batch numbers: first, mid epoch 1, first of epoch 2, last of epoch 3
STOP_ROUNDS = 10
OOM_ERRORS = [
    RuntimeError("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: can't allocate memory: "
                 "you tried to allocate 123456789012 bytes. Error code 12 (Cannot allocate memory)"),
    torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 7.79 GiB total)"),
    RuntimeError("MPS backend out of memory (MPS allocated: 8.00 GB, other allocations: 1.00 GB)"),
]


@pytest.fixture(scope="module")
def mnist_subset(mnist_dir, tmp_path_factory):
    from lenet_app.core.mnist import load_split

    splits = {name: load_split(mnist_dir, name) for name in ("train", "test")}
    return write_mnist_subset(tmp_path_factory.mktemp("mnist-subset"), splits, n_train=1024, n_test=500)


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory, mnist_subset):
    with main_window_on(qapp, tmp_path_factory.mktemp("training-window"), mnist_subset, tab='train_tab') as main_window:
        yield main_window


def _configure(tab, epochs=3, subset=512, batch=128, lr=None, optimizer="adam", schedule="onecycle"):
    form = tab.form
    form.restore_defaults()
    form.epochs_spin.setValue(epochs)
    form.subset_spin.setValue(subset)
    form.batch_size_spin.setValue(batch)
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))
    form.optimizer_combo.setCurrentIndex(form.optimizer_combo.findData(optimizer))
    form.schedule_combo.setCurrentIndex(form.schedule_combo.findData(schedule))
    if lr is not None:
        form.lr_spin.setValue(lr)


def _run(qtbot, tab, timeout=60_000):
    qtbot.waitUntil(lambda: not tab.jobs.busy(), timeout=30_000)
    assert tab.start_button.isEnabled()
    tab.start_button.click()
    assert tab.is_training()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=timeout)
    return tab.ended_event


def _idle_and_usable(qtbot, tab) -> None:
    """Controls back to idle, no thread left (the run history, read again on a job once a run
    has ended, within a few seconds), and a clean run finishes right afterwards."""
    qtbot.waitUntil(lambda: running_jobs() == 0 or not tab.jobs.busy(), timeout=10000)
    assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled()
    assert tab.form.isEnabled()
    _configure(tab, epochs=1, subset=256)
    assert isinstance(_run(qtbot, tab), Finished)


def _finite(model) -> bool:
    return all(torch.isfinite(t).all() for t in model.module.state_dict().values())


@pytest.mark.parametrize("nan_at", NAN_AT)
def test_nan_loss_stops_with_a_message_and_keeps_the_last_good_epoch(nan_at, window, qtbot, monkeypatch):
    tab = window.train_tab
    real_loss = training_module._loss
    calls = {"n": 0}

    def loss(config, logits, labels):
        calls["n"] += 1
        value = real_loss(config, logits, labels)
        return value * float("nan") if calls["n"] == nan_at else value

    monkeypatch.setattr(training_module, "_loss", loss)
    _configure(tab)
    event = _run(qtbot, tab)
    assert isinstance(event, Diverged)
    good_epochs = (nan_at - 1) // STEPS_PER_EPOCH
    assert (event.epoch, event.step) == (good_epochs + 1, (nan_at - 1) % STEPS_PER_EPOCH + 1)
    assert tab.result_banner.kind == "warning"
    assert tab.result_label.text().startswith("Training diverged") and "smaller learning rate" in \
        tab.result_label.text()
    assert _finite(tab.result_model) and tab.result_model.epochs_trained == good_epochs
    if good_epochs:  # exactly the weights of the last epoch that ended well
        saved = load_checkpoint(tab.trainer.checkpoint_path)
        assert saved.epochs_trained == good_epochs
        for key, value in saved.module.state_dict().items():
            assert torch.equal(value, tab.result_model.module.state_dict()[key]), key
    assert tab.use_button.isEnabled() and tab.save_button.isEnabled()
    monkeypatch.undo()
    _idle_and_usable(qtbot, tab)
    ledger.record("faults", "training: NaN loss injected at a chosen batch")


def test_a_really_diverging_learning_rate(window, qtbot):
    tab = window.train_tab
    _configure(tab, epochs=2, optimizer="sgd", schedule="none", lr=1e6)
    assert isinstance(_run(qtbot, tab), Diverged)
    assert _finite(tab.result_model) and "learning rate" in tab.result_label.text()
    _idle_and_usable(qtbot, tab)
    ledger.record("faults", "training: learning rate 1e6 (real divergence)")


def test_stop_at_random_moments(window, qtbot):
    tab = window.train_tab
    rng = random.Random(STOP_ROUNDS)
    outcomes = []
    whole_run_ms = None  # measured in the first round, so the moments fit this machine's speed
    for round_number in range(STOP_ROUNDS):
        _configure(tab, epochs=2, subset=1024, batch=64)
        qtbot.waitUntil(lambda: not tab.jobs.busy(), timeout=30_000)
        # Anywhere from the click to just before a whole run would end (was 0-900 ms, which a
        # fast machine outran: every run finished and "Stopped" never came).
        delay = None if whole_run_ms is None else rng.randint(0, int(0.9 * whole_run_ms))
        clicked = []
        if delay is not None:
            QTimer.singleShot(delay, lambda: clicked.append(tab.stop_button.click()))  # no-op once over
        else:
            clicked.append(None)
        started = time.perf_counter()
        tab.start_button.click()
        qtbot.waitUntil(lambda: not tab.is_training(), timeout=60_000)
        if whole_run_ms is None:
            whole_run_ms = (time.perf_counter() - started) * 1000
        qtbot.waitUntil(lambda: bool(clicked), timeout=5_000)  # a late click lands on the idle tab
        event = tab.ended_event
        assert isinstance(event, (Stopped, Finished)), event
        assert _finite(tab.result_model)
        assert tab.result_banner.kind in ("info", "success") and not tab.result_banner.isHidden()
        assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled()
        # No thread left once the run history's read, started as the run ended, is done.
        qtbot.waitUntil(lambda: running_jobs() == 0 or not tab.jobs.busy(), timeout=10_000)
        outcomes.append(type(event).__name__)
        ledger.record("faults", "training: Stop at a random moment")
    assert "Stopped" in outcomes, outcomes


def test_stop_while_paused_and_during_the_epoch_end_test(window, qtbot, monkeypatch):
    tab = window.train_tab
    _configure(tab, epochs=3, subset=1024, batch=64)
    tab.start_button.click()
    tab.pause_button.click()
    qtbot.wait(300)
    tab.stop_button.click()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=60_000)
    assert isinstance(tab.ended_event, Stopped) and _finite(tab.result_model)
    ledger.record("faults", "training: Stop while paused")

    # Stop pressed while the epoch's test pass runs: the pass waits for the click, so the click
    # surely lands in it (a 0.6 s sleep did not, when the GUI thread was starved for longer).
    real = training_module.evaluate_tensors
    testing = {"now": False}
    clicked = threading.Event()

    def evaluate_after_the_click(*args, **kwargs):
        testing["now"] = True
        clicked.wait(60)
        try:
            return real(*args, **kwargs)
        finally:
            testing["now"] = False

    monkeypatch.setattr(training_module, "evaluate_tensors", evaluate_after_the_click)
    tab.start_button.click()
    qtbot.waitUntil(lambda: testing["now"], timeout=60_000)
    tab.stop_button.click()
    clicked.set()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=60_000)
    assert isinstance(tab.ended_event, Stopped) and tab.ended_event.epochs_trained == 1
    assert _finite(tab.result_model)
    monkeypatch.undo()
    _idle_and_usable(qtbot, tab)
    ledger.record("faults", "training: Stop during the epoch-end test")


def test_long_pause_costs_no_cpu_and_resumes(window, qtbot, monkeypatch):
    tab = window.train_tab
    # 128 batches of at least 5 ms each, so Pause lands well before the end: 16 fast batches
    # once finished before the click did.
    learning_rate = training_module.learning_rate

    def slow_learning_rate(*args):
        time.sleep(0.005)
        return learning_rate(*args)

    monkeypatch.setattr(training_module, "learning_rate", slow_learning_rate)
    _configure(tab, epochs=1, subset=1024, batch=8)
    tab.start_button.click()
    qtbot.waitUntil(lambda: tab.progress_bar.value() >= 2, timeout=60_000)
    tab.pause_button.click()
    qtbot.wait(300)  # the batch under way finishes
    position = tab.progress_bar.value()
    cpu, wall = time.process_time(), time.perf_counter()
    qtbot.wait(3000)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert tab.progress_bar.value() == position and tab.trainer.global_step == position
    assert tab.progress_bar.format().startswith("Paused") and "paused" in tab.eta_label.text()
    assert cpu < 0.25 * wall, f"paused training used {cpu:.2f} s of CPU in {wall:.1f} s"
    tab.pause_button.click()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=60_000)
    event = tab.ended_event
    assert isinstance(event, Finished) and tab.progress_bar.value() == math.ceil(1024 / 8)
    assert math.isfinite(event.test_accuracy) and event.test_accuracy > 0.5
    ledger.record("faults", "training: 3 s pause, then resume")


@pytest.mark.parametrize("device", ["cuda", "cuda:1", "mps"])
def test_unavailable_device_in_the_app_and_the_cli(device, window, dialogs, monkeypatch, qtbot, capsys,
                                                   mnist_subset):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    mps = getattr(torch.backends, "mps", None)
    if mps is not None:
        monkeypatch.setattr(mps, "is_available", lambda: False)
    tab = window.train_tab
    _configure(tab, epochs=1, subset=256)
    real_config = tab.form.config
    monkeypatch.setattr(tab.form, "config", lambda: training_module.TrainConfig(
        **{**real_config().to_dict(), "device": device}))  # e.g. restored from another machine
    qtbot.waitUntil(lambda: not tab.jobs.busy(), timeout=30_000)
    tab.start_button.click()
    qtbot.waitUntil(lambda: bool(dialogs), timeout=30_000)  # the device is chosen on the job
    assert [(kind, title) for kind, title, _ in dialogs] == [("warning", "Cannot start training")]
    assert ("CUDA" if device.startswith("cuda") else "MPS") in dialogs[0][2]
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=5_000)
    assert not tab.is_training()
    ledger.record("faults", "training: unavailable device, in the app")

    assert main(["train", "--data-dir", str(mnist_subset), "--device", device, "--epochs", "1",
                 "--out", str(mnist_subset / "never.pt")]) == 2
    assert "use device cpu" in one_line_error(capsys.readouterr().err)
    assert not (mnist_subset / "never.pt").exists()
    ledger.record("faults", "training: unavailable device, CLI")
    monkeypatch.undo()
    _idle_and_usable(qtbot, tab)


@pytest.mark.parametrize("error", OOM_ERRORS, ids=["cpu", "cuda", "mps"])
@pytest.mark.parametrize("at_batch", [1, 6])
def test_out_of_memory_in_training(error, at_batch, window, qtbot, monkeypatch):
    tab = window.train_tab
    real_forward = LeNet5.forward
    calls = {"n": 0}

    def forward(self, x):
        if self.training:
            calls["n"] += 1
            if calls["n"] == at_batch:
                raise error
        return real_forward(self, x)

    monkeypatch.setattr(LeNet5, "forward", forward)
    _configure(tab, epochs=2, batch=128)
    event = _run(qtbot, tab)
    assert isinstance(event, Failed) and "out of memory" in event.message
    text = tab.result_label.text()
    assert text.startswith("Training failed:") and "batch size 128" in text and "smaller batch" in text
    assert _finite(tab.result_model)
    assert tab.result_model.epochs_trained == (at_batch - 1) // STEPS_PER_EPOCH
    monkeypatch.undo()
    _idle_and_usable(qtbot, tab)
    ledger.record("faults", "training: out of memory")


@pytest.mark.parametrize("error", [OOM_ERRORS[0], MemoryError()], ids=["torch", "numpy"])
def test_out_of_memory_in_the_dataset_evaluation(error, window, qtbot, monkeypatch):
    """The Dataset tab reading MNIST with the model runs out of memory: a banner says so in
    words, browsing goes on, and the next model is evaluated normally."""
    tab = window.dataset_tab
    real_forward = LeNet5.forward

    def forward(self, x):
        raise error

    monkeypatch.setattr(LeNet5, "forward", forward)
    qtbot.waitUntil(lambda: not window.jobs.busy(), timeout=30_000)
    window.active_model.set_model(window.active_model.model)  # re-evaluate
    qtbot.waitUntil(lambda: not tab.evaluating(), timeout=30_000)
    banner = tab.browser.evaluation_error.text()
    assert not tab.browser.evaluation_error.isHidden()
    assert "memory" in banner.lower() and "Unexpected" not in banner and "Traceback" not in banner
    assert tab.browser.images_model.rowCount() > 0  # still browsing the images
    monkeypatch.setattr(LeNet5, "forward", real_forward)
    window.active_model.set_model(window.active_model.model)
    qtbot.waitUntil(lambda: tab.predictions("test") is not None, timeout=30_000)
    assert tab.browser.evaluation_error.isHidden()
    ledger.record("faults", "out of memory in the Dataset tab's evaluation")
