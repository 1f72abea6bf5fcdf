"""GUI figures: the real MainWindow, offscreen, driven through its public widgets and API.

* responsiveness while the Train tab trains: a 10 ms precise QTimer on the GUI thread; its
  lateness (interval - 10 ms, floored at 0: Qt schedules the next tick from the missed one,
  so a late tick is followed by an early one) over every tick of the timed training runs;
* GUI vs CLI training throughput: the same TrainConfig trained from the Train tab (worker
  thread, live charts) and by the core Trainer on the main thread, as `lenet-app train` runs
  it, alternately in one process; images/s is EpochEnd.images_per_second in both;
* dataset grid: opening the Dataset tab until the end of the first paint of the grid's
  viewport that shows thumbnails; a filter change until the end of the next such paint; a
  synchronous `viewport().repaint()` after scrolling one page down;
* start-up (fresh interpreters) and resident memory (its own process): see STARTUP_CHILD and
  `memory_child`.

Nothing here sleeps the GUI thread: waits run a local QEventLoop that a poll timer quits.
Each window gets a temporary settings file and temporary user data folders, and the
checkpoints the Train tab writes are deleted. Module-level imports are the standard library
only, so the child processes measure the app, not this file.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
JSON_PREFIX = "BENCH_JSON "
PROBE_MS = 10
GUI_TRAIN_TIMEOUT_S = 600.0
_app_ref: list[Any] = []  # the QApplication outlives every window of the run


# ================================================================================ helpers


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else float("nan")


def median(values: list[float]) -> float:
    return percentile(values, 50)


def qt_app():
    """The process's QApplication, made the way the app makes it (names, icon, translator)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lenet_app.gui.app import create_application

    if not _app_ref:
        _app_ref.append(create_application([sys.argv[0] or "lenet-app-bench"]))
    return _app_ref[0]


def wait_until(predicate: Callable[[], bool], timeout_s: float, poll_ms: int = 10) -> bool:
    """Run the event loop until `predicate()` holds (True) or `timeout_s` passes (False)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    outcome = [False]

    def check() -> None:
        if predicate():
            outcome[0] = True
            loop.quit()
        elif time.perf_counter() >= deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(poll_ms)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return outcome[0]


def settle(seconds: float) -> None:
    """Let the event loop run (layouts, deferred paints, finished threads) for a while."""
    wait_until(lambda: False, seconds, poll_ms=max(1, int(seconds * 1000 / 4)))


@contextlib.contextmanager
def isolated_user_dirs() -> Iterator[Path]:
    """Point the app's per-user folders (training runs, logs) at a temporary folder."""
    names = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "LOCALAPPDATA")
    saved = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory(prefix="lenet-bench-") as tmp:
        for name in names:
            os.environ[name] = str(Path(tmp) / name.lower())
        try:
            yield Path(tmp)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


_tiny_dirs: dict[tuple[str, int], Path] = {}


def app_mnist_dir(ctx) -> Path:
    """The folder the app loads: the real MNIST, or (with --subset N) its first N images of each
    split written as a small MNIST folder, so the GUI figures run in seconds for the test."""
    subset = getattr(ctx, "subset", 0)
    if not subset:
        return Path(ctx.mnist_dir)
    key = (str(ctx.mnist_dir), subset)
    if key not in _tiny_dirs:
        import numpy as np

        from lenet_app.core.mnist import FILES, load_split

        folder = Path(tempfile.mkdtemp(prefix=f"lenet-bench-mnist{subset}-"))
        for split, (image_name, label_name) in FILES.items():
            data = load_split(ctx.mnist_dir, split)
            for name, array in ((image_name, data.images[:subset]),
                                (label_name, data.labels[:subset].astype(np.uint8))):
                header = bytes([0, 0, 8, array.ndim]) + b"".join(
                    int(d).to_bytes(4, "big") for d in array.shape)
                (folder / name).write_bytes(header + np.ascontiguousarray(array, np.uint8).tobytes())
        _tiny_dirs[key] = folder
    return _tiny_dirs[key]


# ================================================================================ the window


class Session:
    """One real MainWindow with temporary settings, shown offscreen, MNIST loaded and evaluated."""

    def __init__(self, mnist_dir: Path, tmp: Path, tab: str = "draw") -> None:
        from PySide6.QtCore import QSettings, QTimer
        from PySide6.QtWidgets import QApplication

        self.app = qt_app()
        from lenet_app.core import runtime

        # As `lenet-app` starts its window (gui/app.py run_app): the GUI thread on one torch
        # thread, so a training run's OpenMP team is the only one.
        runtime.configure("gui")
        runtime.reserve_gui_thread()
        from lenet_app.gui.main_window import MainWindow

        self.settings_path = tmp / f"settings-{time.monotonic_ns()}.ini"
        settings = QSettings(str(self.settings_path), QSettings.Format.IniFormat)
        settings.setValue("mnist/dir", str(mnist_dir))
        settings.setValue("window/tab", {"draw": 0, "dataset": 1, "train": 2}[tab])
        settings.sync()
        self.window = MainWindow(settings=settings)
        self.dialogs: list[str] = []
        # A message box would block the run forever offscreen: note its text and close it.
        self._guard = QTimer()
        self._guard.setInterval(250)
        self._guard.timeout.connect(self._close_modal)
        self._guard.start()
        self.window.show()
        if not wait_until(lambda: self.window.dataset.available or self.window.dataset.error, 120):
            raise RuntimeError("MNIST did not load in the window within 120 s")
        if not self.window.dataset.available:
            raise RuntimeError(f"the window could not load MNIST: {self.window.dataset.error}")
        QApplication.processEvents()

    def _close_modal(self) -> None:
        from PySide6.QtWidgets import QApplication

        widget = QApplication.activeModalWidget()
        if widget is not None:
            self.dialogs.append(getattr(widget, "text", lambda: type(widget).__name__)())
            widget.close()

    def wait_evaluated(self, timeout_s: float = 300) -> None:
        """Both splits' predictions done: nothing else competes for the CPU from here on."""
        tab = self.window.dataset_tab
        if not wait_until(lambda: not tab.evaluating()
                          and all(tab.predictions(name) is not None for name in ("test", "train")),
                          timeout_s):
            raise RuntimeError("the Dataset tab's evaluation did not finish in time")

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        tab = self.window.train_tab
        if tab.is_training():  # only after a failure: stop the run so the window can close
            tab.stop_button.click()
            wait_until(lambda: not tab.is_training(), 120)
        self._guard.stop()
        self.window.close()
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        settle(0.05)


# ================================================================================ probes


class LatenessProbe:
    """A 10 ms precise timer on the GUI thread; records how late each tick fires."""

    def __init__(self, interval_ms: int = PROBE_MS) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.lateness_ms: list[float] = []
        self._last: float | None = None

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._last = None

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.lateness_ms.append(max(0.0, (now - self._last) * 1000 - self.interval_ms))
        self._last = now


