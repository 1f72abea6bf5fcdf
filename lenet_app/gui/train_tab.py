"""The Train tab: configure a run, watch it learn live, and use or save the result.

The core `Trainer` runs inside a `TrainingWorker` on its own thread and reports one event per
batch. The slots that receive those events only store them (O(1)); a 10 Hz timer redraws the
charts and labels, so the GUI costs the same however fast the device trains and the run is
as fast as on the command line.
"""

from __future__ import annotations

import datetime as _dt
import math
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QSettings, QStandardPaths, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.checkpoint import CheckpointError, TrainedModel, save_model
from lenet_app.core.formatting import format_duration
from lenet_app.core.mnist import user_data_dir
from lenet_app.core.models import UnknownModelError
from lenet_app.core.training import (
    BatchProgress,
    Diverged,
    EpochEnd,
    Failed,
    Finished,
    Stopped,
    Trainer,
    TrainingError,
    TrainingEvent,
)
from lenet_app.gui.charts import AccuracyChart, LossChart
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.train_form import SETTINGS_PREFIX, TrainForm
from lenet_app.gui.widgets import StatLabel, named
from lenet_app.gui.jobs import Job, JobRunner

REFRESH_MS = 100  # 10 Hz: smooth to the eye; a chart repaint costs ~10 ms, so ~5% of one core
STATS_EVERY_TICKS = 3  # numbers that change 10 times a second can't be read: ~3 Hz for the labels
LOG_SCALE_KEY = "loss_log_scale"

# Banner tints (background, border) per kind; readable on light and dark palettes alike
# because the text colour is set with them.
_BANNER = {
    "info": ("#e8f1fb", "#2a82da", "#0d2b4a"),
    "success": ("#e6f4ea", "#2e9d4f", "#0f3d1d"),
    "warning": ("#fff4e0", "#e08a1e", "#4a2c05"),
    "error": ("#fde8e8", "#d93025", "#4a0b07"),
}


def _percent(value: float | None) -> str:
    return f"{value * 100:.2f}%" if value is not None and math.isfinite(value) else "–"


#: Batch events reach the GUI in groups at most this often: a queued signal per batch would wake
#: the GUI thread hundreds of times a second, while the charts repaint at 10 Hz anyway.
BATCH_INTERVAL_S = 0.05


def grouped_events(trainer: Trainer):
    """The trainer's events for a job: batches grouped into lists, every other event alone."""
    pending: list[BatchProgress] = []
    last_flush = time.monotonic()
    try:
        for event in trainer.run():
            if isinstance(event, BatchProgress):
                pending.append(event)
                if time.monotonic() - last_flush < BATCH_INTERVAL_S and not trainer.paused:
                    continue
            if pending:
                yield pending
                pending = []
            last_flush = time.monotonic()
            if not isinstance(event, BatchProgress):
                yield event
    finally:
        if pending:  # the last batches before a failure still reach the charts
            yield pending


