"""The one way the GUI runs long work: a `Job` on a Python thread, its signals on the GUI thread.

Why not a QObject worker moved to a QThread (what this module replaced): such a worker is
destroyed on its own thread (`finished → deleteLater`), and the destructor of a Python-made
QObject calls back into Python while Qt holds a signal-slot mutex that it shares between
unrelated objects. When the GUI thread, holding the GIL, then waited for that mutex (a relayout
that reconnects chart axes), the two threads deadlocked and the app froze as a run ended.

Here no QObject ever leaves the GUI thread: a `Job` is created there, stays there, and is
released there by `JobRunner` only after its thread has been joined. The thread runs a plain
function (or generator); it talks to the GUI only by emitting the Job's signals, which Qt
queues to the GUI thread. The same shape as superqt's `thread_worker` (signals on a GUI-thread
object, the work in a runnable), without its global thread pool: Qt's application destructor
waits for that pool, so one download stuck on a dead connection would hang quitting, while a
job that ignores cancel here is left behind (see `app.exit_status`).

A work function receives a `JobControl`: `control.progress(done, total)` and
`control.is_cancelled()` fit the `progress=`/`cancel=` callbacks of the core's long functions.
A generator work function's values arrive, in order, as `yielded`. Raising
`core.errors.Cancelled` (or returning once cancel was asked) ends in `cancelled`; a
`LenetError` ends in `failed` with its message; anything else also ends in `failed`, with the
traceback in the log. `finished` always comes last.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from lenet_app.core.errors import Cancelled, LenetError, is_out_of_memory
from lenet_app.gui.text import arg

log = logging.getLogger(__name__)

#: How long closing the window waits for cancelled jobs to return.
SHUTDOWN_TIMEOUT_S = 10.0
#: Progress reports closer together than this are merged (the last one wins); the final one,
#: done == total, is always sent. Views repaint at 10-20 Hz anyway.
PROGRESS_INTERVAL_S = 0.05


def user_message(exc: BaseException) -> str:
    """What the GUI says about a failed job: a user error's own words, else a short summary."""
    if isinstance(exc, (LenetError, OSError)):
        return str(exc)
    if is_out_of_memory(exc):
        return QCoreApplication.translate(
            "jobs", "Not enough memory to finish this. Close other programs (or, for training, "
            "choose a smaller batch size) and try again.")
    return arg(QCoreApplication.translate("jobs", "Unexpected error: %1: %2"), type(exc).__name__, exc)


class JobControl:
    """What a work function may do from its thread: report progress and ask whether to stop."""

    def __init__(self, job: "Job") -> None:
        self._job = job
        self._last_progress = 0.0

    def is_cancelled(self) -> bool:
        return self._job.cancel_requested()

    def progress(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        total = int(total or 0)
        if done != total and now - self._last_progress < PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        self._job.progress.emit(int(done), total)


class Job(QObject):
    """One piece of background work. Create it on the GUI thread, start it with `JobRunner.start`."""

    progress = Signal(int, int)  # done, total (0 when unknown)
    yielded = Signal(object)  # each value a generator work function yields
    succeeded = Signal(object)  # the work function's return value
    failed = Signal(str)  # a message for the user
    cancelled = Signal()
    finished = Signal()  # always, last

    def __init__(self, work: Callable[[JobControl], Any], name: str,
                 on_cancel: Callable[[], None] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._work = work
        self._on_cancel = on_cancel
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; safe to call at any time, from any thread."""
        self._cancel.set()
        if self._on_cancel is not None:
            self._on_cancel()

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:
        """The thread's body: every path emits exactly one outcome, then `finished`."""
        control = JobControl(self)
        try:
            result = self._work(control)
            if hasattr(result, "__next__") and hasattr(result, "send"):
                result = self._drain(result)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - a job always ends with an outcome
            if isinstance(exc, LenetError):
                log.info("%s: %s", self.name, exc)
            elif is_out_of_memory(exc):
                log.warning("%s ran out of memory: %s", self.name, exc)
            else:
                log.exception("%s failed", self.name)
            self.failed.emit(user_message(exc))
        else:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self.finished.emit()

    def _drain(self, generator) -> Any:
        while True:
            try:
                value = next(generator)
            except StopIteration as stop:
                return stop.value
            self.yielded.emit(value)


_lock = threading.Lock()
_live: set[threading.Thread] = set()  # every job thread started and not yet joined
_abandoned: list[tuple[threading.Thread, Job]] = []  # still running when their window closed


def running_jobs() -> int:
    """How many job threads are still alive, across all runners (tests assert zero)."""
    with _lock:
        return sum(1 for thread in _live if thread.is_alive())


class JobRunner(QObject):
    """Starts jobs on threads of their own, keeps them until joined, cancels and joins all on close."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active: dict[Job, threading.Thread] = {}

    def start(self, job: Job) -> Job:
        """Run `job` now. Connect to its signals before: a fast job may end before this returns,
        and Qt only queues a signal to the connections that exist when it is emitted."""
        thread = threading.Thread(target=job._run, name=f"lenet-{job.name}", daemon=True)
        job.finished.connect(self._on_job_finished)
        self._active[job] = thread
        with _lock:
            _live.add(thread)
        thread.start()
        return job

    def busy(self) -> bool:
        return any(thread.is_alive() for thread in self._active.values())

    @Slot()
    def _on_job_finished(self) -> None:
        job = self.sender()
        thread = self._active.get(job)  # type: ignore[arg-type]
        if thread is None:
            return
        # `finished` is the thread's last act; joining lets its final references to the job
        # go while this runner still holds one, so the Job is released here, on the GUI thread.
        thread.join()
        self._forget(job)

    def _forget(self, job: Job) -> None:
        thread = self._active.pop(job, None)
        if thread is not None:
            with _lock:
                _live.discard(thread)

    def shutdown(self, timeout_s: float | None = None) -> bool:
        """Cancel every job and wait for its thread; True when all have ended in time."""
        timeout_s = SHUTDOWN_TIMEOUT_S if timeout_s is None else timeout_s
        for job in list(self._active):
            job.cancel()
        deadline = time.monotonic() + timeout_s
        ok = True
        for job, thread in list(self._active.items()):
            thread.join(max(deadline - time.monotonic(), 0.0))
            if not thread.is_alive():
                self._forget(job)
                continue
            ok = False
            # Blocked (say, a download waiting on a dead connection): kept referenced so its
            # Job outlives it; `app.exit_status` then ends the process without waiting.
            _abandoned.append((thread, job))
            self._active.pop(job, None)
            log.warning("background task %r did not stop within %.0f s of being cancelled",
                        job.name, timeout_s)
        return ok
