"""Two models' answers compared: the four outcomes split the images, and the rates follow."""

import numpy as np
import pytest

from lenet_app.core.agreement import Outcome, agreement

LABELS = np.array([0, 1, 2, 3, 4, 5, 6, 7])
A = np.array([0, 1, 2, 9, 9, 5, 8, 1])  # wrong on 3, 4, 6, 7
B = np.array([0, 7, 2, 3, 9, 6, 8, 7])  # wrong on 1, 4, 5, 6


def test_each_image_falls_in_exactly_one_outcome():
    result = agreement(LABELS, A, B)
    assert np.flatnonzero(result.mask(Outcome.BOTH_RIGHT)).tolist() == [0, 2]
    assert np.flatnonzero(result.mask(Outcome.A_ONLY)).tolist() == [1, 5]
    assert np.flatnonzero(result.mask(Outcome.B_ONLY)).tolist() == [3, 7]
    assert np.flatnonzero(result.mask(Outcome.BOTH_WRONG)).tolist() == [4, 6]
    stacked = np.stack([result.mask(outcome) for outcome in Outcome])
    assert (stacked.sum(axis=0) == 1).all()
    assert result.counts() == {Outcome.BOTH_RIGHT: 2, Outcome.A_ONLY: 2, Outcome.B_ONLY: 2, Outcome.BOTH_WRONG: 2}
    assert sum(result.counts().values()) == len(result) == 8


def test_rates_agreement_counts_the_same_wrong_digit_too():
    result = agreement(LABELS, A, B)
    # Same digit on 0, 2 (both right), 4 and 6 (both read the same wrong digit).
    assert result.agreement_rate == pytest.approx(4 / 8)
    assert result.accuracy_a == pytest.approx(4 / 8)
    assert result.accuracy_b == pytest.approx(4 / 8)
    assert result.share(Outcome.A_ONLY) == pytest.approx(2 / 8)
    assert result.accuracy_a == pytest.approx(result.share(Outcome.BOTH_RIGHT) + result.share(Outcome.A_ONLY))


def test_large_random_predictions_match_a_plain_count():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 10_000)
    a = np.where(rng.random(10_000) < 0.9, labels, rng.integers(0, 10, 10_000))
    b = np.where(rng.random(10_000) < 0.8, labels, rng.integers(0, 10, 10_000))
    result = agreement(labels, a, b)
    pairs = list(zip(a == labels, b == labels))
    assert result.count(Outcome.A_ONLY) == pairs.count((True, False))
    assert result.count(Outcome.B_ONLY) == pairs.count((False, True))
    assert sum(result.counts().values()) == 10_000
    assert result.agreement_rate == pytest.approx(np.mean(a == b))


def test_no_images_and_mismatched_arrays():
    empty = agreement(np.zeros(0, int), np.zeros(0, int), np.zeros(0, int))
    assert len(empty) == 0 and empty.agreement_rate == 0.0 and empty.share(Outcome.BOTH_WRONG) == 0.0
    with pytest.raises(ValueError, match="one length"):
        agreement(LABELS, A, B[:-1])
    with pytest.raises(ValueError):
        agreement(LABELS, A.reshape(2, 4), B)
