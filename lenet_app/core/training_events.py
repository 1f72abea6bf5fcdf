"""The events a training run yields: small frozen dataclasses of plain values (a `Snapshot`
carries numpy copies), so that any thread may keep them and the CLI can print them as JSON lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from lenet_app.core.activations import Activations
from lenet_app.core.finetune import FinetuneScores
from lenet_app.core.formatting import display_width, format_duration, pad
from lenet_app.core.i18n import _, ngettext
from lenet_app.core.mnist import MnistSplit

__all__ = [
    "SNAPSHOT_DIGIT_INDEX", "BatchProgress", "Diverged", "EpochEnd", "Failed", "FinetuneEnd", "FinetuneStart",
    "Finished", "Snapshot", "Stopped", "TrainingEvent", "describe_batch", "describe_epoch", "describe_finetune",
    "describe_stopped",
    "describe_finetune_start", "fixed_test_digit",
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
class FinetuneStart(TrainingEvent):
    """A fine-tune's first event: the starting model's scores, and how many of the user's digits
    it trains on (the rest of them are held out to measure it)."""

    kind = "finetune_start"
    before: FinetuneScores
    own_train_count: int = 0


@dataclass(frozen=True)
class FinetuneEnd(TrainingEvent):
    """A fine-tune's scores before and after, just before its Finished or Stopped."""

    kind = "finetune_end"
    before: FinetuneScores
    after: FinetuneScores


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
    return _("epoch {epoch}/{epochs} batch {step}/{steps} loss {loss:.4f} lr {lr:.2e} {rate:,.0f} img/s "
             "ETA {eta}").format(epoch=event.epoch, epochs=event.epochs, step=event.step,
                                 steps=event.steps_per_epoch, loss=event.loss, lr=event.lr,
                                 rate=event.images_per_second, eta=format_duration(event.eta_seconds))


def describe_stopped(epochs_trained: int) -> str:
    """A stopped run's sentence (`Stopped.message`), in the language spoken now."""
    return ngettext(
        "stopped by the user after {epochs} complete epoch; the weights reached so far were kept",
        "stopped by the user after {epochs} complete epochs; the weights reached so far were kept",
        epochs_trained).format(epochs=epochs_trained)


def describe_epoch(event: EpochEnd) -> str:
    """The one line per finished epoch that the CLI prints and the Train tab logs."""
    return _("epoch {epoch}/{epochs}: train loss {train_loss:.4f} acc {train_accuracy:.2f}% | test loss "
             "{test_loss:.4f} acc {test_accuracy:.2f}% | {seconds:.1f} s ({rate:,.0f} img/s)").format(
        epoch=event.epoch, epochs=event.epochs, train_loss=event.train_loss,
        train_accuracy=event.train_accuracy * 100, test_loss=event.test_loss,
        test_accuracy=event.test_accuracy * 100, seconds=event.train_seconds, rate=event.images_per_second)


def _percent(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value * 100:.2f}%"


def _change(before: float | None, after: float | None) -> str:
    if before is None or after is None or before != before or after != after:
        return ""
    return _("{change:+.2f} points").format(change=(after - before) * 100)


def describe_finetune_start(event: FinetuneStart) -> str:
    """The line the CLI prints and the Train tab logs when a fine-tune starts."""
    before = event.before
    heldout = (_("{count} held out: {accuracy}").format(count=before.own_heldout_count,
                                                        accuracy=_percent(before.own_heldout))
               if before.own_heldout_count else _("none held out"))
    return _("Fine-tuning on {count} of my digits ({heldout}); MNIST test {accuracy} before").format(
        count=event.own_train_count, heldout=heldout, accuracy=_percent(before.mnist_test))


def describe_finetune(before: FinetuneScores, after: FinetuneScores) -> str:
    """The before/after table of a fine-tune: MNIST test (what must not be forgotten) and the
    held-out own digits (what should improve), with the change in percentage points."""
    rows = [("", _("before"), _("after"), _("change")),
            (_("MNIST test"), _percent(before.mnist_test), _percent(after.mnist_test),
             _change(before.mnist_test, after.mnist_test))]
    if after.own_heldout_count:
        rows.append((_("My digits, held out ({count})").format(count=after.own_heldout_count),
                     _percent(before.own_heldout), _percent(after.own_heldout),
                     _change(before.own_heldout, after.own_heldout)))
    widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join([pad(row[0], widths[0])] + [pad(cell, w, right=True) for cell, w in zip(row[1:], widths[1:])])
             .rstrip() for row in rows]
    if not after.own_heldout_count:
        lines.append(_("No digits of yours are held out yet: add more to measure the gain on them."))
    return "\n".join(lines)


def fixed_test_digit(test: MnistSplit) -> tuple[np.ndarray, int] | None:
    """The 28×28 uint8 pixels and label of the digit snapshots follow (None: no test images)."""
    if len(test) <= SNAPSHOT_DIGIT_INDEX:
        return None
    return test.images[SNAPSHOT_DIGIT_INDEX], int(test.labels[SNAPSHOT_DIGIT_INDEX])
