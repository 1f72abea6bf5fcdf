"""The entry points set torch's CPU threads up as core/runtime.py says, and leave OpenMP's
environment to the user."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lenet_app.core import runtime

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str, **env: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_configure_names_the_surface_and_changes_no_environment(monkeypatch):
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    before = dict(os.environ)
    for surface in runtime.SURFACES:
        runtime.configure(surface)
        assert dict(os.environ) == before
    with pytest.raises(ValueError):
        runtime.configure("daemon")


def test_the_package_import_sets_no_openmp_variable():
    result = _python("import os, json; import lenet_app, lenet_app.cli; "
                     "print(json.dumps({k: os.environ.get(k) for k in ('OMP_WAIT_POLICY', 'GOMP_SPINCOUNT')}))")
    assert result == {"OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
                      "GOMP_SPINCOUNT": os.environ.get("GOMP_SPINCOUNT")}


def test_a_reserved_gui_thread_runs_torch_on_one_thread_and_every_other_thread_on_all():
    code = """
import json, threading
import torch
from lenet_app.core import runtime
default = torch.get_num_threads()
runtime.reserve_gui_thread()
seen = {}
def worker():
    torch.ones(4096, 64) @ torch.ones(64, 64)  # a parallel op: the thread takes its count now
    seen['worker'] = torch.get_num_threads()
t = threading.Thread(target=worker); t.start(); t.join()
print(json.dumps({'default': default, 'gui': torch.get_num_threads(), 'worker': seen['worker'],
                  'remembered': runtime.default_threads(), 'reserved': runtime.describe()['gui_thread_reserved']}))
"""
    result = _python(code, OMP_NUM_THREADS="2")
    assert result == {"default": 2, "gui": 1, "worker": 2, "remembered": 2, "reserved": True}


def test_the_desktop_entry_point_reserves_its_gui_thread():
    code = """
import json, contextlib, io
from lenet_app.cli import main
from lenet_app.core import runtime
with contextlib.redirect_stdout(io.StringIO()):
    status = main(['--self-test'])
print(json.dumps({'status': status, **runtime.describe()}))
"""
    result = _python(code)
    assert result["status"] == 0
    assert result["surface"] == "gui" and result["gui_thread_reserved"] is True


def test_a_training_run_uses_the_process_default_threads_not_the_gui_threads_one():
    code = """
import json, threading
import numpy as np
from lenet_app.core import runtime
from lenet_app.core.mnist import MnistSplit
from lenet_app.core.training import TrainConfig, Trainer
import torch
runtime.reserve_gui_thread()
rng = np.random.default_rng(0)
split = MnistSplit('train', rng.integers(0, 255, (64, 28, 28), dtype=np.uint8), np.arange(64) % 10)
seen = {}
def train():
    trainer = Trainer(TrainConfig(epochs=1, batch_size=32, device='cpu'), split, split)
    for event in trainer.run():
        seen['threads'] = torch.get_num_threads()
t = threading.Thread(target=train); t.start(); t.join()
print(json.dumps({'training': seen['threads'], 'gui': torch.get_num_threads()}))
"""
    assert _python(code, OMP_NUM_THREADS="2") == {"training": 2, "gui": 1}


def test_summary_names_the_policy_threads_and_build():
    info = {"omp_wait_policy": "unset", "gomp_spincount": "unset", "omp_num_threads": "unset",
            "torch_threads": 2, "interop_threads": 2, "torch": "2.14.1", "torch_build": "CPU"}
    assert runtime.summary(info) == ("OpenMP's default wait; 2 torch threads, 2 inter-op; "
                                     "torch 2.14.1 (CPU build)")
    info.update(omp_wait_policy="PASSIVE", gomp_spincount="1000")
    assert runtime.summary(info).startswith("OMP_WAIT_POLICY=PASSIVE, GOMP_SPINCOUNT=1000;")


def test_busy_cores_counts_other_programs_running():
    if not Path("/proc/loadavg").exists():
        pytest.skip("Linux only")
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        import time

        time.sleep(0.3)
        assert runtime.busy_cores(samples=9) >= 1
    finally:
        busy.kill()
        busy.wait()


def test_thread_advice_speaks_only_when_threads_wait_for_busy_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert runtime.thread_advice(2, 0) is None
    assert runtime.thread_advice(1, 1) is None
    assert runtime.thread_advice(2, None) is None
    text = runtime.thread_advice(2, 1)
    assert "1 of this machine's 2 cores busy" in text and "--threads 1" in text
    assert "every one of this machine's 2 cores busy" in runtime.thread_advice(2, 3)
