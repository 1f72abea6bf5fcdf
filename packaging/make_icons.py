"""Render resources/icons/lenet-app-<size>.png from resources/icons/lenet-app.svg.

    python packaging/make_icons.py

Uses `rsvg-convert` (Debian/Ubuntu: librsvg2-bin, macOS: brew install librsvg) or, where that
is missing, the `cairosvg` package. The PNGs are committed; run this only after editing the SVG.
The app uses them as its window icon (lenet_app.gui.app.app_icon), the Linux desktop entry as
its menu icon, and PyInstaller as the Windows .ico and macOS .icns source.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "lenet-app.svg"
SIZES = (16, 32, 48, 64, 128, 256)


def render(size: int, out: Path) -> None:
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), str(SVG), "-o", str(out)],
                       check=True)
    else:
        import cairosvg  # pip install cairosvg

        cairosvg.svg2png(url=str(SVG), write_to=str(out), output_width=size, output_height=size)


def main() -> int:
    for size in SIZES:
        out = ICONS / f"lenet-app-{size}.png"
        render(size, out)
        print(f"wrote {out.relative_to(ICONS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
