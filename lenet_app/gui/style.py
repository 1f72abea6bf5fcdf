"""Colours, spacing and fonts of the whole GUI, in one place.

Painted widgets take `QColor`s from here; style sheets use `hex_color()` of the same
constants, so a colour is never written twice.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)

ACCENT = QColor(0x2A, 0x82, 0xDA)  # the chosen digit, selections, the test-accuracy curve
ACCENT_DARK = QColor(0x1B, 0x5E, 0xA8)  # the smoothed loss curve
ACCENT_FAINT = QColor(0x2A, 0x82, 0xDA, 80)  # raw per-batch loss behind its smoothed curve
MUTED = QColor(0x9A, 0xA5, 0xB1)  # bars of the other digits, frames, placeholders
CORRECT = QColor(0x2E, 0x9E, 0x5B)  # a right answer
MISTAKE = QColor(0xD6, 0x2F, 0x2F)  # a wrong answer
WARNING = QColor(0xE0, 0x8A, 0x1E)  # the training-accuracy curve; warnings
LABEL_BADGE = QColor(0x26, 0x32, 0x3C, 225)  # the true-label badge on a grid thumbnail
BADGE_TEXT = QColor(255, 255, 255)  # digits on badges and on dark confusion-matrix cells
DARK_TEXT = QColor(0, 0, 0)  # digits on light confusion-matrix cells
INK = QColor(255, 255, 255)  # the pen on the drawing canvas (MNIST: white on black)
PAPER = QColor(0, 0, 0)
PLACEHOLDER = QColor(0x6B, 0x76, 0x82)  # hint text on the empty canvas
FRAME = QColor(0x4A, 0x55, 0x60)
MUTED_TEXT = MUTED.darker(115)  # secondary text: hints, captions, status lines

#: Banner tints per kind: (background, border, text). The text colour is set with the
#: background, so a banner reads the same on light and dark palettes.
BANNER_TINTS: dict[str, tuple[QColor, QColor, QColor]] = {
    "info": (QColor("#e8f1fb"), ACCENT, QColor("#0d2b4a")),
    "success": (QColor("#e6f4ea"), QColor("#2e9d4f"), QColor("#0f3d1d")),
    "warning": (QColor("#fff4e0"), WARNING, QColor("#4a2c05")),
    "error": (QColor("#fde8e8"), QColor("#d93025"), QColor("#4a0b07")),
}

SPACING = 8  # between related controls
MARGIN = 10  # inside panels and banners


def hex_color(color: QColor) -> str:
    """`#rrggbb` for style sheets (alpha dropped: style sheets here never blend)."""
    return color.name(QColor.NameFormat.HexRgb)


def bold_font(base: QFont, scale: float = 1.0) -> QFont:
    """`base`, bold, its point size times `scale`: headings and the winning digit."""
    font = QFont(base)
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    return font


def muted(widget: W) -> W:
    """`widget` with its text in MUTED_TEXT: secondary text that should not compete with values."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, MUTED_TEXT)
    widget.setPalette(palette)
    return widget