class Banner(QFrame):
    """A tinted, word-wrapped message strip with optional buttons on its right."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel()
        self.label.setObjectName(name + "Label")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 6, 10, 6)
        self.row.addWidget(self.label, 1)
        self.kind = "info"
        self.hide()

    def show_message(self, kind: str, text: str, large: bool = False) -> None:
        background, border, foreground = _BANNER[kind]
        self.kind = kind
        self.setStyleSheet(
            f"#{self.objectName()} {{ background: {background}; border: 1px solid {border};"
            f" border-left: 5px solid {border}; border-radius: 4px; }}"
            f" #{self.objectName()} QLabel {{ color: {foreground}; background: transparent;"
            f" border: none; }}")
        font = QFont(self.font())
        if large:
            font.setPointSizeF(font.pointSizeF() * 1.25)
            font.setBold(True)
        self.label.setFont(font)
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()


class TrainTab(QWidget):
    """Train any model of the zoo on MNIST with live charts, then activate or save the result."""

    def __init__(self, dataset: DatasetState, active_model: ActiveModel, jobs: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.dataset = dataset
        self.active_model = active_model
        self.jobs = jobs
        self.trainer: Trainer | None = None
        self.result_model: TrainedModel | None = None
        self.ended_event: TrainingEvent | None = None
        self._running = False
        self._stopping = False
        self._last_batch: BatchProgress | None = None
        self._last_epoch: EpochEnd | None = None
        self._clock = QElapsedTimer()
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_tick)

        self.form = TrainForm()
        form_scroll = QScrollArea()
        form_scroll.setObjectName("trainFormScroll")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form)
        form_scroll.setMinimumWidth(self.form.minimumSizeHint().width() + 24)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("trainSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(form_scroll)
        splitter.addWidget(self._build_run_panel())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        dataset.changed.connect(self._on_dataset_changed)
        dataset.loading_changed.connect(self._on_loading_changed)
        active_model.changed.connect(self._on_active_model_changed)
        self._update_controls()
        self._on_dataset_changed()

    # --- building -----------------------------------------------------------------------

    @staticmethod
    def _button(text: str, name: str, accessible: str, tip: str) -> QPushButton:
        return named(QPushButton(text), name, accessible, tip)

    @staticmethod
    def _stat(name: str, accessible: str, tip: str) -> StatLabel:
        label = named(StatLabel(), name, accessible, tip)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _build_run_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)

        controls = QHBoxLayout()
        self.start_button = self._button(self.tr("Start trai&ning"), "startTrainingButton",
                                         self.tr("Start training"),
                                         self.tr("Train a new network with the settings on the left"))
        font = QFont(self.start_button.font())
        font.setBold(True)
        self.start_button.setFont(font)
        self.start_button.setDefault(True)
        self.pause_button = self._button(self.tr("&Pause"), "pauseTrainingButton", self.tr("Pause"),
                                         self.tr("Pause after the current batch; press again to resume"))
        self.pause_button.setCheckable(True)
        self.stop_button = self._button(self.tr("St&op"), "stopTrainingButton", self.tr("Stop"),
                                        self.tr("End the run now and keep the weights learned so far"))
        self.resume_button = self._button(
            self.tr("Resume from chec&kpoint…"), "resumeCheckpointButton",
            self.tr("Resume from checkpoint"),
            self.tr("Continue an earlier run from its checkpoint file (saved after every epoch).\n"
                    "Set Epochs to the new total, e.g. 10 to continue a 5-epoch run for 5 more."))
        self.start_button.clicked.connect(self._on_start)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.stop_button.clicked.connect(self._on_stop)
        self.resume_button.clicked.connect(self._on_resume_checkpoint)
        for button in (self.start_button, self.pause_button, self.stop_button):
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.resume_button)
        layout.addLayout(controls)

        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("trainingProgressBar")
        self.progress_bar.setAccessibleName(self.tr("Training progress"))
        self.progress_bar.setToolTip(self.tr("Batches trained out of the whole run"))
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(self.tr("Not started"))
        layout.addWidget(self.progress_bar)

        stats = QHBoxLayout()
        self.elapsed_label = self._stat("elapsedLabel", self.tr("Elapsed time"),
                                        self.tr("Wall-clock time since the run started, pauses included"))
        self.eta_label = self._stat("etaLabel", self.tr("Estimated time left"),
                                    self.tr("Estimated time until the last epoch ends, from the "
                                            "current speed"))
        self.speed_label = self._stat("speedLabel", self.tr("Training speed"),
                                      self.tr("Training images processed per second"))
        self.loss_label = self._stat("currentLossLabel", self.tr("Current loss and learning rate"),
                                     self.tr("Loss on the latest batch and the learning rate used "
                                             "for it (the schedule changes it during the run)"))
        for label in (self.elapsed_label, self.eta_label, self.speed_label, self.loss_label):
            stats.addWidget(label)
            stats.addSpacing(18)
        stats.addStretch(1)
        layout.addLayout(stats)
        self._clear_stats()

        self.dataset_banner = Banner("datasetBanner")
        layout.addWidget(self.dataset_banner)

        self.result_banner = Banner("resultBanner")
        self.result_label = self.result_banner.label
        self.use_button = self._button(self.tr("Use th&is model"), "useModelButton",
                                       self.tr("Use this model"),
                                       self.tr("Make the network you just trained the one the Draw "
                                               "and Dataset tabs use"))
        self.save_button = self._button(self.tr("Sa&ve model…"), "saveModelButton",
                                        self.tr("Save model"),
                                        self.tr("Save the trained network to a file you can load later"))
        self.use_button.clicked.connect(self._on_use_model)
        self.save_button.clicked.connect(self._on_save_model)
        self.result_banner.row.addWidget(self.use_button)
        self.result_banner.row.addWidget(self.save_button)
        layout.addWidget(self.result_banner)

        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.setObjectName("chartsSplitter")
        charts.setChildrenCollapsible(False)
        self.loss_chart = LossChart()
        self.accuracy_chart = AccuracyChart()
        loss_box = QWidget()
        loss_layout = QVBoxLayout(loss_box)
        loss_layout.setContentsMargins(0, 0, 0, 0)
        loss_layout.setSpacing(0)
        loss_layout.addWidget(self.loss_chart, 1)
        self.log_scale_check = QCheckBox(self.tr("Log scale"))
        self.log_scale_check.setObjectName("lossLogScaleCheck")
        self.log_scale_check.setAccessibleName(self.tr("Loss chart log scale"))
        self.log_scale_check.setToolTip(self.tr(
            "Show the loss on a logarithmic axis, so that small late improvements stay visible "
            "next to the large loss of the first batches"))
        self.log_scale_check.toggled.connect(self._on_log_scale_toggled)
        loss_layout.addWidget(self.log_scale_check, 0, Qt.AlignmentFlag.AlignRight)
        charts.addWidget(loss_box)
        charts.addWidget(self.accuracy_chart)
        charts.setStretchFactor(0, 1)
        charts.setStretchFactor(1, 1)
        charts.setSizes([1000, 1000])

        self.log = QPlainTextEdit()
        self.log.setObjectName("trainingLog")
        self.log.setAccessibleName(self.tr("Training log"))
        self.log.setToolTip(self.tr("One line per epoch, plus where the run's checkpoint is saved"))
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(10_000)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log.setPlaceholderText(self.tr("Press Start training: a summary of every epoch "
                                            "appears here."))

        body = QSplitter(Qt.Orientation.Vertical)
        body.setObjectName("chartsLogSplitter")
        body.setChildrenCollapsible(False)
        body.addWidget(charts)
        body.addWidget(self.log)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([470, 150])
        layout.addWidget(body, 1)
        return panel

    # --- contract with MainWindow -------------------------------------------------------

    def is_training(self) -> bool:
        return self._running

    def save_settings(self, settings: QSettings) -> None:
        self.form.save_settings(settings, SETTINGS_PREFIX)
        settings.setValue(SETTINGS_PREFIX + LOG_SCALE_KEY, "true" if self.loss_chart.log_scale() else "false")

    def restore_settings(self, settings: QSettings) -> list[str]:
        """Restore the form; stored values that no longer fit are ignored (defaults used)."""
        ignored = self.form.restore_settings(settings, SETTINGS_PREFIX)
        stored = str(settings.value(SETTINGS_PREFIX + LOG_SCALE_KEY, "false")).strip().lower()
        if stored not in ("true", "false"):
            ignored.append(LOG_SCALE_KEY)
        self.log_scale_check.setChecked(stored == "true")
        return ignored

    # --- starting -----------------------------------------------------------------------

    @Slot()
    def _on_start(self) -> None:
        self.start_training()

    @Slot()
    def _on_resume_checkpoint(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Resume training from checkpoint"),
                                              str(self.runs_dir()), self._model_filter())
        if path:
            self.start_training(resume_from=Path(path))

    def _model_filter(self) -> str:
        return self.tr("LeNet Digits model (*.pt);;All files (*)")

    @staticmethod
    def runs_dir() -> Path:
        return user_data_dir() / "runs"

    def _new_checkpoint_path(self, model: str) -> Path:
        """A fresh per-run file (never overwriting an earlier run) in the user's runs folder."""
        folder = self.runs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{model}-{stamp}.pt"
        counter = 2
        while path.exists():
            path = folder / f"{model}-{stamp}-{counter}.pt"
            counter += 1
        return path

    def start_training(self, resume_from: Path | None = None) -> bool:
        """Build the trainer on the GUI thread (fast, and errors become a message box), then
        run it on a worker thread. False when nothing was started."""
        if self._running:
            return False
        if not self.dataset.available:
            self._on_dataset_changed()
            return False
        config = self.form.config()
        title = self.tr("Cannot resume training") if resume_from else self.tr("Cannot start training")
        try:
            checkpoint = None if resume_from else self._new_checkpoint_path(config.architecture)
            trainer = Trainer(config, self.dataset.splits["train"], self.dataset.splits["test"],
                              checkpoint_path=checkpoint, resume_from=resume_from)
            trainer.prepare()  # reads the checkpoint, picks the device: belongs in the job
            if resume_from is not None:  # the architecture comes from the checkpoint
                trainer.checkpoint_path = self._new_checkpoint_path(trainer.config.architecture)
        except (TrainingError, CheckpointError, UnknownModelError) as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        except OSError as exc:
            QMessageBox.warning(self, title, self.tr("Cannot create the folder for training "
                                                     "checkpoints %1: %2")
                                .replace("%1", str(self.runs_dir()))
                                .replace("%2", exc.strerror or str(exc)))
            return False
        if resume_from is not None:
            self.form.set_config(trainer.config)  # show the recipe being continued
        self._begin(trainer, resume_from)
        return True

    def _begin(self, trainer: Trainer, resume_from: Path | None) -> None:
        self.trainer = trainer
        self.result_model = None
        self.ended_event = None
        self._last_batch = None
        self._last_epoch = None
        self._ticks = 0
        config = trainer.config
        self.loss_chart.clear()
        self.accuracy_chart.clear()
        self.accuracy_chart.begin_run(trainer.start_epoch, config.epochs)
        self.result_banner.hide()
        self._clear_stats()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(self.tr("Starting…"))
        if self.log.blockCount() > 1 or self.log.toPlainText():
            self.log.appendPlainText("")
        images = len(trainer.train_split)
        when = _dt.datetime.now().strftime("%H:%M:%S")
        if resume_from is not None:
            self._log(self.tr("%1  Resuming %2 from %3 after epoch %4")
                      .replace("%1", when).replace("%2", config.architecture)
                      .replace("%3", str(resume_from)).replace("%4", str(trainer.start_epoch)))
        else:
            self._log(self.tr("%1  Training %2").replace("%1", when).replace("%2", config.architecture))
        optimiser = (self.tr("SGD (momentum %s)") % f"{config.momentum:g}" if config.optimizer == "sgd"
                     else self.tr("Adam"))
        self._log(self.tr("    on %1, %2 training images, %3 epochs, batch %4, %5, lr %6, %7 schedule, "
                          "%8 loss%9")
                  .replace("%1", str(trainer.device)).replace("%2", f"{images:,}")
                  .replace("%3", str(config.epochs)).replace("%4", str(config.batch_size))
                  .replace("%5", optimiser).replace("%6", f"{config.lr:g}")
                  .replace("%7", config.schedule).replace("%8", config.loss)
                  .replace("%9", self.tr(", augmented") if config.augment else ""))
        self._log(self.tr("    checkpoint saved after every epoch to %s") % trainer.checkpoint_path)

        worker = Job(lambda control: grouped_events(trainer), "training",
                     on_cancel=lambda: trainer.stop(evaluate=False))
        # Bound slots of this GUI-thread object: Qt queues the events to the GUI thread.
        worker.yielded.connect(self._on_events)
        worker.failed.connect(lambda message: self._on_ended(Failed(message)))
        worker.finished.connect(self._on_worker_finished)
        self._running = True
        self._stopping = False
        self.pause_button.setChecked(False)
        self._update_controls()
        self._clock.start()
        self._timer.start()
        self.jobs.start(worker)

    # --- controls while running ---------------------------------------------------------

    @Slot(bool)
    def _on_pause_toggled(self, paused: bool) -> None:
        self.pause_button.setText(self.tr("Res&ume") if paused else self.tr("&Pause"))
        self.pause_button.setAccessibleName(self.tr("Resume") if paused else self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("Continue training") if paused else
                                     self.tr("Pause after the current batch; press again to resume"))
        if self.trainer is None or not self._running:
            return
        if paused:
            self.trainer.pause()
        else:
            self.trainer.resume()
        self._on_tick()

    @Slot()
    def _on_stop(self) -> None:
        if self.trainer is None or not self._running:
            return
        self.trainer.stop()
        self._stopping = True
        self._update_controls()
        self.progress_bar.setFormat(self.tr("Stopping — testing the weights learned so far…"))

    # --- events from the worker (keep these O(1): one arrives per batch) -----------------

    @Slot(object)
    def _on_events(self, event) -> None:
        if isinstance(event, list):
            self._on_batches(event)
        elif isinstance(event, EpochEnd):
            self._on_epoch_end(event)
        else:
            self._on_ended(event)

    def _on_batches(self, events: list[BatchProgress]) -> None:
        if self._last_batch is None:
            first = events[0]
            self.loss_chart.begin_run((first.epoch - 1), first.epochs, first.steps_per_epoch)
        for event in events:
            self.loss_chart.add_batch(event.global_step / event.steps_per_epoch, event.loss)
        self._last_batch = events[-1]

    @Slot(object)
    def _on_epoch_end(self, event: EpochEnd) -> None:
        self._last_epoch = event
        self.accuracy_chart.add_epoch(event.epoch, event.train_accuracy, event.test_accuracy)
        self._log(self.tr("Epoch %1/%2  train loss %3  acc %4  |  test loss %5  acc %6  |  %7 s  %8 img/s")
                  .replace("%1", f"{event.epoch:>{len(str(event.epochs))}}")
                  .replace("%2", str(event.epochs))
                  .replace("%3", f"{event.train_loss:.4f}")
                  .replace("%4", f"{event.train_accuracy * 100:6.2f}%")
                  .replace("%5", f"{event.test_loss:.4f}")
                  .replace("%6", f"{event.test_accuracy * 100:6.2f}%")
                  .replace("%7", f"{event.train_seconds:.1f}")
                  .replace("%8", f"{event.images_per_second:,.0f}"))

    @Slot(object)
    def _on_ended(self, event: TrainingEvent) -> None:
        self.ended_event = event
        self._show_progress(self._last_batch)
        self._show_stats(self._last_batch)
        self.eta_label.setText(self.tr("ETA <b>–</b>"))
        if self.trainer is not None:
            self.result_model = self.trainer.trained_model()
        self._show_result(event)

    @Slot()
    def _on_worker_finished(self) -> None:
        self._running = False
        self._stopping = False
        self._timer.stop()
        self.loss_chart.refresh()
        self.accuracy_chart.refresh()
        if self.ended_event is None:  # the worker always reports an end; be safe anyway
            self._show_result(Failed(self.tr("training ended without a result")))
        self.pause_button.setChecked(False)
        self._update_controls()

    # --- showing progress ---------------------------------------------------------------

    @Slot()
    def _on_tick(self) -> None:
        """Timer-rate redraw: charts in bulk, then the progress bar and the stat labels.

        Charts on a hidden tab are left dirty and catch up on the first tick after it shows.
        """
        if self.loss_chart.isVisible():
            self.loss_chart.refresh()
        if self.accuracy_chart.isVisible():
            self.accuracy_chart.refresh()
        if not self._running or self.ended_event is not None:
            return  # the result banner and the final progress text are already shown
        event = self._last_batch
        self._ticks += 1
        self._show_progress(event)
        if self._ticks % STATS_EVERY_TICKS == 1:
            self._show_stats(event)
        paused = self.trainer is not None and self.trainer.paused
        if event is None:
            position = self.tr("preparing the first batch")
        else:
            position = self._position(event)
        if self._stopping:
            text = self.tr("Stopping — testing the weights learned so far…")
        elif paused:
            text = self.tr("Paused — %s") % position
        elif event is None:
            text = self.tr("Starting — %s") % position
        elif event.step == event.steps_per_epoch and (
                self._last_epoch is None or self._last_epoch.epoch < event.epoch):
            text = self.tr("Epoch %1/%2 · testing on the test images…").replace(
                "%1", str(event.epoch)).replace("%2", str(event.epochs))
        else:
            text = position
        self.progress_bar.setFormat(text.replace("%", "%%"))
        if paused:
            self.eta_label.setText(self.tr("ETA <b>paused</b>"))
        elif event is not None:
            self.eta_label.setText(self.tr("ETA <b>%s</b>") % format_duration(event.eta_seconds))

    def _position(self, event: BatchProgress) -> str:
        return (self.tr("Epoch %1/%2 · batch %3/%4")
                .replace("%1", str(event.epoch)).replace("%2", str(event.epochs))
                .replace("%3", str(event.step)).replace("%4", str(event.steps_per_epoch)))

    def _show_progress(self, event: BatchProgress | None) -> None:
        if event is None:
            return
        total = event.steps_per_epoch * event.epochs
        if self.progress_bar.maximum() != total:
            self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(event.global_step)

    def _show_stats(self, event: BatchProgress | None) -> None:
        """Elapsed time, speed, loss and learning rate of the latest batch."""
        if self._clock.isValid():
            self.elapsed_label.setText(self.tr("Elapsed <b>%s</b>") %
                                       format_duration(self._clock.elapsed() / 1000))
        if event is None:
            return
        self.speed_label.setText(self.tr("<b>%s</b> images/s") % f"{event.images_per_second:,.0f}")
        self.loss_label.setText(self.tr("Loss <b>%1</b> · lr %2")
                                .replace("%1", f"{event.loss:.4g}").replace("%2", f"{event.lr:.3g}"))

    def _clear_stats(self) -> None:
        self.elapsed_label.setText(self.tr("Elapsed <b>–</b>"))
        self.eta_label.setText(self.tr("ETA <b>–</b>"))
        self.speed_label.setText(self.tr("<b>–</b> images/s"))
        self.loss_label.setText(self.tr("Loss <b>–</b>"))

    def _show_result(self, event: TrainingEvent) -> None:
        accuracy = self.result_model.test_accuracy if self.result_model is not None else None
        done = self._position(self._last_batch) if self._last_batch is not None else ""
        if isinstance(event, Finished):
            text = (self.tr("Finished: %1 test accuracy in %2")
                    .replace("%1", _percent(event.test_accuracy))
                    .replace("%2", format_duration(event.total_seconds)))
            self.result_banner.show_message("success", text, large=True)
            self.progress_bar.setFormat(self.tr("Finished — %s") % done.replace("%", "%%"))
            self._log(text)
        elif isinstance(event, Stopped):
            epochs = self.trainer.config.epochs if self.trainer is not None else event.epochs_trained
            text = (self.tr("Stopped after %1 of %2 epochs: %3 test accuracy with the weights "
                            "learned so far")
                    .replace("%1", str(event.epochs_trained)).replace("%2", str(epochs))
                    .replace("%3", _percent(accuracy)))
            self.result_banner.show_message("info", text, large=True)
            self.progress_bar.setFormat(self.tr("Stopped — %s") % done.replace("%", "%%"))
            self._log(event.message)
        elif isinstance(event, Diverged):
            message = event.message[:1].upper() + event.message[1:]
            text = message if message.endswith(".") else message + "."
            if accuracy is not None:
                text += " " + self.tr("The kept weights reach %s test accuracy.") % _percent(accuracy)
            text += " " + self.tr("Try a smaller learning rate.")
            self.result_banner.show_message("warning", text)
            self.progress_bar.setFormat(self.tr("Diverged — %s") % done.replace("%", "%%"))
            self._log(self.tr("Diverged: %s") % event.message)
        else:
            message = event.message if isinstance(event, Failed) else str(event)
            text = self.tr("Training failed: %s") % message
            self.result_banner.show_message("error", text)
            self.progress_bar.setFormat(self.tr("Failed"))
            self._log(text)
        self._update_controls()

    def _log(self, line: str) -> None:
        self.log.appendPlainText(line)

    def _update_controls(self) -> None:
        running = self._running
        available = self.dataset.available
        self.form.setEnabled(not running)
        self.start_button.setEnabled(not running and available)
        self.resume_button.setEnabled(not running and available)
        self.pause_button.setEnabled(running and not self._stopping)
        self.stop_button.setEnabled(running and not self._stopping)
        has_result = self.result_model is not None and not running
        self.use_button.setEnabled(has_result and self.active_model.model is not self.result_model)
        self.use_button.setText(self.tr("In use ✓") if has_result and not self.use_button.isEnabled()
                                else self.tr("Use th&is model"))
        self.save_button.setEnabled(has_result)
        if available:
            self.start_button.setToolTip(self.tr("Train a new network with the settings on the left"))
        else:
            self.start_button.setToolTip(self._dataset_reason())

    # --- result actions -----------------------------------------------------------------

    @Slot()
    def _on_use_model(self) -> None:
        if self.result_model is None:
            return
        self.active_model.set_model(self.result_model)
        self._log(self.tr("The Draw and Dataset tabs now use this model (%s).")
                  % self.result_model.describe())

    def default_save_path(self) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        model = self.result_model
        name = model.architecture if model is not None else "model"
        if model is not None and model.test_accuracy is not None:
            name += f"-{model.test_accuracy * 100:.2f}"
        return Path(folder or Path.home()) / f"{name}.pt"

    @Slot()
    def _on_save_model(self) -> None:
        if self.result_model is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save trained model"),
                                              str(self.default_save_path()), self._model_filter())
        if path:
            self.save_result(path)

    def save_result(self, path: str | Path) -> bool:
        if self.result_model is None:
            return False
        try:
            saved = save_model(path, self.result_model)
        except CheckpointError as exc:
            QMessageBox.warning(self, self.tr("Cannot save model"), str(exc))
            return False
        self._log(self.tr("Saved the model to %s") % saved)
        return True

    # --- following shared state ---------------------------------------------------------

    def _dataset_reason(self) -> str:
        if self.dataset.loading:
            return self.tr("Loading MNIST… Training can start as soon as it is read.")
        if self.dataset.error:
            return self.tr("Training needs the MNIST images: %s") % self.dataset.error
        return self.tr("Training needs the MNIST images, which are not loaded.")

    @Slot()
    def _on_dataset_changed(self) -> None:
        if self.dataset.available:
            self.dataset_banner.hide()
        else:
            self.dataset_banner.show_message("info" if self.dataset.loading else "warning",
                                             self._dataset_reason())
        self._update_controls()

    @Slot(bool)
    def _on_loading_changed(self, loading: bool) -> None:
        self._on_dataset_changed()

    @Slot(object)
    def _on_active_model_changed(self, model: TrainedModel) -> None:
        self._update_controls()

    @Slot(bool)
    def _on_log_scale_toggled(self, on: bool) -> None:
        self.loss_chart.set_log_scale(on)
