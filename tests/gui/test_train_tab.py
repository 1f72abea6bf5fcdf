"""The Train tab as a user drives it: real clicks, real (small) training runs on MNIST."""

from __future__ import annotations

import math
import shutil
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QFileDialog, QMessageBox

from lenet_app.core import load_model
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.mnist import load_split
from lenet_app.core.run_history import RunHistory
from lenet_app.core.models import create_model, model_names
from lenet_app.core.training import (
    BatchProgress,
    Diverged,
    EpochEnd,
    Finished,
    Stopped,
    TrainConfig,
    Trainer,
    available_devices,
    describe_epoch,
)
from lenet_app.gui.jobs import Job, JobRunner, running_jobs
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.train import TrainTab
from lenet_app.gui.train.charts import MAX_POINTS, BoundedSeries, LossChart
from lenet_app.gui.train import training_job
from lenet_app.gui.train.training_job import BATCH_INTERVAL_S, grouped_events

RUN_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def splits(mnist_dir):
    return {"train": load_split(mnist_dir, "train"), "test": load_split(mnist_dir, "test")}


def _untrained() -> TrainedModel:
    return TrainedModel("lenet5", create_model("lenet5").eval(), {})


def _make_tab(qtbot, dataset: DatasetState | None = None) -> TrainTab:
    dataset = dataset if dataset is not None else DatasetState()
    tab = TrainTab(dataset, ActiveModel(_untrained()), JobRunner())
    tab._test_state = (dataset, tab.active_model, tab.jobs)  # keep the state objects alive
    qtbot.addWidget(tab)
    tab.resize(1180, 740)
    return tab


@pytest.fixture
def tab(qtbot, mnist_dir, splits, tmp_path, monkeypatch):
    monkeypatch.setenv("LENET_APP_DATA_DIR", str(tmp_path / "data"))  # this test's own run history
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, splits)
    widget = _make_tab(qtbot, dataset)
    form = widget.form
    form.subset_spin.setValue(2000)
    form.epochs_spin.setValue(1)
    form.batch_size_spin.setValue(128)
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))
    widget.show()
    yield widget
    # After a failed test pytest-qt has already deleted the tab, so a run it left is ended
    # through the runner, which cancels and joins every job (and so stops the trainer).
    assert widget.jobs.shutdown(timeout_s=RUN_TIMEOUT_MS / 1000)
    assert running_jobs() == 0


def _click(button) -> None:
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _wait_done(qtbot, tab: TrainTab) -> None:
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)


def _assert_idle_controls(tab: TrainTab) -> None:
    assert tab.start_button.isEnabled()
    assert tab.resume_button.isEnabled()
    assert not tab.pause_button.isEnabled()
    assert not tab.stop_button.isEnabled()
    assert tab.pause_button.text().replace("&", "") == "Pause"
    assert tab.form.isEnabled()


# --- full runs ----------------------------------------------------------------------------


