"""Shared fixtures: real MNIST when LENET_APP_MNIST_DIR points at it, else a skip with the reason.

Also a watchdog that no deadlock can hold off: see `pytest_runtest_protocol` below.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import tempfile
from pathlib import Path

import pytest

# Keep the whole session away from the real user's settings and data folders (set before Qt
# or the core computes any path).
_HOME = Path(tempfile.mkdtemp(prefix="lenet-app-tests-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")

# --- the watchdog ---------------------------------------------------------------------------
# pytest-timeout's thread method needs the GIL to fire, and a deadlock in which the GUI thread
# holds the GIL while it waits for a Qt mutex (issue 10) never gives it back: the run would hang
# until CI's own limit, with nothing printed. faulthandler's watchdog is a C thread that needs no
# GIL: after WATCHDOG_S seconds in one test (setup, call and teardown together) it writes every
# Python thread's stack to stderr and ends the process (exit status 1). The slowest legitimate
# test (tests/test_packaging.py builds and installs the wheel: about a minute, marked slow) fits
# four times over. LENET_APP_TEST_WATCHDOG_S changes the limit (0 turns it off, e.g. in a
# debugger); `make soak` raises it for its 20-minute run.
WATCHDOG_S = float(os.environ.get("LENET_APP_TEST_WATCHDOG_S", "240"))
# `.ci/run` names a file here to learn which test is running if it has to end the run.
_CURRENT_TEST_FILE = os.environ.get("LENET_APP_CURRENT_TEST_FILE")
_real_stderr = None  # the terminal's stderr: pytest captures fd 2 while a test runs


def pytest_configure(config):
    global _real_stderr
    # pytest has suspended its capture here, so fd 2 is the real stderr; a copy of it keeps the
    # dumps out of the capture files, which nobody reads once the process has been ended.
    _real_stderr = os.fdopen(os.dup(2), "w")
    if hasattr(signal, "SIGUSR1"):
        # `kill -USR1 <pytest>` prints every thread's stack and carries on (`.ci/run` sends it
        # before it ends a run that outlived its time limit). Works while the GIL is held, too.
        faulthandler.register(signal.SIGUSR1, file=_real_stderr, all_threads=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if _CURRENT_TEST_FILE:
        with open(_CURRENT_TEST_FILE, "w", encoding="utf-8") as file:
            file.write(f"{os.getpid()} {item.nodeid}\n")
    armed = WATCHDOG_S > 0 and _real_stderr is not None
    if armed:
        # The dump's main-thread stack names the test (file, line, function).
        faulthandler.dump_traceback_later(WATCHDOG_S, exit=True, file=_real_stderr)
    try:
        yield
    finally:
        if armed:
            faulthandler.cancel_dump_traceback_later()


def pytest_collection_modifyitems(config, items):
    """Tests marked `cuda` skip on a machine without a CUDA device (asked only if one is collected)."""
    cuda_tests = [item for item in items if item.get_closest_marker("cuda")]
    if not cuda_tests:
        return
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in cuda_tests:
        item.add_marker(skip)


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
    from PySide6.QtCore import QCoreApplication, QThread

    from reliability.background import running_jobs

    for _ in range(200):  # up to 2 s for threads that are finishing
        if running_jobs() == 0:
            break
        QCoreApplication.processEvents()
        QThread.msleep(10)
    leaked = running_jobs()
    assert leaked == 0, f"test left {leaked} worker QThread(s) running"
