"""The events a training run yields: small frozen dataclasses of plain values (a `Snapshot`
carries numpy copies), so that any thread may keep them and the CLI can print them as JSON lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from lenet_app.core.activations import Activations
from lenet_app.core.formatting import format_duration
from lenet_app.core.mnist import MnistSplit

__all__ = [
    "SNAPSHOT_DIGIT_INDEX", "BatchProgress", "Diverged", "EpochEnd", "Failed", "Finished", "Snapshot", "Stopped",
    "TrainingEvent", "describe_batch", "describe_epoch", "fixed_test_digit",
]

#: The test image whose activations `Snapshot`s carry: MNIST's first test image, a clear 7.
SNAPSHOT_DIGIT_INDEX = 0


@dataclass(frozen=True)
class TrainingEvent:
    def to_dict(self) -> dict[str, Any]:
        return {"event": self.kind, **asdict(self)}

    kind = "event"


@dataclass(frozen=True)
class BatchProgress(TrainingEvent):
    kind = "batch"
    epoch: int
    epochs: int
    step: int
    steps_per_epoch: int
    global_step: int
    loss: float
    lr: float
    images_per_second: float
    elapsed_seconds: float
    eta_seconds: float


@dataclass(frozen=True)
class EpochEnd(TrainingEvent):
    kind = "epoch_end"
    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    train_seconds: float
    epoch_seconds: float
    images_per_second: float
    checkpoint: str | None = None


@dataclass(frozen=True)
class Snapshot(TrainingEvent):
    """The network as it is at this step, seen through one fixed digit: every layer's output for
    it and every convolution's kernels (numpy copies, so any thread may keep them).

    `step` counts the batches done in `epoch` (0: before its first; `steps_per_epoch`: the
    epoch's end, after its test evaluation).
    """

    kind = "snapshot"
    epoch: int
    epochs: int
    step: int
    steps_per_epoch: int
    global_step: int
    activations: Activations

    @property
    def prediction(self) -> int:
        """The digit the network reads in the fixed digit now."""
        return int(np.argmax(self.activations.logits))

    def to_dict(self) -> dict[str, Any]:
        """The step and the logits: the feature maps and kernels stay out of a JSON line."""
        return {"event": self.kind, "epoch": self.epoch, "epochs": self.epochs, "step": self.step,
                "steps_per_epoch": self.steps_per_epoch, "global_step": self.global_step,
                "logits": [float(v) for v in self.activations.logits], "prediction": self.prediction}


@dataclass(frozen=True)
class Finished(TrainingEvent):
    kind = "finished"
    epochs_trained: int
    test_accuracy: float
    train_seconds: float
    total_seconds: float


@dataclass(frozen=True)
class Stopped(TrainingEvent):
    kind = "stopped"
    epochs_trained: int
    message: str


@dataclass(frozen=True)
class Diverged(TrainingEvent):
    kind = "diverged"
    epoch: int
    step: int
    message: str


@dataclass(frozen=True)
class Failed(TrainingEvent):
    kind = "failed"
    message: str


def describe_batch(event: BatchProgress) -> str:
    """The live progress line of `lenet-app train`."""
    return (f"epoch {event.epoch}/{event.epochs} batch {event.step}/{event.steps_per_epoch} "
            f"loss {event.loss:.4f} lr {event.lr:.2e} {event.images_per_second:,.0f} img/s "
            f"ETA {format_duration(event.eta_seconds)}")


def describe_epoch(event: EpochEnd) -> str:
    """The one line per finished epoch that the CLI prints and the Train tab logs."""
    return (f"epoch {event.epoch}/{event.epochs}: train loss {event.train_loss:.4f} "
            f"acc {event.train_accuracy * 100:.2f}% | test loss {event.test_loss:.4f} "
            f"acc {event.test_accuracy * 100:.2f}% | {event.train_seconds:.1f} s "
            f"({event.images_per_second:,.0f} img/s)")


def fixed_test_digit(test: MnistSplit) -> tuple[np.ndarray, int] | None:
    """The 28×28 uint8 pixels and label of the digit snapshots follow (None: no test images)."""
    if len(test) <= SNAPSHOT_DIGIT_INDEX:
        return None
    return test.images[SNAPSHOT_DIGIT_INDEX], int(test.labels[SNAPSHOT_DIGIT_INDEX])