def _paint_watcher(view):
    """Times every paint of a list view's viewport: (start, end, thumbnails shown).

    The filter delivers the paint event itself (exactly as QAbstractScrollArea's own viewport
    filter would, via viewportEvent) so that it can note when the paint has finished.
    """
    from PySide6.QtCore import QEvent, QObject, QPoint

    class PaintWatcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.viewport = view.viewport()
            self.paints: list[tuple[float, float, bool]] = []
            self._inside = False
            self.viewport.installEventFilter(self)

        def shows_items(self) -> bool:
            cell = view.gridSize()
            return view.indexAt(QPoint(cell.width() // 2, cell.height() // 2)).isValid()

        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if obj is self.viewport and event.type() == QEvent.Type.Paint and not self._inside:
                self._inside = True
                start = time.perf_counter()
                try:
                    view.viewportEvent(event)
                finally:
                    self._inside = False
                self.paints.append((start, time.perf_counter(), self.shows_items()))
                return True
            return False

        def first_with_items(self, after: int = 0) -> float | None:
            for _start, end, items in self.paints[after:]:
                if items:
                    return end
            return None

        def remove(self) -> None:
            self.viewport.removeEventFilter(self)

    return PaintWatcher()


def _wait_layout_stable(view, timeout_s: float = 30) -> None:
    """QListView lays out in batches: wait until the scroll range stops growing."""
    bar = view.verticalScrollBar()
    last = [-1, time.perf_counter()]

    def stable() -> bool:
        now = time.perf_counter()
        if bar.maximum() != last[0]:
            last[0], last[1] = bar.maximum(), now
            return False
        return now - last[1] >= 0.15

    wait_until(stable, timeout_s, poll_ms=20)


# ================================================================================ training


def _gui_run(session: Session, probe: LatenessProbe | None):
    """Click Start on the Train tab and wait, without blocking the GUI thread, until the run
    ends; its `EpochEnd` (what the tab's log shows)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from lenet_app.core.training import EpochEnd, Finished

    tab = session.window.train_tab
    if probe is not None:
        probe.start()
    try:
        QTest.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        if not tab.is_training():
            raise RuntimeError(f"the Train tab did not start: {session.dialogs or 'no reason shown'}")
        if not wait_until(lambda: not tab.is_training(), GUI_TRAIN_TIMEOUT_S):
            tab.stop_button.click()
            wait_until(lambda: not tab.is_training(), 60)
            raise RuntimeError(f"the GUI training run took over {GUI_TRAIN_TIMEOUT_S:.0f} s")
    finally:
        if probe is not None:
            probe.stop()
    if tab.trainer is not None and tab.trainer.checkpoint_path is not None:
        tab.trainer.checkpoint_path.unlink(missing_ok=True)
    epoch = tab.last_epoch
    if not isinstance(tab.ended_event, Finished) or not isinstance(epoch, EpochEnd):
        raise RuntimeError(f"the GUI training run did not finish: {tab.ended_event}")
    return epoch


def gui_training(ctx, **overrides: Any) -> dict:
    """The Train tab of a real window against `lenet-app train` in a subprocess, alternating on
    the same recipe (1 epoch of a 20,000-image subset); then the GUI-thread lateness in runs with
    the 10 ms probe (kept out of the throughput runs: it wakes the GUI thread 100 times a second,
    which no user does); then the default recipe's time to 99.0% in the Train tab, the probe on
    (its lateness pooled with the others').
    `overrides` change the TrainConfig of both (e.g. threads=1, for experiments)."""
    from benchmarks.training import busy_process, cli_train
    from lenet_app.core import runtime
    from lenet_app.core.training import TrainConfig

    images = 2000 if ctx.quick else 20000
    pairs = 1 if ctx.quick else 5
    config = TrainConfig(**{"epochs": 1, "subset": images, "device": "cpu", **overrides})
    warmup = TrainConfig(**{**config.to_dict(), "subset": 512})
    cli_args = ["--device", "cpu", "--epochs", "1", "--subset", str(images)]
    cli_args += [arg for name, value in overrides.items() for arg in (f"--{name.replace('_', '-')}", str(value))]
    with isolated_user_dirs() as tmp:
        session = Session(app_mnist_dir(ctx), tmp, tab="train")
        try:
            session.wait_evaluated()
            window = session.window
            window.tabs.setCurrentWidget(window.train_tab)
            form = window.train_tab.form

            def set_form(cfg) -> None:
                rejected = form.set_config(cfg)
                if rejected or form.config().to_dict() != cfg.to_dict():
                    raise RuntimeError(f"the Train form cannot hold the benchmark config: {rejected}")

            set_form(warmup)  # the first run pays one-off costs (kernels, thread pools)
            _gui_run(session, None)
            set_form(config)
            settle(0.2)
            gui, cli, cli_runtime = [], [], None
            for pair in range(pairs):
                order = ("gui", "cli") if pair % 2 == 0 else ("cli", "gui")
                for kind in order:
                    if kind == "gui":
                        gui.append(_gui_run(session, None).images_per_second)
                    else:
                        run = cli_train(ctx.mnist_dir, cli_args)
                        cli.append(run.images_per_second)
                        cli_runtime = run.runtime
                    settle(0.2)
            probe = LatenessProbe()
            probed = [_gui_run(session, probe).images_per_second for _ in range(1 if ctx.quick else 3)]
            default = TrainConfig(device="cpu", **({"subset": images} if ctx.quick else {}))
            to_99 = []
            for seed in range(1 if ctx.quick else 3):
                set_form(TrainConfig(**{**default.to_dict(), "seed": seed}))
                settle(0.2)
                epoch = _gui_run(session, probe)  # training seconds of the whole run, evaluation excluded
                to_99.append((window.train_tab.ended_event.train_seconds, epoch.test_accuracy))
            set_form(config)
            loaded_probe = LatenessProbe()
            with busy_process():  # another program keeps one core busy
                loaded_gui = [_gui_run(session, loaded_probe).images_per_second for _ in range(1 if ctx.quick else 2)]
                loaded_cli = [cli_train(ctx.mnist_dir, cli_args).images_per_second
                              for _ in range(1 if ctx.quick else 2)]
            gui_runtime = runtime.describe()
        finally:
            session.close()
    ratios = [g / c for g, c in zip(gui, cli)]
    late = probe.lateness_ms
    return {"gui": median(gui), "cli": median(cli), "ratio": median(ratios), "ratios": ratios,
            "probed": median(probed), "images": images, "epochs_default": default.epochs,
            "to_99": to_99, "gui_runtime": gui_runtime, "cli_runtime": cli_runtime,
            "ticks": len(late), "p50": percentile(late, 50), "p99": percentile(late, 99),
            "max": max(late) if late else float("nan"),
            "loaded": {"gui": median(loaded_gui), "cli": median(loaded_cli), "ticks": len(loaded_probe.lateness_ms),
                       "p99": percentile(loaded_probe.lateness_ms, 99),
                       "max": max(loaded_probe.lateness_ms) if loaded_probe.lateness_ms else float("nan")}}


def run_child(name: str, mnist_dir: str, quick: bool) -> None:
    """Benchmark `name` (a function of this module) in a fresh interpreter, as the app runs: the
    benchmarks before it in the `make bench` process (the tutorial's DataLoader, torch.optim,
    thread settings) stay out. Prints its result as one JSON line."""
    from types import SimpleNamespace

    result = globals()[name](SimpleNamespace(quick=quick, mnist_dir=Path(mnist_dir), subset=0))
    print(JSON_PREFIX + json.dumps(result), flush=True)
    os._exit(0)


def in_child(name: str, ctx, timeout_s: float) -> dict:
    """The result of `run_child(name, …)` in a subprocess with the app's environment."""
    code = "import sys, benchmarks.gui as g; g.run_child(sys.argv[1], sys.argv[2], sys.argv[3] == '1')"
    mnist_dir = app_mnist_dir(ctx)
    with tempfile.TemporaryDirectory(prefix=f"lenet-bench-{name}-") as tmp:
        env = _child_env(mnist_dir, Path(tmp))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        return _child_json([sys.executable, "-c", code, name, str(mnist_dir), "1" if ctx.quick else "0"],
                           env, timeout_s)


def gui_training_in_child(ctx) -> dict:
    return in_child("gui_training", ctx, 2 * GUI_TRAIN_TIMEOUT_S)


# ================================================================================ drawing


DRAW_EVENT_MS = 8  # one mouse move per 8 ms: a 125 Hz mouse


def _digit_strokes(count: int) -> list[list[tuple[float, float]]]:
    """`count` strokes in canvas units, each ~60 points (a 0, a 7, a 1 in turn), as a hand draws."""
    import math

    shapes = [
        [(0.5 + 0.22 * math.sin(2 * math.pi * i / 60), 0.5 - 0.32 * math.cos(2 * math.pi * i / 60))
         for i in range(63)],
        [(0.28 + 0.46 * i / 20, 0.18) for i in range(21)]
        + [(0.74 - 0.30 * i / 40, 0.18 + 0.68 * i / 40) for i in range(1, 41)],
        [(0.52, 0.14 + 0.72 * i / 60) for i in range(61)],
    ]
    return [shapes[i % len(shapes)] for i in range(count)]


def gui_drawing(ctx) -> dict:
    """GUI-thread lateness while a user draws on the Draw tab with the network view showing.

    The real window at its default size; strokes arrive as real mouse events from a timer, one
    move per DRAW_EVENT_MS, the canvas cleared between digits, while the probe timer records
    how late the GUI thread serves it. The Dataset tab's evaluation is awaited first, so only
    drawing (prediction, activations, painting the canvas and the network view) loads it.
    """
    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtTest import QTest

    strokes = _digit_strokes(6 if ctx.quick else 30)
    mnist_dir = app_mnist_dir(ctx)
    with isolated_user_dirs() as tmp:
        session = Session(mnist_dir, tmp, tab="draw")
        try:
            window = session.window
            window.resize(1180, 780)
            session.wait_evaluated()
            tab = window.draw_tab
            window.tabs.setCurrentWidget(tab)
            settle(0.3)
            if not tab.network.view.isVisible():
                raise RuntimeError("the network view is not visible in the Draw tab")
            canvas = tab.canvas
            updates = [0]
            tab.activations.changed.connect(lambda: updates.__setitem__(0, updates[0] + 1))
            events = []  # (kind, x, y) in canvas units; kind: press, move, release, clear
            for points in strokes:
                events.append(("press", *points[0]))
                events += [("move", x, y) for x, y in points[1:]]
                events += [("release", *points[-1]), ("clear", 0.0, 0.0)]
            square = canvas.drawing_rect()

            def at(x: float, y: float) -> QPoint:
                return QPoint(round(square.left() + x * square.width()), round(square.top() + y * square.height()))

            position = [0]
            probe = LatenessProbe()
            driver = QTimer()
            driver.setTimerType(Qt.TimerType.PreciseTimer)
            driver.setInterval(DRAW_EVENT_MS)

            def step() -> None:
                kind, x, y = events[position[0]]
                position[0] += 1
                button, modifier = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
                if kind == "press":
                    QTest.mousePress(canvas, button, modifier, at(x, y))
                elif kind == "move":
                    QTest.mouseMove(canvas, at(x, y))
                elif kind == "release":
                    QTest.mouseRelease(canvas, button, modifier, at(x, y))
                else:
                    tab.clear()
                if position[0] == len(events):
                    driver.stop()

            driver.timeout.connect(step)
            start = time.perf_counter()
            probe.start()
            driver.start()
            wait_until(lambda: position[0] == len(events), 600)
            settle(0.2)
            probe.stop()
            seconds = time.perf_counter() - start
        finally:
            session.close()
    late = probe.lateness_ms
    return {"ticks": len(late), "p50": percentile(late, 50), "p99": percentile(late, 99),
            "max": max(late) if late else float("nan"), "strokes": len(strokes),
            "events": len(events), "updates": updates[0], "seconds": seconds}


def gui_drawing_in_child(ctx) -> dict:
    return in_child("gui_drawing", ctx, 900)


# ================================================================================ dataset grid


def _first_open_ms(session: Session) -> float:
    """Show the Dataset tab (setCurrentWidget) until its first paint with thumbnails ends."""
    window = session.window
    tab = window.dataset_tab
    watcher = _paint_watcher(tab.browser.view)
    try:
        start = time.perf_counter()
        window.tabs.setCurrentWidget(tab)
        if not wait_until(lambda: watcher.first_with_items() is not None, 30, poll_ms=5):
            raise RuntimeError("the Dataset tab painted no thumbnails within 30 s")
        return (watcher.first_with_items() - start) * 1000
    finally:
        watcher.remove()


def grid(ctx) -> dict:
    """First screen (fresh windows), filter switches and page-scroll repaints (train split)."""
    windows = 1 if ctx.quick else 3
    first: list[float] = []
    filters: list[float] = []
    scrolls: list[float] = []
    rows = 0
    with isolated_user_dirs() as tmp:
        for number in range(windows):
            session = Session(app_mnist_dir(ctx), tmp, tab="draw")
            try:
                session.wait_evaluated()
                settle(0.2)
                first.append(_first_open_ms(session))
                if number == 0:
                    filters, scrolls, rows = _filters_and_scrolls(session, ctx.quick)
            finally:
                session.close()
    return {"first": median(first), "first_all": first, "rows": rows,
            "filter": median(filters) if filters else float("nan"),
            "filter_max": max(filters) if filters else float("nan"), "filter_n": len(filters),
            "scroll": median(scrolls) if scrolls else float("nan"),
            "scroll_p90": percentile(scrolls, 90), "scroll_n": len(scrolls)}


def _filters_and_scrolls(session: Session, quick: bool) -> tuple[list[float], list[float], int]:
    tab = session.window.dataset_tab
    view = tab.browser.view
    filter_bar = tab.browser.filters
    watcher = _paint_watcher(view)
    try:
        count = len(watcher.paints)
        filter_bar.split_combo.setCurrentIndex(filter_bar.split_combo.findData("train"))
        wait_until(lambda: watcher.first_with_items(count) is not None, 30, poll_ms=5)
        _wait_layout_stable(view)
        rows = tab.browser.images_model.rowCount()

        def label(value):
            return lambda: filter_bar.label_combo.setCurrentIndex(filter_bar.label_combo.findData(value))

        def mistakes(on: bool):
            return lambda: filter_bar.misclassified_check.setChecked(on)

        digits = (3,) if quick else tuple(range(10))
        switches = [step for d in digits for step in (label(d), label(None))]
        switches += [mistakes(True), mistakes(False)] * (1 if quick else 3)
        filters = []
        for switch in switches:
            view.scrollToTop()
            settle(0.05)
            count = len(watcher.paints)
            start = time.perf_counter()
            switch()
            if tab.browser.images_model.rowCount() == 0:  # "no images match": the grid is not shown at all
                settle(0.05)
                continue
            if not wait_until(lambda: watcher.first_with_items(count) is not None, 30, poll_ms=5):
                raise RuntimeError("the grid did not repaint after a filter change")
            filters.append((watcher.first_with_items(count) - start) * 1000)
        _wait_layout_stable(view)

        view.scrollToTop()
        settle(0.1)
        bar = view.verticalScrollBar()
        scrolls = []
        for _ in range(5 if quick else 20):
            if bar.value() >= bar.maximum():
                break
            bar.setValue(bar.value() + bar.pageStep())
            start = time.perf_counter()
            view.viewport().repaint()
            scrolls.append((time.perf_counter() - start) * 1000)
            settle(0.03)
        return filters, scrolls, rows
    finally:
        watcher.remove()


# ================================================================================ start-up

STARTUP_CHILD = r'''
import time
started = time.time()
import json, os, sys
launch, settings_path = float(sys.argv[1]), sys.argv[2]
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer
from lenet_app.core import runtime
runtime.configure("gui")
from lenet_app.gui.app import create_application
app = create_application([sys.argv[0]])
runtime.reserve_gui_thread()  # as run_app: this imports torch
from lenet_app.gui.main_window import MainWindow
imported = time.time()
window = MainWindow(settings=QSettings(settings_path, QSettings.Format.IniFormat))
built = time.time()
marks = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "paint" not in marks:
            marks["paint"] = time.time()
            # runs once the paint pass that holds this event has been flushed
            QTimer.singleShot(0, lambda: marks.setdefault("shown", time.time()))
        return False
first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
loop = QEventLoop()
poll = QTimer()
poll.timeout.connect(lambda: ("shown" in marks or time.time() - launch > 120) and loop.quit())
poll.start(2)
loop.exec()
if "shown" not in marks:
    print("no paint of the main window within 120 s", file=sys.stderr)
    os._exit(3)
from PIL import Image, ImageDraw
canvas = Image.new("L", (280, 280), 0)
ImageDraw.Draw(canvas).line([(90, 60), (190, 60), (120, 230)], fill=255, width=22)
window.draw_tab.set_image(canvas)
prediction = window.draw_tab.current_prediction()
predicted = time.time()
if prediction is None or prediction.digit is None:
    print("the Draw tab gave no prediction", file=sys.stderr)
    os._exit(4)
print("BENCH_JSON " + json.dumps({key: value - launch for key, value in {
    "interpreter": started, "imported": imported, "built": built, "shown": marks["shown"],
    "predicted": predicted}.items()} | {"digit": prediction.digit}), flush=True)
os._exit(0)
'''


def _child_env(mnist_dir: Path, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM", "offscreen"),
                "LENET_APP_MNIST_DIR": str(mnist_dir),
                "XDG_DATA_HOME": str(tmp / "data"), "XDG_CONFIG_HOME": str(tmp / "config"),
                "LOCALAPPDATA": str(tmp / "localappdata")})
    return env


def _child_json(command: list[str], env: dict[str, str], timeout_s: float) -> dict:
    proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(JSON_PREFIX)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{command[:2]} exited with {proc.returncode}: "
                           f"{(proc.stderr or proc.stdout).strip()[-2000:]}")
    return json.loads(lines[-1][len(JSON_PREFIX):])


def startup(ctx) -> dict:
    """Median over fresh interpreters of launch → window shown and → first prediction."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="lenet-bench-startup-") as tmp_name:
        tmp = Path(tmp_name)
        for run in range(1 if ctx.quick else 3):
            run_dir = tmp / f"run{run}"
            run_dir.mkdir()
            settings = run_dir / "settings.ini"
            env = _child_env(app_mnist_dir(ctx), run_dir)
            launch = time.time()
            runs.append(_child_json([sys.executable, "-c", STARTUP_CHILD, repr(launch), str(settings)],
                                    env, 180))
    return {key: median([r[key] for r in runs]) for key in
            ("interpreter", "imported", "built", "shown", "predicted")} | {"runs": len(runs)}


# ================================================================================ memory


def _status_mib(status: str) -> dict[str, float]:
    """VmRSS and VmHWM (MiB) from the text of /proc/self/status."""
    values = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024  # kB -> MiB
    return values


def memory_child(mnist_dir: str, pages: int, tmp: str, status_after_torch: str) -> None:
    """In its own process (user folders already temporary): window, MNIST loaded and evaluated,
    the grid open on the training set and scrolled; print VmRSS and VmHWM in MiB, and the
    VmRSS right after `import torch` (the child's first statement) for comparison."""
    import torch

    session = Session(Path(mnist_dir), Path(tmp), tab="draw")
    session.wait_evaluated()
    window = session.window
    tab = window.dataset_tab
    window.tabs.setCurrentWidget(tab)
    settle(0.2)
    filters = tab.browser.filters
    filters.split_combo.setCurrentIndex(filters.split_combo.findData("train"))
    _wait_layout_stable(tab.browser.view)
    bar = tab.browser.view.verticalScrollBar()
    for _ in range(pages):
        bar.setValue(bar.value() + bar.pageStep())
        tab.browser.view.viewport().repaint()
        settle(0.02)
    settle(0.2)
    status = {"rows": tab.browser.images_model.rowCount(), "torch": torch.__version__, "cuda": torch.version.cuda,
              "torch_rss": _status_mib(status_after_torch)["VmRSS"],
              **_status_mib(Path("/proc/self/status").read_text())}
    print(JSON_PREFIX + json.dumps(status), flush=True)
    os._exit(0)  # the measurement is taken; skip tearing the window down


def cpu_only_python() -> Path | None:
    """The interpreter of `make dist CPU_ONLY=1` (.venv-cpu), or LENET_BENCH_CPU_PYTHON."""
    explicit = os.environ.get("LENET_BENCH_CPU_PYTHON")
    candidate = Path(explicit) if explicit else ROOT / ".venv-cpu" / "bin" / "python"
    return candidate if candidate.exists() else None


def memory(ctx, python: str | os.PathLike = sys.executable) -> dict | None:
    """Resident memory of the app run by `python` (this interpreter unless given)."""
    if not Path("/proc/self/status").exists():
        return None
    code = ("import sys, torch; status = open('/proc/self/status').read(); import benchmarks.gui as g; "
            "g.memory_child(sys.argv[1], int(sys.argv[2]), sys.argv[3], status)")
    mnist_dir = app_mnist_dir(ctx)
    with tempfile.TemporaryDirectory(prefix="lenet-bench-memory-") as tmp:
        env = _child_env(mnist_dir, Path(tmp))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        pages = "3" if ctx.quick else "10"
        return _child_json([str(python), "-c", code, str(mnist_dir), pages, tmp], env, 300)
