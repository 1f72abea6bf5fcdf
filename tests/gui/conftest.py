"""Windows and tabs the GUI tests open, each closed down the same way when its test ends: every
job cancelled and its thread joined, so no test leaves work running."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from lenet_app.gui import language
from lenet_app.gui.dataset import DatasetTab
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.main_window import MainWindow
from lenet_app.gui.state import ActiveModel, DatasetState
from reliability.background import running_jobs


@pytest.fixture
def open_draw_window(qtbot, settings, monkeypatch, tmp_path):
    """`open_draw_window()`: the main window, shown in English on the Draw tab, with a user data
    folder of the test's own (set before the window opens, so a test can fill it first) and no
    MNIST (the Draw tab needs none)."""
    monkeypatch.setenv("LENET_APP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LENET_APP_MNIST_DIR", str(tmp_path / "no-mnist"))
    windows: list[MainWindow] = []

    def open_window() -> MainWindow:
        language.use_language("en")
        window = MainWindow(settings=settings)
        qtbot.addWidget(window)
        windows.append(window)
        window.resize(1180, 780)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        window.tabs.setCurrentWidget(window.draw_tab)
        return window

    yield open_window
    for window in windows:
        assert window.jobs.shutdown(timeout_s=30)
    assert running_jobs() == 0


@pytest.fixture
def make_dataset_tab(qtbot):
    """`make_dataset_tab(dataset, active, size, **kwargs)`: a shown DatasetTab with jobs of its
    own (kwargs go to DatasetTab, e.g. run_history)."""
    made: list[tuple[DatasetTab, JobRunner]] = []

    def make(dataset: DatasetState, active: ActiveModel, size: tuple[int, int], **kwargs) -> DatasetTab:
        jobs = JobRunner()
        tab = DatasetTab(dataset, active, jobs, **kwargs)
        tab._test_refs = (jobs, active, dataset, kwargs)  # the state objects live as long as the tab
        qtbot.addWidget(tab)
        made.append((tab, jobs))
        tab.resize(*size)
        tab.show()
        qtbot.waitExposed(tab)
        return tab

    yield make
    for tab, jobs in made:
        tab.cancel_work()
        qtbot.waitUntil(lambda: not jobs.busy(), timeout=10000)
        assert jobs.shutdown(), "a job did not stop"
    QCoreApplication.processEvents()