def test_one_epoch_fills_charts_finishes_and_can_be_used_and_saved(qtbot, tab, tmp_path, monkeypatch):
    assert tab.loss_chart.point_count() == 0 and tab.accuracy_chart.point_count() == 0
    # A probe timer on the GUI thread: its longest gap shows whether the GUI stayed responsive.
    gaps, clock = [], QElapsedTimer()
    probe = QTimer()
    probe.setInterval(20)

    def on_probe() -> None:
        if clock.isValid():
            gaps.append(clock.restart())
        else:
            clock.start()

    probe.timeout.connect(on_probe)
    probe.start()
    _click(tab.start_button)
    assert tab.is_training()
    assert not tab.form.isEnabled() and not tab.start_button.isEnabled()
    assert tab.pause_button.isEnabled() and tab.stop_button.isEnabled()
    _wait_done(qtbot, tab)
    probe.stop()

    assert isinstance(tab.ended_event, Finished)
    assert tab.loss_chart.point_count() == 16  # ceil(2000 / 128) batches, one point each
    assert tab.loss_chart.smooth_series.count() == 16
    assert tab.accuracy_chart.train_series.count() == 1 and tab.accuracy_chart.test_series.count() == 1
    accuracy = tab.ended_event.test_accuracy
    assert accuracy > 0.5
    assert tab.result_banner.isVisible()
    assert tab.result_label.text().startswith("Finished:")
    assert f"{accuracy * 100:.2f}%" in tab.result_label.text()
    assert tab.progress_bar.value() == tab.progress_bar.maximum() == 16
    assert "Epoch 1/1" in tab.progress_bar.format()
    log = tab.log.toPlainText()
    assert describe_epoch(tab.last_epoch) in log and "test loss" in log and "img/s" in log
    assert tab.trainer.config.describe(device="cpu", images=2000) in log  # the run's summary
    checkpoint = tab.trainer.checkpoint_path
    assert str(checkpoint) in log and checkpoint.exists() and checkpoint.parent.name == "runs"
    # Kept in the run history like a command-line run: the record beside the checkpoint.
    record = RunHistory(checkpoint.parent).load(checkpoint.stem)
    assert (record.surface, record.status, record.checkpoint) == ("gui", "finished", checkpoint.name)
    assert record.test_accuracy == pytest.approx(tab.ended_event.test_accuracy)
    _assert_idle_controls(tab)
    assert max(gaps) < 1500, f"the GUI thread was blocked for {max(gaps)} ms"

    # Use this model: Draw and Dataset follow the shared ActiveModel.
    assert tab.use_button.isEnabled() and tab.save_button.isEnabled()
    with qtbot.waitSignal(tab.active_model.changed, timeout=1000) as blocker:
        _click(tab.use_button)
    assert blocker.args[0] is tab.result_model is tab.active_model.model
    assert tab.active_model.model.test_accuracy == pytest.approx(accuracy)
    assert not tab.use_button.isEnabled()
    tab.active_model.set_model(_untrained())  # another model activated elsewhere
    assert tab.use_button.isEnabled()

    # Save model…: the file loads back with the same accuracy.
    target = tmp_path / "mine.pt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _click(tab.save_button)
    loaded = load_model(target)
    assert loaded.architecture == "lenet5"
    assert loaded.test_accuracy == pytest.approx(accuracy)


def test_pause_stops_batches_and_resume_finishes(qtbot, tab):
    tab.form.subset_spin.setValue(4000)
    _click(tab.start_button)
    _click(tab.pause_button)  # at once: the trainer halts before its next batch
    assert tab.pause_button.text().replace("&", "") == "Resume"
    assert tab.trainer.paused
    qtbot.wait(400)  # a batch already under way may still finish
    paused_at = tab.progress_bar.value()
    qtbot.wait(800)
    assert tab.progress_bar.value() == paused_at
    assert tab.trainer.global_step == paused_at
    assert tab.is_training()
    assert tab.progress_bar.format().startswith("Paused")
    assert "paused" in tab.eta_label.text()
    _click(tab.pause_button)
    assert tab.pause_button.text().replace("&", "") == "Pause"
    assert not tab.trainer.paused
    _wait_done(qtbot, tab)
    assert isinstance(tab.ended_event, Finished)
    assert tab.progress_bar.value() == math.ceil(4000 / 128)
    _assert_idle_controls(tab)


def test_stop_mid_run_keeps_the_weights_and_resets_the_buttons(qtbot, tab):
    tab.form.subset_spin.setValue(0)  # all 60,000: long enough to stop in the middle
    tab.form.epochs_spin.setValue(3)
    _click(tab.start_button)
    qtbot.waitUntil(lambda: tab.progress_bar.value() >= 3, timeout=RUN_TIMEOUT_MS)
    _click(tab.stop_button)
    assert not tab.stop_button.isEnabled() and not tab.pause_button.isEnabled()
    _wait_done(qtbot, tab)
    assert isinstance(tab.ended_event, Stopped)
    assert tab.progress_bar.value() < tab.progress_bar.maximum()
    assert tab.result_label.text().startswith("Stopped after 0 of 3 epochs")
    assert tab.result_model is not None and tab.result_model.test_accuracy is not None
    assert tab.use_button.isEnabled() and tab.save_button.isEnabled()
    _assert_idle_controls(tab)
    assert tab.progress_bar.format().startswith("Stopped")


def test_paused_run_can_be_stopped(qtbot, tab):
    tab.form.subset_spin.setValue(0)
    _click(tab.start_button)
    _click(tab.pause_button)
    _click(tab.stop_button)
    _wait_done(qtbot, tab)
    assert isinstance(tab.ended_event, Stopped)
    _assert_idle_controls(tab)


