"""Which images of a split the grid shows, and in which order: numpy only, no Qt.

A filter is a handful of vector masks over the split's labels and predictions; sorting by
confidence is done once per evaluation (`Ranking`, on the job that evaluated), so switching
filters on 60,000 images only masks a precomputed order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from lenet_app.core.agreement import Outcome, agreement
from lenet_app.core.evaluation import EvaluationResult


class SortOrder(Enum):
    INDEX = "index"
    LEAST_CONFIDENT = "least-confident"
    CONFIDENT_MISTAKES = "confident-mistakes"


@dataclass(frozen=True)
class Filter:
    """What the grid shows; everything but `true_label` needs the model's predictions, and
    `outcome` (which of two compared models got the image right) the second model's too."""

    true_label: int | None = None
    predicted_label: int | None = None
    misclassified_only: bool = False
    sort: SortOrder = SortOrder.INDEX
    outcome: Outcome | None = None


class Ranking:
    """Whole-split display orders for one evaluation, each sorted once on first use.

    A filter switch then only masks a precomputed order (linear time) instead of sorting again.
    """

    def __init__(self, labels: np.ndarray, result: EvaluationResult) -> None:
        self.result = result
        self._labels = labels
        self._orders: dict[SortOrder, np.ndarray] = {}

    def precompute(self) -> "Ranking":
        """Sort every order now (call it on the job that evaluated, not the GUI thread)."""
        for sort in SortOrder:
            self.order(sort)
        return self

    def order(self, sort: SortOrder) -> np.ndarray:
        order = self._orders.get(sort)
        if order is None:
            order = _sorted(np.arange(len(self._labels)), self._labels, self.result, sort)
            self._orders[sort] = order
        return order


def _sorted(rows: np.ndarray, labels: np.ndarray, result: EvaluationResult, sort: SortOrder) -> np.ndarray:
    if sort is SortOrder.INDEX or len(rows) == 0:
        return rows
    confidences = result.probabilities[rows, result.predictions[rows]]
    if sort is SortOrder.LEAST_CONFIDENT:
        return rows[np.argsort(confidences, kind="stable")]
    # Mistakes first, the most confident one on top (the same order as the core's
    # `EvaluationResult.misclassified()`), then the correct images in index order.
    correct = result.predictions[rows] == labels[rows]
    secondary = np.where(correct, rows.astype(np.float64), -confidences.astype(np.float64))
    return rows[np.lexsort((secondary, correct))]


def filter_rows(labels: np.ndarray, result: EvaluationResult | None, spec: Filter,
                ranking: Ranking | None = None, compared: EvaluationResult | None = None) -> np.ndarray:
    """Indices (int64) into the split that pass `spec`, in display order.

    Parts of `spec` that need predictions are ignored when `result` is None, so the grid still
    works (by label, by index) while the model is being evaluated; likewise `spec.outcome`
    while the compared model's `compared` is None. `ranking` (for the same result) saves the sort.
    """
    count = len(labels)
    mask = np.ones(count, dtype=bool) if spec.true_label is None else labels == spec.true_label
    if result is not None:
        predictions = result.predictions
        if spec.predicted_label is not None:
            mask &= predictions == spec.predicted_label
        if spec.misclassified_only:
            mask &= predictions != labels
        if spec.outcome is not None and compared is not None and len(compared) == count:
            mask &= agreement(labels, predictions, compared.predictions).mask(spec.outcome)
    if result is None or spec.sort is SortOrder.INDEX:
        return np.flatnonzero(mask)
    if ranking is not None and ranking.result is result:
        order = ranking.order(spec.sort)
        return order[mask[order]]
    return _sorted(np.flatnonzero(mask), labels, result, spec.sort)
