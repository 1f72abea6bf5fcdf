"""Fixtures of the reliability suite: a real main window, recorded dialogs, the ledger."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from reliability import ledger


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = ledger.report_lines()
    if not lines:
        return
    terminalreporter.section("reliability ledger: cases tried that behaved (docs/reliability.md)")
    for line in lines:
        terminalreporter.write_line(line)
    ledger.dump_if_asked()


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    """A message box nobody expected fails the test instead of blocking it forever offscreen."""
    from PySide6.QtWidgets import QMessageBox

    unexpected = []

    def refuse(kind):
        def show(parent, title, text, *args, **kwargs):
            unexpected.append((kind, title, text))
            return QMessageBox.StandardButton.No if kind == "question" else QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, refuse(kind))
    yield
    assert unexpected == [], f"unexpected message boxes: {unexpected}"


@pytest.fixture
def dialogs(monkeypatch, _no_unexpected_dialogs):
    """Every QMessageBox a test's code opens through the static helpers, as (kind, title, text).

    `question` answers Yes, like a user who confirms.
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str, str]] = []

    def recorder(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            if kind == "question":
                return QMessageBox.StandardButton.Yes
            return QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind))
    return shown


@pytest.fixture(scope="session")
def shipped_model():
    from lenet_app.core import load_model

    return load_model()


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    """Start the app as a user would: `MainWindow` with a settings file holding `values`.

    LENET_APP_MNIST_DIR is cleared so only what the settings say is searched; the window is
    returned once MNIST has finished loading (or failing to load).
    """
    from PySide6.QtCore import QSettings

    from lenet_app.gui.main_window import MainWindow

    monkeypatch.delenv("LENET_APP_MNIST_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # the core also looks in ./data
    windows = []

    def make(values: dict | None = None, settings_file: Path | None = None, raw: bytes | None = None):
        path = settings_file or tmp_path / f"settings-{len(windows)}.ini"
        if raw is not None:
            path.write_bytes(raw)
        if values:  # (a sync rewrites the file, so files given as bytes are left alone)
            settings = QSettings(str(path), QSettings.Format.IniFormat)
            for key, value in values.items():
                settings.setValue(key, value)
            settings.sync()
        window = MainWindow(settings=QSettings(str(path), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: not window.dataset.loading, timeout=30_000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.jobs.shutdown()


def reads_digit(window, digit: int = 7) -> bool:
    """The Draw tab still reads a picture of `digit` with the active model."""
    from PySide6.QtWidgets import QLabel

    from reliability.samples import sample_digit

    window.draw_tab.clear()
    window.draw_tab.set_image(sample_digit(digit))
    return window.draw_tab.findChild(QLabel, "predictionLabel").text() == str(digit)


@contextmanager
def main_window_on(qapp, folder: Path, mnist: Path, tab: str | None = None) -> Iterator:
    """A shown MainWindow with its own settings file, MNIST from `mnist` loaded and no work
    running; shut down and closed afterwards."""
    from PySide6.QtCore import QSettings

    from lenet_app.gui.main_window import MainWindow

    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("mnist/dir", str(mnist))
    window = MainWindow(settings=settings)
    window.show()
    if tab is not None:
        window.tabs.setCurrentWidget(getattr(window, tab))
    while window.dataset.loading or window.jobs.busy():
        qapp.processEvents()
    assert window.dataset.available
    try:
        yield window
    finally:
        window.jobs.shutdown()
        window.close()
        window.deleteLater()
