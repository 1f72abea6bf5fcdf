"""Shared application state that every tab follows through signals.

There is exactly one `ActiveModel`, one `DatasetState` and one `MyDigitsState` per main window;
views receive them in their constructor instead of reaching for globals.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from lenet_app.core import load_model
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.mnist import MnistSplit, find_mnist_dir, load_mnist, require_mnist_dir
from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.jobs import Job, JobRunner
from lenet_app.gui.my_digits_state import MyDigitsState


class ActiveModel(QObject):
    """The model the Draw and Dataset tabs use; `changed` fires when it is replaced."""

    changed = Signal(object)  # TrainedModel
    loaded = Signal(str)  # a checkpoint file became the active model (its path)
    load_failed = Signal(str)  # a checkpoint file could not be used (why, for the user)

    def __init__(self, model: TrainedModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    @property
    def model(self) -> TrainedModel:
        return self._model

    def set_model(self, model: TrainedModel) -> None:
        self._model = model
        self.changed.emit(model)

    def load_async(self, jobs: JobRunner, path: str | os.PathLike) -> Job:
        """Read and verify a checkpoint on a job (hashing a big one takes a moment), then make
        it the active model and emit `loaded`; on failure the active model is unchanged and
        `load_failed` says why."""
        job = Job(lambda control: load_model(path), "load-model")
        job.succeeded.connect(self._on_loaded)
        job.failed.connect(self.load_failed)
        return jobs.start(job)

    @Slot(object)
    def _on_loaded(self, model: TrainedModel) -> None:
        self.set_model(model)
        self.loaded.emit(str(model.path))


class DatasetState(QObject):
    """MNIST as loaded for the app: found where the core looks, or where the user pointed.

    `changed` fires when the splits are loaded or unloaded; `splits` is empty while MNIST is
    missing, and `error` then says why in words a user can act on.

    With `my_digits`, the user's own digits are a third split, MY_DIGITS_SPLIT, that `split()`
    returns beside MNIST's (even while MNIST is missing); `my_changed` fires when they change,
    so views re-read only that split.
    """

    changed = Signal()
    loading_changed = Signal(bool)
    my_changed = Signal()  # the user's own digits changed (split MY_DIGITS_SPLIT)

    def __init__(self, parent: QObject | None = None, my_digits: MyDigitsState | None = None) -> None:
        super().__init__(parent)
        self.loading = False
        self.directory: Path | None = None
        self.splits: dict[str, MnistSplit] = {}
        self.error: str | None = None
        self.my_digits = my_digits
        if my_digits is not None:
            my_digits.changed.connect(self.my_changed)

    @property
    def available(self) -> bool:
        return bool(self.splits)

    def split(self, name: str) -> MnistSplit | None:
        if name == MY_DIGITS_SPLIT:
            return None if self.my_digits is None else self.my_digits.split()
        return self.splits.get(name)

    def split_sizes(self) -> dict[str, int]:
        """How many images each split holds: MNIST's as loaded, and the user's own digits when
        this state has them (counted from their manifest, without reading the images)."""
        sizes = {name: len(split) for name, split in self.splits.items()}
        if self.my_digits is not None:
            sizes[MY_DIGITS_SPLIT] = len(self.my_digits)
        return sizes

    @staticmethod
    def locate(explicit: str | os.PathLike | None = None) -> Path | None:
        return find_mnist_dir(explicit)

    @staticmethod
    def read(explicit: str | os.PathLike | None = None) -> tuple[Path, dict[str, MnistSplit]]:
        """Find and read both splits; slow (about a second), so call it on a worker."""
        directory = require_mnist_dir(explicit)
        return directory, load_mnist(directory)

    def set_loaded(self, directory: Path, splits: dict[str, MnistSplit]) -> None:
        self.directory, self.splits, self.error = directory, dict(splits), None
        self._finish_loading()
        self.changed.emit()

    def _finish_loading(self) -> None:
        if self.loading:
            self.loading = False
            self.loading_changed.emit(False)

    def load_async(self, jobs: JobRunner, explicit: str | os.PathLike | None = None) -> Job:
        """Read MNIST on a job; `changed` follows (with `splits` filled, or `error` set)."""
        job = Job(lambda control: DatasetState.read(explicit), "load-mnist")
        job.succeeded.connect(self._on_read)
        job.failed.connect(self.set_missing)
        self.loading = True
        self.loading_changed.emit(True)
        return jobs.start(job)

    @Slot(object)
    def _on_read(self, result: tuple[Path, dict[str, MnistSplit]]) -> None:
        self.set_loaded(*result)

    def set_missing(self, message: str) -> None:
        self.directory, self.splits, self.error = None, {}, message
        self._finish_loading()
        self.changed.emit()

