"""`make bench` cannot rot: its quick mode runs on a tiny MNIST subset and writes every figure.

The figures themselves are not checked (they mean nothing on 2,000 images, and a test on a
shared machine is no place for timings); only that each benchmark runs to the end and leaves
its row in the results table.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import torch

from benchmarks.run import CUDA_TIME_TO_99

ROOT = Path(__file__).resolve().parents[1]

# One entry per published figure: the start of its row's first cell in RESULTS.md.
FIGURES = (
    "draw-to-prediction latency",
    "activations of one drawn digit",
    "attribution of one digit",
    "full test-set evaluation",
    "training throughput vs the classic tutorial",
    "time to 99.0% test accuracy (default recipe, CPU",
    "GUI responsiveness while the Train tab trains",
    "GUI training throughput vs the CLI",
    "GUI lateness while drawing with the network view visible",
    "dataset grid: first screen of thumbnails painted",
    "dataset grid: filter switch",
    "dataset grid: one full-page scroll repaint",
    "start-up: launch to main window shown",
    "start-up: launch to first prediction possible",
)
#: One row per torch build: this environment's and, when that is a CUDA build, the CPU-only one
#: (measured with .venv-cpu when it exists, else "n/a").
MEMORY = "memory: resident with MNIST loaded and the grid open, "


def _table(markdown: str) -> list[list[str]]:
    """The cells of the results table's body rows (the notes after it are not parsed)."""
    lines = markdown.splitlines()
    start = lines.index("| figure | value | target | met |") + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_quick_bench_writes_a_row_for_every_figure(mnist_dir, tmp_path):
    out = tmp_path / "r.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LENET_APP_MNIST_DIR=str(mnist_dir))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--subset", "2000", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    rows = _table(out.read_text())
    for figure in FIGURES:
        matching = [row for row in rows if row[0].startswith(figure)]
        assert len(matching) == 1, f"{figure!r}: {len(matching)} rows in\n{out.read_text()}"
        cells = matching[0]
        assert len(cells) == 4 and cells[1] and cells[2], cells
        assert cells[3] in ("yes", "no", "—"), cells
    memory = [row for row in rows if row[0].startswith(MEMORY)]
    if memory and memory[0][0].endswith("(CUDA build)"):
        assert len(memory) == 2, memory
        assert memory[1][0].endswith("(CPU-only build)") or memory[1][1].startswith("n/a"), memory
    else:
        assert len(memory) == 1 and memory[0][0].endswith("(CPU-only build)"), memory
    for cells in memory:
        assert cells[2] == "≤ 600 MB" and cells[3] in ("yes", "no", "—"), cells
    cuda = [row for row in rows if row[0].startswith(CUDA_TIME_TO_99)]
    assert len(cuda) == (1 if torch.cuda.is_available() else 0), cuda
    assert len(rows) == len(FIGURES) + len(memory) + len(cuda), [row[0] for row in rows]


# --- make bench-gpu: without a GPU here, its two ends are still checked ---------------------


def test_gpu_bench_without_cuda_says_so_in_one_line_and_exits_2():
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="")  # no GPU, even on a machine with one
    proc = subprocess.run([sys.executable, "-m", "benchmarks.gpu"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc
    assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc
    assert proc.stderr.startswith("no CUDA device: nothing to measure"), proc.stderr


def test_gpu_results_table_renders_every_recipe_reached_or_not():
    from benchmarks.gpu import RecipeResult, recipes, render
    from lenet_app.core.training import TrainConfig

    def run(seconds, epoch=1, accuracy=0.9912):
        return {"seconds": seconds, "wall": seconds + 0.2, "epoch": epoch, "accuracy": accuracy}

    missed = run(float("nan"), None, 0.9871)
    labelled = recipes(TrainConfig(device="cuda"))
    assert labelled[0][1] == TrainConfig(device="cuda")  # the app's default recipe comes first
    results = [RecipeResult(label, config, runs) for (label, config), runs in
               zip(labelled, ([run(0.5), run(0.4), run(0.6)], [run(0.3), missed, run(0.2)], [missed] * 3))]
    markdown = render("Fake GPU (80 GiB), CUDA 13.0", results, 3)
    lines = markdown.splitlines()
    assert "Machine: Fake GPU (80 GiB), CUDA 13.0." in lines
    start = lines.index(next(line for line in lines if line.startswith("| recipe |"))) + 2
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[start:start + 3]]
    assert [row[0] for row in rows] == [label for label, _ in labelled]
    assert rows[0][1:] == ["0.40 s / 0.50 s", "0.70 s", "1", "99.12% (min 99.12%)"]
    assert rows[1][1] == "0.20 s / 0.25 s (2 of 3 runs reached it)"
    assert rows[2][1] == "not reached in 3 runs (best 98.71%)" and rows[2][2:] == ["—"] * 3
    assert all(f"- {label}: " in markdown for label, _ in labelled)  # every recipe's settings
