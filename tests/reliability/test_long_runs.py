"""Long sessions: 30 epochs in the Train tab and a long browse of the Dataset grid must not make
memory, chart series, threads or timers grow without bound.

Resident memory is read from /proc/self/status (VmRSS). The 30-epoch run trains on a 480-image
subset with batch 32 (450 batches, a checkpoint and a test pass per epoch) against a 200-image
test split, so it fits the test budget; tests/gui/test_train_tab.py feeds a chart 100,000
batches to show the series stay bounded, and benchmarks/ times full-size runs.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject, QThread, QTimer

from lenet_app.core.mnist import MnistSplit, load_split
from lenet_app.core.training import Finished
from lenet_app.gui.train.charts import MAX_POINTS
from lenet_app.gui.dataset.filtering import SortOrder
from lenet_app.gui.dataset.image_list import SCALES
from lenet_app.gui.jobs import running_jobs
from reliability import ledger

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")

EPOCHS = 30
TRAIN_IMAGES = 480
TEST_IMAGES = 200
BATCH = 32
MAX_GROWTH_MB = 50
GRID_CYCLES = 12


def rss_mb() -> float:
    gc.collect()
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def qt_objects(root: QObject, kind) -> int:
    return len(root.findChildren(kind))


@pytest.fixture(scope="module")
def splits(mnist_dir):
    return {name: load_split(mnist_dir, name) for name in ("train", "test")}


def test_thirty_epochs_in_the_app(make_window, splits, qtbot):
    window = make_window()
    small = {"train": MnistSplit("train", splits["train"].images[:TRAIN_IMAGES],
                                 splits["train"].labels[:TRAIN_IMAGES]),
             "test": MnistSplit("test", splits["test"].images[:TEST_IMAGES], splits["test"].labels[:TEST_IMAGES])}
    window.dataset.set_loaded(Path("mnist-subset"), small)
    qtbot.waitUntil(lambda: not window.jobs.busy(), timeout=30_000)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)  # the charts are drawn while visible: the expensive case
    form = tab.form
    form.epochs_spin.setValue(EPOCHS)
    form.batch_size_spin.setValue(BATCH)
    form.subset_spin.setValue(0)
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))
    timers_before = qt_objects(window, QTimer)
    threads_before = qt_objects(window, QThread)

    samples = {}

    def sample() -> None:
        epoch = tab.last_epoch.epoch if tab.last_epoch is not None else 0
        if epoch >= 1 and "first epoch" not in samples:
            samples["first epoch"] = (rss_mb(), os_threads())

    probe = QTimer()
    probe.timeout.connect(sample)
    probe.start(5)
    tab.start_button.click()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=240_000)
    probe.stop()
    qtbot.wait(50)
    end_rss, end_threads = rss_mb(), os_threads()

    assert isinstance(tab.ended_event, Finished) and tab.ended_event.epochs_trained == EPOCHS
    first_rss, first_threads = samples["first epoch"]
    growth = end_rss - first_rss
    assert growth <= MAX_GROWTH_MB, f"resident memory grew {growth:.1f} MB after the first epoch"
    # Chart series stay bounded although there were more batches than a series holds.
    steps = EPOCHS * -(-TRAIN_IMAGES // BATCH)
    assert tab.loss_chart.raw.total == steps
    assert tab.loss_chart.point_count() <= MAX_POINTS + 1
    assert tab.loss_chart.smooth_series.count() <= MAX_POINTS + 1
    assert tab.accuracy_chart.point_count() == 2 * EPOCHS  # train and test, one per epoch
    assert tab.log.blockCount() <= tab.log.maximumBlockCount()
    # No leaked worker threads, QThread objects or timers, and the refresh timer is off.
    assert running_jobs() == 0 and not window.jobs.busy()
    assert qt_objects(window, QTimer) <= timers_before and not tab.run.ticking()
    assert qt_objects(window, QThread) <= threads_before
    assert end_threads <= first_threads
    print(f"30 epochs: RSS {first_rss:.0f} MB after epoch 1, {end_rss:.0f} MB at the end "
          f"({growth:+.1f} MB); OS threads {first_threads} -> {end_threads}")
    ledger.record("long runs", f"{EPOCHS}-epoch training in the app, {steps} batches charted")


def test_browsing_the_dataset_grid_for_a_long_time(make_window, splits, qtbot):
    window = make_window()
    subset = {"train": MnistSplit("train", splits["train"].images[:20000], splits["train"].labels[:20000]),
              "test": splits["test"]}
    window.dataset.set_loaded(Path("mnist-subset"), subset)
    tab = window.dataset_tab
    qtbot.waitUntil(lambda: tab.predictions("train") is not None, timeout=120_000)
    view = tab.browser.view
    filters = tab.browser.filters
    timers_before = qt_objects(window, QTimer)

    def cycle(number: int) -> None:
        window.tabs.setCurrentWidget(window.draw_tab)
        window.tabs.setCurrentWidget(tab)  # "open" the grid again
        for split in ("test", "train"):
            filters.split_combo.setCurrentIndex(filters.split_combo.findData(split))
            for sort in SortOrder:
                filters.sort_combo.setCurrentIndex(filters.sort_combo.findData(sort))
            for digit in range(10):
                filters.label_combo.setCurrentIndex(filters.label_combo.findData(digit))
                filters.predicted_combo.setCurrentIndex(filters.predicted_combo.findData((digit + number) % 10))
                filters.misclassified_check.setChecked(digit % 2 == 0)
                view.viewport().grab()
            filters.clear_button.click()
            filters.size_combo.setCurrentIndex(number % len(SCALES))
            scroll = view.verticalScrollBar()
            for position in np.linspace(0, scroll.maximum(), 8).astype(int):
                scroll.setValue(int(position))
                view.viewport().grab()  # paints (and caches) the thumbnails there
            scroll.setValue(0)

    for number in range(3):  # warm up: caches fill, allocator settles
        cycle(number)
    warm = rss_mb()
    for number in range(3, GRID_CYCLES):
        cycle(number)
    end = rss_mb()
    growth = end - warm
    assert growth <= 30, f"browsing grew resident memory by {growth:.1f} MB"
    assert tab.browser.images_model.cached_thumbnails() <= tab.browser.images_model.CACHE_SIZE
    assert qt_objects(window, QTimer) <= timers_before
    print(f"grid browsing: RSS {warm:.0f} MB after 3 cycles, {end:.0f} MB after {GRID_CYCLES} ({growth:+.1f})")
    ledger.record("long runs", "Dataset grid: open/filter/sort/scroll cycles", GRID_CYCLES)
