"""The app, driven like a user who closes it while it works (run by test_close_mid_work.py).

    python close_child.py --kinds training,evaluation,download,stalled-download --seed 3 \
        --mnist DIR --mnist-small DIR --home DIR

Each kind is one round: a new main window, the work started (training, the Dataset tab's
evaluation of MNIST, or a download), and the window closed after a random 20–400 ms, with
"Yes" answered when it asks whether to stop training. The last round's close ends the
application exactly as `lenet-app` does: the event loop returns and the process exits with
app.exec()'s status. One JSON line per round tells the test what happened.

Every close lands mid-work by construction, whatever the machine's speed: a training run is
1000 epochs long, the download never ends by itself, and in evaluation rounds the core's
evaluation, once it has read every image, waits for Cancel instead of returning.

The download is the Dataset tab's real worker with the network replaced by a slow fake that
sometimes blocks for 300 ms without looking at Cancel, like a socket read; a stalled download
blocks for 1.5 s, longer than closing waits for it (shortened to --stall-timeout-ms).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import random
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mnist", required=True, help="MNIST for evaluation rounds (big enough to take a while)")
    parser.add_argument("--mnist-small", required=True, help="MNIST for training rounds")
    parser.add_argument("--home", required=True)
    parser.add_argument("--stall-timeout-ms", type=int, default=1000,
                        help="how long closing waits for a cancelled worker in stalled-download rounds")
    parser.add_argument("--watchdog-s", type=float, default=100,
                        help="dump every thread's stack and exit after this long (a deadlock)")
    args = parser.parse_args()
    # GIL-proof: ends a deadlocked process with its stacks, before the test's own timeout.
    faulthandler.dump_traceback_later(args.watchdog_s, exit=True)
    kinds = args.kinds.split(",")
    rng = random.Random(args.seed)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from lenet_app.core import evaluation as core_evaluation
    from lenet_app.core import mnist as core_mnist
    from lenet_app.core.errors import Cancelled
    from lenet_app.gui import app as app_module
    from lenet_app.gui import jobs
    from lenet_app.gui.main_window import MainWindow

    normal_timeout = jobs.SHUTDOWN_TIMEOUT_S

    def slow_download(dest=None, progress=None, cancel=None):
        done, total = 0, 11_594_722
        while True:
            if cancel is not None and cancel():
                raise Cancelled("MNIST download cancelled")
            if state["kind"] == "stalled-download":
                time.sleep(1.5)  # a dead connection: longer than the shutdown waits
            else:
                time.sleep(rng.choice([0.002, 0.02, 0.3]))  # 0.3 s: a read that ignores Cancel
            done += 65_536
            if progress is not None:
                progress(done, total)

    core_mnist.download_mnist = slow_download

    real_evaluate_tensors = core_evaluation.evaluate_tensors

    def evaluate_until_cancelled(model, images, labels, batch_size=1000, progress=None, cancel=None):
        """The real evaluation; in evaluation rounds it then holds on until Cancel comes, so the
        close surely lands mid-evaluation, however fast this machine reads the images."""
        result = real_evaluate_tensors(model, images, labels, batch_size, progress, cancel)
        if state["kind"] != "evaluation" or cancel is None:
            return result
        while not cancel():
            time.sleep(0.005)
        # Cancelled: the real function raises the core's own cancellation at its first check.
        return real_evaluate_tensors(model, images, labels, batch_size, progress, cancel)

    # `core.evaluation.evaluate`, which the Dataset tab calls, looks this name up at each call.
    core_evaluation.evaluate_tensors = evaluate_until_cancelled

    app_module._setup_logging()
    qt_app = app_module.create_application([sys.argv[0]])
    app_module._install_exception_hook()
    qt_app.setQuitOnLastWindowClosed(False)
    state = {"round": -1, "window": None, "started": None, "kind": None}

    def settings_for(kind: str) -> QSettings:
        path = os.path.join(args.home, f"settings-{state['round']}.ini")
        settings = QSettings(path, QSettings.Format.IniFormat)
        mnist = {"evaluation": args.mnist, "training": args.mnist_small}.get(kind, os.path.join(args.home, "empty"))
        os.makedirs(mnist, exist_ok=True)
        settings.setValue("mnist/dir", mnist)
        settings.setValue("train/subset", "1000")
        settings.setValue("train/epochs", "1000")  # longer than any round
        settings.setValue("train/device", "cpu")
        return settings

    def in_flight(window, kind: str) -> bool:
        if kind == "training":
            return window.train_tab.is_training()
        if kind == "evaluation":
            return window.dataset_tab.evaluating()
        return window.dataset_tab.downloading()

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(10, answer_yes)

    def next_round() -> None:
        state["round"] += 1
        if state["round"] == len(kinds):
            return
        kind = kinds[state["round"]]
        window = MainWindow(settings=settings_for(kind))
        window.show()
        state.update(window=window, kind=kind, started=None)
        QTimer.singleShot(0, start_work)

    def start_work() -> None:
        window, kind = state["window"], state["kind"]
        if kind == "training":
            if not window.train_tab.start_button.isEnabled():
                QTimer.singleShot(5, start_work)  # MNIST still loading
                return
            window.train_tab.start_button.click()
        elif kind == "evaluation":
            if not window.dataset_tab.evaluating():
                QTimer.singleShot(5, start_work)
                return
        else:
            if window.dataset.loading:
                QTimer.singleShot(5, start_work)
                return
            window.dataset_tab.setup_page.download_button.click()
        state["started"] = time.perf_counter()
        QTimer.singleShot(rng.randint(20, 400), close_window)

    def close_window() -> None:
        window, kind = state["window"], state["kind"]
        busy = in_flight(window, kind)
        last = state["round"] == len(kinds) - 1
        if last:
            qt_app.setQuitOnLastWindowClosed(True)  # from here on, exactly like lenet-app
        if kind == "training" and busy:
            QTimer.singleShot(10, answer_yes)
        # A stalled download outlasts the wait: shortened here so a round takes 1 s, not 10.
        jobs.SHUTDOWN_TIMEOUT_S = args.stall_timeout_ms / 1000 if kind == "stalled-download" else normal_timeout
        began = time.perf_counter()
        closed = window.close()
        report = {"round": state["round"], "kind": kind, "in_flight": busy, "closed": closed,
                  "after_ms": round((began - state["started"]) * 1000),
                  "close_ms": round((time.perf_counter() - began) * 1000),
                  "threads_left": jobs.running_jobs()}
        print(json.dumps(report), flush=True)
        window.deleteLater()
        if not last:
            QTimer.singleShot(0, next_round)

    QTimer.singleShot(0, next_round)
    return app_module.exit_status(qt_app.exec())  # what lenet-app's run_app does


if __name__ == "__main__":
    sys.exit(main())
