"""Which input pixels pushed the model toward a digit: Integrated Gradients and occlusion.

Both come from captum, the PyTorch interpretability library; it is imported on first use
(it loads matplotlib, about half a second), so only the first explanation pays for it, and the
GUI asks for explanations on a job, off the GUI thread.

Positive values pushed the model toward the target digit, negative ones away from it. Both
methods compare the digit with a black picture (no ink), the same baseline MNIST's background
is made of.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from lenet_app.core.activations import inference_view
from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _
from lenet_app.core.mnist import normalize

__all__ = ["METHODS", "Attribution", "attribute", "black_baseline"]

#: Method keys (as the CLI takes them) and their names for people.
METHODS: dict[str, str] = {"ig": "Integrated Gradients", "occlusion": "occlusion"}

IG_STEPS = 64
OCCLUSION_WINDOW = 4
OCCLUSION_STRIDE = 2


@dataclass(frozen=True)
class Attribution:
    """One attribution map (28×28, same units as the logits) for one target digit.

    For Integrated Gradients `total` should equal `logit_difference` (the target's logit at the
    digit minus at the black baseline) up to the integral's error: completeness.
    """

    method: str
    target: int
    values: np.ndarray  # (28, 28) float32
    total: float
    logit_difference: float

    @property
    def scale(self) -> float:
        """The largest magnitude, for a symmetric colour scale (never zero)."""
        return max(float(np.abs(self.values).max()), 1e-12)

    def to_dict(self) -> dict:
        return {"method": self.method, "target": self.target, "sum": round(self.total, 6),
                "logit_difference": round(self.logit_difference, 6)}


def black_baseline(like: torch.Tensor) -> torch.Tensor:
    """A picture without ink, normalised as the digit is."""
    blank = torch.zeros(like.shape, dtype=torch.uint8)
    return normalize(blank).to(device=like.device, dtype=like.dtype)


def attribute(module: nn.Module, network_input: torch.Tensor, target: int,
              method: str = "ig") -> Attribution:
    """Explain the model's score for digit `target` on one normalised digit (1, 1, 28, 28)."""
    if method not in METHODS:
        raise LenetError(_("unknown explanation method {method!r}; choose one of: {methods}").format(
            method=method, methods=", ".join(METHODS)))
    if not 0 <= int(target) <= 9:
        raise LenetError(_("the digit to explain must be 0–9, not {target}").format(target=target))
    target = int(target)
    os.environ.setdefault("MPLBACKEND", "Agg")  # captum imports pyplot; never let it pick Qt
    from captum.attr import IntegratedGradients, Occlusion

    module = inference_view(module)  # eval mode, without switching the caller's module
    parameter = next(module.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    x = network_input.detach().to(device=device, dtype=torch.float32)
    baseline = black_baseline(x)
    with torch.inference_mode(False), torch.enable_grad():
        x = x.clone()
        if method == "ig":
            values = IntegratedGradients(module).attribute(
                x, baselines=baseline, target=target, n_steps=IG_STEPS)
        else:
            window = (1, OCCLUSION_WINDOW, OCCLUSION_WINDOW)
            with torch.no_grad():
                values = Occlusion(module).attribute(
                    x, baselines=baseline, target=target, sliding_window_shapes=window,
                    strides=(1, OCCLUSION_STRIDE, OCCLUSION_STRIDE), perturbations_per_eval=256)
        with torch.no_grad():
            logits = module(torch.cat([x, baseline]))
    values_np = values[0, 0].detach().float().cpu().numpy().copy()
    difference = float((logits[0, target] - logits[1, target]).item())
    return Attribution(method, target, values_np, float(values_np.sum()), difference)
