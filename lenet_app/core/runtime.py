"""How torch's CPU threads are set up for each entry point, and what a run reports of them.

torch's CPU kernels run on OpenMP thread teams. Every thread that starts a parallel region
gets a team of its own, and OpenMP's default wait (spin briefly, then sleep) becomes
passive-like once there are more OpenMP threads than cores. A training run is fastest when
its team is the only one and its threads spin between the many short regions of a batch.

- The command line trains on its main thread and leaves OpenMP's wait policy to OpenMP
  (or to the user's OMP_WAIT_POLICY / GOMP_SPINCOUNT).
- The desktop app trains on a worker thread, so its GUI thread must never start a team of
  its own: `reserve_gui_thread()` gives the GUI thread one torch thread (its predictions
  are single digits anyway) and leaves every other thread torch's default count.

Measurements behind this choice: benchmarks/NOTES.md, "OpenMP wait policy and thread teams".
This module imports torch only inside the functions that need it, and never Qt.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from lenet_app.core.i18n import _

SURFACES = ("cli", "gui")

#: The OpenMP variables a run reports.
OPENMP_VARIABLES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS")

_state: dict[str, Any] = {"surface": None, "default_threads": None, "gui_thread_reserved": False}


def configure(surface: str) -> None:
    """Record which entry point this process is ("cli" or "gui"), before torch is loaded.

    Both leave the OpenMP environment as the user set it: OpenMP reads it once, when torch
    loads, and its default wait is the fastest for both once the GUI thread is reserved."""
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}; expected one of {SURFACES}")
    _state["surface"] = surface


def default_threads() -> int:
    """torch's intra-op thread count for this process (the first value seen, so a thread that
    later runs on one thread does not change it)."""
    if _state["default_threads"] is None:
        import torch

        _state["default_threads"] = torch.get_num_threads()
    return _state["default_threads"]


def reserve_gui_thread() -> None:
    """Run torch on one thread on the calling (GUI) thread, so it never owns an OpenMP team.

    `torch.set_num_threads` also sets the count that threads started later take on their
    first parallel operation; a short-lived thread puts that back to the default, so jobs and
    training runs still get every core."""
    import torch

    threads = default_threads()
    torch.set_num_threads(1)
    restore = threading.Thread(target=torch.set_num_threads, args=(threads,), name="torch-threads")
    restore.start()
    restore.join()
    _state["gui_thread_reserved"] = True


def busy_cores(samples: int = 5, interval_s: float = 0.01) -> int | None:
    """How many cores other programs keep busy right now (Linux: the kernel's count of runnable
    tasks, less this one, the median of a few samples); None where that cannot be read.

    torch's threads each want a core of their own: with one core taken by something else, a
    run on fewer threads is faster (benchmarks/RESULTS.md, the loaded-machine row)."""
    import statistics
    import time

    counts = []
    for i in range(samples):
        try:
            with open("/proc/loadavg") as f:
                counts.append(int(f.read().split()[3].split("/")[0]) - 1)
        except (OSError, ValueError, IndexError):
            return None
        if i + 1 < samples:
            time.sleep(interval_s)
    return max(0, round(statistics.median(counts)))


def thread_advice(threads: int, busy: int | None) -> str | None:
    """A one-line hint when other programs hold (`busy`) cores that `threads` torch threads need."""
    cores = os.cpu_count() or 1
    if busy is None or threads <= 1 or busy == 0 or threads <= cores - busy:
        return None
    free = max(1, cores - busy)
    if busy >= cores:
        advice = _("other programs are keeping every one of this machine's {cores} cores busy; training on "
                   "{threads} threads waits for them, --threads {free} is likely faster while they run")
    else:
        advice = _("other programs are keeping {busy} of this machine's {cores} cores busy; training on "
                   "{threads} threads waits for them, --threads {free} is likely faster while they run")
    return advice.format(busy=busy, cores=cores, threads=threads, free=free)


def openmp_environment() -> dict[str, str]:
    """The OpenMP variables as set in this process ("unset" for the others)."""
    return {name: os.environ.get(name, "unset") for name in OPENMP_VARIABLES}


def describe() -> dict[str, Any]:
    """What a training run on this process's CPU gets: entry point, OpenMP variables, thread
    counts and the torch build, as plain values for a JSON line or a benchmark row."""
    import torch

    cuda = torch.version.cuda
    return {
        "surface": _state["surface"] or "library",
        **{name.lower(): value for name, value in openmp_environment().items()},
        "torch_threads": default_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "gui_thread_reserved": _state["gui_thread_reserved"],
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "torch_build": f"CUDA {cuda}" if cuda else "CPU",
        "python": sys.version.split()[0],
    }


def summary(info: dict[str, Any]) -> str:
    """`describe()`'s result in a few words, for a benchmark row."""
    policy, spin = info["omp_wait_policy"], info["gomp_spincount"]
    wait = _("OpenMP's default wait") if policy == "unset" else f"OMP_WAIT_POLICY={policy}"
    if spin != "unset":
        wait += f", GOMP_SPINCOUNT={spin}"
    if info.get("omp_num_threads", "unset") != "unset":
        wait += f", OMP_NUM_THREADS={info['omp_num_threads']}"
    return _("{wait}; {threads} torch threads, {interop} inter-op; torch {version} ({build} build)").format(
        wait=wait, threads=info["torch_threads"], interop=info["interop_threads"], version=info["torch"],
        build=info["torch_build"])
