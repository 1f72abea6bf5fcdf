"""Small text formatters shared by the CLI and the GUI (torch-free)."""

from __future__ import annotations

import math


def format_duration(seconds: float) -> str:
    """'48 s', '3 min 05 s', '1 h 02 min' (short enough for a status line); '–' if unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
