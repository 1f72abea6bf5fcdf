"""The one way the GUI runs background work: outcomes, order, cancel, shutdown, and where a Job dies."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from lenet_app.core.errors import Cancelled, LenetError
from lenet_app.gui import jobs as jobs_module
from lenet_app.gui.jobs import Job, JobRunner, running_jobs


@pytest.fixture
def runner(qtbot):
    made = JobRunner()
    yield made
    made.shutdown(timeout_s=5)


def _outcomes(job: Job) -> list:
    seen: list = []
    job.progress.connect(lambda done, total: seen.append(("progress", done, total)))
    job.yielded.connect(lambda value: seen.append(("yielded", value)))
    job.succeeded.connect(lambda value: seen.append(("succeeded", value)))
    job.failed.connect(lambda message: seen.append(("failed", message)))
    job.cancelled.connect(lambda: seen.append(("cancelled",)))
    job.finished.connect(lambda: seen.append(("finished",)))
    return seen


def _run(qtbot, runner: JobRunner, job: Job) -> list:
    seen = _outcomes(job)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        runner.start(job)
    qtbot.waitUntil(lambda: running_jobs() == 0 and not runner.busy(), timeout=5000)
    return seen


def test_a_generator_job_yields_in_order_then_succeeds(qtbot, runner):
    def work(control):
        for value in range(5):
            yield value
        return "done"

    seen = _run(qtbot, runner, Job(work, "generator"))
    assert seen == [("yielded", v) for v in range(5)] + [("succeeded", "done"), ("finished",)]


def test_progress_is_throttled_but_the_last_report_always_arrives(qtbot, runner):
    def work(control):
        for done in range(1, 10_001):
            control.progress(done, 10_000)

    seen = _run(qtbot, runner, Job(work, "progress"))
    reports = [item for item in seen if item[0] == "progress"]
    assert 1 <= len(reports) < 1000  # merged, not one signal per step
    assert reports[-1] == ("progress", 10_000, 10_000)
    assert seen[-2:] == [("succeeded", None), ("finished",)]


def test_a_user_error_fails_with_its_own_words(qtbot, runner):
    def work(control):
        raise LenetError("no MNIST in /nowhere")

    assert _run(qtbot, runner, Job(work, "user-error")) == [("failed", "no MNIST in /nowhere"), ("finished",)]


def test_a_bug_fails_with_a_short_message_and_is_logged(qtbot, runner, caplog):
    def work(control):
        raise KeyError("oops")

    seen = _run(qtbot, runner, Job(work, "bug"))
    assert seen[0][0] == "failed" and "KeyError" in seen[0][1] and seen[-1] == ("finished",)
    assert any("bug failed" in record.message for record in caplog.records)


def test_out_of_memory_says_what_to_do(qtbot, runner):
    def work(control):
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")

    seen = _run(qtbot, runner, Job(work, "oom"))
    assert seen[0][0] == "failed" and "Not enough memory" in seen[0][1]


def test_cancel_ends_in_cancelled_whether_the_work_raises_or_returns(qtbot, runner):
    started = threading.Event()

    def raising(control):
        started.set()
        while True:
            if control.is_cancelled():
                raise Cancelled("stopped")
            time.sleep(0.001)

    job = Job(raising, "raising")
    seen = _outcomes(job)
    runner.start(job)
    assert started.wait(5)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.cancel()
    assert seen == [("cancelled",), ("finished",)]

    release = threading.Event()
    job = Job(lambda control: release.wait(5), "returning")
    seen = _outcomes(job)
    runner.start(job)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=5000):
        release.set()
    assert seen == [("cancelled",), ("finished",)]


def test_on_cancel_reaches_work_that_has_its_own_stop(qtbot, runner):
    stop = threading.Event()
    job = Job(lambda control: stop.wait(5), "own-stop", on_cancel=stop.set)
    seen = _outcomes(job)
    runner.start(job)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.cancel()
    assert seen == [("cancelled",), ("finished",)]


def test_a_finished_job_is_released_on_the_gui_thread(qtbot, runner):
    """The freeze of issue 10: a Python-made QObject destroyed on a worker thread calls into
    Python under a Qt mutex. A Job must only ever be destroyed on the GUI thread."""
    gui = threading.get_ident()
    destroyed_on: list[int] = []
    for _ in range(20):
        job = Job(lambda control: None, "released")
        job.destroyed.connect(lambda *_: destroyed_on.append(threading.get_ident()))
        runner.start(job)
        del job  # the runner holds the only reference now
    qtbot.waitUntil(lambda: running_jobs() == 0 and not runner.busy(), timeout=10_000)
    gc.collect()
    qtbot.waitUntil(lambda: len(destroyed_on) == 20, timeout=5000)
    assert set(destroyed_on) == {gui}


def test_shutdown_cancels_and_joins_every_job(qtbot):
    runner = JobRunner()
    for n in range(3):
        runner.start(Job(lambda control: _wait_for_cancel(control), f"waiting-{n}"))
    assert runner.busy()
    assert runner.shutdown(timeout_s=5)
    assert running_jobs() == 0 and not runner.busy()


def _wait_for_cancel(control) -> None:
    while not control.is_cancelled():
        time.sleep(0.001)
    raise Cancelled()


def test_shutdown_leaves_a_job_that_ignores_cancel_and_says_so(qtbot, monkeypatch):
    monkeypatch.setattr(jobs_module, "_abandoned", [])
    runner = JobRunner()
    release = threading.Event()
    runner.start(Job(lambda control: release.wait(10), "stuck"))
    assert not runner.shutdown(timeout_s=0.2)
    assert len(jobs_module._abandoned) == 1 and running_jobs() == 1
    release.set()
    jobs_module._abandoned[0][0].join(5)
    assert running_jobs() == 0
