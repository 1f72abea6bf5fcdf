"""The two exception bases every layer agrees on.

`LenetError` is a mistake the user can fix (a missing file, a corrupt checkpoint, a bad option):
the CLI prints its message on one line and exits 2, the GUI shows it in one dialog or banner.
Anything else is a bug and keeps its traceback (in the log, and in the GUI's error dialog).

`Cancelled` is raised inside long work when the user (or closing the window) asked it to stop.
It is not an error: the GUI says nothing, the CLI exits 130 as for Ctrl+C.
"""

from __future__ import annotations

from typing import Callable


class LenetError(Exception):
    """A problem the user caused and can fix; its message is shown as it is."""


class Cancelled(Exception):
    """Long work stopped between two steps because `cancel()` said so."""


#: A callback that long-running core functions poll between steps; True means "stop now".
CancelCheck = Callable[[], bool]


def is_out_of_memory(exc: BaseException) -> bool:
    """numpy's MemoryError, or torch's way of saying the same on CPU, CUDA or MPS (a
    RuntimeError, or its subclass torch.cuda.OutOfMemoryError, whose text says so)."""
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and ("out of memory" in text or "can't allocate" in text)


def raise_if_cancelled(cancel: CancelCheck | None, message: str = "cancelled") -> None:
    """The one place a core loop turns a cancel request into `Cancelled`."""
    if cancel is not None and cancel():
        raise Cancelled(message)
