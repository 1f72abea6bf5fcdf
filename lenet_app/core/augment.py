"""Data augmentation for training: every digit of a batch slightly moved, on the batch's device."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from lenet_app.core.mnist import normalize

__all__ = ["augment_batch"]


def augment_batch(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Small random rotation, scale and shift, drawn per image, as one batched warp.

    torchvision.transforms.v2.RandomAffine draws one transform per call, i.e. per batch;
    per-image parameters through affine_grid give every sample its own distortion at the
    same cost, on whatever device the batch is on.
    """
    n = x.shape[0]
    rand = torch.rand((n, 4), generator=generator, device=generator.device).to(x.device)
    angle = (rand[:, 0] * 2 - 1) * math.radians(12)
    scale = 0.85 + rand[:, 1] * 0.3
    shift = (rand[:, 2:] * 2 - 1) * (2.5 / 14)  # +-2.5 px in normalised coordinates
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    background = normalize(torch.zeros((1, 28, 28), dtype=torch.uint8, device=x.device))[0, 0, 0, 0]
    warped = F.grid_sample(x - background, grid, mode="bilinear", padding_mode="zeros",
                           align_corners=False)
    return warped + background
