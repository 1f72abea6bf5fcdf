import numpy as np
import pytest
import torch
from torch import nn

from lenet_app.core.errors import Cancelled
from lenet_app.core.evaluation import EvaluationResult, evaluate, format_report
from lenet_app.core.mnist import MnistSplit


class Fixed(nn.Module):
    """Predicts the label stored in pixel (0, 0): lets a test know every answer in advance."""

    def __init__(self):
        super().__init__()
        self.dummy = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        raw = ((x[:, 0, 0, 0] * 0.3081 + 0.1307) * 255).round().long()
        return nn.functional.one_hot(raw % 10, 10).float() * 5 + self.dummy


def _split(labels, answers):
    images = np.zeros((len(labels), 28, 28), dtype=np.uint8)
    images[:, 0, 0] = answers
    return MnistSplit("test", images, np.array(labels, dtype=np.int64))


def test_accuracy_confusion_and_mistakes():
    split = _split([0, 1, 2, 3, 3], [0, 1, 7, 3, 5])
    result = evaluate(Fixed(), split, batch_size=2)
    assert result.accuracy == pytest.approx(0.6)
    assert result.confusion[2, 7] == 1 and result.confusion[3, 5] == 1 and result.confusion.sum() == 5
    assert result.per_class_accuracy[3] == pytest.approx(0.5)
    assert np.isnan(result.per_class_accuracy[9])
    assert set(result.misclassified()) == {2, 4}
    assert result.probabilities.shape == (5, 10)
    np.testing.assert_allclose(result.probabilities.sum(1), 1, rtol=1e-5)
    report = format_report(result)
    assert "60.00%" in report and "Confusion matrix" in report


def test_mistakes_sorted_by_confidence():
    probs = np.array([[0.1, 0.9] + [0] * 8, [0.4, 0.6] + [0] * 8, [0.2, 0.8] + [0] * 8], dtype=np.float32)
    result = EvaluationResult(probs, probs.argmax(1), np.array([0, 0, 0]), 0.0)
    assert result.misclassified().tolist() == [0, 2, 1]


def test_progress_and_cancel():
    split = _split([1] * 10, [1] * 10)
    seen = []
    evaluate(Fixed(), split, batch_size=3, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (10, 10) and len(seen) == 4
    with pytest.raises(Cancelled):
        evaluate(Fixed(), split, batch_size=3, cancel=lambda: True)


def test_model_mode_is_restored():
    model = Fixed().train()
    evaluate(model, _split([1], [1]))
    assert model.training
