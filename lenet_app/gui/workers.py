"""Run long work off the GUI thread: a QObject worker moved to a QThread.

The pattern (moveToThread, started→work, finished→quit, deleteLater on both) is set up in one
place, `ThreadRegistry.start`, which also remembers every running thread so the window can
cancel and wait for all of them before it closes. Workers never touch widgets; they only
emit signals, which Qt delivers to the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from lenet_app.core.checkpoint import CheckpointError
from lenet_app.core.evaluation import EvaluationCancelled
from lenet_app.core.mnist import MnistError
from lenet_app.core.models import UnknownModelError
from lenet_app.core.preprocess import ImageError
from lenet_app.core.training import Trainer, TrainingError, TrainingEvent, BatchProgress, EpochEnd

log = logging.getLogger(__name__)

#: Errors a user can cause: shown as their message, without a traceback.
USER_ERRORS = (CheckpointError, MnistError, UnknownModelError, ImageError, TrainingError, OSError)
CANCELLED = (EvaluationCancelled,)


def is_out_of_memory(exc: BaseException) -> bool:
    """numpy's MemoryError, or torch's way of saying the same on CPU, CUDA or MPS."""
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and ("out of memory" in text or "can't allocate" in text)


def user_message(exc: BaseException) -> str:
    if isinstance(exc, USER_ERRORS):
        return str(exc)
    if is_out_of_memory(exc):
        return ("Not enough memory to finish this. Close other programs (or, for training, "
                "choose a smaller batch size) and try again.")
    return f"Unexpected error: {type(exc).__name__}: {exc}"


class TaskWorker(QObject):
    """Runs `fn(progress, cancelled)` once; `progress(done, total)` and `cancelled()` are callbacks."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int | None) -> None:
        self.progress.emit(int(done), int(total or 0))

    @Slot()
    def work(self) -> None:
        try:
            result = self._fn(self._report, self.is_cancelled)
        except CANCELLED:
            self.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - a worker must always finish
            if self._cancel.is_set() and "cancel" in type(exc).__name__.lower():
                self.cancelled.emit()
            else:
                if is_out_of_memory(exc):
                    log.warning("worker ran out of memory: %s", exc)
                elif not isinstance(exc, USER_ERRORS):
                    log.exception("worker failed")
                self.failed.emit(user_message(exc))
        else:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self.finished.emit()


class TrainingWorker(QObject):
    """Forwards the core trainer's events as signals; controls go straight to the thread-safe trainer.

    Batch events are sent in groups, at most every `BATCH_INTERVAL` seconds: one queued signal
    per batch costs the training thread a wake-up of the GUI thread hundreds of times a second,
    while the charts repaint at 10 Hz anyway.
    """

    BATCH_INTERVAL = 0.05

    batches = Signal(list)  # [BatchProgress, ...] in order
    epoch_end = Signal(object)  # EpochEnd
    ended = Signal(object)  # Finished, Stopped, Diverged or Failed
    finished = Signal()

    def __init__(self, trainer: Trainer) -> None:
        super().__init__()
        self.trainer = trainer

    def cancel(self) -> None:
        """Stop for good (the window is closing): no final evaluation of the stopped run."""
        self.trainer.stop(evaluate=False)

    @Slot()
    def work(self) -> None:
        from lenet_app.core.training import Failed

        pending: list[BatchProgress] = []
        last_flush = time.monotonic()

        def flush() -> None:
            nonlocal pending, last_flush
            if pending:
                self.batches.emit(pending)
                pending = []
            last_flush = time.monotonic()

        try:
            for event in self.trainer.run():
                if isinstance(event, BatchProgress):
                    pending.append(event)
                    if time.monotonic() - last_flush >= self.BATCH_INTERVAL or self.trainer.paused:
                        flush()
                    continue
                flush()
                if isinstance(event, EpochEnd):
                    self.epoch_end.emit(event)
                else:
                    self.ended.emit(event)
        except BaseException as exc:  # noqa: BLE001
            log.exception("training failed")
            flush()
            self.ended.emit(Failed(user_message(exc)))
        finally:
            self.finished.emit()


#: How long closing the window waits for a cancelled worker to return.
SHUTDOWN_TIMEOUT_MS = 10_000

_running: set[QThread] = set()
_abandoned: list[tuple[QThread, QObject]] = []  # cancelled, but still blocked when the window closed


def running_threads() -> int:
    """How many worker threads started here are still alive (tests assert zero)."""
    return sum(1 for thread in list(_running) if _alive(thread))


def _alive(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # C++ object already deleted
        return False


class ThreadRegistry(QObject):
    """Starts workers on their own QThread and can cancel and join all of them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active: dict[QThread, QObject] = {}

    def start(self, worker: QObject) -> QThread:
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.work)
        # Direct: quit() is thread-safe, and a queued call would wait for the GUI event loop,
        # which is blocked while shutdown() joins the thread.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(worker.deleteLater)
        thread.finished.connect(self._on_thread_finished)
        thread.finished.connect(thread.deleteLater)
        self._active[thread] = worker
        _running.add(thread)
        thread.start()
        return thread

    @Slot()
    def _on_thread_finished(self) -> None:
        for thread in [t for t in self._active if not _alive(t)]:
            # isRunning() is already False while the thread still destroys its worker; let it
            # finish before the last Python reference to the worker goes.
            try:
                thread.wait()
            except RuntimeError:
                pass
            self._forget(thread)

    def _forget(self, thread: QThread) -> None:
        self._active.pop(thread, None)
        _running.discard(thread)

    def busy(self) -> bool:
        return any(_alive(t) for t in self._active)

    def shutdown(self, timeout_ms: int | None = None) -> bool:
        """Cancel every worker and wait for its thread; True when all have ended."""
        if timeout_ms is None:
            timeout_ms = SHUTDOWN_TIMEOUT_MS
        for thread, worker in list(self._active.items()):
            try:
                worker.cancel()
            except RuntimeError:
                pass
        ok = True
        for thread in list(self._active):
            try:
                ended = thread.wait(timeout_ms)
            except RuntimeError:  # already deleted, so it has ended
                ended = True
            if ended:
                self._forget(thread)
                continue
            # Still blocked (say, a download waiting on a dead connection). Destroying a running
            # QThread aborts the process, so it stays referenced, and counted as running, until
            # it returns or the process ends (see app.exit_status).
            ok = False
            _abandoned.append((thread, self._active.pop(thread)))
            log.warning("a background task did not stop within %d ms of being cancelled", timeout_ms)
        return ok
