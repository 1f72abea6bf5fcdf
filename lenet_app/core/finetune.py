"""Fine-tuning on the user's own digits: which of them are held out, how they join each batch,
and the before/after scores that say whether it helped without forgetting MNIST.

The held-out part is chosen by a hash of each digit's pixels, not by a random draw: adding,
removing or relabelling digits never moves an old one between the parts, so "after" is always
measured on digits the network was never trained on, run after run.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.config import TrainingError
from lenet_app.core.evaluation import evaluate
from lenet_app.core.i18n import _, ngettext
from lenet_app.core.mnist import MnistSplit
from lenet_app.core.models import create_model

__all__ = [
    "FINETUNE_RECIPE", "HELDOUT_FRACTION", "MIN_OWN_DIGITS", "Finetune", "FinetuneScores", "OwnDigitBatches", "check_own_digits",
    "finetune_metadata", "finetune_scores", "holdout", "own_per_batch", "start_weights",
]

#: The share of the user's digits kept out of training to measure the fine-tune on.
HELDOUT_FRACTION = 0.2
#: Fewer digits than this teach the network nothing it can keep, and leave nothing to measure.
MIN_OWN_DIGITS = 10
#: The settings a fine-tune of a trained model wants instead of the from-scratch recipe: one
#: epoch at a low learning rate, digits distorted, and no label smoothing (the shipped model was
#: trained without it; changing the loss moves every answer and costs MNIST accuracy).
FINETUNE_RECIPE = {"epochs": 1, "lr": 0.001, "augment": True, "label_smoothing": 0.0}


def _heldout_mask(images: np.ndarray, fraction: float) -> np.ndarray:
    """True for the digits whose pixels hash into the lowest `fraction` of the hash range."""
    mask = np.zeros(len(images), dtype=bool)
    for i, image in enumerate(images):
        digest = hashlib.blake2b(np.ascontiguousarray(image, dtype=np.uint8).tobytes(), digest_size=8)
        mask[i] = int.from_bytes(digest.digest(), "big") / 2**64 < fraction
    return mask


def holdout(split: MnistSplit, fraction: float = HELDOUT_FRACTION) -> tuple[MnistSplit, MnistSplit]:
    """(train part, held-out part) of the user's digits, each digit's part fixed by its pixels.

    About `fraction` of the digits are held out; with few digits the held-out part may be empty
    (the before/after report says so). Identical pixels always land in the same part, so a
    duplicate can never be trained on and measured at once.
    """
    mask = _heldout_mask(split.images, fraction)
    train = MnistSplit(split.name, split.images[~mask], split.labels[~mask])
    heldout = MnistSplit(split.name, split.images[mask], split.labels[mask])
    return train, heldout


@dataclass(frozen=True)
class FinetuneScores:
    """Accuracy (0–1) on MNIST test and on the held-out own digits (None: none held out)."""

    mnist_test: float
    own_heldout: float | None
    own_heldout_count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def finetune_scores(module: nn.Module, mnist_test: MnistSplit, own_heldout: MnistSplit) -> FinetuneScores:
    """Both accuracies of `module` as it is now (evaluation restores its train/eval mode)."""
    mnist = evaluate(module, mnist_test).accuracy if len(mnist_test) else float("nan")
    own = evaluate(module, own_heldout).accuracy if len(own_heldout) else None
    return FinetuneScores(mnist, own, len(own_heldout))


def finetune_metadata(init_from: TrainedModel | None, own_train: MnistSplit | None,
                      own_heldout: MnistSplit | None, before: FinetuneScores | None,
                      after: FinetuneScores | None) -> dict[str, Any]:
    """What a fine-tuned checkpoint records about its origin: the model it started from, how
    many own digits it trained on and was measured on, and the scores before and after."""
    origin = None
    if init_from is not None:
        origin = str(init_from.path) if init_from.path is not None else init_from.architecture
    return {"from": origin,
            "from_test_accuracy": None if init_from is None else init_from.test_accuracy,
            "own_train_count": 0 if own_train is None else len(own_train),
            "own_heldout_count": 0 if own_heldout is None else len(own_heldout),
            "before": None if before is None else before.to_dict(),
            "after": None if after is None else after.to_dict()}


def check_own_digits(own_digits: MnistSplit, own_train: MnistSplit) -> None:
    """TrainingError, in words the user can act on, when there is too little to fine-tune on."""
    if not len(own_digits):
        raise TrainingError(_("there are no digits of your own yet: save some drawings as your digits (or use "
                              "'lenet-app my-digits add') before fine-tuning"))
    if len(own_digits) < MIN_OWN_DIGITS:
        raise TrainingError(ngettext("fine-tuning needs at least {minimum} digits of your own; there is only {count}",
                                     "fine-tuning needs at least {minimum} digits of your own; there are only {count}",
                                     len(own_digits)).format(minimum=MIN_OWN_DIGITS, count=len(own_digits)))
    if not len(own_train):
        raise TrainingError(_("all {count} of your digits fell into the held-out part; add a few more so that "
                              "some are left to train on").format(count=len(own_digits)))


def start_weights(init_from: TrainedModel, architecture: str) -> nn.Module:
    """A fresh copy of `init_from`'s network to train (on the CPU, in train mode): the caller's
    model, which the app may be using to read digits, is never changed."""
    if init_from.architecture != architecture:
        raise TrainingError(_("the model to fine-tune is a {model}, but the run is set up for {architecture}: "
                              "choose the same architecture").format(model=init_from.architecture,
                                                                     architecture=architecture))
    module = create_model(architecture)
    module.load_state_dict({k: v.detach().to("cpu").clone() for k, v in init_from.module.state_dict().items()})
    module.train()
    return module


def own_per_batch(share: float, batch_size: int) -> int:
    """How many own digits each batch holds: round(share × batch), leaving at least one MNIST
    image whenever the batch has room for two."""
    return min(round(share * batch_size), max(batch_size - 1, 0)) if batch_size > 1 else 0


class OwnDigitBatches:
    """The own digits' train part on the training device (uint8, like MNIST), drawn with
    replacement into every batch so that they are a fixed share however few they are."""

    def __init__(self, own_train: MnistSplit, share: float, batch_size: int, device: torch.device) -> None:
        self.per_batch = own_per_batch(share, batch_size)
        self.images = torch.from_numpy(np.ascontiguousarray(own_train.images, dtype=np.uint8)).to(device)
        self.labels = torch.from_numpy(own_train.labels.astype(np.int64)).to(device)

    def mix(self, images: torch.Tensor, labels: torch.Tensor,
            generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """The MNIST part of a batch with `per_batch` own digits appended (uint8 images)."""
        if not self.per_batch:
            return images, labels
        index = torch.randint(len(self.labels), (self.per_batch,), generator=generator).to(self.images.device)
        return torch.cat([images, self.images[index]]), torch.cat([labels, self.labels[index]])


class Finetune:
    """What a `Trainer` needs to fine-tune: the model it starts from (None: fresh weights), the
    own digits split into their parts, and the scores before and after."""

    def __init__(self, init_from: TrainedModel | None, own_digits: MnistSplit | None) -> None:
        self.init_from, self.own_digits = init_from, own_digits
        self.own_train: MnistSplit | None = None
        self.own_heldout: MnistSplit | None = None
        self.before: FinetuneScores | None = None
        self.after: FinetuneScores | None = None

    def prepare(self) -> None:
        """Split the own digits; TrainingError when there are too few to fine-tune on."""
        if self.own_digits is not None:
            self.own_train, self.own_heldout = holdout(self.own_digits)
            check_own_digits(self.own_digits, self.own_train)

    def batches(self, share: float, batch_size: int, device: torch.device) -> OwnDigitBatches | None:
        """The own digits on the device for every batch; None without own digits."""
        return None if self.own_train is None else OwnDigitBatches(self.own_train, share, batch_size, device)

    def score(self, module: nn.Module, mnist_test: MnistSplit) -> FinetuneScores:
        """The scores now: the first call's are `before`, every later one's `after`."""
        assert self.own_heldout is not None
        scores = finetune_scores(module, mnist_test, self.own_heldout)
        if self.before is None:
            self.before = scores
        else:
            self.after = scores
        return scores

    def metadata(self) -> dict[str, Any]:
        return finetune_metadata(self.init_from, self.own_train, self.own_heldout, self.before, self.after)
