"""Locate files shipped in `resources/`, wherever the app runs from."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The folder holding the shipped resources.

    An installed wheel and a frozen bundle carry them as `lenet_app/resources`; a source
    checkout (plain or editable install) has them at the repository root.
    """
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "lenet_app" / "resources")
    candidates.append(_PACKAGE_DIR / "resources")
    candidates.append(_PACKAGE_DIR.parent / "resources")
    for candidate in candidates:
        if (candidate / "models").is_dir():
            return candidate
    # English whatever the language: the translations are among the resources that are missing.
    raise FileNotFoundError(
        "LeNet Digits resources not found; looked in: " + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
