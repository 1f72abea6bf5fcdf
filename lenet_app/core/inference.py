"""Load a model and read one picture: the API the GUI, the CLI and scripts share."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
from torch import nn

from lenet_app.core.checkpoint import CheckpointError, TrainedModel, load_checkpoint
from lenet_app.core.i18n import _
from lenet_app.core.architectures import architecture_names, shipped_model_path, shipped_models
from lenet_app.core.preprocess import to_network_input
from lenet_app.core.resources import resource_path

DEFAULT_MODEL_FILE = "lenet5.pt"


def default_model_path() -> Path:
    return resource_path("models", DEFAULT_MODEL_FILE)


def model_path(spec: str | os.PathLike | None = None) -> Path:
    """The checkpoint `spec` names: a file, or a shipped model's name (`lenet5`, `cnn-bn`…);
    None is the default shipped model. A file of that name, if there is one, wins."""
    if spec is None:
        return default_model_path()
    path = Path(spec)
    if not path.exists() and str(spec) in architecture_names() and shipped_model_path(str(spec)).is_file():
        return shipped_model_path(str(spec))
    return path


def load_model(spec: str | os.PathLike | None = None) -> TrainedModel:
    """Load a checkpoint for inference: a file, a shipped model's name, or (None) the default
    shipped model."""
    path = model_path(spec)
    if not path.exists() and spec is not None and len(path.parts) == 1 and not path.suffix:
        raise CheckpointError(_("{name}: no such file or shipped model (shipped: {names})").format(
            name=spec, names=", ".join(shipped_models())))
    return load_checkpoint(path)


@dataclass(frozen=True)
class Prediction:
    digit: int | None  # None: the picture holds no digit
    confidence: float
    probabilities: tuple[float, ...]  # ten values, all zero when there is no digit
    pixels: np.ndarray | None  # the 28x28 uint8 input the network saw

    def to_dict(self) -> dict:
        return {"digit": self.digit, "confidence": round(self.confidence, 6),
                "probabilities": [round(p, 6) for p in self.probabilities]}


NO_DIGIT = Prediction(None, 0.0, (0.0,) * 10, None)


@contextmanager
def single_threaded() -> Iterator[None]:
    """Run torch on one intra-op thread for the duration.

    One 28×28 digit is far too small to split across cores: with one thread per core, each
    forward pass waits until every core is free, which takes many times longer while training
    (or any other program) keeps them busy (benchmarks/NOTES.md, "One thread for single-image
    inference").
    """
    previous = torch.get_num_threads()
    if previous == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@torch.inference_mode()
def predict(model: TrainedModel | nn.Module, image) -> Prediction:
    """Read one digit from a PIL image or a 2-D array of any size (ink of either polarity)."""
    module = model.module if isinstance(model, TrainedModel) else model
    network_input = to_network_input(image)
    if network_input is None:
        return NO_DIGIT
    if module.training:
        module.eval()
    device = next(module.parameters()).device
    with single_threaded():
        probabilities = module(network_input.tensor.to(device)).float().softmax(dim=1)[0].cpu()
    digit = int(probabilities.argmax())
    return Prediction(digit, float(probabilities[digit]), tuple(probabilities.tolist()),
                      network_input.pixels)