def test_diverging_run_shows_why_and_keeps_last_good_weights(qtbot, tab):
    form = tab.form
    form.optimizer_combo.setCurrentIndex(form.optimizer_combo.findData("sgd"))
    form.schedule_combo.setCurrentIndex(form.schedule_combo.findData("none"))
    form.lr_spin.setValue(1e6)
    _click(tab.start_button)
    _wait_done(qtbot, tab)
    assert isinstance(tab.ended_event, Diverged)
    assert tab.result_banner.isVisible() and tab.result_banner.kind == "warning"
    text = tab.result_label.text()
    assert text.startswith("Training diverged") and "learning rate" in text
    assert tab.ended_event.message[1:] in text
    assert tab.use_button.isEnabled() and tab.save_button.isEnabled()
    weights = [p for p in tab.result_model.module.parameters()]
    assert all(torch.isfinite(p).all() for p in weights)
    assert tab.progress_bar.format().startswith("Diverged")
    _assert_idle_controls(tab)


def test_failed_run_shows_the_reason(qtbot, tab, tmp_path, monkeypatch):
    # The per-epoch checkpoint cannot be written (its folder is gone): the core reports Failed.
    _click(tab.start_button)
    _click(tab.pause_button)  # held before the first batch, so the folder surely goes first
    qtbot.waitUntil(lambda: tab.trainer.checkpoint_path is not None, timeout=RUN_TIMEOUT_MS)  # prepared
    checkpoint = tab.trainer.checkpoint_path
    shutil.rmtree(checkpoint.parent)
    _click(tab.pause_button)
    _wait_done(qtbot, tab)
    assert type(tab.ended_event).__name__ == "Failed"
    assert tab.result_banner.kind == "error"
    assert tab.result_label.text().startswith("Training failed:")
    assert str(checkpoint) in tab.result_label.text()
    assert tab.progress_bar.format() == "Failed"
    _assert_idle_controls(tab)


def test_save_error_is_a_message(qtbot, tab, tmp_path, monkeypatch):
    tab.form.subset_spin.setValue(500)
    _click(tab.start_button)
    _wait_done(qtbot, tab)
    target = tmp_path / "no-such-folder" / "model.pt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    _click(tab.save_button)
    assert shown and shown[0][0] == "Cannot save model" and str(target) in shown[0][1]
    assert not target.exists()


def test_resume_from_checkpoint_continues_the_run(qtbot, tab, splits, tmp_path, monkeypatch):
    checkpoint = tmp_path / "earlier.pt"
    earlier = Trainer(TrainConfig(epochs=1, subset=1000, batch_size=100, seed=3), splits["train"],
                      splits["test"], checkpoint_path=checkpoint, evaluate_each_epoch=False)
    events = list(earlier.run())
    assert isinstance(events[-1], Finished) and checkpoint.exists()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(checkpoint), ""))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    tab.form.epochs_spin.setValue(1)  # not more than the checkpoint already has
    _click(tab.resume_button)
    _wait_done(qtbot, tab)  # the checkpoint is read on the job
    assert warnings and "already has 1 epochs" in warnings[0]
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=5000)
    assert tab.ended_event is None and tab.log.toPlainText() == ""  # no run began
    _assert_idle_controls(tab)

    tab.form.epochs_spin.setValue(2)
    _click(tab.resume_button)
    assert tab.is_training()
    # Its recipe, read from the checkpoint, fills the form.
    qtbot.waitUntil(lambda: tab.form.subset_spin.value() == 1000, timeout=RUN_TIMEOUT_MS)
    assert tab.form.batch_size_spin.value() == 100
    _wait_done(qtbot, tab)
    assert isinstance(tab.ended_event, Finished) and tab.ended_event.epochs_trained == 2
    xs, _ = tab.accuracy_chart.test.arrays()
    assert xs.tolist() == [2.0]  # only the new epoch, at its real number
    raw_x, _ = tab.loss_chart.raw.arrays()
    assert raw_x.min() > 1.0 and raw_x.max() == pytest.approx(2.0)
    assert "Resuming lenet5" in tab.log.toPlainText()
    assert tab.trainer.checkpoint_path != checkpoint  # the earlier run's file is left alone
    # The resumed run is a run of its own in the history, saying where it started from.
    record = RunHistory(tab.trainer.checkpoint_path.parent).load(tab.run.run_id)
    assert record.started_from == str(checkpoint) and record.first_step == 10
    assert [row["epoch"] for row in record.epochs] == [2] and record.status == "finished"


