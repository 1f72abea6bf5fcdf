"""Evaluate a model on a whole split: probabilities, accuracy, confusion, mistakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lenet_app.core.errors import CancelCheck, raise_if_cancelled
from lenet_app.core.i18n import _
from lenet_app.core.memory import release_free_memory
from lenet_app.core.mnist import MnistSplit, normalize

NUM_CLASSES = 10


@dataclass(frozen=True)
class EvaluationResult:
    """Everything the Dataset tab and `lenet-app evaluate` show, as numpy arrays."""

    probabilities: np.ndarray  # (N, 10) float32
    predictions: np.ndarray  # (N,) int64
    labels: np.ndarray  # (N,) int64
    loss: float

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def confidences(self) -> np.ndarray:
        return self.probabilities[np.arange(len(self.predictions)), self.predictions]

    @property
    def correct(self) -> np.ndarray:
        return self.predictions == self.labels

    @property
    def accuracy(self) -> float:
        return float(self.correct.mean()) if len(self.labels) else 0.0

    @property
    def confusion(self) -> np.ndarray:
        """10x10 counts, rows = true label, columns = predicted label."""
        flat = self.labels * NUM_CLASSES + self.predictions
        return np.bincount(flat, minlength=NUM_CLASSES**2).reshape(NUM_CLASSES, NUM_CLASSES)

    @property
    def per_class_accuracy(self) -> np.ndarray:
        confusion = self.confusion
        totals = confusion.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, np.diag(confusion) / np.maximum(totals, 1), np.nan)

    def misclassified(self) -> np.ndarray:
        """Indices of the mistakes, the most confident mistakes first."""
        wrong = np.flatnonzero(~self.correct)
        order = np.argsort(-self.confidences[wrong], kind="stable")
        return wrong[order]


def model_device(model: nn.Module) -> torch.device:
    try:
        return next(model.parameters()).device
    except StopIteration:
        return torch.device("cpu")


@torch.inference_mode()
def evaluate_tensors(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelCheck | None = None,
) -> tuple[torch.Tensor, float]:
    """Probabilities (on the images' device) and mean cross-entropy for uint8 images.

    The model is put in eval mode for the pass and restored afterwards, so training can
    evaluate between epochs without side effects.
    """
    was_training = model.training
    model.eval()
    total = images.shape[0]
    probabilities = torch.empty((total, NUM_CLASSES), dtype=torch.float32, device=images.device)
    loss_sum = torch.zeros((), dtype=torch.float64, device=images.device)
    try:
        for start in range(0, total, batch_size):
            raise_if_cancelled(cancel, "evaluation cancelled")
            stop = min(start + batch_size, total)
            logits = model(normalize(images[start:stop])).float()
            loss_sum += F.cross_entropy(logits, labels[start:stop], reduction="sum").double()
            probabilities[start:stop] = logits.softmax(dim=1)
            if progress is not None:
                progress(stop, total)
    finally:
        model.train(was_training)
    return probabilities, (loss_sum / max(total, 1)).item()


def evaluate(
    model: nn.Module,
    split: MnistSplit,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelCheck | None = None,
) -> EvaluationResult:
    device = model_device(model)
    images = torch.from_numpy(split.images).to(device)
    labels = torch.from_numpy(split.labels.astype(np.int64)).to(device)
    try:
        probabilities, loss = evaluate_tensors(model, images, labels, batch_size, progress, cancel)
    finally:
        release_free_memory()
    probs = probabilities.cpu().numpy()
    return EvaluationResult(
        probabilities=probs,
        predictions=probs.argmax(axis=1).astype(np.int64),
        labels=split.labels.astype(np.int64),
        loss=loss,
    )


def format_report(result: EvaluationResult) -> str:
    """Accuracy, per-class accuracy and the confusion matrix as a text table."""
    lines = [_("Accuracy: {accuracy:.2f}% ({correct} of {total}), loss {loss:.4f}").format(
                 accuracy=result.accuracy * 100, correct=int(result.correct.sum()), total=len(result),
                 loss=result.loss),
             "", _("Per-class accuracy:")]
    per_class = result.per_class_accuracy
    # A class without examples (a user's own few digits) has no accuracy: a dash, not "nan%".
    lines.append("  " + "  ".join(f"{d}: {per_class[d] * 100:5.1f}%" if per_class[d] == per_class[d]
                                  else f"{d}:     – " for d in range(NUM_CLASSES)))
    lines += ["", _("Confusion matrix (rows: true label, columns: predicted):")]
    lines.append("      " + "".join(f"{d:>6}" for d in range(NUM_CLASSES)))
    for true, row in enumerate(result.confusion):
        lines.append(f"  {true:>2}  " + "".join(f"{count:>6}" for count in row))
    return "\n".join(lines)
