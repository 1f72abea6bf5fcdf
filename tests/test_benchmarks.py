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

ROOT = Path(__file__).resolve().parents[1]

# One entry per published figure: the start of its row's first cell in RESULTS.md.
FIGURES = (
    "draw-to-prediction latency",
    "activations of one drawn digit",
    "attribution of one digit",
    "full test-set evaluation",
    "training throughput vs the classic tutorial",
    "time to 99.0% test accuracy: `lenet-app train` default recipe",
    "CLI training throughput as installed vs other thread settings (idle machine)",
    "CLI training throughput as installed vs other thread settings (another program busy",
    "GUI responsiveness while the Train tab trains",
    "Train tab training throughput vs `lenet-app train`",
    "time to 99.0% test accuracy in the Train tab",
    "Train tab with another program busy on one core",
    "GUI lateness while drawing with the network view visible",
    "dataset grid: first screen of thumbnails painted",
    "dataset grid: filter switch",
    "dataset grid: one full-page scroll repaint",
    "start-up: launch to main window shown",
    "start-up: launch to first prediction possible",
    "start-up: `lenet-app` launched to its window mapped on an X display",
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
    assert len(rows) == len(FIGURES) + len(memory), [row[0] for row in rows]


# --- the training process a benchmark starts is the one a user starts ------------------------


def _runtime_line(stdout: str) -> dict:
    import json

    first = json.loads(stdout.splitlines()[0])
    assert first["event"] == "runtime", first
    return first


def test_bench_cli_runs_get_exactly_the_environment_lenet_app_gets(mnist_dir, tmp_path, monkeypatch):
    """The benchmark's CLI process and `lenet-app train` typed in a shell report the same OpenMP
    policy, thread counts and torch build, whatever OpenMP variables the shell has."""
    import shutil

    from benchmarks.training import cli_command, cli_environment, cli_train

    args = ["--device", "cpu", "--epochs", "1", "--subset", "256"]
    for shell in ({}, {"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "1000"}):
        for name in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in shell.items():
            monkeypatch.setenv(name, value)
        assert cli_environment() == dict(os.environ)
        bench = cli_train(mnist_dir, args).runtime
        typed = shutil.which("lenet-app") or cli_command()[0]
        proc = subprocess.run([typed, "train", "--json", "--data-dir", str(mnist_dir),
                               "--out", str(tmp_path / "m.pt"), *args],
                              env=dict(os.environ), capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        user = _runtime_line(proc.stdout)
        # busy_cores is what other programs were doing at that moment, not the environment
        assert bench.pop("busy_cores") is not None and user.pop("busy_cores") is not None
        assert bench == user
        assert bench["surface"] == "cli"
        assert bench["omp_wait_policy"] == shell.get("OMP_WAIT_POLICY", "unset")
        assert bench["gomp_spincount"] == shell.get("GOMP_SPINCOUNT", "unset")


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


def test_bench_windows_get_the_runtime_the_desktop_app_gets(mnist_dir, tmp_path):
    """The window the GUI benchmarks drive is set up as `lenet-app` sets up its own: the same
    report from `runtime.describe()` as the app's entry point (its self-test path)."""
    import json

    common = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
                  XDG_DATA_HOME=str(tmp_path / "data"))
    bench = ("import json, os; from pathlib import Path; import benchmarks.gui as g; "
             "from lenet_app.core import runtime; "
             "s = g.Session(Path(os.environ['LENET_APP_MNIST_DIR']), Path(os.environ['XDG_DATA_HOME'])); "
             "print(json.dumps(runtime.describe())); os._exit(0)")
    app = ("import json, io, contextlib; from lenet_app.cli import main; from lenet_app.core import runtime\n"
           "with contextlib.redirect_stdout(io.StringIO()): main(['--self-test'])\n"
           "print(json.dumps(runtime.describe()))")
    reports = []
    for code in (bench, app):
        (tmp_path / "data").mkdir(exist_ok=True)
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=dict(common, LENET_APP_MNIST_DIR=str(mnist_dir)))
        assert proc.returncode == 0, proc.stderr[-2000:]
        reports.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert reports[0] == reports[1]
    assert reports[0]["surface"] == "gui" and reports[0]["gui_thread_reserved"] is True
