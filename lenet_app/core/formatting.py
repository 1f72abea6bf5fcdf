"""Small text formatters shared by the CLI and the GUI (torch-free)."""

from __future__ import annotations

import math
import unicodedata

from lenet_app.core.i18n import _


def format_duration(seconds: float) -> str:
    """'48 s', '3 min 05 s', '1 h 02 min' (short enough for a status line); '–' if unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    if seconds < 3600:
        return _("{minutes} min {seconds:02d} s").format(minutes=seconds // 60, seconds=seconds % 60)
    return _("{hours} h {minutes:02d} min").format(hours=seconds // 3600, minutes=seconds % 3600 // 60)


def display_width(text: str) -> int:
    """How many terminal columns `text` takes: a Chinese character takes two, so tables of
    translated text still line up."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` filled with spaces to `width` columns, on its right (or, `right=True`, its left)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill
