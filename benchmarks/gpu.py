"""`make bench-gpu`: the time to 99.0% test accuracy on a CUDA GPU, into benchmarks/RESULTS-gpu.md.

The recipe is `TrainConfig()`'s default with device cuda, trained by the app's own `Trainer`,
which moves the uint8 splits to the GPU once (data resident on the GPU, as in the app). One
warm-up per recipe on a small subset comes first (CUDA context, cuDNN, every kernel and batch
shape), then `--runs` timed runs with seeds 0..N-1. "Training only" sums `EpochEnd.train_seconds`
up to the first epoch at or above 99.0% (evaluation excluded, as in RESULTS.md's CPU figure);
"wall" is the same run from `Trainer.run()` on: model built, data moved, every evaluation.
The default recipe is sized for a CPU, so two GPU-friendly variants follow, clearly labelled:
bigger batches (fewer launches and syncs per epoch) with the learning rate scaled by √(batch
ratio) for Adam; they change TrainConfig fields only.

Without CUDA it prints one line and exits 2, so `make bench-gpu` is safe to run anywhere.

On the lent GPU machine (no package registry; its python3 holds a CUDA torch, pytest,
pytest-timeout and hypothesis, but no PySide6, so the GUI's CUDA test stays out): copy MNIST
into the ignored data/mnist here once, carry it, and name that python3:

    mkdir -p data/mnist && cp /work/shared/mnist/*.gz data/mnist/     # here, once
    # on the device, carry ["data/mnist"]:
    LENET_APP_MNIST_DIR=$PWD/data/mnist make bench-gpu PY=python3 \
        CUDA_TESTS="tests/test_mnist.py tests/test_training.py"; cp benchmarks/RESULTS-gpu.md $OUT/
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import torch

from lenet_app.core.config import TrainConfig
from lenet_app.core.errors import LenetError
from lenet_app.core.mnist import MnistSplit, load_split, require_mnist_dir

HERE = Path(__file__).resolve().parent
TARGET = 0.99
NO_CUDA = "no CUDA device: nothing to measure"


@dataclass
class RecipeResult:
    """One recipe's timed runs: `benchmarks.training.time_to_accuracy` results, one per seed."""

    label: str
    config: TrainConfig
    runs: list[dict]


def recipes(base: TrainConfig) -> list[tuple[str, TrainConfig]]:
    """The default recipe, then the GPU-friendly variants (TrainConfig fields only)."""
    ratio = 512 / base.batch_size
    lr = base.lr * ratio ** 0.5
    scale = f"lr ×{ratio ** 0.5:.3g}"
    return [
        ("default recipe", base),
        (f"variant: batch 512, {scale}", dataclasses.replace(base, batch_size=512, lr=lr)),
        (f"variant: batch 512, {scale}, epochs ×2",
         dataclasses.replace(base, batch_size=512, lr=lr, epochs=base.epochs * 2)),
    ]


def describe(config: TrainConfig) -> str:
    """Every setting that shapes the run (not where or with which seed it runs)."""
    return ", ".join(f"{name} {value}" for name, value in config.to_dict().items()
                     if name not in ("device", "threads", "seed", "subset"))


def machine_line() -> str:
    from benchmarks.run import cpu_model

    props = torch.cuda.get_device_properties(0)
    return (f"{torch.cuda.get_device_name(0)} ({props.total_memory / 2**30:.0f} GiB), CUDA {torch.version.cuda}, "
            f"cuDNN {torch.backends.cudnn.version()}, torch {torch.__version__}; {cpu_model()}, {os.cpu_count()} cores; "
            f"Python {platform.python_version()}; {dt.date.today().isoformat()}")


def _warm_up(train: MnistSplit, test: MnistSplit, config: TrainConfig) -> None:
    """One short run of the recipe: every kernel and batch shape (the last, partial batch too)."""
    from benchmarks.training import time_to_accuracy

    size = 4 * config.batch_size + len(train) % config.batch_size
    time_to_accuracy(train, test, 2.0, dataclasses.replace(config, epochs=1, subset=min(size, len(train))))


