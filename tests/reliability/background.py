"""Background work as the tests see it, whichever way the GUI runs it.

The GUI ran its work on QThreads (`lenet_app.gui.workers`) and runs it as jobs on Python threads
(`lenet_app.gui.jobs`); the tests ask through these two functions so they hold for either.
"""

from __future__ import annotations


def running_jobs() -> int:
    """How many background jobs (or worker QThreads) of the GUI are still running."""
    try:
        from lenet_app.gui.jobs import running_jobs as count
    except ImportError:
        from lenet_app.gui.workers import running_threads as count
    return count()


def window_runner(window):
    """The main window's job runner (or thread registry): `busy()` and `shutdown()`."""
    for name in ("jobs", "threads"):
        runner = getattr(window, name, None)
        if runner is not None and hasattr(runner, "shutdown"):
            return runner
    raise AttributeError("the main window has neither a job runner nor a thread registry")
