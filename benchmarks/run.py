"""`make bench`: measure every published figure on this machine and write benchmarks/RESULTS.md.

Each figure is the median of several runs; comparisons are ratios measured in the same run.
`--quick` runs each once on small inputs (a test runs it so this code cannot rot).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from lenet_app.core.mnist import MnistSplit, load_split, require_mnist_dir

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    figure: str
    value: str
    target: str
    met: bool | None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line() -> str:
    return (f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"torch {torch.__version__}, {dt.date.today().isoformat()}")


def _subset(split: MnistSplit, n: int) -> MnistSplit:
    return MnistSplit(split.name, split.images[:n], split.labels[:n])


class Context:
    def __init__(self, quick: bool, mnist_dir: Path) -> None:
        self.quick = quick
        self.repeats = 1 if quick else 3
        self.mnist_dir = mnist_dir
        train, test = load_split(mnist_dir, "train"), load_split(mnist_dir, "test")
        self.train = _subset(train, 3000) if quick else train
        self.test = _subset(test, 1000) if quick else test


def bench_training(ctx: Context) -> list[Row]:
    from benchmarks.training import throughput_ratio, time_to_accuracy
    from lenet_app.core.training import TrainConfig

    images = 2000 if ctx.quick else 20000
    result = throughput_ratio(ctx.mnist_dir, ctx.train, ctx.test, images, ctx.repeats)
    rows = [Row("training throughput vs the classic tutorial",
                f"{result['ratio']:.2f}× ({result['ours']:,.0f} vs {result['tutorial']:,.0f} images/s)",
                "≥ 2.5× (stretch 3×)", result["ratio"] >= 2.5)]
    config = TrainConfig(epochs=1, subset=2000) if ctx.quick else None
    runs = [time_to_accuracy(ctx.train, ctx.test, 0.99, config) for _ in range(1 if ctx.quick else 2)]
    seconds = statistics.median(r["seconds"] for r in runs)
    epochs = runs[0]["epoch"]
    rows.append(Row("time to 99.0% test accuracy (default recipe, CPU, training only)",
                    f"{seconds:.1f} s (epoch {epochs})" if epochs else
                    f"not reached ({(runs[0]['accuracy'] or 0) * 100:.2f}%)",
                    "≤ 15 s (stretch 10 s)", bool(epochs) and seconds <= 15))
    return rows


def bench_latency(ctx: Context) -> list[Row]:
    from lenet_app.core import load_model, predict
    from PIL import Image, ImageDraw

    model = load_model()
    canvas = Image.new("L", (280, 280), 0)
    ImageDraw.Draw(canvas).line([(90, 60), (190, 60), (120, 230)], fill=255, width=22)
    array = np.asarray(canvas)
    for _ in range(20):
        predict(model, array)
    samples = []
    for _ in range(100 if ctx.quick else 1000):
        start = time.perf_counter()
        predict(model, array)
        samples.append((time.perf_counter() - start) * 1000)
    median, p99 = float(np.median(samples)), float(np.percentile(samples, 99))
    return [Row("draw-to-prediction latency (280×280 canvas)", f"median {median:.2f} ms, p99 {p99:.2f} ms",
                "median ≤ 2 ms, p99 ≤ 5 ms", median <= 2 and p99 <= 5)]


def bench_evaluation(ctx: Context) -> list[Row]:
    from lenet_app.core import load_model
    from lenet_app.core.evaluation import evaluate

    model = load_model()
    evaluate(model.module, _subset(ctx.test, 500))
    times = []
    for _ in range(ctx.repeats):
        start = time.perf_counter()
        evaluate(model.module, ctx.test)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    return [Row(f"full test-set evaluation ({len(ctx.test):,} predictions with probabilities, CPU)",
                f"{seconds:.2f} s", "≤ 1 s", seconds <= 1)]


BENCHMARKS: list[Callable[[Context], list[Row]]] = [bench_latency, bench_evaluation, bench_training]


def render(rows: list[Row], quick: bool) -> str:
    lines = ["# Benchmark results", "",
             f"Machine: {machine_line()}.", "",
             "Written by `make bench`" + (" --quick (single runs on small inputs: not the published figures)" if quick else "")
             + "; each figure is the median of several runs.", "",
             "| figure | value | target | met |", "| --- | --- | --- | --- |"]
    for row in rows:
        met = "—" if row.met is None else ("yes" if row.met else "no")
        lines.append(f"| {row.figure} | {row.value} | {row.target} | {met} |")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="each benchmark once, on small inputs")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--only", nargs="*", help="names of benchmarks to run (e.g. latency training)")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    ctx = Context(args.quick, require_mnist_dir(args.data_dir))
    rows: list[Row] = []
    for bench in BENCHMARKS:
        name = bench.__name__.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        new = bench(ctx)
        rows += new
        for row in new:
            print(f"{row.figure}: {row.value} (target {row.target})", flush=True)
        print(f"  [{name}: {time.perf_counter() - start:.1f} s]", file=sys.stderr, flush=True)
    args.out.write_text(render(rows, args.quick))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
