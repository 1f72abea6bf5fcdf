"""Start, pause, stop and finish training runs at random moments, hundreds of times, in a real
process (stop_stress_child.py): the test that would have caught issue 10's freeze.

The freeze was a deadlock between the GUI thread (holding the GIL, waiting for a Qt mutex during
the relayout that shows a run's result) and the worker's thread (holding that mutex in a QObject
destructor, waiting for the GIL). Here it came about once in 300-1,500 run ends. The child
re-arms faulthandler's watchdog for every run, so a deadlock ends it within RUN_WATCHDOG_S with
every thread's stack in the failure message, instead of hanging the suite.

LENET_APP_STOP_STRESS_RUNS changes the number of runs (default 300, about 50 s on 2 cores); for
thousands, raise the per-test limits too:

    LENET_APP_STOP_STRESS_RUNS=3000 LENET_APP_TEST_WATCHDOG_S=1800 \\
        .venv/bin/python -m pytest --timeout 1800 tests/reliability/test_stop_stress.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reliability import ledger
from reliability.samples import write_small_mnist

CHILD = Path(__file__).with_name("stop_stress_child.py")
RUNS = int(os.environ.get("LENET_APP_STOP_STRESS_RUNS", "300"))
RUN_WATCHDOG_S = 30  # one run lasts about 0.15 s
MAX_SECONDS = max(150, RUNS / 2)  # on a slow machine: fewer runs rather than a slow suite


def test_stop_and_finish_runs_at_random_moments_never_freeze(tmp_path):
    # 1,024 images in batches of 64, one epoch: 16 batches give the charts' axes new ticks as a run
    # goes on, which the freeze needed (60 images in 4 batches did not reproduce it in 3,400 runs),
    # and one epoch makes twice as many run ends as two.
    mnist = write_small_mnist(tmp_path / "mnist", n_train=1024, n_test=100)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LENET_APP_MNIST_DIR", None)
    result = subprocess.run(
        [sys.executable, str(CHILD), "--mnist", str(mnist), "--home", str(home), "--runs", str(RUNS),
         "--seed", "0", "--batch-size", "64", "--epochs", "1", "--max-seconds", str(MAX_SECONDS), "--run-watchdog-s", str(RUN_WATCHDOG_S)],
        capture_output=True, text=True, timeout=MAX_SECONDS + 4 * RUN_WATCHDOG_S, env=env, cwd=tmp_path)
    stderr = result.stderr
    deadlock = "Timeout (" in stderr  # faulthandler's watchdog: a run never ended
    assert result.returncode == 0, (
        ("DEADLOCK: a training run never ended; every thread's stack:\n" if deadlock else
         f"exit status {result.returncode}\n") + stderr[-12000:] + result.stdout[-3000:])
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["problems"] == [], summary["problems"]
    assert summary["jobs_left"] == 0
    assert "Traceback" not in stderr
    assert summary["runs"] >= min(RUNS, 50), summary  # even a slow machine gets through 50
    assert summary["outcomes"].get("Stopped", 0) > 0 and summary["outcomes"].get("Finished", 0) > 0, summary
    ledger.record("long runs", "training runs stopped, paused or finished at a random moment",
                  summary["runs"])
