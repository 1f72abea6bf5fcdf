"""The active model's predictions on each MNIST split, computed in the background.

The grid, the confusion matrix and the detail pane all read predictions from one
`PredictionStore`. It evaluates the test split first (it drives the confusion matrix), then the
training split, one `Job` at a time. When the model or MNIST changes it drops every result,
cancels the run in flight and starts again; a cancelled run's late signals are recognised by
their sender and ignored, so views only ever see the current model's answers on the current data.
The user's own digits (a few hundred at most) are evaluated after the test set, and again, alone,
whenever they change.

The same class computes the second model's predictions when the tab compares two models: it
follows any model source with a `model` (None: nothing to evaluate) and a `changed` signal, the
`ActiveModel` or the tab's `ComparedModel`.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from lenet_app.core.evaluation import EvaluationResult, evaluate
from lenet_app.core.mnist import MnistSplit
from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.dataset.filtering import Ranking
from lenet_app.gui.jobs import Job, JobControl, JobRunner
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.text import arg

#: Evaluation order: the test set drives the confusion matrix, so it comes first; the user's own
#: digits are few, so they come before the 60,000 training images.
SPLIT_ORDER = ("test", MY_DIGITS_SPLIT, "train")


def reading_format(split_name: str | None, model_name: str) -> str:
    """A progress bar's format while a model reads a split, "Reading the test set with lenet5… %p%"
    (%p is the bar's own placeholder for the percentage); for the active model's bar and the compared model's."""
    if split_name == "test":
        text = QCoreApplication.translate("ImageBrowser", "Reading the test set with %1… %p%")
    elif split_name == MY_DIGITS_SPLIT:
        text = QCoreApplication.translate("ImageBrowser", "Reading your digits with %1… %p%")
    else:
        text = QCoreApplication.translate("ImageBrowser", "Reading the training set with %1… %p%")
    return arg(text, model_name)


class PredictionStore(QObject):
    """Evaluation results of a model per split, kept current as model and data change."""

    reset = Signal()  # every result dropped (another model or other data); evaluating again
    started = Signal(str, int)  # split name, number of images: an evaluation began
    progress = Signal(str, int, int)  # split name, images done, total
    ready = Signal(str)  # this split's results are in
    failed = Signal(str)  # the evaluation failed (a message for the user); nothing more is tried
    idle = Signal()  # nothing is being evaluated any more: all done, failed or no data

    def __init__(self, dataset: DatasetState, active_model: ActiveModel, jobs: JobRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dataset = dataset
        self._active_model = active_model
        self._jobs = jobs
        self._results: dict[str, EvaluationResult] = {}
        self._rankings: dict[str, Ranking] = {}
        self._job: Job | None = None
        self._job_split: str | None = None
        self._error: str | None = None
        self._architecture = self._model_architecture()
        dataset.changed.connect(self.restart)
        dataset.my_changed.connect(self._on_my_digits_changed)
        active_model.changed.connect(self.restart)
        self._evaluate_next()

    # --- what views read ------------------------------------------------------------------

    def result(self, split_name: str) -> EvaluationResult | None:
        """The model's results on a split, None until its evaluation has finished."""
        return self._results.get(split_name)

    def ranking(self, split_name: str) -> Ranking | None:
        """The split's display orders, sorted on the job (same evaluation as `result`)."""
        return self._rankings.get(split_name)

    @property
    def architecture(self) -> str:
        """The architecture of the model these predictions are (or will be) from."""
        return self._architecture

    @property
    def error(self) -> str | None:
        """Why the last evaluation failed, None when it did not."""
        return self._error

    def evaluating(self) -> tuple[str, int] | None:
        """(split name, number of images) of the evaluation in flight, None when idle."""
        if self._job is None or self._job_split is None:
            return None
        split = self._dataset.split(self._job_split)
        return self._job_split, 0 if split is None else len(split)

    # --- control ---------------------------------------------------------------------------

    @Slot()
    def restart(self) -> None:
        """Drop all results and evaluate the current model on the current data again."""
        self.cancel()
        self._results.clear()
        self._rankings.clear()
        self._error = None
        self._architecture = self._model_architecture()
        self.reset.emit()
        self._evaluate_next()

    def _model_architecture(self) -> str:
        model = self._active_model.model
        return "" if model is None else model.architecture

    def cancel(self) -> None:
        """Ask the evaluation in flight to stop; its late signals are ignored. Does not wait."""
        if self._job is not None:
            self._job.cancel()
            self._job = self._job_split = None
            self.idle.emit()

    @Slot()
    def _on_my_digits_changed(self) -> None:
        """Only the user's digits are evaluated again; an MNIST evaluation in flight goes on."""
        self._results.pop(MY_DIGITS_SPLIT, None)
        self._rankings.pop(MY_DIGITS_SPLIT, None)
        if self._job is not None and self._job_split == MY_DIGITS_SPLIT:
            self.cancel()
        self.ready.emit(MY_DIGITS_SPLIT)  # views show the new digits now, their answers follow
        if self._job is None:
            self._evaluate_next()

    def _evaluate_next(self) -> None:
        sizes = self._dataset.split_sizes()
        pending = [name for name in SPLIT_ORDER if name not in self._results and sizes.get(name)]
        if not pending or self._error is not None or self._active_model.model is None:
            self.idle.emit()
            return
        name = pending[0]
        split = self._dataset.split(name)
        module = self._active_model.model.module  # inference only: never trained in place

        job = Job(partial(_evaluate, module, split), f"evaluate-{name}")
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        self._job, self._job_split = job, name
        self.started.emit(name, len(split))
        self._jobs.start(job)

    # --- the current job's signals (a cancelled job's arrive too, and are dropped) ---------

    def _is_current(self) -> bool:
        return self._job is not None and self.sender() is self._job

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._is_current():
            self.progress.emit(self._job_split, done, total)

    @Slot(object)
    def _on_succeeded(self, outcome: tuple[EvaluationResult, Ranking]) -> None:
        if not self._is_current():
            return
        name = self._job_split
        self._job = self._job_split = None
        self._results[name], self._rankings[name] = outcome
        self.ready.emit(name)
        self._evaluate_next()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if not self._is_current():
            return
        self._job = self._job_split = None
        self._error = message
        self.failed.emit(message)
        self.idle.emit()


def _evaluate(module, split: MnistSplit, control: JobControl) -> tuple[EvaluationResult, Ranking]:
    """The job's body: plain data in, plain data out (no QObject crosses to the thread)."""
    result = evaluate(module, split, progress=control.progress, cancel=control.is_cancelled)
    return result, Ranking(split.labels, result).precompute()
