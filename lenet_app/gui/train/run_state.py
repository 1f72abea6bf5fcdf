"""The Train tab's state: the one run at a time, as its views see it."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal, Slot

from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.run_history import RunHistory
from lenet_app.core.training import (
    BatchProgress,
    EpochEnd,
    Failed,
    FinetuneEnd,
    FinetuneStart,
    Snapshot,
    Trainer,
    TrainingEvent,
)
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.train.training_job import Prepared, Recorded, training_job

#: 10 Hz: smooth to the eye while a chart repaint stays a small share of one core.
REFRESH_MS = 100


class TrainingRun(QObject):
    """Starts a run's job, keeps what the views need and re-emits the job's events as signals.

    Events only store data (one arrives per batch group, so their slots stay O(1)); `tick`,
    every REFRESH_MS while a run is on, is the tab's one redraw clock. So the GUI costs the
    same however fast the device trains, and a run is as fast as on the command line.
    """

    starting = Signal()  # start() was accepted: the job prepares the trainer
    prepared = Signal(object)  # Prepared: the recipe, device and checkpoint of the run
    batches = Signal(object)  # list[BatchProgress], in order
    epoch_ended = Signal(object)  # EpochEnd
    snapshot = Signal(object)  # Snapshot: the fixed test digit through the network as it is now
    finetune_started = Signal(object)  # FinetuneStart: a fine-tune's scores before it trains
    finetune_ended = Signal(object)  # FinetuneEnd: its scores before and after
    ended = Signal(object)  # Finished, Stopped, Diverged or Failed; `result_model` is set
    refused = Signal(str)  # preparing failed, so the run never started; the reason
    recorded = Signal(object)  # Recorded: the run's record is complete (after `ended`)
    changed = Signal()  # running, stopping or paused changed
    tick = Signal()  # every REFRESH_MS while running, and once when the run is over

    def __init__(self, jobs: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self.trainer: Trainer | None = None
        self.running = False
        self.stopping = False
        self.last_batch: BatchProgress | None = None
        self.last_epoch: EpochEnd | None = None
        self.last_snapshot: Snapshot | None = None
        self.ended_event: TrainingEvent | None = None
        self.finetune_event: FinetuneStart | FinetuneEnd | None = None  # the latest, of a fine-tune
        self.result_model: TrainedModel | None = None
        self.run_id = ""  # the run's id in the run history, once prepared
        self._prepared = False
        self._recorded = False
        self._refusal: str | None = None
        self.clock = QElapsedTimer()  # wall-clock time of the run, pauses included
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.tick)

    @property
    def paused(self) -> bool:
        return self.running and self.trainer is not None and self.trainer.paused

    def ticking(self) -> bool:
        return self._timer.isActive()

    def start(self, trainer: Trainer, history: RunHistory) -> None:
        """Prepare and run `trainer` on a job, kept in `history`; `prepared` or `refused` tells
        how it began."""
        job = training_job(trainer, history)
        # Bound slots of this GUI-thread object: Qt queues the job's signals to the GUI thread.
        job.yielded.connect(self._on_yielded)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self.trainer = trainer
        self.running, self.stopping = True, False
        self.last_batch = self.last_epoch = self.last_snapshot = self.ended_event = None
        self.finetune_event = None
        self.run_id = ""
        self._prepared, self._recorded, self._refusal = False, False, None
        self.clock.start()
        self._timer.start()
        self.starting.emit()
        self.changed.emit()
        self._jobs.start(job)

    def set_paused(self, paused: bool) -> None:
        if not self.running or self.trainer is None or paused == self.trainer.paused:
            return
        if paused:
            self.trainer.pause()
        else:
            self.trainer.resume()
        self.changed.emit()

    def stop(self) -> None:
        """End the run after the current batch; the weights learned so far are tested and kept."""
        if not self.running or self.stopping or self.trainer is None:
            return
        self.trainer.stop()
        self.stopping = True
        self.changed.emit()

    @Slot(object)
    def _on_yielded(self, item: object) -> None:
        if isinstance(item, Prepared):
            self._prepared = True
            self.run_id = item.run_id
            self.result_model = None  # kept until now, in case the run could not start
            self.prepared.emit(item)
        elif isinstance(item, Recorded):
            self._recorded = True
            self.recorded.emit(item)
        elif isinstance(item, list):
            self.last_batch = item[-1]
            self.batches.emit(item)
        elif isinstance(item, EpochEnd):
            self.last_epoch = item
            self.epoch_ended.emit(item)
        elif isinstance(item, Snapshot):
            self.last_snapshot = item
            self.snapshot.emit(item)
        elif isinstance(item, FinetuneStart):
            self.finetune_event = item
            self.finetune_started.emit(item)
        elif isinstance(item, FinetuneEnd):
            self.finetune_event = item
            self.finetune_ended.emit(item)
        else:
            self._end(item)  # type: ignore[arg-type]

    def _end(self, event: TrainingEvent) -> None:
        self.ended_event = event
        if self.trainer is not None:
            self.result_model = self.trainer.trained_model()
        self.ended.emit(event)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._prepared:
            self._end(Failed(message))
        else:
            self._refusal = message

    @Slot()
    def _on_finished(self) -> None:
        self.running = self.stopping = False
        self._timer.stop()
        if self._prepared and self.ended_event is None:  # the trainer always reports an end
            self._end(Failed(self.tr("training ended without a result")))
        if self._prepared and not self._recorded:  # the job failed: the recorder saved what it had
            self._recorded = True
            self.recorded.emit(Recorded(self.run_id, None))
        self.tick.emit()
        self.changed.emit()
        if self._refusal is not None:  # last, so that a dialog meets an idle tab
            self.refused.emit(self._refusal)
