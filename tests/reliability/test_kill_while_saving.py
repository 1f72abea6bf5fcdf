"""SIGKILL at random moments while a checkpoint is being saved: the file on disk is always a
whole checkpoint, the old one or a newer one, and it always loads.

kill_child.py forks a process that overwrites one file with checkpoints of increasing
generation as fast as it can; this test kills it after a random 5–200 ms, then loads the
file and checks every tensor belongs to one single generation.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import torch

from lenet_app.core.checkpoint import load_checkpoint, read_payload, save_checkpoint
from reliability import ledger
from reliability.kill_child import payload

ROUNDS = 25
KILL_CHILD = Path(__file__).with_name("kill_child.py")


def _generation(path: Path) -> int:
    """The file's generation, after checking that every tensor in it agrees."""
    model = load_checkpoint(path)  # the app's own loader: it must accept the file
    generation = int(model.metadata["generation"])
    for name, tensor in model.module.state_dict().items():
        assert torch.all(tensor == torch.tensor(generation / 1000, dtype=tensor.dtype)), name
    padding = read_payload(path)["training_state"]["padding"]
    assert padding.shape == (1_000_000,) and torch.all(padding == generation)
    return generation


def test_sigkill_at_random_moments_never_leaves_a_broken_file(tmp_path):
    seed = int(os.environ.get("LENET_APP_RELIABILITY_SEED", time.time_ns() % 2**32))
    rng = random.Random(seed)
    path = tmp_path / "model.pt"
    save_checkpoint(path, payload(0))
    saver = subprocess.Popen([sys.executable, str(KILL_CHILD)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    outcomes = {"old file kept": 0, "newer file complete": 0}
    try:
        assert saver.stdout.readline().strip() == "ready"
        generation = _generation(path)
        for round_number in range(ROUNDS):
            saver.stdin.write(f"save {path} {generation}\n")
            saver.stdin.flush()
            pid = int(saver.stdout.readline())
            delay = rng.uniform(0.005, 0.2)
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            ended = saver.stdout.readline().strip()
            where = f"round {round_number}, killed after {delay * 1000:.0f} ms (seed {seed})"
            assert ended == f"signal {signal.SIGKILL}", f"{where}: the saver {ended}"
            newer = _generation(path)
            assert newer >= generation, where
            outcome = "newer file complete" if newer > generation else "old file kept"
            outcomes[outcome] += 1
            generation = newer
            ledger.record("faults", f"SIGKILL while saving a checkpoint: {outcome}")
    finally:
        saver.stdin.close()
        saver.kill()
        saver.wait(timeout=30)
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    # A kill mid-write can only leave the hidden temp file, never touch the real one.
    assert all(name.startswith(".model.pt.") and name.endswith(".tmp") for name in leftovers), leftovers
    assert outcomes["newer file complete"] > 0, outcomes  # the kills did land during saving
    print(f"SIGKILL rounds: {outcomes}, {len(leftovers)} orphaned temp files, seed {seed}")
