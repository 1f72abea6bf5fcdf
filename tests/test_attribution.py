"""Integrated Gradients and occlusion explain the shipped model's answers on real MNIST digits:
IG adds up to the logit difference it explains, and hiding the ink lowers the score."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lenet_app.core import load_model
from lenet_app.core.attribution import METHODS, attribute, black_baseline
from lenet_app.core.errors import LenetError
from lenet_app.core.mnist import load_split, normalize
from lenet_app.core.models import create_model

DIGITS = 5


@pytest.fixture(scope="module")
def model():
    return load_model().module


@pytest.fixture(scope="module")
def digits(mnist_dir):
    """The first few test digits as (pixels uint8 (28, 28), normalised tensor, label)."""
    split = load_split(mnist_dir, "test")
    return [(split.images[i], _tensor(split.images[i]), int(split.labels[i])) for i in range(DIGITS)]


def _tensor(pixels: np.ndarray) -> torch.Tensor:
    return normalize(torch.from_numpy(np.ascontiguousarray(pixels)).reshape(1, 1, 28, 28))


def _logits(model, x: torch.Tensor) -> np.ndarray:
    with torch.no_grad():
        return model(x)[0].numpy()


def test_integrated_gradients_are_complete(model, digits):
    """The attributions add up to the target's logit at the digit minus at the black picture."""
    for _, x, label in digits:
        result = attribute(model, x, label, "ig")
        assert result.method == "ig" and result.target == label
        assert result.values.shape == (28, 28) and result.values.dtype == np.float32
        assert result.total == pytest.approx(float(result.values.sum()), rel=1e-5)
        logits = _logits(model, x)
        baseline = _logits(model, black_baseline(x))
        assert result.logit_difference == pytest.approx(logits[label] - baseline[label], rel=1e-4)
        assert abs(result.total - result.logit_difference) <= 0.05 * abs(result.logit_difference)


def test_hiding_the_ink_lowers_the_score(model, digits):
    for pixels, x, label in digits:
        ink = pixels > 0
        hidden = np.where(ink, 0, pixels).astype(np.uint8)  # the ink replaced by black
        assert _logits(model, _tensor(hidden))[label] < _logits(model, x)[label]


def test_occlusion_is_larger_on_the_ink(model, digits):
    for pixels, x, label in digits:
        result = attribute(model, x, label, "occlusion")
        assert result.method == "occlusion" and result.values.shape == (28, 28)
        ink = pixels > 64
        assert result.values[ink].mean() > result.values[~ink].mean()
        assert result.values[ink].mean() > 0


def test_another_target_is_explained_too(model, digits):
    _, x, label = digits[0]
    other = (label + 1) % 10
    result = attribute(model, x, other, "ig")
    assert result.target == other
    assert abs(result.total - result.logit_difference) <= 0.05 * max(abs(result.logit_difference), 0.1)
    assert result.to_dict().keys() == {"method", "target", "sum", "logit_difference"}
    assert result.scale > 0


@pytest.mark.parametrize("training", [True, False])
def test_the_model_is_left_as_it_was(training):
    model = create_model("cnn-bn")
    model.train(training)
    before = {key: value.clone() for key, value in model.state_dict().items()}
    for method in METHODS:
        attribute(model, torch.randn(1, 1, 28, 28), 3, method)
    assert model.training is training
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key
    assert all(p.grad is None for p in model.parameters())


def test_a_model_in_training_is_never_switched(monkeypatch):
    model = create_model("cnn-dropout")
    model.train()
    parts, switched, real = {id(part) for part in model.modules()}, [], torch.nn.Module.train
    monkeypatch.setattr(torch.nn.Module, "train", lambda self, mode=True: (
        switched.append(mode) if id(self) in parts else None, real(self, mode))[1])
    x = torch.randn(1, 1, 28, 28)
    first = attribute(model, x, 2, "ig")
    assert switched == [] and model.training
    # Dropout is off in the copy: the same input gives the same attribution every time.
    np.testing.assert_array_equal(attribute(model, x, 2, "ig").values, first.values)


def test_works_inside_inference_mode(model, digits):
    """The GUI's and the CLI's callers may hold inference mode; IG needs gradients anyway."""
    _, x, label = digits[1]
    with torch.inference_mode():
        result = attribute(model, x, label, "ig")
    assert abs(result.total - result.logit_difference) <= 0.05 * abs(result.logit_difference)


@pytest.mark.parametrize("method,target", [("lime", 3), ("", 3), ("ig", 10), ("ig", -1),
                                           ("occlusion", 12)])
def test_bad_requests_are_user_errors(method, target):
    model = create_model("lenet5")
    with pytest.raises(LenetError):
        attribute(model, torch.zeros(1, 1, 28, 28), target, method)
