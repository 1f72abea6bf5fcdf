"""The monkey test: a seeded random sequence of real user actions on the real main window.

Strokes on the canvas (mouse press, moves, release), clear, undo, pen width, paste, opening a
picture; switching tabs by clicking the tab bar; the Dataset tab's split, filters, sort and
thumbnail size (keys on the combo boxes), clicks on grid items and confusion-matrix cells, "Try
in Draw"; training runs on a small MNIST started, paused, resumed and stopped at random moments,
the trained model used and saved, a checkpoint resumed; loading and saving models from the File
menu; resizing the window. Widgets are found by object name (the table below) and driven with
real mouse and key events.

It fails on any exception that reaches sys.excepthook, any Qt critical or fatal message, a
background job still running at the end, or resident memory that keeps growing.

    LENET_APP_MONKEY_SEED=7 LENET_APP_MONKEY_ACTIONS=2000 pytest tests/reliability/test_monkey.py
    LENET_APP_MONKEY_SECONDS=1200 ...          # a duration instead of a count (make soak)

Without either, MONKEY_ACTIONS actions with seed 0 (about a minute on 2 cores). The report
(actions per kind, message boxes, exceptions, jobs and threads left, memory) is printed, and is
part of the failure message; `make soak` runs 20 minutes with -s to show it.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QCheckBox, QComboBox,
    QDialog, QFileDialog, QLabel, QMessageBox, QPushButton, QTabWidget, QWidget,
)

from reliability import ledger
from reliability.background import running_jobs, window_runner
from reliability.driving import click, find, pause, type_value, wait_until
from reliability.samples import write_small_mnist

# --- what the monkey touches: (widget class, object name). A renamed widget is one line here. ---
W = {
    "tabs": (QTabWidget, "mainTabs"),
    "draw_tab": (QWidget, "drawTab"),
    "dataset_tab": (QWidget, "datasetTab"),
    "train_tab": (QWidget, "trainTab"),
    "canvas": (QWidget, "drawCanvas"),
    "clear": (QPushButton, "clearButton"),
    "undo": (QPushButton, "undoButton"),
    "paste": (QPushButton, "pasteButton"),
    "open_image": (QPushButton, "openImageButton"),
    "pen_width": (QAbstractSlider, "penWidthSlider"),
    "prediction": (QLabel, "predictionLabel"),
    "split": (QComboBox, "splitCombo"),
    "label_filter": (QComboBox, "labelFilterCombo"),
    "predicted_filter": (QComboBox, "predictedFilterCombo"),
    "mistakes_only": (QCheckBox, "misclassifiedOnlyCheck"),
    "sort": (QComboBox, "sortCombo"),
    "size": (QComboBox, "thumbnailSizeCombo"),
    "show_all": (QPushButton, "clearFiltersButton"),
    "grid": (QAbstractItemView, "datasetView"),
    "confusion": (QWidget, "confusionMatrixView"),
    "try_in_draw": (QPushButton, "tryInDrawButton"),
    "start": (QPushButton, "startTrainingButton"),
    "pause": (QPushButton, "pauseTrainingButton"),
    "stop": (QPushButton, "stopTrainingButton"),
    "use_model": (QPushButton, "useModelButton"),
    "save_model": (QPushButton, "saveModelButton"),
    "resume_checkpoint": (QPushButton, "resumeCheckpointButton"),
    "restore_defaults": (QPushButton, "restoreDefaultsButton"),
    "epochs": (QAbstractSpinBox, "epochsSpin"),
    "batch_size": (QAbstractSpinBox, "batchSizeSpin"),
    "subset": (QAbstractSpinBox, "subsetSpin"),
    "architecture": (QComboBox, "modelCombo"),
    "augment": (QCheckBox, "augmentCheck"),
    "loss_log_scale": (QCheckBox, "lossLogScaleCheck"),
    "load_model_action": (QAction, "loadModelAction"),
    "save_model_action": (QAction, "saveModelAction"),
    "open_image_action": (QAction, "openImageAction"),
    "about_action": (QAction, "aboutAction"),
}

SEED = int(os.environ.get("LENET_APP_MONKEY_SEED", "0"))
MONKEY_ACTIONS = int(os.environ.get("LENET_APP_MONKEY_ACTIONS", "800"))
MONKEY_SECONDS = float(os.environ.get("LENET_APP_MONKEY_SECONDS", "0"))  # > 0: a duration instead
WARM_UP = 0.2  # memory is compared from this fraction of the run on (caches filled, torch warm)
MEMORY_GROWTH_MB = 250  # generous: a leak over a soak grows far more; noise stays far below
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def rss_mb() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class Monkey:
    def __init__(self, window, rng: random.Random, tmp: Path) -> None:
        self.window = window
        self.rng = rng
        self.tmp = tmp
        self.done: Counter[str] = Counter()
        self.saved: list[Path] = []
        self.w = {key: find(window, kind, name) for key, (kind, name) in W.items()}
        self.tab_pages = [self.w["draw_tab"], self.w["dataset_tab"], self.w["train_tab"]]

    # --- helpers --------------------------------------------------------------------------

    def _point(self, widget: QWidget, margin: int = 4) -> QPoint:
        rect = widget.rect()
        return QPoint(self.rng.randint(rect.left() + margin, max(rect.right() - margin, rect.left() + margin)),
                      self.rng.randint(rect.top() + margin, max(rect.bottom() - margin, rect.top() + margin)))

    def _press(self, name: str) -> str:
        button: QAbstractButton = self.w[name]
        if not button.isEnabled() or not button.isVisible():
            return f"{name} (disabled)"
        click(button)
        return name

    def _keys(self, name: str, keys) -> str:
        widget = self.w[name]
        if not widget.isEnabled() or not widget.isVisible():
            return f"{name} (disabled)"
        widget.setFocus()
        for key in keys:
            QTest.keyClick(widget, key)
        return name

    def _combo(self, name: str) -> str:
        combo: QComboBox = self.w[name]
        steps = self.rng.randint(1, max(combo.count() - 1, 1))
        key = self.rng.choice([Qt.Key.Key_Down, Qt.Key.Key_Up])
        return self._keys(name, [key] * steps)

    def current_page(self) -> QWidget:
        return self.w["tabs"].currentWidget()

    # --- actions --------------------------------------------------------------------------

    def switch_tab(self) -> str:
        tabs: QTabWidget = self.w["tabs"]
        bar = tabs.tabBar()
        index = self.rng.randrange(tabs.count())
        click(bar, pos=bar.tabRect(index).center())
        return "switch tab"

    def resize(self) -> str:
        self.window.resize(self.rng.randint(640, 1600), self.rng.randint(480, 1000))
        return "resize window"

    def stroke(self) -> str:
        canvas = self.w["canvas"]
        point = self._point(canvas, 10)
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        for _ in range(self.rng.randint(1, 25)):
            point += QPoint(self.rng.randint(-25, 25), self.rng.randint(-25, 25))
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        return "stroke"

    def pen_width(self) -> str:
        return self._keys("pen_width", [self.rng.choice([Qt.Key.Key_Left, Qt.Key.Key_Right,
                                                         Qt.Key.Key_PageUp, Qt.Key.Key_PageDown])])

    def open_image(self, via_menu: bool = False) -> str:
        choice = self.rng.choice(sorted(SAMPLES.glob("*.png")) + [None])  # None: the user cancels
        self.next_open = str(choice) if choice is not None else ""
        if via_menu:
            self.w["open_image_action"].trigger()
            return "File > Open image"
        return self._press("open_image")

    def grid_click(self, double: bool = False) -> str:
        grid: QAbstractItemView = self.w["grid"]
        if not grid.isVisible():  # no image matches the filters: the user shows them all
            return self._press("show_all").replace("show_all", "show_all (grid empty)")
        viewport = grid.viewport()
        point = self._point(viewport, 2)
        if double:
            QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
            return "double-click grid item"
        click(viewport, pos=point)
        return "click grid item"

    def grid_keys(self) -> str:
        return self._keys("grid", [self.rng.choice([Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_End,
                                                    Qt.Key.Key_Home, Qt.Key.Key_Right, Qt.Key.Key_Down])])

    def confusion_click(self) -> str:
        view = self.w["confusion"]
        if not view.isVisible():
            return "confusion (not shown)"
        click(view, pos=self._point(view, 1))
        return "click confusion cell"

    def start_training(self) -> str:
        if not self.w["start"].isEnabled():
            return "start training (disabled)"
        if self.rng.random() < 0.7:  # a short run most of the time
            type_value(self.w["epochs"], str(self.rng.randint(1, 3)))
            type_value(self.w["batch_size"], str(self.rng.choice([16, 32, 64, 128])))
        return self._press("start").replace("start", "start training")

    def form_field(self) -> str:
        kind = self.rng.choice(["architecture", "augment", "subset", "restore_defaults", "loss_log_scale"])
        if kind == "architecture":
            return self._combo("architecture")
        if kind == "subset":
            if not self.w["subset"].isEnabled():
                return "subset (disabled)"
            type_value(self.w["subset"], str(self.rng.choice([0, 100, 200])))
            return "subset"
        return self._press(kind)

    def save_model(self, via_menu: bool = False) -> str:
        path = self.tmp / f"model-{len(self.saved)}.pt"
        self.next_save = str(path)
        if via_menu:
            self.w["save_model_action"].trigger()
            result = "File > Save model as"
        else:
            result = self._press("save_model")
        if path.exists():
            self.saved.append(path)
        return result

    def load_model(self) -> str:
        self.next_open = str(self.rng.choice(self.saved)) if self.saved else ""
        self.w["load_model_action"].trigger()
        return "File > Load model"

    def resume_checkpoint(self) -> str:
        self.next_open = str(self.rng.choice(self.saved)) if self.saved and self.rng.random() < 0.5 else ""
        return self._press("resume_checkpoint")

    def about(self) -> str:
        self.w["about_action"].trigger()
        return "Help > About"

    def act(self) -> str:
        """One action, drawn from those that make sense on the tab shown, and the global ones."""
        page = self.current_page()
        r = self.rng.random()
        if r < 0.08:
            return self.switch_tab()
        if r < 0.10:
            return self.resize()
        if r < 0.12:
            return self.rng.choice([self.load_model, lambda: self.save_model(True),
                                    lambda: self.open_image(True), self.about])()
        if page is self.w["draw_tab"]:
            actions = [(self.stroke, 10), (lambda: self._press("clear"), 2), (lambda: self._press("undo"), 2),
                       (self.pen_width, 1), (lambda: self._press("paste"), 0.3), (self.open_image, 0.5)]
        elif page is self.w["dataset_tab"]:
            actions = [(lambda: self._combo("split"), 1), (lambda: self._combo("label_filter"), 1.5),
                       (lambda: self._combo("predicted_filter"), 1.5), (lambda: self._press("mistakes_only"), 1.5),
                       (lambda: self._combo("sort"), 1), (lambda: self._combo("size"), 1),
                       (lambda: self._press("show_all"), 0.7), (self.grid_click, 3),
                       (lambda: self.grid_click(True), 0.7), (self.grid_keys, 1), (self.confusion_click, 2),
                       (lambda: self._press("try_in_draw"), 1)]
        else:
            actions = [(self.start_training, 3), (lambda: self._press("pause"), 1.5), (lambda: self._press("stop"), 1.5),
                       (lambda: self._press("use_model"), 1), (self.save_model, 1), (self.resume_checkpoint, 0.4),
                       (self.form_field, 1.5), (lambda: pause(self.rng.uniform(0.1, 0.6)) or "watch training", 3)]
        functions, weights = zip(*actions)
        return self.rng.choices(functions, weights)[0]()


@pytest.fixture
def monkey_window(qapp, qtbot, tmp_path, monkeypatch):
    from lenet_app.gui.main_window import MainWindow

    monkeypatch.delenv("LENET_APP_MNIST_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    mnist = write_small_mnist(tmp_path / "mnist", n_train=300, n_test=100, seed=SEED)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("mnist/dir", str(mnist))
    settings.setValue("train/device", "cpu")
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window_runner(window).shutdown()


def test_monkey(monkey_window, qtbot, tmp_path, monkeypatch):
    window = monkey_window
    rng = random.Random(SEED)
    monkey = Monkey(window, rng, tmp_path)
    monkey.next_open = monkey.next_save = ""
    boxes: Counter[str] = Counter()
    exceptions: list[str] = []
    qt_problems: list[str] = []

    def message_box(kind):
        def show(parent, title, text="", *args, **kwargs):
            boxes[f"{kind}: {title}"] += 1
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, message_box(kind))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (monkey.next_open, "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (monkey.next_save, "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    # A modal dialog of the app's own (export) would wait for a user: refused, and counted.
    monkeypatch.setattr(QDialog, "exec", lambda self: boxes.update([f"dialog {self.objectName()}"]) or 0)

    def excepthook(kind, value, tb):
        exceptions.append("".join(traceback.format_exception(kind, value, tb)))

    def on_qt_message(mode, context, message):
        if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            qt_problems.append(f"{mode.name}: {message}")

    monkeypatch.setattr(sys, "excepthook", excepthook)
    previous_handler = qInstallMessageHandler(on_qt_message)
    start_button = monkey.w["start"]

    def idle() -> bool:
        return not monkey.w["stop"].isEnabled() and running_jobs() == 0

    try:
        wait_until(lambda: start_button.isEnabled(), 60, "MNIST loaded")
        rss_start = rss_mb()
        rss_warm = None
        rss_series: list[float] = []
        began = time.monotonic()
        actions = 0
        while (time.monotonic() - began < MONKEY_SECONDS) if MONKEY_SECONDS else actions < MONKEY_ACTIONS:
            monkey.done[monkey.act()] += 1
            actions += 1
            pause(rng.choice([0, 0, 0.005, 0.02, 0.1]))
            progress = (time.monotonic() - began) / MONKEY_SECONDS if MONKEY_SECONDS else actions / MONKEY_ACTIONS
            if rss_warm is None and progress >= WARM_UP:
                rss_warm = rss_mb()
            if progress >= len(rss_series) / 10:  # every tenth of the run, for the report
                rss_series.append(rss_mb() or 0)
            if exceptions or qt_problems:
                break
        # The end: stop what runs, as a user would before closing, and everything must wind down.
        if monkey.w["pause"].isChecked():
            click(monkey.w["pause"])
        if monkey.w["stop"].isEnabled():
            click(monkey.w["stop"])
        wait_until(idle, 60, "the last run and every background job to end")
        rss_end = rss_mb()
        seconds = time.monotonic() - began
    finally:
        qInstallMessageHandler(previous_handler)

    report = [f"monkey: seed {SEED}, {actions} actions in {seconds:.0f} s",
              f"  resident memory: {rss_start or 0:.0f} MB at the start, {rss_warm or 0:.0f} MB after warm-up, "
              f"{rss_end or 0:.0f} MB at the end",
              "  resident memory every tenth of the run (MB): " + " ".join(f"{mb:.0f}" for mb in rss_series),
              f"  background jobs left: {running_jobs()}; Python threads alive: {threading.active_count()}",
              f"  exceptions: {len(exceptions)}; Qt critical messages: {len(qt_problems)}",
              "  actions:"] + [f"    {n:5d}  {kind}" for kind, n in sorted(monkey.done.items())]
    report += ["  message boxes and dialogs:"] + [f"    {n:5d}  {kind}" for kind, n in sorted(boxes.items())]
    text = "\n".join(report)
    print(text)
    if os.environ.get("LENET_APP_MONKEY_REPORT"):
        Path(os.environ["LENET_APP_MONKEY_REPORT"]).write_text(text + "\n", encoding="utf-8")
    assert not exceptions, f"{exceptions[0]}\n{text}"
    assert not qt_problems, f"{qt_problems}\n{text}"
    assert running_jobs() == 0, text
    if rss_warm is not None and rss_end is not None:
        assert rss_end - rss_warm < MEMORY_GROWTH_MB, f"memory grew by {rss_end - rss_warm:.0f} MB\n{text}"
    assert sum(n for kind, n in monkey.done.items() if "disabled" not in kind and "not shown" not in kind) \
        >= 0.5 * actions, text  # the monkey mostly did things, not clicked on dead controls
    ledger.record("long runs", "monkey: random user actions on the main window", actions)
