"""A model whose answer a test knows in advance."""

from __future__ import annotations

import torch
from torch import nn


class ConstantNet(nn.Module):
    """Always answers `digit` (with the same probabilities for any input): a model change that
    takes effect, or a model that disagrees with the others on purpose, is plain to see."""

    def __init__(self, digit: int) -> None:
        super().__init__()
        self.logits = nn.Parameter(torch.zeros(10))
        with torch.no_grad():
            self.logits[digit] = 6.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.logits.expand(x.shape[0], 10)
