"""Two models' answers on the same images, side by side: who got which image right.

The Dataset tab compares the active model (A) with a second one (B) on the test set; this is
its arithmetic, numpy only: every image falls in exactly one of four outcomes (both right, only A
right, only B right, both wrong), and the two models agree when they read the same digit (which
includes reading the same wrong digit).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np


class Outcome(Enum):
    """Which of two models read an image right; the four outcomes split every set of images."""

    BOTH_RIGHT = "both-right"
    A_ONLY = "a-only"  # A right, B wrong
    B_ONLY = "b-only"  # A wrong, B right
    BOTH_WRONG = "both-wrong"


@dataclass(frozen=True)
class Agreement:
    """Per-image masks (bool arrays, one value per image) and the counts the summary shows."""

    a_right: np.ndarray
    b_right: np.ndarray
    same: np.ndarray  # both models read the same digit

    def __len__(self) -> int:
        return len(self.a_right)

    def mask(self, outcome: Outcome) -> np.ndarray:
        """The images with this outcome."""
        if outcome is Outcome.BOTH_RIGHT:
            return self.a_right & self.b_right
        if outcome is Outcome.A_ONLY:
            return self.a_right & ~self.b_right
        if outcome is Outcome.B_ONLY:
            return ~self.a_right & self.b_right
        return ~self.a_right & ~self.b_right

    def count(self, outcome: Outcome) -> int:
        return int(np.count_nonzero(self.mask(outcome)))

    def counts(self) -> dict[Outcome, int]:
        """Each outcome's number of images; they add up to `len(self)`."""
        return {outcome: self.count(outcome) for outcome in Outcome}

    def share(self, outcome: Outcome) -> float:
        """The outcome's fraction of all images (0 for no images)."""
        return self.count(outcome) / len(self) if len(self) else 0.0

    @property
    def agreement_rate(self) -> float:
        """The fraction of images both models read as the same digit, right or wrong."""
        return float(self.same.mean()) if len(self) else 0.0

    @property
    def accuracy_a(self) -> float:
        return float(self.a_right.mean()) if len(self) else 0.0

    @property
    def accuracy_b(self) -> float:
        return float(self.b_right.mean()) if len(self) else 0.0


def agreement(labels: np.ndarray, predictions_a: np.ndarray, predictions_b: np.ndarray) -> Agreement:
    """Compare two models' predictions on the same images (`labels` their true digits).

    Raises ValueError when the three arrays are not one value per image of the same images.
    """
    labels, predictions_a, predictions_b = (np.asarray(a) for a in (labels, predictions_a, predictions_b))
    if not labels.ndim == predictions_a.ndim == predictions_b.ndim == 1 or not (
            len(labels) == len(predictions_a) == len(predictions_b)):
        raise ValueError(f"labels and both models' predictions must be 1-D arrays of one length, not "
                         f"{labels.shape}, {predictions_a.shape} and {predictions_b.shape}")
    return Agreement(a_right=predictions_a == labels, b_right=predictions_b == labels,
                     same=predictions_a == predictions_b)
