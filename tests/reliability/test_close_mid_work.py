"""Closing the app while it trains, evaluates or downloads, in real processes.

close_child.py plays the user: a new main window per round, the work started, the window closed
after 20–400 ms; the work lasts until then by construction, however fast the machine (see
close_child.py). Three processes run ROUNDS_PER_KIND rounds of each kind between them, and each
process's last close (training, evaluation, a stalled download) ends the process exactly as
`lenet-app` ends. A stalled download, a read that ignores Cancel for longer than closing waits
for it, is also tried mid-session. Every process must exit with status 0, without a core dump,
a traceback, or Qt's "QThread: Destroyed while thread is still running".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reliability import ledger
from reliability.samples import write_mnist_subset

ROUNDS_PER_KIND = 10
KINDS = ("training", "evaluation", "download")
CLOSE_CHILD = Path(__file__).with_name("close_child.py")


ENDINGS = ("training", "evaluation", "stalled-download")


def _sessions() -> list[list[str]]:
    """Three processes between them close mid-work ROUNDS_PER_KIND times of each kind; each
    ends with a different kind (the stalled download also tried mid-session)."""
    body = [kind for _ in range(ROUNDS_PER_KIND) for kind in KINDS]
    for ending in ENDINGS[:2]:
        body.remove(ending)  # its last round is the session's ending
    size = -(-len(body) // 3)
    sessions = [body[i * size:(i + 1) * size] for i in range(3)]
    for session, ending in zip(sessions, ENDINGS):
        session.append(ending)
    sessions[2].insert(len(sessions[2]) // 2, "stalled-download")
    return sessions


@pytest.fixture(scope="module")
def mnist_for_closing(mnist_dir, tmp_path_factory) -> tuple[Path, Path]:
    from lenet_app.core.mnist import load_split

    splits = {name: load_split(mnist_dir, name) for name in ("train", "test")}
    # Small: training epochs then end (and are tested) often, and the evaluation waits for the
    # close anyway (close_child.py).
    small = write_mnist_subset(tmp_path_factory.mktemp("mnist-close-small"), splits, 1_000, 500)
    return small, small


@pytest.mark.parametrize("session", range(3))
def test_close_mid_work_exits_cleanly(session, mnist_for_closing, tmp_path):
    kinds = _sessions()[session]
    home = tmp_path / "home"
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LENET_APP_MNIST_DIR", None)
    home.mkdir()
    result = subprocess.run(
        [sys.executable, str(CLOSE_CHILD), "--kinds", ",".join(kinds), "--seed", str(session),
         "--mnist", str(mnist_for_closing[0]), "--mnist-small", str(mnist_for_closing[1]),
         "--home", str(home)],
        capture_output=True, text=True, timeout=150, env=env, cwd=tmp_path)  # the child's watchdog: 100 s
    stderr = result.stderr
    assert result.returncode == 0, f"exit status {result.returncode}\n{stderr[-8000:]}"
    assert "QThread: Destroyed" not in stderr
    assert "Traceback" not in stderr and "Unexpected error" not in stderr
    assert not list(tmp_path.glob("core*"))
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["kind"] for r in reports] == kinds, result.stdout
    for report in reports:
        assert report["closed"], report
        assert report["in_flight"], report  # every kind of work lasts until the close
        if report["kind"] != "stalled-download":
            assert report["close_ms"] < 5000, report
    for report in reports:
        label = "stalled download" if report["kind"] == "stalled-download" else report["kind"]
        ledger.record("faults", f"close the window mid-{label}"
                      + (" (the process's last close)" if report is reports[-1] else ""))


def test_sessions_cover_every_kind_enough():
    sessions = _sessions()
    for kind in KINDS:
        assert sum(s.count(kind) for s in sessions) == ROUNDS_PER_KIND
    assert [s[-1] for s in sessions] == list(ENDINGS)