def test_unusable_checkpoint_is_a_message_and_the_earlier_result_stays(qtbot, tab, tmp_path, monkeypatch):
    tab.form.subset_spin.setValue(500)
    _click(tab.start_button)
    _wait_done(qtbot, tab)
    earlier, banner = tab.result_model, tab.result_label.text()
    progress = tab.progress_bar.format()
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a checkpoint")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(
        (title, text, tab.is_training())))
    _click(tab.resume_button)
    qtbot.waitUntil(lambda: bool(shown), timeout=RUN_TIMEOUT_MS)  # read on the job, then said
    assert shown == [("Cannot resume training", shown[0][1], False)] and "junk.pt" in shown[0][1]
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=5000)
    _assert_idle_controls(tab)
    assert tab.result_model is earlier and tab.result_label.text() == banner
    assert tab.progress_bar.format() == progress
    assert tab.use_button.isEnabled() and tab.save_button.isEnabled()


def test_the_trainer_is_prepared_off_the_gui_thread(qtbot, tab, monkeypatch):
    threads = []
    real_prepare = Trainer.prepare

    def prepare(self):
        threads.append(threading.current_thread())
        return real_prepare(self)

    monkeypatch.setattr(Trainer, "prepare", prepare)
    tab.form.subset_spin.setValue(500)
    _click(tab.start_button)
    _wait_done(qtbot, tab)
    assert isinstance(tab.ended_event, Finished)
    assert threads and threading.main_thread() not in threads


def test_stop_before_the_first_batch_still_gives_a_model(qtbot, tab):
    _click(tab.start_button)
    _click(tab.stop_button)  # the job is most likely still preparing the trainer
    assert tab.progress_bar.format().startswith("Stopping")
    _wait_done(qtbot, tab)
    assert isinstance(tab.ended_event, Stopped) and tab.ended_event.epochs_trained == 0
    assert tab.result_model is not None and tab.save_button.isEnabled()
    _assert_idle_controls(tab)


class _FakeTrainer:
    """Stands in for a Trainer: yields the given events, `gap_s` apart on a fake clock."""

    paused = False

    def __init__(self, events, clock: list[float], gap_s: float = 0.0) -> None:
        self._events, self._clock, self._gap_s = events, clock, gap_s

    def run(self):
        for event in self._events:
            self._clock[0] += self._gap_s
            yield event


def _batch(step: int) -> BatchProgress:
    return BatchProgress(1, 1, step, 10, step, 1.0, 0.1, 100.0, 0.1, 1.0)


