"""The thread side of a training run: the `Job` that prepares and runs a core `Trainer`.

Everything slow happens here, off the GUI thread: reading and hashing a checkpoint to resume
from, choosing the device (which creates the CUDA context on a GPU), moving the model there,
and the training itself. The Trainer is created on the GUI thread (that is cheap) so that
Pause and Stop reach it from the first click, even while it is still being prepared.

Every run is kept in the run history exactly as the command line keeps it: once the trainer is
prepared (a resumed run's architecture comes from its checkpoint) the job names the run,
points its checkpoint beside its record (`runs/ID.pt`) and lets a `RunRecorder` write the record
from this thread as the events pass.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from lenet_app.core.config import TrainConfig
from lenet_app.core.run_history import RunHistory, RunRecorder, new_run_id
from lenet_app.core.training import BatchProgress, Trainer, TrainingEvent
from lenet_app.gui.jobs import Job, JobControl

#: Batch events reach the GUI in groups at most this often: a queued signal per batch would wake
#: the GUI thread hundreds of times a second, while the charts repaint at 10 Hz anyway.
BATCH_INTERVAL_S = 0.05


@dataclass(frozen=True)
class Prepared:
    """What the job yields once the trainer is ready, before the first batch: the recipe that
    really runs (a resumed run's comes from its checkpoint) and where it runs."""

    config: TrainConfig
    device: str
    images: int
    start_epoch: int
    checkpoint_path: Path | None
    resume_from: Path | None
    run_id: str  # the run's id in the run history


@dataclass(frozen=True)
class Recorded:
    """What the job yields last, after how the run ended: the run's record is complete on
    disk (or, `problem`, why the history could not keep all of it; the run itself went on)."""

    run_id: str
    problem: str | None


def grouped_events(trainer: Trainer) -> Iterator[TrainingEvent | list[BatchProgress]]:
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


def training_job(trainer: Trainer, history: RunHistory) -> Job:
    """A job that yields `Prepared`, then the grouped events, the last one how the run ended,
    then `Recorded`.

    A problem found while preparing (an unusable checkpoint, a device this machine lacks)
    ends the job in `failed` before `Prepared`: the run never started (and is not recorded).
    Cancelling (the window closes) stops the trainer without testing the weights learned so far.
    """

    def work(control: JobControl) -> Iterator[object]:
        trainer.prepare()
        recorder = RunRecorder(history, new_run_id(history.folder, trainer.config.architecture), "gui")
        trainer.checkpoint_path = recorder.checkpoint_path
        recorder.start(trainer)
        yield Prepared(trainer.config, str(trainer.device), len(trainer.train_split),
                       trainer.start_epoch, trainer.checkpoint_path, trainer.resume_from, recorder.run_id)
        yield from recorder.follow(grouped_events(trainer))
        yield Recorded(recorder.run_id, recorder.problem)

    return Job(work, "training", on_cancel=lambda: trainer.stop(evaluate=False))
