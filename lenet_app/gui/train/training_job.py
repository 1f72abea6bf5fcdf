"""The thread side of a training run: the `Job` that prepares and runs a core `Trainer`.

Everything slow happens here, off the GUI thread: reading and hashing a checkpoint to resume
from, choosing the device (which creates the CUDA context on a GPU), moving the model there,
and the training itself. The Trainer is created on the GUI thread (that is cheap) so that
Pause and Stop reach it from the first click, even while it is still being prepared.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from lenet_app.core.config import TrainConfig
from lenet_app.core.mnist import user_data_dir
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


def runs_dir() -> Path:
    """The per-user folder that holds every run's checkpoint."""
    return user_data_dir() / "runs"


def new_checkpoint_path(folder: Path, architecture: str) -> Path:
    """A fresh per-run file name in `folder` (which must exist): never an earlier run's file."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{architecture}-{stamp}.pt"
    counter = 2
    while path.exists():
        path = folder / f"{architecture}-{stamp}-{counter}.pt"
        counter += 1
    return path


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


def training_job(trainer: Trainer, runs_folder: Path) -> Job:
    """A job that yields `Prepared`, then the grouped events, the last one how the run ended.

    A problem found while preparing (an unusable checkpoint, a device this machine lacks)
    ends the job in `failed` before `Prepared`: the run never started. Cancelling (the window
    closes) stops the trainer without testing the weights learned so far.
    """

    def work(control: JobControl) -> Iterator[object]:
        trainer.prepare()
        if trainer.resume_from is not None:  # the architecture came from the checkpoint
            trainer.checkpoint_path = new_checkpoint_path(runs_folder, trainer.config.architecture)
        yield Prepared(trainer.config, str(trainer.device), len(trainer.train_split),
                       trainer.start_epoch, trainer.checkpoint_path, trainer.resume_from)
        yield from grouped_events(trainer)

    return Job(work, "training", on_cancel=lambda: trainer.stop(evaluate=False))
