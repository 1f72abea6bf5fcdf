"""Draw the bundled sample digits (resources/samples/digit_N.png) as a user would: pen strokes.

They are our own drawings rather than MNIST images, so the self-test checks the path a real
user takes (a drawn digit, light ink on a dark canvas) and ships no third-party data.
Run: python packaging/make_samples.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 280
PEN = 22
OUT = Path(__file__).resolve().parent.parent / "resources" / "samples"


def _arc(cx, cy, rx, ry, start, end, steps=24):
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in [start + (end - start) * i / steps for i in range(steps + 1)]]


# Strokes in a unit square (x right, y down), each a list of points.
STROKES = {
    0: [_arc(0.5, 0.5, 0.24, 0.34, -90, 270)],
    1: [[(0.46, 0.24), (0.54, 0.16), (0.54, 0.84)]],
    2: [_arc(0.5, 0.36, 0.22, 0.2, 200, 370) + [(0.28, 0.82), (0.74, 0.82)]],
    3: [_arc(0.48, 0.33, 0.2, 0.17, 200, 450), _arc(0.48, 0.66, 0.23, 0.18, -90, 160)],
    4: [[(0.6, 0.16), (0.26, 0.62), (0.76, 0.62)], [(0.62, 0.4), (0.62, 0.86)]],
    5: [[(0.7, 0.18), (0.36, 0.18), (0.33, 0.46)] + _arc(0.5, 0.63, 0.22, 0.2, -120, 150)],
    6: [_arc(0.62, 0.42, 0.3, 0.3, 250, 180) + _arc(0.52, 0.66, 0.2, 0.18, 180, 540)],
    7: [[(0.28, 0.2), (0.74, 0.2), (0.44, 0.84)]],
    8: [_arc(0.5, 0.32, 0.18, 0.16, 90, 450), _arc(0.5, 0.66, 0.22, 0.19, -90, 270)],
    9: [_arc(0.5, 0.35, 0.2, 0.18, 0, 360), [(0.7, 0.35), (0.66, 0.86)]],
}


def draw_digit(digit: int, size: int = SIZE, pen: int = PEN) -> Image.Image:
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    for stroke in STROKES[digit]:
        points = [(x * size, y * size) for x, y in stroke]
        draw.line(points, fill=255, width=pen, joint="curve")
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for digit in STROKES:
        draw_digit(digit).save(OUT / f"digit_{digit}.png", optimize=True)
    print(f"wrote {len(STROKES)} samples to {OUT}")


if __name__ == "__main__":
    main()