def measure(train: MnistSplit, test: MnistSplit, runs: int) -> list[RecipeResult]:
    from benchmarks.training import time_to_accuracy

    results = []
    for label, config in recipes(TrainConfig(device="cuda")):
        _warm_up(train, test, config)
        timed = [time_to_accuracy(train, test, TARGET, dataclasses.replace(config, seed=seed))
                 for seed in range(runs)]
        results.append(RecipeResult(label, config, timed))
        print(f"  {label}: {_cells(timed)[0]}", file=sys.stderr, flush=True)
    return results


def _cells(runs: list[dict]) -> tuple[str, str, str, str]:
    """(training only min/median, wall median, epoch reached, accuracy then) for one recipe."""
    reached = [r for r in runs if r["epoch"]]
    if not reached:
        best = max((r["accuracy"] or 0.0) for r in runs)
        return (f"not reached in {len(runs)} runs (best {best * 100:.2f}%)", "—", "—", "—")
    seconds = [r["seconds"] for r in reached]
    note = "" if len(reached) == len(runs) else f" ({len(reached)} of {len(runs)} runs reached it)"
    epochs = sorted({r["epoch"] for r in reached})
    accuracies = [r["accuracy"] for r in reached]
    return (f"{min(seconds):.2f} s / {statistics.median(seconds):.2f} s{note}",
            f"{statistics.median(r['wall'] for r in reached):.2f} s",
            ", ".join(str(e) for e in epochs),
            f"{statistics.median(accuracies) * 100:.2f}% (min {min(accuracies) * 100:.2f}%)")


def render(machine: str, results: list[RecipeResult], runs: int) -> str:
    lines = ["# GPU benchmark: time to 99.0% test accuracy on CUDA", "",
             f"Machine: {machine}.", "",
             f"Written by `make bench-gpu` (`python -m benchmarks.gpu`): the app's own `Trainer`, MNIST's "
             f"uint8 splits resident on the GPU, one warm-up per recipe, then {runs} timed runs "
             f"(seeds 0–{runs - 1}). Training only = the epochs' training time up to the first epoch at "
             f"≥ 99.0% test accuracy (evaluation excluded); wall = that run from `Trainer.run()`, with "
             f"the model built, the data moved and every epoch's evaluation. Aim for the default "
             f"recipe on a data-centre GPU: ≤ 0.5 s training only.", "",
             "| recipe | to 99.0%, training only (min / median) | wall (median) | epoch reached "
             "| test accuracy then (median) |",
             "| --- | --- | --- | --- | --- |"]
    for result in results:
        lines.append(f"| {result.label} | " + " | ".join(_cells(result.runs)) + " |")
    lines += ["", "The variants change TrainConfig fields only: bigger batches launch fewer kernels "
              "and wait on fewer per-batch loss reads; Adam's learning rate is scaled by the square "
              "root of the batch ratio. The app's default stays the first recipe.", ""]
    lines += [f"- {result.label}: {describe(result.config)}" for result in results]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per recipe (at least 3)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="the MNIST folder (default: LENET_APP_MNIST_DIR or the app's own places)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-gpu.md")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error("--runs must be at least 3")
    if not torch.cuda.is_available():
        why = "" if torch.version.cuda else f" (torch {torch.__version__} is a CPU-only build)"
        print(NO_CUDA + why, file=sys.stderr)
        return 2
    try:
        mnist_dir = require_mnist_dir(args.data_dir)
        train, test = load_split(mnist_dir, "train"), load_split(mnist_dir, "test")
    except LenetError as exc:
        print(f"benchmarks.gpu: {exc}", file=sys.stderr)
        return 2
    machine = machine_line()
    print(f"Machine: {machine}", file=sys.stderr, flush=True)
    text = render(machine, measure(train, test, args.runs), args.runs)
    args.out.write_text(text)
    print(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
