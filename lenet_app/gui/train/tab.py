"""The Train tab: configure a run, watch it learn live, and use or save the result.

The tab composes its parts around one `TrainingRun`: the form (the recipe), `RunControls`
(buttons, progress, live numbers), `ResultBanner`, `ChartPanel` or `InsidePanel` (the network
itself learning: C1's kernels and one test digit's activations), `FinetuneTable` and `RunLog`.
Each part follows the run's signals; the tab itself only starts runs and keeps the settings.
Every run is kept in the window's run history (`RunHistoryState`), which the *Past runs* page
(`PastRunsPanel`) lists, compares, reopens and deletes.
*Fine-tune on my digits* starts the same kind of run from the active model, with the user's
digits mixed into every batch.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.errors import LenetError
from lenet_app.core.finetune import FINETUNE_RECIPE, MIN_OWN_DIGITS
from lenet_app.core.training import EpochEnd, Trainer, TrainingEvent, fixed_test_digit
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.text import arg
from lenet_app.gui.train.chart_panel import ChartPanel
from lenet_app.gui.train.finetune_table import FinetuneTable
from lenet_app.gui.train.inside_panel import InsidePanel
from lenet_app.gui.train.log_view import RunLog
from lenet_app.gui.train.result_banner import ResultBanner, model_filter
from lenet_app.gui.train.run_controls import RunControls
from lenet_app.gui.train.run_history_view import PastRunsPanel
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.train.training_job import Prepared, Recorded
from lenet_app.gui.train.form import SETTINGS_PREFIX, TrainForm
from lenet_app.gui.widgets import Banner, named

LOG_SCALE_KEY = "loss_log_scale"
#: Fine-tuning needs at least this many of the user's digits (a fifth of them are held out).


class TrainTab(Retranslating, QWidget):
    """Train any model of the zoo on MNIST with live charts, then activate or save the result."""

    def __init__(self, dataset: DatasetState, active_model: ActiveModel, jobs: JobRunner,
                 my_digits: MyDigitsState | None = None, parent: QWidget | None = None, *,
                 run_history: RunHistoryState | None = None) -> None:
        """`my_digits`: the window's own digits; without them there is no *Fine-tune* button.
        `run_history`: the window's run history (a tab of its own reads the user's)."""
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.run_history = run_history if run_history is not None else RunHistoryState(jobs, parent=self)
        self.dataset = dataset
        self.my_digits = my_digits
        self.active_model = active_model
        self.jobs = jobs
        self._resuming = False  # whether the run being prepared resumes a checkpoint
        self.run = TrainingRun(jobs, self)
        self.form = TrainForm()
        self.controls = RunControls(self.run)
        self.dataset_banner = Banner("datasetBanner")
        self.result_banner = ResultBanner(self.run, active_model)
        self.charts = ChartPanel(self.run)
        self.finetune_table = FinetuneTable(self.run)
        self.inside = InsidePanel(self.run, dataset)
        self.log = RunLog(self.run)
        self.past_runs = PastRunsPanel(self.run_history, self.run, active_model, jobs)
        # The parts' controls that the main window, tests and benchmarks drive, by their names.
        self.start_button, self.pause_button = self.controls.start_button, self.controls.pause_button
        self.stop_button, self.resume_button = self.controls.stop_button, self.controls.resume_button
        self.finetune_button = self.controls.finetune_button
        self.progress_bar, self.eta_label = self.controls.progress_bar, self.controls.eta_label
        self.use_button, self.save_button = self.result_banner.use_button, self.result_banner.save_button
        self.result_label = self.result_banner.label
        self.loss_chart, self.accuracy_chart = self.charts.loss_chart, self.charts.accuracy_chart
        self._lay_out()

        self.controls.start_requested.connect(self._on_start_requested)
        self.controls.resume_requested.connect(self._on_resume_requested)
        self.controls.finetune_requested.connect(self._on_finetune_requested)
        self.result_banner.note.connect(self.log.add_line)
        for exporter in self.charts.exporters:
            exporter.note.connect(self.log.add_line)
        self.past_runs.note.connect(self.log.add_line)
        self.run.prepared.connect(self._on_prepared)
        self.run.refused.connect(self._on_refused)
        self.run.changed.connect(self._on_run_changed)
        self.run.recorded.connect(self._on_run_recorded)
        dataset.changed.connect(self._on_dataset_changed)
        dataset.loading_changed.connect(self._on_dataset_changed)
        if my_digits is not None:
            my_digits.changed.connect(self._on_my_digits_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """The views' tabs, and the reasons and tips the tab gives its parts (which set their
        own texts after it: a LanguageChange reaches the children after their parent)."""
        named(self.views, "trainViewTabs", self.tr("Training views"),
              self.tr("Watch the charts, or the network itself learning"))
        self.views.setTabText(0, self.tr("Charts"))
        self.views.setTabText(1, self.tr("Inside the network"))
        self.views.setTabText(2, self.tr("Past runs"))
        self.views.setTabToolTip(0, self.tr("Loss and accuracy as the run learns"))
        self.views.setTabToolTip(1, self.tr("The first layer's kernels and what every layer makes of one "
                                            "test digit, changing as the run learns"))
        self.views.setTabToolTip(2, self.tr("Every run kept in the run history, from this window or the "
                                            "command line: compare their curves, open or delete them"))
        if self.my_digits is not None:
            self._on_my_digits_changed()
        self._on_dataset_changed()

    def _lay_out(self) -> None:
        form_scroll = QScrollArea()
        form_scroll.setObjectName("trainFormScroll")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form)
        form_scroll.setMinimumWidth(self.form.minimumSizeHint().width() + 24)

        # The charts, or the network itself learning: one page at a time keeps both readable.
        self.views = QTabWidget()
        self.views.setObjectName("trainViewTabs")
        self.views.setDocumentMode(True)
        self.views.addTab(self.charts, "")
        self.views.addTab(self.inside, "")
        self.views.addTab(self.past_runs, "")
        body = QSplitter(Qt.Orientation.Vertical)
        body.setObjectName("chartsLogSplitter")
        body.setChildrenCollapsible(False)
        body.addWidget(self.views)
        body.addWidget(self.log)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([470, 150])
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(6, 0, 0, 0)
        for part in (self.controls, self.dataset_banner, self.result_banner, self.finetune_table):
            column.addWidget(part)
        column.addWidget(body, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("trainSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(form_scroll)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(splitter)

    # --- contract with MainWindow, tests and benchmarks -----------------------------------

    def is_training(self) -> bool:
        return self.run.running

    @property
    def trainer(self) -> Trainer | None:
        return self.run.trainer

    @property
    def ended_event(self) -> TrainingEvent | None:
        return self.run.ended_event

    @property
    def result_model(self) -> TrainedModel | None:
        return self.run.result_model

    @property
    def last_epoch(self) -> EpochEnd | None:
        return self.run.last_epoch

    def save_settings(self, settings: QSettings) -> None:
        self.form.save_settings(settings, SETTINGS_PREFIX)
        settings.setValue(SETTINGS_PREFIX + LOG_SCALE_KEY, "true" if self.charts.log_scale() else "false")

    def restore_settings(self, settings: QSettings) -> list[str]:
        """Restore the form; stored values that no longer fit are ignored (defaults used)."""
        ignored = self.form.restore_settings(settings, SETTINGS_PREFIX)
        stored = str(settings.value(SETTINGS_PREFIX + LOG_SCALE_KEY, "false")).strip().lower()
        if stored not in ("true", "false"):
            ignored.append(LOG_SCALE_KEY)
        self.charts.set_log_scale(stored == "true")
        return ignored

    # --- starting -------------------------------------------------------------------------

    def start_training(self, resume_from: Path | None = None, finetune: bool = False) -> bool:
        """Check the recipe and start a run on a job; False (with a message) when it cannot.

        `finetune`: start from the active model and mix the user's digits into every batch.
        Problems only the job finds (an unusable checkpoint, a device this machine lacks)
        come back as the same message a moment later, with the tab idle again.
        """
        if self.run.running:
            return False
        if not self.dataset.available:
            self._on_dataset_changed()
            return False
        history = self.run_history.history
        folder = history.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            config = self.form.config()
            digit = fixed_test_digit(self.dataset.splits["test"])  # the one the Inside page shows
            extra = {}
            if finetune and self.my_digits is not None:
                extra = {"init_from": self.active_model.model, "own_digits": self.my_digits.split()}
            trainer = Trainer(config, self.dataset.splits["train"], self.dataset.splits["test"],
                              resume_from=resume_from,
                              snapshot_digit=None if digit is None else digit[0], **extra)
        except LenetError as exc:
            QMessageBox.warning(self, self._refusal_title(resume_from is not None), str(exc))
            return False
        except OSError as exc:
            QMessageBox.warning(self, self._refusal_title(resume_from is not None), arg(
                self.tr("Cannot create the folder for training checkpoints %1: %2"),
                folder, exc.strerror or exc))
            return False
        self._resuming = resume_from is not None
        self.run.start(trainer, history)  # the job names the run and puts its checkpoint in `folder`
        return True

    def finetune(self) -> bool:
        """*Fine-tune on my digits*: the form first takes the fine-tune recipe (a trained model
        under a fresh run's recipe forgets part of MNIST), so the user sees what runs; then a run
        from the active model with the user's digits in every batch."""
        self.form.set_config(dataclasses.replace(self.form.config(), **FINETUNE_RECIPE))
        return self.start_training(finetune=True)

    def _refusal_title(self, resuming: bool) -> str:
        return self.tr("Cannot resume training") if resuming else self.tr("Cannot start training")

    @Slot()
    def _on_start_requested(self) -> None:
        self.start_training()

    @Slot()
    def _on_finetune_requested(self) -> None:
        self.finetune()

    @Slot()
    def _on_my_digits_changed(self) -> None:
        count = len(self.my_digits)
        if count < MIN_OWN_DIGITS:
            tip = arg(self.tr("Needs at least %1 of your digits (you have %2): save them in the "
                              "Draw tab by drawing and pressing their keys 0–9."), MIN_OWN_DIGITS, count)
        else:
            tip = arg(self.tr(
                "Train the active model further on your %1 digits, mixed into every batch with "
                "MNIST so that it is not forgotten.\n"
                "First the form takes the fine-tune recipe: %2 epoch, learning rate %3, "
                "augmentation on, no label smoothing (a fresh run's recipe makes a trained model "
                "forget part of MNIST); the other settings on the left apply.\n"
                "The log and the table above the charts compare the accuracy before and after, "
                "on MNIST's test images and on a fifth of your digits held out from training."),
                count, FINETUNE_RECIPE["epochs"], f"{FINETUNE_RECIPE['lr']:g}")
        self.controls.set_finetune_ready(count >= MIN_OWN_DIGITS, tip)

    @Slot()
    def _on_resume_requested(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Resume training from checkpoint"),
                                              str(self.run_history.history.folder), model_filter())
        if path:
            self.start_training(resume_from=Path(path))

    @Slot(object)
    def _on_prepared(self, prepared: Prepared) -> None:
        if prepared.resume_from is not None:
            self.form.set_config(prepared.config)  # show the recipe being continued

    @Slot(object)
    def _on_run_recorded(self, recorded: Recorded) -> None:
        """The run's record is complete: the history is read again (the Past runs page and the
        model pickers list it); a record that could not be saved is said in the log."""
        self.run_history.refresh()
        problem = recorded.problem
        if problem:
            self.log.add_line(lambda: arg(self.tr("Note: the run history could not keep this run: %1"),
                                          problem))

    @Slot(str)
    def _on_refused(self, reason: str) -> None:
        QMessageBox.warning(self, self._refusal_title(self._resuming), reason)

    # --- following shared state -----------------------------------------------------------

    @Slot()
    def _on_run_changed(self) -> None:
        self.form.setEnabled(not self.run.running)

    def _dataset_reason(self) -> str:
        if self.dataset.loading:
            return self.tr("Loading MNIST… Training can start as soon as it is read.")
        if self.dataset.error:
            return arg(self.tr("Training needs the MNIST images: %1"), self.dataset.error)
        return self.tr("Training needs the MNIST images, which are not loaded.")

    @Slot()
    def _on_dataset_changed(self) -> None:
        available = self.dataset.available
        if available:
            self.dataset_banner.hide()
        else:
            self.dataset_banner.show_message("info" if self.dataset.loading else "warning",
                                             self._dataset_reason())
        self.controls.set_ready(available, "" if available else self._dataset_reason())
