"""Hundreds of training runs in the real Train tab, each stopped, paused or left to finish at a
random moment (run by test_stop_stress.py).

    python stop_stress_child.py --mnist DIR --home DIR [--runs 300] [--seed 0] [--max-seconds 45]

A deadlock between the GUI thread and a background thread (issue 10: the GUI thread, holding the
GIL, waited for a Qt mutex that a worker's QObject destructor held while it waited for the GIL)
freezes the process for good, and no Python-level timeout can fire while the GIL is held. So
faulthandler's watchdog, a C thread, is re-armed for every run: a run that has not ended
RUN_WATCHDOG_S later dumps every thread's stack and ends the process with status 1.

The moment of each Stop is drawn from the length of a whole run on this machine, measured on the
runs that finished, so stops land at every phase of a run (starting, mid-batch, the epoch-end
test pass, the very end) however fast the machine is. The last line printed is a JSON summary.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import random
import statistics
import sys
import time
import traceback
from collections import Counter
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", required=True, help="a tiny MNIST folder: each run lasts well under a second")
    parser.add_argument("--home", required=True)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=0, help="end early after this long (0: never)")
    parser.add_argument("--run-watchdog-s", type=float, default=30,
                        help="a run (or the start-up) not over after this long is a deadlock")
    args = parser.parse_args()
    faulthandler.dump_traceback_later(max(args.run_watchdog_s, 120), exit=True)  # start-up
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSpinBox, QTabWidget, QWidget

    from lenet_app.gui.main_window import MainWindow
    from reliability.background import running_jobs
    from reliability.driving import answer_message_boxes, click, find, type_value, wait_until
    from reliability.driving import pause as pause_for

    problems: list[str] = []

    def excepthook(kind, value, tb):
        problems.append("exception: " + "".join(traceback.format_exception(kind, value, tb)))
        sys.__excepthook__(kind, value, tb)

    def on_qt_message(mode, context, message):
        if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            problems.append(f"Qt {mode.name}: {message}")
        print(f"Qt {mode.name}: {message}", file=sys.stderr)

    sys.excepthook = excepthook
    qInstallMessageHandler(on_qt_message)
    answer_message_boxes(lambda kind, title, text: problems.append(f"message box {kind}: {title}: {text}"))

    app = QApplication([sys.argv[0]])
    settings = QSettings(str(Path(args.home) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("mnist/dir", args.mnist)
    settings.setValue("train/device", "cpu")
    window = MainWindow(settings=settings)
    window.resize(1180, 780)
    window.show()
    tabs = find(window, QTabWidget, "mainTabs")
    tabs.setCurrentWidget(find(window, QWidget, "trainTab"))
    start = find(window, QPushButton, "startTrainingButton")
    stop = find(window, QPushButton, "stopTrainingButton")
    pause = find(window, QPushButton, "pauseTrainingButton")
    result = find(window, QLabel, "resultBannerLabel")

    def idle() -> bool:
        return start.isEnabled() and not stop.isEnabled() and running_jobs() == 0

    wait_until(idle, 60, "MNIST loaded and the Train tab idle")
    type_value(find(window, QSpinBox, "epochsSpin"), str(args.epochs))
    type_value(find(window, QSpinBox, "batchSizeSpin"), str(args.batch_size))
    type_value(find(window, QSpinBox, "subsetSpin"), "0")  # "All": the whole (small) set

    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    plans: Counter[str] = Counter()
    whole_runs: list[float] = []  # seconds from Start to idle, for runs left to finish
    began = time.monotonic()
    runs = 0
    for runs in range(1, args.runs + 1):
        faulthandler.dump_traceback_later(args.run_watchdog_s, exit=True)
        wait_until(idle, args.run_watchdog_s, "the Train tab to be idle")
        typical = statistics.median(whole_runs) if whole_runs else 0.0
        roll = rng.random()
        plan = ("finish" if len(whole_runs) < 3 or roll < 0.15 else
                "pause" if roll < 0.3 else "stop")
        plans[plan] += 1
        at = rng.uniform(0, 1.1 * typical)  # up to a little after a whole run would have ended
        t0 = time.monotonic()
        click(start)
        if plan != "finish":
            wait_until(lambda: time.monotonic() - t0 >= at or idle(), args.run_watchdog_s, "the moment")
            if plan == "pause" and pause.isEnabled():
                click(pause)
                pause_for(rng.uniform(0, 0.1))
                if pause.isEnabled() and rng.random() < 0.5:
                    click(pause)  # resume, and let it finish
                elif stop.isEnabled():
                    click(stop)
            elif stop.isEnabled():
                click(stop)
        wait_until(idle, args.run_watchdog_s, "the run to end")
        if plan == "finish":
            whole_runs.append(time.monotonic() - t0)
        text = result.text()
        outcome = next((word for word in ("Finished", "Stopped") if text.startswith(word)), None)
        if outcome is None:
            problems.append(f"run {runs} ({plan} at {at * 1000:.0f} ms) ended with: {text!r}")
            outcome = "other"
        outcomes[outcome] += 1
        if runs % 50 == 0:  # where a deadlock's stacks (on stderr) came in the sequence
            print(f"{runs} runs done: {dict(outcomes)}", file=sys.stderr, flush=True)
        if args.max_seconds and time.monotonic() - began > args.max_seconds:
            break
    faulthandler.dump_traceback_later(args.run_watchdog_s, exit=True)
    seconds = time.monotonic() - began
    window.close()
    app.processEvents()
    faulthandler.cancel_dump_traceback_later()
    print(json.dumps({"runs": runs, "seconds": round(seconds, 1), "outcomes": dict(outcomes),
                      "plans": dict(plans), "whole_run_ms": round(statistics.median(whole_runs) * 1000),
                      "jobs_left": running_jobs(), "problems": problems}), flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