def test_grouped_events_merge_batches_and_keep_every_other_event_alone(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(training_job, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    epoch = EpochEnd(1, 1, 1.0, 0.5, 1.0, 0.5, 1.0, 1.0, 100.0)
    end = Finished(1, 0.5, 1.0, 1.0)
    events = [_batch(i) for i in range(1, 11)] + [epoch, end]
    grouped = list(grouped_events(_FakeTrainer(events, clock)))
    assert grouped == [events[:10], epoch, end]  # batches in one group, in order, none lost
    # Batches further apart than the interval each arrive on their own.
    apart = list(grouped_events(_FakeTrainer(events[:3], clock, gap_s=BATCH_INTERVAL_S * 1.5)))
    assert apart == [[events[0]], [events[1]], [events[2]]]


# --- charts -------------------------------------------------------------------------------


def test_loss_chart_stays_bounded_however_long_the_run(qtbot):
    chart = LossChart()
    qtbot.addWidget(chart)
    steps_per_epoch = 2000
    chart.begin_run(0, 50, steps_per_epoch)
    rng = np.random.default_rng(0)
    losses = 2.3 * np.exp(-np.arange(100_000) / 20_000) + rng.random(100_000) * 0.1
    start = time.perf_counter()
    for step, loss in enumerate(losses, 1):
        chart.add_batch(step / steps_per_epoch, float(loss))
    per_batch_us = (time.perf_counter() - start) / len(losses) * 1e6
    chart.refresh()
    assert 1000 <= chart.point_count() <= MAX_POINTS + 1
    assert 1000 <= chart.smooth_series.count() <= MAX_POINTS + 1
    assert chart.raw.total == 100_000
    assert chart.raw_series.at(chart.point_count() - 1).x() == pytest.approx(50.0, abs=0.05)
    assert chart.x_axis.max() == pytest.approx(50.0)
    assert chart.y_axis.max() >= losses.max()
    assert per_batch_us < 50, f"add_batch costs {per_batch_us:.1f} µs"
    chart.set_log_scale(True)
    assert chart.y_axis.titleText() == "Loss (log scale)" and chart.point_count() <= MAX_POINTS + 1
    chart.clear()
    assert chart.point_count() == 0


def test_bounded_series_keeps_honest_means():
    series = BoundedSeries(capacity=100)
    values = np.arange(10_000, dtype=float)
    for i, v in enumerate(values):
        series.add(float(i), v)
    xs, ys = series.arrays()
    assert len(xs) <= 101
    assert np.all(np.diff(xs) > 0)
    b = series.bucket
    full = len(series.xs)
    assert full * b <= len(values) < (full + 1) * b
    # Every stored point is exactly the mean of the raw points it covers.
    assert np.allclose(ys[:full], values[:full * b].reshape(full, b).mean(axis=1))
    assert ys[-1] == pytest.approx(values[full * b:].mean())


# --- form and settings --------------------------------------------------------------------


def test_device_combo_lists_only_this_machines_devices(qtbot):
    tab = _make_tab(qtbot)
    combo = tab.form.device_combo
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert ids == ["auto", "cpu"]  # asking CUDA for its devices waits until the list is opened
    assert not torch.cuda.is_initialized()
    combo.showPopup()
    combo.hidePopup()
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert ids[0] == "auto" and combo.itemText(0).startswith("Auto")
    assert ids[1:] == [device for device, _ in available_devices()]
    assert "cpu" in ids
    if not torch.cuda.is_available():
        assert not any(str(i).startswith("cuda") for i in ids)


@pytest.mark.cuda
def test_device_combo_offers_every_cuda_device(qtbot):
    combo = _make_tab(qtbot).form.device_combo
    combo.showPopup()
    combo.hidePopup()
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert [i for i in ids if i.startswith("cuda")] == [f"cuda:{n}" for n in range(torch.cuda.device_count())]


def test_form_covers_every_config_field_and_dependencies(qtbot):
    tab = _make_tab(qtbot)
    form = tab.form
    assert form.config() == TrainConfig()
    assert [form.architecture_combo.itemData(i) for i in range(form.architecture_combo.count())] == model_names()
    for name in model_names():
        form.architecture_combo.setCurrentIndex(form.architecture_combo.findData(name))
        rows = form.layer_model.rowCount()
        assert rows >= 3 and form.model_description.text() and name in form.config().architecture
        assert form.total_params_label.text()
    form.architecture_combo.setCurrentIndex(form.architecture_combo.findData("lenet5-1998"))
    assert "60,000" in form.total_params_label.text() or "," in form.total_params_label.text()
    form.optimizer_combo.setCurrentIndex(form.optimizer_combo.findData("adam"))
    assert not form.momentum_spin.isEnabled()
    form.optimizer_combo.setCurrentIndex(form.optimizer_combo.findData("sgd"))
    assert form.momentum_spin.isEnabled()
    form.schedule_combo.setCurrentIndex(form.schedule_combo.findData("onecycle"))
    assert not form.step_gamma_spin.isEnabled()
    form.schedule_combo.setCurrentIndex(form.schedule_combo.findData("step"))
    assert form.step_gamma_spin.isEnabled()
    for widget in (form.architecture_combo, form.epochs_spin, form.lr_spin, form.device_combo,
                   form.subset_spin, form.threads_spin, form.augment_check):
        assert widget.toolTip() and widget.accessibleName() and widget.objectName()
    # The learning-rate box walks 1-2-5 and shows plain numbers.
    form.lr_spin.setValue(0.004)
    form.lr_spin.stepBy(1)
    assert form.lr_spin.value() == pytest.approx(0.005) and form.lr_spin.text() == "0.005"
    form.lr_spin.stepBy(-2)
    assert form.lr_spin.value() == pytest.approx(0.001)
    form.weight_decay_spin.setValue(0)
    form.weight_decay_spin.stepBy(1)
    assert form.weight_decay_spin.value() == pytest.approx(1e-5) and form.weight_decay_spin.text() == "1e-05"
    _click(form.restore_defaults_button)
    assert form.config() == TrainConfig()


def test_settings_round_trip_and_bad_values_fall_back(qtbot, settings):
    tab = _make_tab(qtbot)
    form = tab.form
    wanted = TrainConfig(architecture="cnn-bn", epochs=12, batch_size=64, optimizer="sgd", lr=0.05,
                         momentum=0.8, weight_decay=0.0005, schedule="step", step_gamma=0.5,
                         loss="mse", augment=True, seed=42, device="cpu", threads=1, subset=5000)
    assert form.set_config(wanted) == []
    tab.findChild(QCheckBox, "lossLogScaleCheck").click()
    tab.save_settings(settings)
    settings.sync()

    other = _make_tab(qtbot)
    assert other.form.config() == TrainConfig()
    other.restore_settings(settings)
    assert other.form.config() == wanted
    assert other.loss_chart.log_scale()

    for key, value in (("epochs", "banana"), ("device", "cuda:7"), ("lr", "-1"),
                       ("optimizer", "rmsprop"), ("augment", "perhaps"), ("momentum", "nan"),
                       ("architecture", "resnet50"), ("subset", "2.5")):
        settings.setValue("train/" + key, value)
    third = _make_tab(qtbot)
    ignored = third.restore_settings(settings)
    assert set(ignored) == {"epochs", "device", "lr", "optimizer", "augment", "momentum", "architecture",
                            "subset"}
    config = third.form.config()
    defaults = TrainConfig()
    assert (config.epochs, config.device, config.lr, config.optimizer, config.augment,
            config.momentum, config.architecture, config.subset) == (
        defaults.epochs, defaults.device, defaults.lr, defaults.optimizer, defaults.augment,
        defaults.momentum, defaults.architecture, defaults.subset)
    assert config.batch_size == 64 and config.seed == 42  # the good values still apply

    settings.remove("train/architecture")  # settings written before the field was renamed
    settings.setValue("train/model", "lenet-28")
    fourth = _make_tab(qtbot)
    fourth.restore_settings(settings)
    assert fourth.form.config().architecture == "lenet-28"


def test_start_is_disabled_with_a_reason_until_mnist_is_loaded(qtbot, mnist_dir, splits):
    dataset = DatasetState()
    tab = _make_tab(qtbot, dataset)
    tab.show()
    assert not tab.start_button.isEnabled() and not tab.resume_button.isEnabled()
    dataset.set_missing("MNIST not found (looked in: /nowhere)")
    assert not tab.start_button.isEnabled()
    assert tab.dataset_banner.isVisible()
    assert "/nowhere" in tab.dataset_banner.label.text() and "/nowhere" in tab.start_button.toolTip()
    assert tab.start_training() is False and running_jobs() == 0
    dataset.set_loaded(mnist_dir, splits)
    assert tab.start_button.isEnabled() and not tab.dataset_banner.isVisible()


# --- the main window ----------------------------------------------------------------------


def _shutdown_joins_a_finished_job() -> bool:
    """Whether JobRunner.shutdown() joins a job whose work has already returned."""
    runner = JobRunner()
    ran = threading.Event()
    runner.start(Job(lambda control: ran.set(), "probe"))
    ran.wait(5)
    return runner.shutdown(timeout_s=5) and running_jobs() == 0


def test_closing_the_window_mid_training_stops_and_joins_the_thread(qtbot, settings, monkeypatch,
                                                                    mnist_dir, splits):
    main_window = pytest.importorskip("lenet_app.gui.main_window",
                                      reason="the other tabs of MainWindow are not written yet")
    assert _shutdown_joins_a_finished_job(), (
        "JobRunner.shutdown() cannot join a job that has finished its work")
    try:
        load_model()
    except Exception:  # noqa: BLE001 - the shipped model may not be trained yet
        # Closing mid-training does not depend on which model is active.
        monkeypatch.setattr(main_window, "load_model", lambda path=None: _untrained())
    settings.setValue("mnist/dir", str(mnist_dir))
    window = main_window.MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.dataset.available, timeout=30_000)
    # A smaller test split keeps the evaluation a stop triggers short on a busy machine.
    small_test = type(splits["test"])("test", splits["test"].images[:1000], splits["test"].labels[:1000])
    window.dataset.set_loaded(mnist_dir, {"train": splits["train"], "test": small_test})
    tab = window.train_tab
    tab.form.subset_spin.setValue(0)
    tab.form.epochs_spin.setValue(5)
    _click(tab.start_button)
    qtbot.waitUntil(lambda: tab.progress_bar.value() >= 1, timeout=RUN_TIMEOUT_MS)
    assert tab.is_training()
    asked = []

    def answer(*args, **kwargs):
        asked.append(args)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not window.close()  # "No": the window stays and training goes on
    assert tab.is_training() and window.isVisible()
    assert window.close()
    assert len(asked) == 2
    assert running_jobs() == 0
    assert settings.value("train/epochs") == "5"
