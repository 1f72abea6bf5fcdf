"""Shared fixtures: real MNIST when LENET_APP_MNIST_DIR points at it, else a skip with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import tempfile

import pytest

# Keep the whole session away from the real user's settings and data folders (set before Qt
# or the core computes any path).
_HOME = Path(tempfile.mkdtemp(prefix="lenet-app-tests-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    value = os.environ.get("LENET_APP_MNIST_DIR")
    if not value:
        pytest.skip("LENET_APP_MNIST_DIR is not set: tests that need real MNIST are skipped")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"LENET_APP_MNIST_DIR={value} is not a folder")
    return path


@pytest.fixture
def settings(tmp_path):
    """A fresh QSettings file per test, so GUI tests never read or write the user's settings."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def _no_leaked_threads(request):
    """Fail any test that leaves a worker QThread running."""
    yield
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QThread  # noqa: F401

    from lenet_app.gui.workers import running_threads

    for _ in range(200):  # up to 2 s for threads that are finishing
        if running_threads() == 0:
            break
        QCoreApplication.processEvents()
        QThread.msleep(10)
    leaked = running_threads()
    assert leaked == 0, f"test left {leaked} worker QThread(s) running"
