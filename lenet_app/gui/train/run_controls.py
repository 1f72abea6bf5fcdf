"""Start, Pause, Stop and Resume, the progress bar and the live numbers of a training run."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from lenet_app.core.formatting import format_duration
from lenet_app.core.training import BatchProgress, Diverged, Finished, Stopped, TrainingEvent
from lenet_app.gui.language import Retranslating
from lenet_app.gui.style import bold_font
from lenet_app.gui.text import arg, format_count
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.widgets import StatLabel, named

#: Numbers that change 10 times a second cannot be read: the stat labels follow every third tick.
STATS_EVERY_TICKS = 3
STAT_SPACING = 18


class RunControls(Retranslating, QWidget):
    """The buttons that drive a `TrainingRun` and the progress it reports, redrawn on its ticks.

    Start and Resume need the form and a file dialog, so they are signals for the tab; Pause
    and Stop act on the run directly.
    """

    start_requested = Signal()
    resume_requested = Signal()
    finetune_requested = Signal()

    def __init__(self, run: TrainingRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self._ready = False
        self._not_ready_reason = ""
        self._finetune_ready = False
        self._finetune_tip = ""
        self._ticks = 0
        self._before_start: tuple[int, int, Callable[[], str]] | None = None
        self._shown: dict[QWidget, Callable[[], str]] = {}  # each stat's and the bar's text, to redo

        self.start_button = QPushButton()
        self.start_button.setObjectName("startTrainingButton")
        self.start_button.setFont(bold_font(self.start_button.font()))
        self.start_button.setDefault(True)
        self.pause_button = QPushButton()
        self.pause_button.setObjectName("pauseTrainingButton")
        self.pause_button.setCheckable(True)
        self.stop_button = QPushButton()
        self.stop_button.setObjectName("stopTrainingButton")
        self.resume_button = QPushButton()
        self.resume_button.setObjectName("resumeCheckpointButton")
        self.finetune_button = QPushButton()
        self.finetune_button.setObjectName("finetuneButton")
        self.finetune_button.hide()  # shown by a tab that has the user's digits (set_finetune_ready)
        self.start_button.clicked.connect(self.start_requested)
        self.finetune_button.clicked.connect(self.finetune_requested)
        self.resume_button.clicked.connect(self.resume_requested)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.stop_button.clicked.connect(self._on_stop_clicked)

        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("trainingProgressBar")
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._set_progress(1, 0, lambda: self.tr("Not started"))

        self.elapsed_label = self._stat("elapsedLabel")
        self.eta_label = self._stat("etaLabel")
        self.speed_label = self._stat("speedLabel")
        self.loss_label = self._stat("currentLossLabel")
        self._clear_stats()
        self._lay_out()

        run.starting.connect(self._on_starting)
        run.prepared.connect(self._on_prepared)
        run.tick.connect(self._on_tick)
        run.changed.connect(self._on_run_changed)
        run.ended.connect(self._on_ended)
        run.refused.connect(self._on_refused)
        self.retranslate()

    def retranslate(self) -> None:
        """The buttons' and stats' names and tooltips, and what the bar and the stats show now
        (the values they showed, not the clock's later ones)."""
        named(self.start_button, "startTrainingButton", self.tr("Start training"), self._start_tip())
        self.start_button.setText(self.tr("Start trai&ning"))
        self._show_pause_texts(self.pause_button.isChecked())
        named(self.stop_button, "stopTrainingButton", self.tr("Stop"),
              self.tr("End the run now and keep the weights learned so far"))
        self.stop_button.setText(self.tr("St&op"))
        named(self.resume_button, "resumeCheckpointButton", self.tr("Resume from checkpoint"),
              self.tr("Continue an earlier run from its checkpoint file (saved after every epoch).\n"
                      "Set Epochs to the new total, e.g. 10 to continue a 5-epoch run for 5 more."))
        self.resume_button.setText(self.tr("Resume from chec&kpoint…"))
        self.finetune_button.setText(self.tr("Fine-tune on m&y digits"))
        self.finetune_button.setAccessibleName(self.tr("Fine-tune on my digits"))
        named(self.progress_bar, "trainingProgressBar", self.tr("Training progress"),
              self.tr("Batches trained out of the whole run"))
        named(self.elapsed_label, "elapsedLabel", self.tr("Elapsed time"),
              self.tr("Wall-clock time since the run started, pauses included"))
        named(self.eta_label, "etaLabel", self.tr("Estimated time left"),
              self.tr("Estimated time until the last epoch ends, from the current speed"))
        named(self.speed_label, "speedLabel", self.tr("Training speed"),
              self.tr("Training images processed per second"))
        named(self.loss_label, "currentLossLabel", self.tr("Current loss and learning rate"),
              self.tr("Loss on the latest batch and the learning rate used for it (the schedule "
                      "changes it during the run)"))
        for widget, render in self._shown.items():
            self._put(widget, render())
        self._on_run_changed()  # the tooltips that depend on the state

    def _stat(self, name: str) -> StatLabel:
        label = StatLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _show(self, widget: QWidget, render: Callable[[], str]) -> None:
        """Show `render()` in a stat label or as the progress bar's text, and keep `render` to
        show the same value again in another language."""
        self._shown[widget] = render
        self._put(widget, render())

    def _put(self, widget: QWidget, text: str) -> None:
        if widget is self.progress_bar:
            self.progress_bar.setFormat(text.replace("%", "%%"))  # the bar reads %p, %v, %m
        else:
            widget.setText(text)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.start_button, self.finetune_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.resume_button)
        stats = QHBoxLayout()
        for label in (self.elapsed_label, self.eta_label, self.speed_label, self.loss_label):
            stats.addWidget(label)
            stats.addSpacing(STAT_SPACING)
        stats.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addLayout(stats)

    def set_ready(self, ready: bool, reason: str = "") -> None:
        """Whether a run can start (MNIST is loaded); `reason` says why not, in the tooltip."""
        self._ready, self._not_ready_reason = ready, reason
        self._on_run_changed()

    def set_finetune_ready(self, ready: bool, tip: str) -> None:
        """Show *Fine-tune on my digits*: whether it can start (with MNIST), and its tooltip
        (what it does, or why it cannot)."""
        self._finetune_ready, self._finetune_tip = ready, tip
        self.finetune_button.show()
        self._on_run_changed()

    def _start_tip(self) -> str:
        return self.tr("Train a new network with the settings on the left")

    # --- following the run ----------------------------------------------------------------

    @Slot()
    def _on_run_changed(self) -> None:
        run = self.run
        idle = not run.running
        self.start_button.setEnabled(idle and self._ready)
        self.resume_button.setEnabled(idle and self._ready)
        self.finetune_button.setEnabled(idle and self._ready and self._finetune_ready)
        self.finetune_button.setToolTip(self._finetune_tip if self._ready or not self._finetune_ready
                                        else self._not_ready_reason)
        self.pause_button.setEnabled(run.running and not run.stopping)
        self.stop_button.setEnabled(run.running and not run.stopping)
        self.start_button.setToolTip(self._start_tip() if self._ready else self._not_ready_reason)
        if idle:
            self.pause_button.setChecked(False)
        elif run.stopping:
            self._show(self.progress_bar, lambda: self.tr("Stopping — testing the weights learned so far…"))
        else:
            self._show_status()

    @Slot()
    def _on_starting(self) -> None:
        bar = self.progress_bar
        self._before_start = (bar.maximum(), bar.value(), self._shown[bar])
        self._ticks = 0
        self.pause_button.setChecked(False)
        self._clear_stats()
        self._set_progress(1, 0, lambda: self.tr("Starting…"))

    @Slot(object)
    def _on_prepared(self, prepared) -> None:
        self._before_start = None
        self._set_progress(1, 0, lambda: self.tr("Starting…"))

    @Slot(str)
    def _on_refused(self, reason: str) -> None:
        if self._before_start is not None:
            self._clear_stats()
            self._set_progress(*self._before_start)

    @Slot(bool)
    def _on_pause_toggled(self, paused: bool) -> None:
        self._show_pause_texts(paused)
        self.run.set_paused(paused)

    def _show_pause_texts(self, paused: bool) -> None:
        """Pause, or Resume while the run is paused."""
        self.pause_button.setText(self.tr("Res&ume") if paused else self.tr("&Pause"))
        self.pause_button.setAccessibleName(self.tr("Resume") if paused else self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("Continue training") if paused else
                                     self.tr("Pause after the current batch; press again to resume"))

    @Slot()
    def _on_stop_clicked(self) -> None:
        self.run.stop()

    @Slot()
    def _on_tick(self) -> None:
        """The progress bar on every tick, the stat labels on every third."""
        run = self.run
        if not run.running or run.ended_event is not None:
            return  # the final progress text is already shown
        self._ticks += 1
        self._show_progress(run.last_batch)
        if self._ticks % STATS_EVERY_TICKS == 1:
            self._show_stats(run.last_batch)
        self._show_status()

    @Slot(object)
    def _on_ended(self, event: TrainingEvent) -> None:
        batch = self.run.last_batch
        self._show_progress(batch)
        self._show_stats(batch)
        self._show(self.eta_label, lambda: self.tr("ETA <b>–</b>"))
        self._show(self.progress_bar, lambda: self._ending(event, batch))

    def _ending(self, event: TrainingEvent, batch: BatchProgress | None) -> str:
        """The progress bar's last text: how the run ended, and where."""
        done = self._position(batch) if batch is not None else ""
        if isinstance(event, Finished):
            return arg(self.tr("Finished — %1"), done)
        if isinstance(event, Stopped):
            return arg(self.tr("Stopped — %1"), done)
        if isinstance(event, Diverged):
            return arg(self.tr("Diverged — %1"), done)
        return self.tr("Failed")

    # --- drawing --------------------------------------------------------------------------

    def _show_status(self) -> None:
        """The progress bar's text and the time left: where the run is, or why it waits."""
        run = self.run
        if run.ended_event is not None or run.stopping:
            return
        event = run.last_batch
        paused = run.paused
        testing = event is not None and event.step == event.steps_per_epoch and (
            run.last_epoch is None or run.last_epoch.epoch < event.epoch)
        self._show(self.progress_bar, lambda: self._status(event, paused, testing))
        if paused:
            self._show(self.eta_label, lambda: self.tr("ETA <b>paused</b>"))
        elif event is not None:
            eta = event.eta_seconds
            self._show(self.eta_label, lambda: arg(self.tr("ETA <b>%1</b>"), format_duration(eta)))

    def _status(self, event: BatchProgress | None, paused: bool, testing: bool) -> str:
        """Where a running run is: `testing` once an epoch's last batch waits for the test."""
        position = self.tr("preparing the first batch") if event is None else self._position(event)
        if paused:
            return arg(self.tr("Paused — %1"), position)
        if event is None:
            return arg(self.tr("Starting — %1"), position)
        if testing:
            return arg(self.tr("Epoch %1/%2 · testing on the test images…"), event.epoch, event.epochs)
        return position

    def _position(self, event: BatchProgress) -> str:
        return arg(self.tr("Epoch %1/%2 · batch %3/%4"), event.epoch, event.epochs, event.step,
                   event.steps_per_epoch)

    def _set_progress(self, maximum: int, value: int, render: Callable[[], str]) -> None:
        self.progress_bar.setRange(0, maximum)
        self.progress_bar.setValue(value)
        self._show(self.progress_bar, render)

    def _show_progress(self, event: BatchProgress | None) -> None:
        if event is None:
            return
        total = event.steps_per_epoch * event.epochs
        if self.progress_bar.maximum() != total:
            self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(event.global_step)

    def _show_stats(self, event: BatchProgress | None) -> None:
        """Elapsed time, speed, loss and learning rate of the latest batch."""
        if self.run.clock.isValid():
            elapsed = self.run.clock.elapsed() / 1000
            self._show(self.elapsed_label, lambda: arg(self.tr("Elapsed <b>%1</b>"), format_duration(elapsed)))
        if event is None:
            return
        self._show(self.speed_label, lambda: arg(self.tr("<b>%1</b> images/s"),
                                                 format_count(round(event.images_per_second))))
        self._show(self.loss_label, lambda: arg(self.tr("Loss <b>%1</b> · lr %2"), f"{event.loss:.4g}",
                                                f"{event.lr:.3g}"))

    def _clear_stats(self) -> None:
        self._show(self.elapsed_label, lambda: self.tr("Elapsed <b>–</b>"))
        self._show(self.eta_label, lambda: self.tr("ETA <b>–</b>"))
        self._show(self.speed_label, lambda: self.tr("<b>–</b> images/s"))
        self._show(self.loss_label, lambda: self.tr("Loss <b>–</b>"))
