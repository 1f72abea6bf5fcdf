"""One picture explained: what the network read, every layer on the way, and which pixels
pushed it toward its answer. The `explain` command and its figure page are built on this.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from torch import nn

from lenet_app.core.activations import Activations, activations
from lenet_app.core.attribution import Attribution, attribute
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.preprocess import ImageLike, to_network_input

__all__ = ["Explanation", "explain"]

#: The original picture is kept for the figure at most this many pixels on its longer side.
PICTURE_SIZE = 480


@dataclass(frozen=True)
class Explanation:
    """Everything the figure page and `explain --json` show about one picture."""

    picture: np.ndarray | None  # the picture as given, (H, W) or (H, W, 3) uint8, for people
    pixels: np.ndarray  # (28, 28) uint8: the network input, light ink on black
    activations: Activations
    attribution: Attribution
    probabilities: np.ndarray  # (10,) float32

    @property
    def digit(self) -> int:
        """The digit the model reads."""
        return int(self.probabilities.argmax())

    @property
    def architecture(self) -> str | None:
        return self.activations.architecture

    def to_dict(self) -> dict:
        layers = [{"name": layer.name, "shape": list(layer.shape), "min": round(layer.minimum, 6),
                   "max": round(layer.maximum, 6)} for layer in self.activations.layers]
        return {"digit": self.digit, "layers": layers, "attribution": self.attribution.to_dict()}


def explain(model: TrainedModel | nn.Module, image: ImageLike, method: str = "ig",
            target: int | None = None) -> Explanation | None:
    """Explain the model's reading of one picture (any size, either polarity), or None when
    the picture holds no digit. `target` is the digit to attribute; None: the one read."""
    module = model.module if isinstance(model, TrainedModel) else model
    architecture = model.architecture if isinstance(model, TrainedModel) else None
    network_input = to_network_input(image)
    if network_input is None:
        return None
    result = activations(module, network_input.tensor, architecture)
    probabilities = torch.from_numpy(result.logits).double().softmax(0).float().numpy()
    chosen = int(probabilities.argmax()) if target is None else target
    attribution = attribute(module, network_input.tensor, chosen, method)
    return Explanation(_picture(image), network_input.pixels, result, attribution, probabilities)


def _picture(image: ImageLike) -> np.ndarray | None:
    """A small copy of the picture for people to recognise (None if it cannot be shown)."""
    try:
        if isinstance(image, np.ndarray):
            array = image
        elif image.mode in ("I", "F") or image.mode.startswith("I;16"):
            array = np.asarray(image, dtype=np.float64)
        else:
            rgba = image.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            small = Image.alpha_composite(white, rgba).convert("RGB")
            small.thumbnail((PICTURE_SIZE, PICTURE_SIZE))
            return np.asarray(small).copy()
        if array.ndim == 3 and array.shape[2] in (3, 4):
            array = array[..., :3]
        elif array.ndim != 2:
            return None
        if array.dtype != np.uint8:
            low, high = float(np.nanmin(array)), float(np.nanmax(array))
            array = np.nan_to_num((array - low) / max(high - low, 1e-12) * 255.0).astype(np.uint8)
        step = max(1, -(-max(array.shape[:2]) // PICTURE_SIZE))
        return np.ascontiguousarray(array[::step, ::step])
    except (ValueError, OSError, TypeError):
        return None
