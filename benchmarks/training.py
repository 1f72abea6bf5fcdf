"""Training figures taken from the processes users run.

- The CLI: `lenet-app train --json` in a subprocess, with this process's environment as is
  (`cli_environment()`), so its OpenMP wait policy and thread counts are the ones a user's
  shell gives it. Its first line reports them (`core/runtime.py`); every row quotes it.
- The classic tutorial: `python -m benchmarks.tutorial` in a subprocess of its own.
- A loaded machine: `busy_process()` keeps one core busy with a plain Python loop.

`time_to_accuracy` runs the core Trainer in this process; only `benchmarks.gpu` uses it
(there the figure is the GPU's, not the CPU threads').
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

TARGET = 0.99


def cli_command() -> list[str]:
    """`lenet-app` as installed beside this interpreter (what a user types), or the module."""
    script = Path(sys.executable).with_name("lenet-app")
    if script.exists():
        return [str(script)]
    found = shutil.which("lenet-app")
    return [found] if found else [sys.executable, "-m", "lenet_app"]


def cli_environment(**overrides: str | None) -> dict[str, str]:
    """This process's environment, unchanged but for `overrides` (None removes a variable):
    the benchmark adds nothing a user's shell would not have."""
    env = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


@dataclass
class CliRun:
    """One `lenet-app train --json` run: its runtime line, its epoch ends and how it ended."""

    runtime: dict[str, Any]
    epochs: list[dict[str, Any]] = field(default_factory=list)
    end: dict[str, Any] = field(default_factory=dict)
    wall_seconds: float = 0.0

    @property
    def images_per_second(self) -> float:
        return self.epochs[-1]["images_per_second"]

    def time_to(self, target: float = TARGET) -> tuple[float | None, int | None]:
        """Training seconds (evaluation excluded) until the test accuracy first reached
        `target`, and that epoch; (None, None) if it never did."""
        seconds = 0.0
        for epoch in self.epochs:
            seconds += epoch["train_seconds"]
            if epoch["test_accuracy"] >= target:
                return seconds, epoch["epoch"]
        return None, None

    @property
    def accuracy(self) -> float:
        return self.end.get("test_accuracy", float("nan"))


def cli_train(mnist_dir: Path, args: list[str], env: dict[str, str] | None = None,
              timeout_s: float = 900) -> CliRun:
    """Run `lenet-app train --json --data-dir MNIST ARGS…` and collect its lines.

    Its output goes to a file, read once it has ended: a pipe would wake this process at every
    batch line, and on a 2-core machine that steals time from the run being measured."""
    with tempfile.TemporaryDirectory(prefix="lenet-bench-cli-") as tmp:
        command = [*cli_command(), "train", "--json", "--data-dir", str(mnist_dir),
                   "--out", str(Path(tmp) / "run.pt"), *args]
        out = Path(tmp) / "events.jsonl"
        with open(out, "w") as stdout:
            start = time.perf_counter()
            proc = subprocess.run(command, env=env if env is not None else cli_environment(), cwd=tmp,
                                  stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout_s)
            wall = time.perf_counter() - start
        lines = out.read_text().splitlines()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {proc.returncode}: {proc.stderr.strip()[-1500:]}")
    run = None
    for line in lines:
        event = json.loads(line)
        if event["event"] == "runtime":
            run = CliRun(runtime=event, wall_seconds=wall)
        elif run is not None and event["event"] == "epoch_end":
            run.epochs.append(event)
        elif run is not None and event["event"] in ("finished", "stopped"):
            run.end = event
    if run is None or not run.epochs:
        raise RuntimeError(f"{' '.join(command)} printed no runtime line or no epoch")
    return run


def tutorial_run(mnist_dir: Path, images: int, env: dict[str, str] | None = None,
                 timeout_s: float = 900) -> dict[str, Any]:
    """The classic tutorial's loop in its own process: images/s and its runtime."""
    root = Path(__file__).resolve().parent.parent
    env = dict(env if env is not None else cli_environment())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-m", "benchmarks.tutorial", "--data-dir", str(mnist_dir),
                           "--images", str(images)], env=env, capture_output=True, text=True,
                          timeout=timeout_s)
    if proc.returncode != 0:
        raise RuntimeError(f"the tutorial loop exited with {proc.returncode}: {proc.stderr.strip()[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def busy_process() -> Iterator[subprocess.Popen]:
    """Another program keeping one core busy (a plain Python loop) for the duration."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        yield proc
    finally:
        proc.kill()
        proc.wait()


def time_to_accuracy(train, test, target: float = TARGET, config=None) -> dict:
    """Training wall time (evaluation excluded) until the test accuracy first reaches target;
    "wall" is the whole of it from `run()`: model built, data moved, every epoch's evaluation."""
    from lenet_app.core.training import EpochEnd, TrainConfig, Trainer

    config = config or TrainConfig()
    trainer = Trainer(config, train, test)
    seconds = 0.0
    start = time.perf_counter()
    for event in trainer.run():
        if isinstance(event, EpochEnd):
            seconds += event.train_seconds
            if event.test_accuracy >= target:
                trainer.stop()
                return {"seconds": seconds, "wall": time.perf_counter() - start, "epoch": event.epoch,
                        "accuracy": event.test_accuracy}
    return {"seconds": float("nan"), "wall": float("nan"), "epoch": None, "accuracy": trainer.test_accuracy}
