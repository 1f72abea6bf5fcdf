"""Geometry shared by the painted small-multiples views: how many cells of what size fit a row."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRect


@dataclass(frozen=True)
class Flow:
    """`count` cells of `width`×`height` pixels, `per_line` to a line, `gap` apart."""

    count: int
    width: int
    height: int
    per_line: int
    gap: int

    @property
    def lines(self) -> int:
        return math.ceil(self.count / self.per_line) if self.count else 0

    @property
    def total_height(self) -> int:
        return self.lines * (self.height + self.gap) - self.gap if self.count else 0

    def rects(self, left: int, top: int) -> list[QRect]:
        return [QRect(left + (i % self.per_line) * (self.width + self.gap),
                      top + (i // self.per_line) * (self.height + self.gap), self.width, self.height)
                for i in range(self.count)]


def flow(count: int, available: int, largest: int, smallest: int, gap: int,
         height: int | None = None) -> Flow:
    """Cells as large as possible up to `largest` on as few lines as possible, each line holding
    cells of at least `smallest` (square unless a fixed `height` is given)."""
    count = max(count, 0)
    available = max(available, smallest)
    side = smallest
    per_line = max(1, (available + gap) // (smallest + gap))
    for lines in range(1, max(count, 1) + 1):
        candidate_per_line = math.ceil(max(count, 1) / lines)
        candidate = min(largest, (available + gap) // candidate_per_line - gap)
        if candidate >= smallest:
            side, per_line = candidate, candidate_per_line
            break
    return Flow(count, side, side if height is None else height, per_line, gap)
